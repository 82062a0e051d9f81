"""公示异议: every objection received is recorded; only one signed with a real name (实名) and a contact, received
within the notice (its last day inclusive), is accepted and puts the application under examination. Others are
kept as not accepted (不予受理) with the reason and change nothing else. Bad input is refused and changes nothing."""
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone, translation

from poc.errors import BadInput, NotNow
from poc.models import Objection, TransitionLog
from poc.workflow import run_transition
from tests.factories import CallFactory, make_application, officer

from .workflow_support import local_moment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def in_notice():
    return make_application(CallFactory(kind="poc_center"), state="public_notice")


def test_an_objection_without_the_objectors_name_is_refused_and_changes_nothing():
    app = in_notice()
    with pytest.raises(BadInput) as refused:
        run_transition(app, "record_objection", officer(), "The site is rented.", objector="  ")
    assert refused.value.messages == ["A signed objection is recorded with the name of the person or body who made it."]
    app.refresh_from_db()
    assert app.state == "public_notice"
    assert not Objection.objects.exists()
    assert not TransitionLog.objects.for_object(app).exists()


def test_an_objection_received_in_the_future_is_refused():
    app = in_notice()
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(BadInput) as refused:
        run_transition(app, "record_objection", officer(), "The site is rented.", objector="李某", received_on=tomorrow)
    assert refused.value.messages == ["An objection cannot be received in the future."]
    app.refresh_from_db()
    assert app.state == "public_notice"


def test_a_signed_objection_is_recorded_with_its_author_and_date():
    app = in_notice()
    staff = officer()
    today = timezone.localdate()
    app = run_transition(app, "record_objection", staff, "The site is rented.", objector=" 李某 ",
                         contact=" 13800000000 ", received_on=today)
    assert app.state == "objection"
    objection = Objection.objects.get(application=app)
    assert (objection.objector, objection.received_on, objection.content, objection.recorded_by) == (
        "李某", today, "The site is rented.", staff)


# ------------------------------------------- 受理 or 不予受理, as the public notice announces

NOTICE_START, LAST_DAY, DAY_AFTER = date(2026, 9, 30), date(2026, 10, 12), date(2026, 10, 13)


def notice_over_national_day():
    """A center in a 5-working-day notice from 30 September 2026: its last day is 12 October."""
    app = make_application(CallFactory(kind="poc_center", notice_day_kind="working", notice_days=5), state="reviewed")
    with time_machine.travel(local_moment(2026, 9, 30), tick=False):
        app = run_transition(app, "propose", officer(), "")
    assert (app.notice_starts_on, app.notice_ends_on) == (NOTICE_START, LAST_DAY)
    return app


def record_on(moment_day, app, **details):
    details = {"objector": "李某", "contact": "13800000000", "signed": True, **details}
    with time_machine.travel(local_moment(moment_day.year, moment_day.month, moment_day.day), tick=False):
        return run_transition(app, "record_objection", officer(), "The site is rented.", **details)


def unchanged(app, before):
    app.refresh_from_db()
    assert (app.state, app.notice_starts_on, app.notice_ends_on, app.open_objection()) == before
    log = TransitionLog.objects.for_object(app).latest("id")
    assert (log.transition, log.source, log.target) == ("record_objection", "public_notice", "public_notice")


def test_a_signed_objection_with_a_contact_received_on_the_notices_last_day_is_accepted():
    app = record_on(DAY_AFTER, notice_over_national_day(), received_on=LAST_DAY)
    assert app.state == "objection"
    objection = Objection.objects.get(application=app)
    assert objection.accepted and objection.resolution == "" and app.open_objection() == objection


def test_an_objection_received_the_day_after_the_notice_is_recorded_as_not_accepted_and_changes_nothing():
    app = notice_over_national_day()
    before = (app.state, app.notice_starts_on, app.notice_ends_on, None)
    app = record_on(DAY_AFTER, app, received_on=DAY_AFTER)
    unchanged(app, before)
    objection = Objection.objects.get(application=app)
    assert not objection.accepted and objection.resolution == "not_accepted"
    assert objection.resolution_comment == "it was received on 2026-10-13, after the notice ended on 2026-10-12"
    assert (objection.objector, objection.contact, objection.received_on) == ("李某", "13800000000", DAY_AFTER)
    # The notice is over and nothing stands in the way of approval.
    with time_machine.travel(local_moment(2026, 10, 13), tick=False):
        assert run_transition(app, "approve", officer(), "").state == "approved"


