"""Which workflow events concern whom: (model, transition) → notification rules.

The keys are model labels (``app_label.modelname``) so the review and funding models are named, never imported.
A transition missing here notifies nobody; ``creation`` rules answer ``record_creation`` (poc.signals.created).
"""
from .recipients import managers_of_fund, members_of, officers, together, user_at
from .rules import NotificationRule

# ------------------------------------------------------------------ facts: placeholders from the instance


def _revision_due(app):
    return {"date": app.revision_due}


def _notice_end(app):
    return {"date": app.notice_ends_on}


def _review_deadline(assignment):
    review = getattr(assignment, "review", None)
    deadline = getattr(review, "deadline", None)
    return {"date": _local_minute(deadline)}


def _local_minute(moment):
    if moment is None:
        return None
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _tranche(tranche):
    return {"detail": tranche.sequence, "amount": f"{tranche.amount:,.2f}"}


def _evaluation(evaluation):
    return {"year": evaluation.data_year, "score": evaluation.score, "grade": evaluation.get_grade_display()}


def _center_rectification(center):
    return {"date": center.rectification_due}


def _center_validity(center):
    return {"date": center.valid_until}


def _project_due(project):
    return {"date": project.due_on}


def _project_rectification(project):
    return {"date": project.rectification_due}


def _change(change):
    return {"detail": change.get_kind_display()}


def _final(instance, log):
    return log.target == "approved"


def _not_from_draft(instance, log):
    return log.source != "draft"


# ------------------------------------------------------------------ audiences

APPLICANTS = members_of("institution")  # the applicant institution's users
APPLICATION = {"about": "", "url": "application-detail"}
DECISION_APPLICANTS = members_of("application.institution")
DECISION_STAFF = together(officers, managers_of_fund("fund"))
TRANCHE = {"about": "decision", "url": "funding:decision", "label": "decision.application"}


def _app_rule(kind, **kw):
    return NotificationRule(kind, APPLICANTS, applicant_facing=True, **APPLICATION, **kw)


def _officer_rule(kind, **kw):
    return NotificationRule(kind, officers, **{**APPLICATION, **kw})


