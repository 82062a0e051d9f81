"""Who may view, change and do what with the ground floor's objects: one declaration per model.

Read top to bottom, this page is the access policy of ``poc``. Higher apps widen it from their
``AppConfig.ready()`` (the assigned expert views the application; the managers of the fund asked to
invest view it) and declare their own models in a ``policies`` module of their own. Transitions
declare their ``permission=`` with the same relations.

Services ask ``require(actor, action, obj)``. Where a service has always refused in words of its own, its
action names the same relation with those words (``edit`` is ``change`` refusing "Only members of the
applicant institution can edit this application."; ``start`` is ``create``; ``save`` is the call's
``change``), so the refusal a user reads did not change when the decision moved here.
"""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .policy import Policy
from .relations import (
    SIGNED_IN,
    admin_of,
    applicant,
    district_officer_of,
    member_of,
    officer,
    owner,
    relation,
)

# The applicant institution's members; every relation below is decided from the institution's group.
institution_member = member_of("institution")


def submitted_for_recommendation(path: str = ""):
    """The application at ``obj.<path>`` was submitted to a call that asks for a district recommendation (区县推荐)."""
    prefix = f"{path}__" if path else ""

    def test(obj, user):
        application = obj
        for part in filter(None, path.split("__")):
            application = getattr(application, part, None)
        return (application is not None and application.submitted_at is not None
                and application.call.requires_district_recommendation)

    return relation(f"submitted_for_recommendation({path})", test=test,
                    query=lambda user: Q(**{f"{prefix}submitted_at__isnull": False,
                                            f"{prefix}call__requires_district_recommendation": True}),
                    refusal=_("This application was not submitted for a district recommendation."))


# The science bureau of the applicant's district (区县科技局): the submitted applications of its district, in the calls
# that ask for its recommendation, and nothing else (never a draft, never another district's).
district_recommender = district_officer_of("institution") & submitted_for_recommendation()


def _published_call(obj, user):
    return obj is not None and obj.published


calls_published = relation(
    "published_call", test=lambda obj, user: SIGNED_IN.holds(user) and _published_call(obj, user),
    query=lambda user: Q(published=True) if SIGNED_IN.holds(user) else None,
    refusal=_("This call is not published."),
)

institution = Policy(
    "poc.Institution",
    view=officer | member_of(""),
    change=officer | admin_of(""),
    edit=(officer | admin_of("")).refusing(
        _("Only an administrator of the institution or a bureau officer can edit it.")),
    decide_membership=officer | admin_of(""),
    register=applicant.refusing(_("Only applicants can register an institution.")),
    join=applicant.refusing(_("Only applicants can join an institution.")),
    verify=officer.refusing(_("Only bureau officers can verify an institution.")),
)
membership = Policy(
    "poc.Membership",
    view=officer | owner("user") | admin_of("institution"),
    decide=officer | admin_of("institution"),
)
call = Policy(
    "poc.Call",
    view=officer | calls_published,
    change=officer,
    create=officer,
    save=officer.refusing(_("Only bureau officers can create or edit calls.")),
    publish=officer.refusing(_("Only bureau officers can publish calls.")),
)
calendar_day = Policy(
    "poc.CalendarDay",
    view=officer,
    change=officer.refusing(_("Only bureau officers can edit the holiday calendar.")),
)
application = Policy(
    "poc.Application",
    view=officer | institution_member | district_recommender,
    change=institution_member,
    edit=institution_member.refusing(_("Only members of the applicant institution can edit this application.")),
    create=applicant,
    start=applicant.refusing(_("Only applicants can start an application.")),
    record_site_visit=officer.refusing(_("Only bureau officers can record site visits.")),
)
attachment = Policy(
    "poc.Attachment",
    view=officer | member_of("application__institution")
    | (district_officer_of("application__institution") & submitted_for_recommendation("application")),
    change=member_of("application__institution"),
)
center = Policy(
    "poc.Center",
    view=officer | institution_member,
    change=officer,
    start_evaluation=institution_member.refusing(_("Only members of the center's institution can file its evaluation.")),
)
annual_evaluation = Policy(
    "poc.AnnualEvaluation",
    view=officer | member_of("center__institution"),
    change=member_of("center__institution"),
    edit=member_of("center__institution").refusing(
        _("Only members of the center's institution can edit its evaluation data.")),
    score=officer,
)
evaluation_evidence = Policy(
    "poc.EvaluationEvidence",
    view=officer | member_of("evaluation__center__institution"),
    change=member_of("evaluation__center__institution"),
)
project = Policy(
    "poc.Project",
    view=officer | institution_member,
    change=institution_member,
    manage=officer,
    upload_agreement=(officer | institution_member).refusing(
        _("Only the project's institution or a bureau officer can upload the agreement.")),
    request_change=institution_member.refusing(_("Only the project's institution can request a change.")),
    record_acceptance=officer.refusing(_("Only bureau officers can record an acceptance review.")),
)
project_milestone = Policy(
    "poc.ProjectMilestone",
    view=officer | member_of("project__institution"),
    report=member_of("project__institution").refusing(_("Only the project's institution can report progress.")),
)
change_request = Policy(
    "poc.ChangeRequest",
    view=officer | member_of("project__institution"),
)
acceptance = Policy(
    "poc.Acceptance",
    view=officer | member_of("project__institution"),
    score=officer,
)
background_job = Policy("poc.BackgroundJob", view=owner("owner"))
notification = Policy("poc.Notification", view=owner("recipient"), change=owner("recipient"),
                      oversee=officer.refusing(_("Only bureau officers can see every notification and what was "
                                                 "sent.")))
