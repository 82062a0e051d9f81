"""poc's own exports: the application list as filtered, the centers' annual evaluations, the funded projects
with their milestones and acceptance, and the milestones one by one.

Each reads the same permission-filtered selectors as its page: an applicant exports its institution's rows
only, an officer every row; the applicant institution's name is a column for officers, as on the list page.
"""
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from poc.access import SIGNED_IN, applicant, officer

from . import DATE, INTEGER, MONEY, NUMBER, YES_NO, Column, Export, Table, register

# Centers and projects belong to the bureau and the applicant institutions (the lists' own guard).
outcome_exporters = (officer | applicant).refusing(
    _("Only bureau officers and applicant institutions can export centers and projects."))


def _display(field):
    return lambda row: getattr(row, f"get_{field}_display")()


def _details(field):
    def read(application):
        details = getattr(application, "project_details", None) if application.is_project else None
        return getattr(details, field) if details is not None else None
    return read


def applications(user, params) -> Table:
    from poc.applications import selectors
    from poc.forms import ApplicationFilterForm

    calls = selectors.calls_visible_to(user).order_by("-opens_at")
    form = ApplicationFilterForm(params or None, calls=calls)
    rows = form.narrow(selectors.applications_visible_to(user).select_related("project_details")
                       .order_by("-created_at", "-id"))
    columns = [
        Column(_("Number"), lambda a: a.number),
        Column(_("Title"), lambda a: a.title),
        Column(_("Kind"), _display("kind")),
    ]
    if officer.holds(user):
        columns.append(Column(_("Institution"), lambda a: a.institution.name))
    columns += [
        Column(_("Call"), lambda a: a.call.title),
        Column(_("State"), _display("state")),
        Column(_("Submitted on"), lambda a: a.submitted_at, DATE),
        Column(_("Decided on"), lambda a: a.decided_at, DATE),
        Column(_("Requested grant (yuan)"), _details("requested_grant"), MONEY),
        Column(_("Requested investment (yuan)"), _details("requested_investment"), MONEY),
        Column(_("Self-funded amount (yuan)"), _details("self_funded"), MONEY),
    ]
    return Table(columns, rows)


def center_evaluations(user, params) -> Table:
    from poc.centers.selectors import evaluations_visible_to

    rows = evaluations_visible_to(user).order_by("-data_year", "center__designation_number", "id")
    return Table([
        Column(_("Designation number"), lambda e: e.center.designation_number),
        Column(_("Center"), lambda e: e.center.name),
        Column(_("Institution"), lambda e: e.center.institution.name),
        Column(_("Type"), lambda e: e.center.get_center_type_display()),
        Column(_("Data year"), lambda e: e.data_year, INTEGER),
        Column(_("State"), _display("state")),
        Column(_("Projects validated"), lambda e: e.projects_validated, INTEGER),
        Column(_("Results transferred"), lambda e: e.results_transferred, INTEGER),
        Column(_("Companies incubated"), lambda e: e.companies_incubated, INTEGER),
        Column(_("Follow-on financing raised (yuan)"), lambda e: e.follow_on_financing, MONEY),
        Column(_("Technology contract turnover (yuan)"), lambda e: e.contract_turnover, MONEY),
        Column(_("Service revenue (yuan)"), lambda e: e.service_revenue, MONEY),
        Column(_("User satisfaction (%)"), lambda e: e.user_satisfaction, NUMBER),
        Column(_("Filed on"), lambda e: e.filed_at, DATE),
        Column(_("Score"), lambda e: e.score, NUMBER),
        Column(_("Grade"), lambda e: e.get_grade_display() if e.grade else None),
    ], rows)


def _milestone_counts(project, today):
    milestones = list(project.milestones.all())
    reported = [m for m in milestones if m.reported_at]
    overdue = [m for m in milestones if not m.reported_at and m.due_on and m.due_on < today]
    upcoming = sorted(m.due_on for m in milestones if not m.reported_at and m.due_on and m.due_on >= today)
    return len(milestones), len(reported), len(overdue), (upcoming[0] if upcoming else None)


def _latest_acceptance(project):
    acceptances = list(project.acceptances.all())
    return acceptances[-1] if acceptances else None


def projects(user, params) -> Table:
    from poc.forms.after_approval import ProjectFilterForm
    from poc.projects.models import Acceptance
    from poc.projects.selectors import projects_visible_to

    today = timezone.localdate()
    rows = ProjectFilterForm(params or None).narrow(projects_visible_to(user)).prefetch_related(
        Prefetch("acceptances", queryset=Acceptance.objects.order_by("reviewed_on", "attempt", "id"))
    ).order_by("-approved_on", "project_number")

    def milestones(index):
        return lambda p: _milestone_counts(p, today)[index]

    def acceptance(read):
        return lambda p: read(a) if (a := _latest_acceptance(p)) is not None else None

    return Table([
        Column(_("Project number"), lambda p: p.project_number),
        Column(_("Title"), lambda p: p.title),
        Column(_("Kind"), _display("kind")),
        Column(_("Institution"), lambda p: p.institution.name),
        Column(_("State"), _display("state")),
        Column(_("Approved on"), lambda p: p.approved_on, DATE),
        Column(_("Signed on"), lambda p: p.signed_on, DATE),
        Column(_("Due on"), lambda p: p.due_on, DATE),
        Column(_("Major municipal project"), lambda p: p.is_major, YES_NO),
        Column(_("Milestones"), milestones(0), INTEGER),
        Column(_("Milestones reported"), milestones(1), INTEGER),
        Column(_("Milestones overdue"), milestones(2), INTEGER),
        Column(_("Next milestone due"), milestones(3), DATE),
        Column(_("Acceptance reviewed on"), acceptance(lambda a: a.reviewed_on), DATE),
        Column(_("Acceptance total"), acceptance(lambda a: a.total), NUMBER),
        Column(_("Acceptance outcome"), acceptance(lambda a: a.get_outcome_display())),
        Column(_("Conversion due by"), lambda p: p.obligation_due_on, DATE),
        Column(_("Closed on"), lambda p: p.closed_on, DATE),
    ], rows)


def project_milestones(user, params) -> Table:
    from poc.projects.selectors import milestones_visible_to

    today = timezone.localdate()
    rows = milestones_visible_to(user).order_by("project__project_number", "month", "id")
    return Table([
        Column(_("Project number"), lambda m: m.project.project_number),
        Column(_("Project"), lambda m: m.project.title),
        Column(_("Institution"), lambda m: m.project.institution.name),
        Column(_("Due in month"), lambda m: m.month, INTEGER),
        Column(_("Milestone"), lambda m: m.title),
        Column(_("Deliverables"), lambda m: m.deliverables),
        Column(_("Due on"), lambda m: m.due_on, DATE),
        Column(_("Reported on"), lambda m: m.reported_at, DATE),
        Column(_("Overdue"), lambda m: not m.reported_at and bool(m.due_on) and m.due_on < today, YES_NO),
    ], rows)


def register_poc_exports() -> None:
    register(Export("applications", _("Applications"), who=SIGNED_IN, source=applications,
                    params=("q", "call", "state", "kind")))
    register(Export("center-evaluations", _("Center evaluations"), who=outcome_exporters, source=center_evaluations))
    register(Export("projects", _("Projects"), who=outcome_exporters, source=projects, params=("q", "state", "kind")))
    register(Export("project-milestones", _("Project milestones"), who=outcome_exporters,
                    source=project_milestones))