TRANSITIONS: dict[tuple[str, str], tuple[NotificationRule, ...]] = {
    # applications (poc.Application)
    ("poc.application", "submit"): (_officer_rule("application_submitted"),),
    ("poc.application", "resubmit"): (_officer_rule("application_resubmitted"),),
    ("poc.application", "withdraw"): (_officer_rule("application_withdrawn", when=_not_from_draft),),
    ("poc.application", "accept_for_review"): (
        NotificationRule("application_formal_check_passed", user_at("created_by"), applicant_facing=True, **APPLICATION),),
    ("poc.application", "return_for_revision"): (_app_rule("application_returned", facts=_revision_due),),
    ("poc.application", "reject_formally"): (_app_rule("application_rejected"),),
    ("poc.application", "reject"): (_app_rule("application_rejected"),),
    ("poc.application", "uphold_objection"): (_app_rule("application_rejected"),),
    ("poc.application", "propose"): (_app_rule("application_public_notice", facts=_notice_end),),
    ("poc.application", "approve"): (_app_rule("application_approved"),),
    ("poc.application", "to_cultivation_pool"): (_app_rule("application_cultivation"),),
    # expert review (review.Assignment, review.Review): the expert and the officers only
    ("review.assignment", "unassign"): (
        NotificationRule("assignment_voided", user_at("expert.user"), about="application", url="application-detail"),),
    ("review.assignment", "declare_conflict"): (
        NotificationRule("conflict_declared", officers, about="application", url="review:application"),),
    ("review.review", "submit"): (
        NotificationRule("review_submitted", officers, about="assignment.application", url="review:application"),),
    ("review.review", "reopen"): (
        NotificationRule("review_reopened", user_at("assignment.expert.user"), about="", url="review:review",
             label="assignment.application"),),
    # funding decisions (funding.FundingDecision): officers and the fund's managers; the applicant at the end
    ("funding.fundingdecision", "approve_grant"): (
        NotificationRule("decision_grant_approved", DECISION_STAFF, url="funding:decision", label="application"),
        NotificationRule("decision_approved", DECISION_APPLICANTS, url="funding:decision", label="application", when=_final,
             applicant_facing=True),
    ),
    ("funding.fundingdecision", "approve_equity"): (
        NotificationRule("decision_equity_approved", DECISION_STAFF, url="funding:decision", label="application"),
        NotificationRule("decision_approved", DECISION_APPLICANTS, url="funding:decision", label="application", when=_final,
             applicant_facing=True),
    ),
    ("funding.fundingdecision", "reject"): (
        NotificationRule("decision_rejected", DECISION_STAFF, url="funding:decision", label="application"),
        NotificationRule("decision_rejected", DECISION_APPLICANTS, url="funding:decision", label="application",
             applicant_facing=True),
    ),
    ("funding.tranche", "release"): (
        NotificationRule("tranche_released", members_of("decision.application.institution"), facts=_tranche,
             applicant_facing=True, **TRANCHE),),
    ("funding.tranche", "pay"): (
        NotificationRule("tranche_paid", members_of("decision.application.institution"), facts=_tranche,
             applicant_facing=True, **TRANCHE),),
    # centers and their annual evaluations (poc.Center, poc.AnnualEvaluation)
    ("poc.annualevaluation", "file"): (
        NotificationRule("evaluation_filed", officers, url="evaluation-detail", label="center", facts=_evaluation),),
    ("poc.annualevaluation", "return_data"): (
        NotificationRule("evaluation_returned", members_of("center.institution"), url="evaluation-detail", label="center",
             facts=_evaluation, applicant_facing=True),),
    ("poc.annualevaluation", "record_score"): (
        NotificationRule("evaluation_scored", members_of("center.institution"), url="evaluation-detail", label="center",
             facts=_evaluation, applicant_facing=True),),
    ("poc.center", "order_rectification"): (
        NotificationRule("center_rectification_ordered", APPLICANTS, url="center-detail", facts=_center_rectification,
             applicant_facing=True),),
    ("poc.center", "pass_rectification"): (
        NotificationRule("center_rectification_passed", APPLICANTS, url="center-detail", applicant_facing=True),),
    ("poc.center", "revoke_after_second_failure"): (
        NotificationRule("center_revoked", APPLICANTS, url="center-detail", applicant_facing=True),),
    ("poc.center", "revoke_for_fraud"): (
        NotificationRule("center_revoked", APPLICANTS, url="center-detail", applicant_facing=True),),
    ("poc.center", "expire"): (
        NotificationRule("center_expired", APPLICANTS, url="center-detail", facts=_center_validity, applicant_facing=True),),
    # funded projects (poc.Project, poc.ChangeRequest)
    ("poc.project", "sign"): (
        NotificationRule("project_signed", APPLICANTS, url="project-detail", facts=_project_due, applicant_facing=True),),
    ("poc.project", "request_acceptance"): (NotificationRule("project_acceptance_requested", officers, url="project-detail"),),
    ("poc.project", "pass_acceptance"): (
        NotificationRule("project_accepted", APPLICANTS, url="project-detail", applicant_facing=True),),
    ("poc.project", "pass_after_rectification"): (
        NotificationRule("project_accepted", APPLICANTS, url="project-detail", applicant_facing=True),),
    ("poc.project", "order_rectification"): (
        NotificationRule("project_rectification", APPLICANTS, url="project-detail", facts=_project_rectification,
             applicant_facing=True),),
    ("poc.project", "fail_acceptance"): (
        NotificationRule("project_failed", APPLICANTS, url="project-detail", applicant_facing=True),),
    ("poc.project", "terminate"): (
        NotificationRule("project_terminated", APPLICANTS, url="project-detail", applicant_facing=True),),
    ("poc.changerequest", "approve"): (
        NotificationRule("change_approved", members_of("project.institution"), about="project", url="project-detail",
             facts=_change, applicant_facing=True),),
    ("poc.changerequest", "reject"): (
        NotificationRule("change_rejected", members_of("project.institution"), about="project", url="project-detail",
             facts=_change, applicant_facing=True),),
}

CREATIONS: dict[str, tuple[NotificationRule, ...]] = {
    "review.assignment": (
        NotificationRule("assignment_created", user_at("expert.user"), about="review", url="review:review",
             label="application", facts=_review_deadline),),
    "funding.fundingdecision": (
        NotificationRule("decision_proposed", managers_of_fund("fund"), url="funding:decision", label="application",
             when=lambda decision, log: decision.has_equity_part),),
    "poc.changerequest": (
        NotificationRule("change_requested", officers, about="project", url="project-detail", facts=_change),),
}


def rules_for(model, transition: str) -> tuple[NotificationRule, ...]:
    """The rules of ``transition`` ("create" for creation) on ``model``; () when it concerns nobody."""
    label = model._meta.label_lower
    if transition == "create":
        return CREATIONS.get(label, ())
    return TRANSITIONS.get((label, transition), ())
