"""Who hears of the review's events: the rules of assignment and review transitions, registered with poc.

``ReviewConfig.ready()`` registers :data:`TRANSITIONS` and :data:`CREATIONS` into
:data:`poc.notifications.registry.notification_rules`; the texts are in poc's catalogue
(``poc.notifications.messages``). Only the expert and the bureau's officers hear of review events: nothing here
goes to the applicant side.
"""
from poc.notifications.messages import local_minute
from poc.notifications.recipients import officers, user_at
from poc.notifications.rules import BatchNotificationRule, NotificationRule

from .models import Assignment, Review


def _review_deadline(assignment):
    review = getattr(assignment, "review", None)
    return {"date": local_minute(getattr(review, "deadline", None))}


TRANSITIONS = {
    (Assignment, "unassign"): (
        NotificationRule("assignment_voided", user_at("expert.user"), about="application",
                         url="application-detail"),),
    (Assignment, "declare_conflict"): (
        NotificationRule("conflict_declared", officers, about="application", url="review:application"),),
    # A conflict found by rule after the assignment (the expert's affiliations or the application's team changed).
    (Assignment, "void_for_conflict"): (
        NotificationRule("assignment_voided", user_at("expert.user"), about="application",
                         url="application-detail"),
        NotificationRule("conflict_found", officers, about="application", url="review:application"),),
    (Review, "submit"): (
        NotificationRule("review_submitted", officers, about="assignment.application", url="review:application"),),
    (Review, "reopen"): (
        NotificationRule("review_reopened", user_at("assignment.expert.user"), about="", url="review:review",
                         label="assignment.application"),),
}

CREATIONS = {
    Assignment: (
        NotificationRule("assignment_created", user_at("expert.user"), about="review", url="review:review",
                         label="application", facts=_review_deadline),),
}



def _batch_facts(rows):
    """How many new applications, and the earliest review deadline among them (their calls' plans)."""
    deadlines = [row["application__call__review_plan__deadline"] for row in rows
                 if row["application__call__review_plan__deadline"]]
    return {"count": len(rows), "date": local_minute(min(deadlines)) if deadlines else None}


# A whole call assigned in one commit: each expert hears once ("you have 12 new applications to review").
BATCHES = {
    Assignment: (
        BatchNotificationRule("assignments_created", recipient="expert__user", url="review:queue",
                              facts=_batch_facts, fields=("application__call__review_plan__deadline",)),),
}
