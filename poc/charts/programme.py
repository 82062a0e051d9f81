"""poc's charts of the whole programme (the officer's dashboard): centers, projects, milestones, obligations."""
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from poc.centers import selectors as centers
from poc.models import CenterState, EvaluationState, Grade, ProjectState
from poc.projects import selectors as projects

from .chart import Chart, Series

# Values that read the same on every chart: a failure or a revocation in red, the end of a term in grey.
TONES = {Grade.EXCELLENT: "good", Grade.FAIL: "bad", CenterState.REVOKED: "bad", CenterState.EXPIRED: "later"}


def _pivot(rows, categories, choices):
    """{(category, value): n} to one series per choice, aligned on ``categories``."""
    counts = {(category, value): n for category, value, n in rows}
    return [Series(str(label), [counts.get((category, value), 0) for category in categories],
                   tone=TONES.get(value, "")) for value, label in choices]


def centers_by_grade(user, context) -> Chart:
    """Scored annual evaluations per data year and grade."""
    rows = list(centers.evaluations_visible_to(user).filter(state=EvaluationState.SCORED)
                .values_list("data_year", "grade").annotate(n=Count("id")).order_by())
    years = sorted({year for year, _grade, _n in rows})
    return Chart(key="grades", kind="stack", title=_("Centers by grade per evaluation year"),
                 category_label=_("Data year"), categories=years, series=_pivot(rows, years, Grade.choices),
                 notes=[_("Scored annual evaluations of designated centers.")])


def centers_by_state(user, context) -> Chart:
    """Designated centers per year of designation and their state now."""
    rows = list(centers.centers_visible_to(user).annotate(year=ExtractYear("designated_on"))
                .values_list("year", "state").annotate(n=Count("id")).order_by())
    years = sorted({year for year, _state, _n in rows})
    return Chart(key="center-states", kind="stack", title=_("Centers by year of designation and state"),
                 category_label=_("Designated in"), categories=years,
                 series=_pivot(rows, years, CenterState.choices))


def projects_by_state(user, context) -> Chart:
    counts = dict(projects.projects_visible_to(user).values_list("state").annotate(n=Count("id")).order_by())
    return Chart(key="projects", kind="hbar", title=_("Funded projects by state"), category_label=_("State"),
                 categories=[str(label) for _value, label in ProjectState.choices],
                 series=[Series(_("Number of projects"), [counts.get(value, 0) for value, _label in ProjectState.choices])])


def milestones_by_month(user, context) -> Chart:
    """Milestones of projects being executed, per month due: reported, overdue, not yet due."""
    today = timezone.localdate()
    unreported = Q(reported_at__isnull=True)
    rows = list(projects.milestones_visible_to(user)
                .filter(project__state__in=ProjectState.EXECUTING, due_on__isnull=False)
                .annotate(due_month=TruncMonth("due_on")).values("due_month")
                .annotate(reported=Count("id", filter=~unreported),
                          overdue=Count("id", filter=unreported & Q(due_on__lt=today)),
                          coming=Count("id", filter=unreported & Q(due_on__gte=today)))
                .order_by("due_month"))
    return Chart(key="milestones", kind="stack", title=_("Milestones per month due"), category_label=_("Month"),
                 categories=[row["due_month"].strftime("%Y-%m") for row in rows],
                 series=[Series(_("Reported"), [row["reported"] for row in rows], tone="good"),
                         Series(_("Overdue"), [row["overdue"] for row in rows], tone="bad"),
                         Series(_("Not yet due"), [row["coming"] for row in rows], tone="later")],
                 notes=[_("Projects in progress or rectifying; overdue: past its date without a report.")])


def obligations_by_month(user, context) -> Chart:
    """Open conversion obligations per month due: overdue, still to come."""
    today = timezone.localdate()
    rows = list(projects.open_obligations(projects.projects_visible_to(user).order_by())
                .annotate(due_month=TruncMonth("obligation_due_on")).values("due_month")
                .annotate(overdue=Count("id", filter=Q(obligation_due_on__lt=today)),
                          coming=Count("id", filter=Q(obligation_due_on__gte=today)))
                .order_by("due_month"))
    return Chart(key="obligations", kind="stack", title=_("Conversion obligations per month due"),
                 category_label=_("Month"), categories=[row["due_month"].strftime("%Y-%m") for row in rows],
                 series=[Series(_("Overdue"), [row["overdue"] for row in rows], tone="bad"),
                         Series(_("Due"), [row["coming"] for row in rows], tone="later")],
                 notes=[_("Obligations still open: the project is active and no acceptance found them met.")])
