"""公示期 in working days: the official holiday schedule with its make-up working days (调休), the bureau's own
entries for years the package does not know, and calendar days where a call asks for them."""
from datetime import date

import pytest
import time_machine

from poc.applications.holidays import CalendarDay, UnknownCalendarYear, notice_end_date
from poc.documents.poc_documents.notices import public_notice_content
from poc.errors import NotNow
from poc.models import Application, TransitionLog
from poc.workflow import run_transition
from tests.factories import CallFactory, make_application, officer

from .workflow_support import local_moment, rules_environment

pytestmark = pytest.mark.django_db

WORKING, CALENDAR = "working", "calendar"


@pytest.fixture(autouse=True)
def english():
    with rules_environment():
        yield


def test_a_five_working_day_notice_from_30_september_2026_ends_on_12_october():
    """The State Council's 2026 schedule, as the chinesecalendar package (1.11.0) has it: National Day and the week
    after it are off from Thursday 1 October to Wednesday 7 October, and Saturday 10 October is a make-up working
    day (调休). Published on Wednesday 30 September, the notice counts 30 Sep (1), then nothing until
    Thu 8 Oct (2), Fri 9 Oct (3), Sat 10 Oct (4, the make-up day), Sunday 11 Oct off, Mon 12 Oct (5)."""
    assert notice_end_date(date(2026, 9, 30), 5, WORKING) == date(2026, 10, 12)


def test_the_same_notice_in_calendar_days_ends_on_its_fifth_day():
    assert notice_end_date(date(2026, 9, 30), 5, CALENDAR) == date(2026, 10, 4)


def test_a_make_up_saturday_counts_as_a_working_day():
    """Saturday 9 May 2026 is worked for the Labour Day holiday: a notice from Wednesday 6 May counts
    6, 7, 8, 9 (Saturday) and Monday 11 May. Without the make-up day it would end on Tuesday 12 May."""
    assert notice_end_date(date(2026, 5, 6), 5, WORKING) == date(2026, 5, 11)
    # Saturday 14 February 2026 (before the Spring Festival) is one too: a notice can end on it.
    assert notice_end_date(date(2026, 2, 12), 3, WORKING) == date(2026, 2, 14)


def test_a_notice_published_on_a_holiday_starts_counting_on_the_next_working_day():
    assert notice_end_date(date(2026, 10, 1), 1, WORKING) == date(2026, 10, 8)
    assert notice_end_date(date(2026, 10, 3), 2, WORKING) == date(2026, 10, 9)


def test_an_ordinary_week_skips_the_weekend():
    assert notice_end_date(date(2026, 12, 3), 5, WORKING) == date(2026, 12, 9)


def test_the_bureaus_entry_corrects_the_package_for_its_day():
    CalendarDay.objects.create(day=date(2026, 10, 8), kind=CalendarDay.Kind.HOLIDAY, name="更正示例")
    assert notice_end_date(date(2026, 9, 30), 5, WORKING) == date(2026, 10, 13)


