"""公示异议: an objection is written and signed (实名), received on a real date; refusals change nothing."""
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from poc.errors import BadInput
from poc.models import Objection, TransitionLog
from poc.workflow import run_transition
from tests.factories import CallFactory, make_application, officer

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
    assert refused.value.messages == ["An objection is recorded with the name of the person or body who made it."]
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
    app = run_transition(app, "record_objection", staff, "The site is rented.", objector=" 李某 ", received_on=today)
    assert app.state == "objection"
    objection = Objection.objects.get(application=app)
    assert (objection.objector, objection.received_on, objection.content, objection.recorded_by) == (
        "李某", today, "The site is rented.", staff)
