"""Who may view, change and do what with the expert review's objects; and what review adds to poc's policy.

Read top to bottom, this page is the access policy of ``review`` (the vocabulary is in poc/access/):

* expert identities are confidential: only officers read the pool, the conflicts, who reviews what
  and the calibration of each expert; an expert sees their own assignments and, while the assignment
  is active, their own review;
* officers and fund managers read rankings and aggregates (no expert's name), and so do the call's
  experts read its plan and rubric, which they score against; applicants see nothing of the review.
* an expert with an active assignment views the application (no grant to keep in step: the assignment
  row decides, and voiding it ends the access at once).

Actions about no object yet (``create``, ``import_experts``, ``draw``) are asked of the model:
``require(user, "create", Assignment)``. Each refusal keeps the words the pages and the API show.
"""
from django.utils.translation import gettext_lazy as _

from poc.access import Policy, fund_manager, officer, policy_for

from .relations import assigned_expert, assigned_expert_of_application, assignment_active, expert_in_call

policy_for("poc.Application").widen("view", assigned_expert_of_application)

# Who reads a call's aggregates and ranking (never an expert's name or an individual review).
aggregate_readers = (officer | fund_manager).refusing(_("Only bureau officers and fund managers see rankings."))
# The pool is managed by officers alone.
pool_managers = officer.refusing(_("Only bureau officers can manage the expert pool."))

expert = Policy(
    "review.Expert",
    view=officer,
    create=pool_managers,
    change=pool_managers,
    import_experts=officer.refusing(_("Only bureau officers can import experts.")),
    export=officer,
    invite=pool_managers,
)
expert_affiliation = Policy(
    "review.ExpertAffiliation",
    view=officer,
    change=pool_managers,
)
conflict = Policy(
    "review.Conflict",
    view=officer,
    create=officer.refusing(_("Only bureau officers can pin a conflict of interest.")),
)
assignment = Policy(
    "review.Assignment",
    # Experts see their own assignments, active and voided.
    view=officer | assigned_expert(""),
    create=officer.refusing(_("Only bureau officers can assign experts.")),
    draw=officer.refusing(_("Only bureau officers can draw experts.")),
    # Who the expert is: officers and the expert themselves. How it was made (affinity, seed, by whom,
    # why voided): officers.
    view_expert=officer | assigned_expert(""),
    view_details=officer,
)
review = Policy(
    "review.Review",
    view=officer | (assigned_expert("assignment") & assignment_active("assignment")),
    # The assigned expert, while assigned (voiding the assignment ends it at once).
    change=assigned_expert("assignment") & assignment_active("assignment"),
    # Who saves a draft; when (a draft, an active assignment) the service says, as "not now" (409).
    save_draft=assigned_expert("assignment", refusal=_("Only the assigned expert can edit this review.")),
    extend_deadline=officer.refusing(_("Only bureau officers can extend a review deadline.")),
    view_expert=officer,
    # 评审打分表: officers, and the expert who wrote the review (for their own records).
    download_score_sheet=officer | assigned_expert("assignment"),
)
criterion_score = Policy(
    "review.CriterionScore",
    view=officer | (assigned_expert("review__assignment") & assignment_active("review__assignment")),
)
review_plan = Policy(
    "review.ReviewPlan",
    view=(officer | fund_manager | expert_in_call("call")).refusing(
        _("Only bureau officers, fund managers and the call's experts see its review plan.")),
    change=officer.refusing(_("Only bureau officers can change the review plan.")),
    change_rubric=officer.refusing(_("Only bureau officers can change the rubric.")),
    view_aggregates=aggregate_readers,
    view_calibration=officer,
)
criterion = Policy(
    "review.Criterion",
    view=officer | fund_manager | expert_in_call("plan__call"),
    change=officer.refusing(_("Only bureau officers can change the rubric.")),
)