def test_a_year_beyond_the_package_follows_the_bureaus_entries():
    """The package knows no 2027. The entries below are made up for the test (not the real 2027 schedule): New
    Year's Day off on Friday 1 January and Saturday 9 January worked. Other 2027 days count Monday to Friday."""
    CalendarDay.objects.create(day=date(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    CalendarDay.objects.create(day=date(2027, 1, 9), kind=CalendarDay.Kind.WORKDAY, name="测试调休")
    # Mon 28 Dec – Thu 31 Dec 2026 (4 days, the package), Fri 1 Jan off (entry), Mon 4 Jan (5).
    assert notice_end_date(date(2026, 12, 28), 5, WORKING) == date(2027, 1, 4)
    # Mon 4 – Fri 8 Jan (5), Sat 9 Jan worked (6).
    assert notice_end_date(date(2027, 1, 4), 6, WORKING) == date(2027, 1, 9)


def test_a_year_nobody_knows_is_a_clear_refusal_not_a_guess():
    with pytest.raises(UnknownCalendarYear) as unknown:
        notice_end_date(date(2026, 12, 28), 5, WORKING)
    assert unknown.value.messages == [
        "The holiday schedule of 2027 is not known yet, so the end of a notice counted in working days cannot be "
        "computed. An officer enters that year's holidays and make-up working days in the holiday calendar first."]
    assert isinstance(unknown.value, NotNow)
    # In calendar days, no schedule is needed.
    assert notice_end_date(date(2026, 12, 28), 5, CALENDAR) == date(2027, 1, 1)
    # A notice that ends before the unknown year is fine.
    assert notice_end_date(date(2026, 12, 28), 4, WORKING) == date(2026, 12, 31)


# ----------------------------------------------------------- through the workflow

def reviewed_center(kind=WORKING, days=5):
    call = CallFactory(kind="poc_center", notice_day_kind=kind, notice_days=days)
    return make_application(call, state="reviewed")


def test_proposing_starts_a_working_day_notice_that_ends_as_the_calendar_says():
    app = reviewed_center()
    with time_machine.travel(local_moment(2026, 9, 30), tick=False):
        app = run_transition(app, "propose", officer(), "")
    assert (app.state, app.notice_starts_on, app.notice_ends_on) == ("public_notice", date(2026, 9, 30),
                                                                     date(2026, 10, 12))


def test_proposing_a_calendar_day_notice_counts_every_day():
    app = reviewed_center(kind=CALENDAR)
    with time_machine.travel(local_moment(2026, 9, 30), tick=False):
        app = run_transition(app, "propose", officer(), "")
    assert app.notice_ends_on == date(2026, 10, 4)


def test_proposing_into_an_unknown_year_is_refused_with_the_reason_and_changes_nothing():
    app = reviewed_center()
    with time_machine.travel(local_moment(2026, 12, 28), tick=False):
        with pytest.raises(NotNow) as refused:
            run_transition(app, "propose", officer(), "")
    assert "The holiday schedule of 2027 is not known yet" in refused.value.messages[0]
    app.refresh_from_db()
    assert (app.state, app.notice_starts_on, app.notice_ends_on) == ("reviewed", None, None)
    assert not TransitionLog.objects.for_object(app).exists()


def test_once_the_bureau_enters_the_year_the_proposal_goes_through():
    CalendarDay.objects.create(day=date(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    app = reviewed_center()
    with time_machine.travel(local_moment(2026, 12, 28), tick=False):
        app = run_transition(app, "propose", officer(), "")
    assert app.notice_ends_on == date(2027, 1, 4)


def test_approval_waits_for_the_last_working_day_of_the_notice():
    app = reviewed_center()
    staff = officer()
    with time_machine.travel(local_moment(2026, 9, 30), tick=False):
        app = run_transition(app, "propose", staff, "")
    with time_machine.travel(local_moment(2026, 10, 12), tick=False):
        with pytest.raises(NotNow) as refused:
            run_transition(app, "approve", staff, "")
    assert refused.value.messages == [
        "The public notice runs until 2026-10-12 (inclusive); approval is possible from 2026-10-13."]
    with time_machine.travel(local_moment(2026, 10, 13), tick=False):
        assert run_transition(app, "approve", staff, "").state == "approved"


# ------------------------------------------------------------ where it is shown

def test_the_public_notice_states_its_length_and_last_day():
    app = reviewed_center()
    with time_machine.travel(local_moment(2026, 9, 30), tick=False):
        run_transition(app, "propose", officer(), "")
        content, listed = public_notice_content(app.call)
    assert [a.pk for a in listed] == [app.pk]
    assert "公示期为2026年9月30日至2026年10月12日（5 个工作日）" in content["intro"][1]
    assert content["rows"][0][-1] == "2026年10月12日"


def test_the_application_page_shows_the_notice_period_and_its_length():
    from .pages_support import browser, text

    app = reviewed_center()
    staff = officer()
    with time_machine.travel(local_moment(2026, 9, 30), tick=False):
        app = run_transition(app, "propose", staff, "")
        page = text(browser(staff).get(f"/applications/{app.pk}/"))
    assert "2026-09-30 – 2026-10-12" in page
    assert "5 working days; objections until the last day inclusive" in page


def test_the_call_page_says_how_the_notice_is_counted():
    from .pages_support import browser, text

    call = CallFactory(notice_day_kind=WORKING, notice_days=5)
    assert "5 working days" in text(browser(officer()).get(f"/calls/{call.pk}/"))
    call = CallFactory(notice_day_kind=CALENDAR, notice_days=7)
    assert "7 calendar days" in text(browser(officer()).get(f"/calls/{call.pk}/"))


def test_a_call_counts_in_working_days_unless_it_says_otherwise():
    from poc.models import Call

    assert Call._meta.get_field("notice_day_kind").default == WORKING
    assert Application.objects.count() == 0


def test_the_demo_shows_a_working_day_notice_and_an_objection_not_accepted():
    import io

    from django.core.management import call_command

    from poc.models import Objection

    call_command("seed_demo", stdout=io.StringIO())
    in_notice = Application.objects.get(state="public_notice", call__notice_day_kind=WORKING)
    assert in_notice.call.notice_length == "5 working days"
    assert in_notice.notice_ends_on == in_notice.call.notice_end(in_notice.notice_starts_on)
    [refused] = Objection.objects.filter(application=in_notice)
    assert (refused.accepted, refused.signed) == (False, False)
    assert "anonymous" in refused.resolution_comment and "after the notice ended" in refused.resolution_comment
    examined = Application.objects.get(state="objection")
    assert [o.accepted for o in examined.objections.all()] == [True]
