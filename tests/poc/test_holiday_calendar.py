"""The bureau's holiday calendar (节假日安排): officers enter the years the built-in calendar does not know yet;
each entry is audited; others may neither see nor change it; bad input changes nothing. And the call editor
sets how a call counts its notice."""
from datetime import date

import pytest

from poc.applications.holiday_calendar import add_calendar_day, remove_calendar_day
from poc.applications.holidays import CalendarDay, notice_end_date
from poc.errors import BadInput, NotAllowed
from poc.models import Call, TransitionLog
from tests.factories import CallFactory, InstitutionFactory, applicant_of, officer

from .api_support import API, api_client
from .pages_support import browser, messages_of, text
from .workflow_support import rules_environment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with rules_environment():
        yield


def test_an_officer_enters_a_day_of_a_year_the_package_does_not_know_and_it_is_audited():
    staff = officer()
    entry = add_calendar_day(staff, day=date(2027, 1, 1), kind="holiday", name=" 元旦 ")
    assert (entry.name, entry.recorded_by) == ("元旦", staff)
    log = TransitionLog.objects.for_object(entry).get()
    assert (log.transition, log.target, log.actor) == ("add_calendar_day", "holiday", staff)
    assert notice_end_date(date(2026, 12, 28), 5) == date(2027, 1, 4)

    remove_calendar_day(staff, entry)
    assert not CalendarDay.objects.exists()
    assert [r.transition for r in TransitionLog.objects.order_by("id")] == ["add_calendar_day", "remove_calendar_day"]


def test_a_day_entered_twice_is_refused_and_changes_nothing():
    staff = officer()
    add_calendar_day(staff, day=date(2027, 1, 1), kind="holiday", name="元旦")
    with pytest.raises(BadInput) as refused:
        add_calendar_day(staff, day=date(2027, 1, 1), kind="workday")
    assert refused.value.messages == ["2027-01-01 is already in the holiday calendar; remove it first to change it."]
    assert list(CalendarDay.objects.values_list("kind", flat=True)) == ["holiday"]
    assert TransitionLog.objects.count() == 1


def test_only_officers_edit_the_holiday_calendar():
    applicant = applicant_of(InstitutionFactory())
    with pytest.raises(NotAllowed) as refused:
        add_calendar_day(applicant, day=date(2027, 1, 1), kind="holiday")
    assert refused.value.messages == ["Only bureau officers can edit the holiday calendar."]
    assert not CalendarDay.objects.exists()
    entry = CalendarDay.objects.create(day=date(2027, 1, 1), kind="holiday")
    assert browser(applicant).get("/holiday-calendar/").status_code == 403
    assert browser(applicant).post(f"/holiday-calendar/{entry.pk}/remove/").status_code == 403
    assert CalendarDay.objects.filter(pk=entry.pk).exists()


def test_the_page_lists_entries_by_year_and_takes_new_ones():
    staff = officer()
    client = browser(staff)
    page = text(client.get("/holiday-calendar/"))
    assert "The built-in calendar knows 2004–2026." in page
    response = client.post("/holiday-calendar/", {"day": "2027-02-06", "kind": "workday", "name": "春节"}, follow=True)
    assert messages_of(response) == ["2027-02-06 Make-up working day 春节 is entered."]
    assert "2027-02-06" in text(response)
    bad = client.post("/holiday-calendar/", {"day": "2027-02-06", "kind": "holiday"})
    assert bad.status_code == 400
    assert "2027-02-06 is already in the holiday calendar" in text(bad)
    assert CalendarDay.objects.get().kind == "workday"
    entry = CalendarDay.objects.get()
    client.post(f"/holiday-calendar/{entry.pk}/remove/")
    assert not CalendarDay.objects.exists()


# ---------------------------------------------------------------- the call editor

def test_the_call_editor_sets_how_the_notice_is_counted_through_the_api():
    call = CallFactory(published=False)
    client = api_client(officer())
    response = client.patch(f"{API}/calls/{call.pk}/", {"notice_days": 5, "notice_day_kind": "working"},
                            format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["notice_day_kind"], response.json()["notice_length"]) == ("working", "5 working days")
    bad = client.patch(f"{API}/calls/{call.pk}/", {"notice_day_kind": "lunar"}, format="json")
    assert bad.status_code == 400 and "notice_day_kind" in bad.json()["errors"]
    assert Call.objects.get(pk=call.pk).notice_day_kind == "working"


def test_a_new_call_counts_working_days_unless_the_officer_chooses_calendar_days():
    payload = {"kind": "poc_project", "round": "2027", "title": "2027 PoC", "opens_at": "2027-01-01T09:00:00+08:00",
               "closes_at": "2027-03-31T17:00:00+08:00", "budget": "3000000.00",
               "eligible_institution_types": ["university"]}
    response = api_client(officer()).post(f"{API}/calls/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["notice_day_kind"] == "working"
    assert "notice_day_kind" in text(browser(officer()).get(f"/calls/{response.json()['id']}/edit/"))
