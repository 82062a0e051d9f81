"""The bureau's holiday calendar (节假日安排): entries for the years the ``chinesecalendar`` package does not
know yet, and corrections. Officers add and remove them; each change is audited."""
from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from poc.access import require
from poc.errors import BadInput
from poc.models import TransitionLog

from .holidays import CalendarDay, package_years


def _describe(entry) -> str:
    return f"{entry.day.isoformat()} {entry.get_kind_display()} {entry.name}".strip()


@transaction.atomic
def add_calendar_day(user, *, day, kind, name="") -> CalendarDay:
    require(user, "change", CalendarDay)
    if kind not in CalendarDay.Kind.values:
        raise BadInput(_("Choose whether the day is a holiday or a make-up working day."),
                       field_errors={"kind": [_("Required.")]})
    if CalendarDay.objects.filter(day=day).exists():
        raise BadInput(_("%(day)s is already in the holiday calendar; remove it first to change it.")
                       % {"day": formats.date_format(day, "Y-m-d")}, field_errors={"day": [_("Already entered.")]})
    try:
        with transaction.atomic():
            entry = CalendarDay.objects.create(day=day, kind=kind, name=(name or "").strip(), recorded_by=user)
    except IntegrityError:
        raise BadInput(_("%(day)s is already in the holiday calendar; remove it first to change it.")
                       % {"day": formats.date_format(day, "Y-m-d")}) from None
    TransitionLog.objects.create(subject=entry, transition="add_calendar_day", source="", target=kind, actor=user,
                                 comment=_describe(entry))
    return entry


@transaction.atomic
def remove_calendar_day(user, entry: CalendarDay) -> None:
    require(user, "change", entry)
    TransitionLog.objects.create(subject=entry, transition="remove_calendar_day", source=entry.kind, target="",
                                 actor=user, comment=_describe(entry))
    entry.delete()


def calendar_overview() -> dict:
    """What the holiday-calendar page shows: the package's years and the bureau's entries by year."""
    years = package_years()
    entries = list(CalendarDay.objects.select_related("recorded_by"))
    by_year: dict[int, list] = {}
    for entry in entries:
        by_year.setdefault(entry.day.year, []).append(entry)
    return {"package_first": years.start, "package_last": years.stop - 1,
            "years": [{"year": y, "entries": by_year[y], "overrides_package": y in years} for y in sorted(by_year)]}
