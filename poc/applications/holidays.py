"""公示期: how long a public notice runs, and the one function that says the day it ends.

A call counts its public notice in working days (工作日, the default: "公示期为 5 个工作日") or in calendar
days. Working days follow the official holiday schedule with its make-up working days (调休): the
``chinesecalendar`` package knows the State Council's schedules up to its last release (2004–2026 in
1.11.0); the bureau keeps a table of its own entries (:class:`CalendarDay`, "节假日安排") for the years
the package does not know yet, and for any correction. An entry of the table wins over the package,
day by day; a day neither knows is a working day from Monday to Friday.

The day the notice is published counts as its first day when it is a working day (in calendar mode:
always); N working days end on the N-th working day counted from there, so a notice published on a
holiday starts counting on the next working day.

A year that neither the package nor the table knows (no entry of the table falls in it) has no
answer: :func:`notice_end_date` raises :class:`UnknownCalendarYear`, which says which year to enter
where, and the step that needs the date (proposing, which starts the notice) is refused with that
reason and changes nothing. We do not guess with Monday–Friday: a guessed date would count New Year's
Day or the Spring Festival as working days and shorten the notice, and a notice that ran short has to
be published again. A year counts as known to the table once any of its days is entered, so enter a
year's whole published schedule at once.
"""
from datetime import date, timedelta

import chinese_calendar
from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from poc.errors import NotNow

# How far ahead a notice can reach: 30 working days never span more than this many calendar days.
_HORIZON_DAYS = 120


class NoticeDayKind(models.TextChoices):
    WORKING = "working", _("working days")  # 工作日
    CALENDAR = "calendar", _("calendar days")  # 自然日


class CalendarDay(models.Model):
    """One day of the official holiday schedule entered by the bureau (节假日安排): a day off (放假)
    or a make-up working day (调休上班). It overrides the ``chinesecalendar`` package for that day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (day off)")  # 放假
        WORKDAY = "workday", _("Make-up working day")  # 调休上班

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("holiday"), max_length=60, blank=True,
                            help_text=_("The holiday it belongs to, e.g. 春节."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("holiday calendar entry")
        verbose_name_plural = _("holiday calendar")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.get_kind_display()} {self.name}".strip()


class UnknownCalendarYear(NotNow):
    """The holiday schedule of a year is known neither to the package nor to the bureau's table."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(gettext(
            "The holiday schedule of %(year)s is not known yet, so the end of a notice counted in working days "
            "cannot be computed. An officer enters that year's holidays and make-up working days in the holiday "
            "calendar first.") % {"year": year})


def package_years() -> range:
    """The years the ``chinesecalendar`` package knows."""
    years = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    return range(min(years), max(years) + 1)


class WorkingCalendar:
    """Working days between two dates: the package's schedule with the bureau's entries over it."""

    def __init__(self, start: date, end: date):
        self.entries = {e.day: e.kind for e in CalendarDay.objects.filter(day__gte=start, day__lte=end)}
        self.table_years = {d.year for d in CalendarDay.objects.filter(
            day__year__gte=start.year, day__year__lte=end.year).dates("day", "year")}
        self.known_to_package = package_years()

    def is_working_day(self, day: date) -> bool:
        if day in self.entries:
            return self.entries[day] == CalendarDay.Kind.WORKDAY
        if day.year in self.known_to_package:
            return chinese_calendar.is_workday(day)
        if day.year in self.table_years:
            return day.weekday() < 5
        raise UnknownCalendarYear(day.year)


def notice_end_date(start: date, days: int, kind: str = NoticeDayKind.WORKING) -> date:
    """The last day (inclusive) of a public notice of ``days`` days of ``kind`` published on ``start``.

    Raises :class:`UnknownCalendarYear` (a refusal with its reason) when a working-day notice reaches a year
    whose holiday schedule nobody knows.
    """
    if days < 1:
        raise ValueError("A notice runs at least one day.")
    if kind == NoticeDayKind.CALENDAR:
        return start + timedelta(days=days - 1)
    calendar = WorkingCalendar(start, start + timedelta(days=_HORIZON_DAYS))
    counted, day = 0, start
    while True:
        if calendar.is_working_day(day):
            counted += 1
            if counted == days:
                return day
        day += timedelta(days=1)


def notice_length_label(days: int, kind: str) -> str:
    """"5 working days" / "7 calendar days", as the pages and documents say it."""
    from django.utils.translation import ngettext

    if kind == NoticeDayKind.CALENDAR:
        return ngettext("%(n)s calendar day", "%(n)s calendar days", days) % {"n": days}
    return ngettext("%(n)s working day", "%(n)s working days", days) % {"n": days}
