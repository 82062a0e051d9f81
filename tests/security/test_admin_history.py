"""The admin never rewrites or deletes the programme's history: records that carry it are read-only and cannot
be deleted there; an application with history cannot be deleted; a fresh draft still can."""
import pytest
from django.test import Client
from django.urls import reverse

from poc.models import Application, Center, Objection, TransitionLog
from poc.workflow import run_transition
from tests.factories import InstitutionFactory, UserFactory, make_application, officer
from tests.poc.after_approval_factories import make_center
from tests.poc.workflow_support import open_objection

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def url(obj, view):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


def test_an_objection_cannot_be_deleted_or_edited(admin_client):
    objection = open_objection(make_application(state="objection"))
    assert admin_client.get(url(objection, "delete")).status_code == 403
    assert admin_client.post(url(objection, "delete"), {"post": "yes"}).status_code == 403
    assert admin_client.post(url(objection, "change"), {"objector": "someone else"}).status_code == 403
    assert Objection.objects.get(pk=objection.pk).objector == "王某"
    assert admin_client.get(url(objection, "change")).status_code == 200  # still readable


def test_a_centers_designation_cannot_be_changed_or_deleted(admin_client):
    center = make_center()
    before = (center.designation_number, center.valid_until, center.revoked_on, center.subsidy_recovery)
    assert admin_client.post(url(center, "change"), {"designation_number": "FORGED-1", "valid_until": "2099-12-31",
                                                     "subsidy_recovery": "on"}).status_code == 403
    assert admin_client.post(url(center, "delete"), {"post": "yes"}).status_code == 403
    center = Center.objects.get(pk=center.pk)
    assert (center.designation_number, center.valid_until, center.revoked_on, center.subsidy_recovery) == before


def test_the_audit_trail_cannot_be_deleted(admin_client):
    application = make_application(state="submitted")
    run_transition(application, "accept_for_review", officer(), "")
    row = TransitionLog.objects.for_object(application).first()
    assert admin_client.post(url(row, "delete"), {"post": "yes"}).status_code == 403
    assert TransitionLog.objects.filter(pk=row.pk).exists()


def test_an_application_with_history_cannot_be_deleted_and_a_fresh_draft_can(admin_client):
    submitted = make_application(state="submitted")
    assert admin_client.get(url(submitted, "delete")).status_code == 403
    assert admin_client.post(url(submitted, "delete"), {"post": "yes"}).status_code == 403
    assert Application.objects.filter(pk=submitted.pk).exists()

    changelist = admin_client.get(reverse("admin:poc_application_changelist"))
    assert "delete_selected" not in changelist.content.decode()

    draft = make_application(institution=InstitutionFactory())
    assert admin_client.post(url(draft, "delete"), {"post": "yes"}).status_code == 302
    assert not Application.objects.filter(pk=draft.pk).exists()
