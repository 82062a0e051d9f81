import pytest

from poc.rules import check_transition
from poc.workflow import run_transition
from tests.factories import CallFactory, InstitutionFactory, applicant_of, make_application, officer

pytestmark = pytest.mark.django_db


def test_submit_then_formal_check():
    inst = InstitutionFactory()
    user = applicant_of(inst)
    app = make_application(CallFactory(), inst, created_by=user)
    check = check_transition(app, "submit", user)
    assert check.allowed, check.reasons
    app = run_transition(app, "submit", user)
    assert app.state == "submitted"
    off = officer()
    app = run_transition(app, "accept_for_review", off)
    assert app.state == "under_review"
    check = check_transition(app, "close_review", off)
    assert check.status == 409
    print(check.reasons)