def test_an_anonymous_objection_is_recorded_as_not_accepted():
    app = notice_over_national_day()
    before = (app.state, app.notice_starts_on, app.notice_ends_on, None)
    app = record_on(date(2026, 10, 9), app, objector="", contact="", signed=False, received_on=date(2026, 10, 9))
    unchanged(app, before)
    objection = Objection.objects.get(application=app)
    assert (objection.accepted, objection.signed, objection.objector) == (False, False, "")
    assert objection.resolution_comment == "it is anonymous: not signed with the objector's real name"


def test_a_signed_objection_without_a_contact_is_not_accepted():
    app = notice_over_national_day()
    before = (app.state, app.notice_starts_on, app.notice_ends_on, None)
    app = record_on(date(2026, 10, 9), app, contact="  ", received_on=date(2026, 10, 9))
    unchanged(app, before)
    assert Objection.objects.get(application=app).resolution_comment == (
        "it gives no contact (phone or address) of the objector")


def test_an_anonymous_late_objection_gives_both_reasons():
    app = record_on(DAY_AFTER, notice_over_national_day(), objector="", signed=False, received_on=DAY_AFTER)
    assert app.state == "public_notice"
    assert Objection.objects.get(application=app).resolution_comment == (
        "it is anonymous: not signed with the objector's real name; "
        "it was received on 2026-10-13, after the notice ended on 2026-10-12")


def test_a_not_accepted_objection_leaves_nothing_to_dismiss_or_uphold():
    app = record_on(DAY_AFTER, notice_over_national_day(), received_on=DAY_AFTER)
    with time_machine.travel(local_moment(2026, 10, 13), tick=False):
        with pytest.raises(NotNow):
            run_transition(app, "dismiss_objection", officer(), "Late.")
    # A later, admissible objection still moves the application (received within the notice, recorded late).
    app = record_on(DAY_AFTER, app, received_on=date(2026, 10, 8))
    assert app.state == "objection"
    assert [o.accepted for o in Objection.objects.filter(application=app).order_by("id")] == [False, True]


# ---------------------------------------------------------------- page and API

def test_the_officers_page_says_the_objection_was_not_accepted_and_why():
    from .pages_support import browser, messages_of, text

    app = notice_over_national_day()
    client = browser(officer())
    with time_machine.travel(local_moment(2026, 10, 13), tick=False):
        response = client.post(f"/applications/{app.pk}/steps/record_objection/", {
            "record_objection-comment": "The site is rented.", "record_objection-objector": "",
            "record_objection-received_on": "2026-10-13"}, follow=True)
        page = text(client.get(f"/applications/{app.pk}/"))
    assert messages_of(response) == [
        "The objection is recorded as not accepted (不予受理) because it is anonymous: not signed with the "
        "objector's real name; it was received on 2026-10-13, after the notice ended on 2026-10-12. The "
        "application's state is unchanged."]
    app.refresh_from_db()
    assert app.state == "public_notice"
    assert "Recorded as not accepted (不予受理) because it is anonymous" in page


def test_the_officers_page_says_an_accepted_objection_is_under_examination():
    from .pages_support import browser, messages_of

    app = notice_over_national_day()
    with time_machine.travel(local_moment(2026, 10, 12), tick=False):
        response = browser(officer()).post(f"/applications/{app.pk}/steps/record_objection/", {
            "record_objection-comment": "The site is rented.", "record_objection-objector": "李某",
            "record_objection-contact": "13800000000", "record_objection-signed": "on",
            "record_objection-received_on": "2026-10-12"}, follow=True)
    assert messages_of(response) == ["The objection is accepted: the application is now under examination."]
    app.refresh_from_db()
    assert app.state == "objection"


def test_through_the_api_a_late_objection_is_kept_as_not_accepted_and_the_applicant_never_learns_who():
    from tests.factories import applicant_of

    from .api_support import api_client, app_url

    app = notice_over_national_day()
    with time_machine.travel(local_moment(2026, 10, 14), tick=False):
        response = api_client(officer()).post(app_url(app, "transitions", "record_objection"), {
            "comment": "The IP list omits a co-owner.", "objector": "某某公司", "contact": "0577-88886666",
            "received_on": "2026-10-13"}, format="json")
        assert response.status_code == 200, response.json()
        body = response.json()
        applicant_view = api_client(applicant_of(app.institution)).get(app_url(app)).json()
    assert body["state"] == "public_notice" and body["notice_ends_on"] == "2026-10-12"
    [objection] = body["objections"]
    assert (objection["accepted"], objection["resolution"], objection["objector"], objection["contact"]) == (
        False, "not_accepted", "某某公司", "0577-88886666")
    assert objection["reason"] == "it was received on 2026-10-13, after the notice ended on 2026-10-12"
    [seen] = applicant_view["objections"]
    assert (seen["objector"], seen["contact"], seen["accepted"]) == (None, None, False)
