"""Named sets of the application states the expert review reads: each set has one home, here.

The application's states are poc's (``poc.models.ApplicationState``); the review names the stretches of
that workflow it cares about.
"""
from poc.models import ApplicationState as S

# Experts are assigned (by hand, optimally or by draw) only while the application is under review.
ASSIGNABLE_STATES = (S.UNDER_REVIEW,)
# In the expert review or just out of it: the console's progress and conflicts, the ranking.
IN_EXPERT_REVIEW = (S.UNDER_REVIEW, S.REVIEWED)
# Reached the expert review at some point (not withdrawn or returned before it): the application page's
# review panel is shown from here on.
REVIEW_REACHED = (S.UNDER_REVIEW, S.REVIEWED, S.PUBLIC_NOTICE, S.OBJECTION, S.APPROVED, S.CULTIVATION, S.REJECTED)
