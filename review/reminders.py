"""The review's reminder: draft reviews coming up to their deadline, and those past it.

Registered from ``ReviewConfig.ready()`` into :data:`poc.notifications.registry.reminder_checks` under the name
"reviews" (the beat schedule's ``remind-reviews-daily``); poc's :func:`~poc.notifications.reminders.remind` sends
each reminder once per (kind, review, deadline).
"""
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from poc.models import ApplicationState
from poc.notifications.messages import local_minute
from poc.notifications.recipients import officers, together, user_at
from poc.notifications.registry import Reminder
from poc.notifications.reminders import remind
from poc.notifications.rules import NotificationRule

from .models import AssignmentState, Review, ReviewState

REVIEW_DUE_DAYS = 2

EXPERT = user_at("assignment.expert.user")
REVIEW_DUE = NotificationRule("review_due", EXPERT, url="review:review", label="assignment.application")
REVIEW_OVERDUE = NotificationRule("review_overdue", together(EXPERT, officers), url="review:review",
                                  label="assignment.application")


def reviews(now=None) -> int:
    """Draft reviews of active assignments due within 2 days, and those past their deadline."""
    now = now or timezone.now()
    horizon = now + timedelta(days=REVIEW_DUE_DAYS)
    candidates = (Review.objects
                  .filter(state=ReviewState.DRAFT, assignment__state=AssignmentState.ACTIVE,
                          assignment__application__state=ApplicationState.UNDER_REVIEW)
                  .filter(Q(extended_until__lte=horizon)
                          | Q(extended_until__isnull=True, assignment__application__call__review_plan__deadline__lte=horizon))
                  .select_related("assignment__expert__user", "assignment__application__call__review_plan"))
    count = 0
    for review in candidates:
        deadline = review.deadline  # the rule's own definition: an extension, else the call's plan
        if deadline is None or deadline > horizon:
            continue
        rule = REVIEW_OVERDUE if now > deadline else REVIEW_DUE
        count += remind(rule, review, deadline, {"date": local_minute(deadline)})
    return count


REMINDER = Reminder("reviews", reviews, (REVIEW_DUE, REVIEW_OVERDUE))
