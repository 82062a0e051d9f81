"""poc's charts of one call (the officer's per-call dashboard): where its applications are, and when they came."""
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from poc.applications import selectors
from poc.models import ApplicationState

from .chart import Chart, Series


def applications_by_state(user, context) -> Chart:
    """The funnel: how many of the call's applications are in each state now, in workflow order."""
    call = context["call"]
    counts = dict(selectors.applications_visible_to(user).filter(call=call)
                  .values_list("state").annotate(n=Count("id")).order_by())
    # A call that asks for no district recommendation has no "recommended" step to count.
    states = [(value, label) for value, label in ApplicationState.choices
              if value != ApplicationState.RECOMMENDED or call.requires_district_recommendation]
    return Chart(
        key="states", kind="hbar", title=_("Applications by state"), category_label=_("State"),
        categories=[str(label) for _value, label in states],
        series=[Series(_("Number of applications"), [counts.get(value, 0) for value, _label in states])],
        notes=[_("The number of applications in each state now, in the order of the workflow.")])


def submissions_per_day(user, context) -> Chart:
    """Submissions per day (the latest submission of each application), with the call's deadline."""
    call = context["call"]
    rows = list(selectors.applications_visible_to(user).filter(call=call, submitted_at__isnull=False)
                .annotate(day=TruncDate("submitted_at")).values_list("day").annotate(n=Count("id"))
                .order_by("day"))
    days = [day for day, _n in rows]
    per_day = [n for _day, n in rows]
    running, cumulative = 0, []
    for n in per_day:
        running += n
        cumulative.append(running)
    deadline = timezone.localtime(call.closes_at).date()
    return Chart(
        key="submissions", kind="time", title=_("Submissions per day"), category_label=_("Day"),
        categories=days,
        series=[Series(_("Submitted that day"), per_day), Series(_("Submitted in all"), cumulative, kind="line")],
        mark_date=(deadline, _("Deadline %(date)s") % {"date": deadline.isoformat()}),
        notes=[_("Deadline: %(date)s.") % {"date": deadline.isoformat()},
               _("An application resubmitted after a return counts on the day of its latest submission.")])
