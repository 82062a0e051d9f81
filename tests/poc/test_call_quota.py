"""限项: how many applications one institution may submit to a call, and one center application per round."""
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from poc.rules import check_transition
from poc.workflow import run_transition
from tests.factories import CallFactory, InstitutionFactory, applicant_of, make_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_project_call_admits_as_many_applications_per_institution_as_its_quota():
    call = CallFactory(kind="poc_project", max_applications_per_institution=2)
    inst = InstitutionFactory(name="温州大学")
    user = applicant_of(inst)
    first, second, third = (make_application(call, inst, created_by=user) for _ in range(3))
    run_transition(first, "submit", user)
    run_transition(second, "submit", user)
    check = check_transition(third, "submit", user)
    assert check.status == 409
    assert check.reasons == [
        f"“温州大学” already has 2 applications in this call (No. {first.number}, {second.number}); "
        "the call admits 2 per institution."
    ]


def test_a_withdrawn_application_frees_its_place_in_the_quota():
    call = CallFactory(kind="poc_project")
    inst = InstitutionFactory()
    user = applicant_of(inst)
    first = make_application(call, inst, created_by=user)
    second = make_application(call, inst, created_by=user)
    run_transition(first, "submit", user)
    assert not check_transition(second, "submit", user).allowed
    run_transition(first, "withdraw", user)
    assert check_transition(second, "submit", user).allowed


def test_one_center_application_per_institution_per_round_across_calls():
    inst = InstitutionFactory(name="温州大学")
    user = applicant_of(inst)
    spring = CallFactory(kind="poc_center", round="2026")
    autumn = CallFactory(kind="poc_center", round="2026")
    next_year = CallFactory(kind="poc_center", round="2027")
    first = make_application(spring, inst, created_by=user)
    run_transition(first, "submit", user)
    again = make_application(autumn, inst, created_by=user)
    check = check_transition(again, "submit", user)
    assert check.status == 409
    assert check.reasons == [
        f"“温州大学” already applied for PoC center status in round 2026 (No. {first.number}); one application "
        "per institution per round."
    ]
    assert check_transition(make_application(next_year, inst, created_by=user), "submit", user).allowed


def test_a_center_call_cannot_admit_more_than_one_application_per_institution():
    call = CallFactory.build(kind="poc_center", max_applications_per_institution=3)
    with pytest.raises(ValidationError) as refused:
        call.full_clean(exclude=["created_by"])
    assert "max_applications_per_institution" in refused.value.message_dict
