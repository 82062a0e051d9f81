"""poc's own notification rules: which transitions of its models concern whom.

The table is registered from ``PocConfig.ready()`` into :data:`poc.notifications.registry.notification_rules`,
beside the tables the apps above poc register for their own models. A transition missing from every table
notifies nobody; ``creation`` rules answer ``record_creation`` (poc.signals.created).
"""
from poc.models import AnnualEvaluation, Application, ApplicationState, Center, ChangeRequest, Project

from .recipients import district_officers, members_of, officers, user_at
from .rules import NotificationRule

# ------------------------------------------------------------------ facts: placeholders from the instance


def _revision_due(app):
    return {"date": app.revision_due}


def _notice_end(app):
    return {"date": app.notice_ends_on}


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


def _not_from_draft(instance, log):
    return log.source != ApplicationState.DRAFT


def _for_the_bureau(app, log=None):
    """A submission concerns the bureau at once, unless the district recommends it first (then on its recommendation)."""
    return not app.call.requires_district_recommendation


def _for_the_district(app, log=None):
    return app.call.requires_district_recommendation


# ------------------------------------------------------------------ audiences

APPLICANTS = members_of("institution")  # the applicant institution's users
DISTRICT_OFFICERS = district_officers("institution")  # the science bureau of the applicant's district
APPLICATION = {"about": "", "url": "application-detail"}


def _app_rule(kind, **kw):
    return NotificationRule(kind, APPLICANTS, applicant_facing=True, **APPLICATION, **kw)


def _officer_rule(kind, **kw):
    return NotificationRule(kind, officers, **{**APPLICATION, **kw})


TRANSITIONS = {
    # applications (poc.Application)
    (Application, "submit"): (
        _officer_rule("application_submitted", when=_for_the_bureau),
        NotificationRule("application_awaiting_recommendation", DISTRICT_OFFICERS, when=_for_the_district,
                         **APPLICATION),),
    (Application, "resubmit"): (
        _officer_rule("application_resubmitted", when=_for_the_bureau),
        NotificationRule("application_awaiting_recommendation", DISTRICT_OFFICERS, when=_for_the_district,
                         **APPLICATION),),
    (Application, "recommend"): (
        _app_rule("application_recommended"), _officer_rule("application_recommended_to_bureau"),),
    (Application, "decline_recommendation"): (
        _app_rule("application_not_recommended"), _officer_rule("application_not_recommended_to_bureau"),),
    (Application, "withdraw"): (_officer_rule("application_withdrawn", when=_not_from_draft),),
    (Application, "accept_for_review"): (
        NotificationRule("application_formal_check_passed", user_at("created_by"), applicant_facing=True,
                         **APPLICATION),),
    (Application, "return_for_revision"): (_app_rule("application_returned", facts=_revision_due),),
    (Application, "reject_formally"): (_app_rule("application_rejected"),),
    (Application, "reject"): (_app_rule("application_rejected"),),
    (Application, "uphold_objection"): (_app_rule("application_rejected"),),
    (Application, "propose"): (_app_rule("application_public_notice", facts=_notice_end),),
    (Application, "approve"): (_app_rule("application_approved"),),
    (Application, "to_cultivation_pool"): (_app_rule("application_cultivation"),),
    # centers and their annual evaluations (poc.Center, poc.AnnualEvaluation)
    (AnnualEvaluation, "file"): (
        NotificationRule("evaluation_filed", officers, url="evaluation-detail", label="center", facts=_evaluation),),
    (AnnualEvaluation, "return_data"): (
        NotificationRule("evaluation_returned", members_of("center.institution"), url="evaluation-detail",
                         label="center", facts=_evaluation, applicant_facing=True),),
    (AnnualEvaluation, "record_score"): (
        NotificationRule("evaluation_scored", members_of("center.institution"), url="evaluation-detail",
                         label="center", facts=_evaluation, applicant_facing=True),),
    (Center, "order_rectification"): (
        NotificationRule("center_rectification_ordered", APPLICANTS, url="center-detail",
                         facts=_center_rectification, applicant_facing=True),),
    (Center, "pass_rectification"): (
        NotificationRule("center_rectification_passed", APPLICANTS, url="center-detail", applicant_facing=True),),
    (Center, "revoke_after_second_failure"): (
        NotificationRule("center_revoked", APPLICANTS, url="center-detail", applicant_facing=True),),
    (Center, "revoke_for_fraud"): (
        NotificationRule("center_revoked", APPLICANTS, url="center-detail", applicant_facing=True),),
    (Center, "expire"): (
        NotificationRule("center_expired", APPLICANTS, url="center-detail", facts=_center_validity,
                         applicant_facing=True),),
    # funded projects (poc.Project, poc.ChangeRequest)
    (Project, "sign"): (
        NotificationRule("project_signed", APPLICANTS, url="project-detail", facts=_project_due,
                         applicant_facing=True),),
    (Project, "request_acceptance"): (
        NotificationRule("project_acceptance_requested", officers, url="project-detail"),),
    (Project, "pass_acceptance"): (
        NotificationRule("project_accepted", APPLICANTS, url="project-detail", applicant_facing=True),),
    (Project, "pass_after_rectification"): (
        NotificationRule("project_accepted", APPLICANTS, url="project-detail", applicant_facing=True),),
    (Project, "order_rectification"): (
        NotificationRule("project_rectification", APPLICANTS, url="project-detail", facts=_project_rectification,
                         applicant_facing=True),),
    (Project, "fail_acceptance"): (
        NotificationRule("project_failed", APPLICANTS, url="project-detail", applicant_facing=True),),
    (Project, "terminate"): (
        NotificationRule("project_terminated", APPLICANTS, url="project-detail", applicant_facing=True),),
    (ChangeRequest, "approve"): (
        NotificationRule("change_approved", members_of("project.institution"), about="project",
                         url="project-detail", facts=_change, applicant_facing=True),),
    (ChangeRequest, "reject"): (
        NotificationRule("change_rejected", members_of("project.institution"), about="project",
                         url="project-detail", facts=_change, applicant_facing=True),),
}

CREATIONS = {
    ChangeRequest: (
        NotificationRule("change_requested", officers, about="project", url="project-detail", facts=_change),),
}
