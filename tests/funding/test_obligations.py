"""Transfer obligations (转化义务) and registered technology contracts (技术合同认定登记): the ¥2,000,000
actually-received-and-verified threshold of the major-project series, overdue obligations, who registers
(DOMAIN §5). The rules of payments, verification and amendments: tests/funding/test_contracts.py."""
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from funding import contracts as monitoring_services
from funding.figures import received_on_contracts, verified_for_major_series
from funding.models import MAJOR_SERIES_THRESHOLD, ContractPayment, TechContract
from funding.selectors import eligible_for_major_series, overdue_obligations
from poc.errors import BadInput, NotAllowed
from poc.models import Project
from tests.factories import InstitutionFactory, applicant_of, expert, officer
from tests.funding.factories import (
    FundFactory,
    english_and_fast,  # noqa: F401 (a fixture)
    funded_project,
    manager_of,
)
from tests.poc.workflow_support import local_moment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_and_fast")]

D = Decimal


@pytest.fixture(autouse=True)
def _clock():
    # Approved on 2026-05-12; the call's default: a contract within 12 months → due 2027-05-12.
    with time_machine.travel(local_moment(2026, 5, 12, 10, 0), tick=False):
        yield


@pytest.fixture
def project():
    return funded_project()


_numbers = iter(range(1, 10**6))


def register(user, project, **kw):
    fields = {"registration_number": f"3303{next(_numbers):08d}", "parties": "Wenzhou University; Acme Co.",
              "seller_kind": "university", "buyer_kind": "enterprise",
              "contract_amount": D("3000000.00"), "registered_on": date(2026, 5, 1), **kw}
    return monitoring_services.register_contract(user, project, **fields)


def pay(user, contract, amount, on=date(2026, 5, 10)):
    return monitoring_services.record_contract_payment(user, contract, amount=amount, received_on=on)


def pay_verified(user, contract, amount, on=date(2026, 5, 10)):
    """Recorded, then verified by the bureau: what counts toward the threshold."""
    return monitoring_services.verify_payment(officer(), pay(user, contract, amount, on))


# ================================================================================= the ¥2,000,000 threshold

def test_the_threshold_is_two_million_yuan():
    assert MAJOR_SERIES_THRESHOLD == D("2000000.00")


@pytest.mark.parametrize(("payments", "eligible"), [
    ([], False),
    (["1999999.99"], False),                                   # one fen short
    (["2000000.00"], True),                                    # exactly: ≥
    (["2000000.01"], True),
    (["1000000.00", "999999.99"], False),                      # several, one fen short
    (["1000000.00", "600000.00", "400000.00"], True),          # several add up to exactly the threshold
    (["1999999.99", "0.01"], True),                            # the last fen
])
def test_eligibility_counts_what_was_actually_received_and_verified(project, payments, eligible):
    user = applicant_of(project.institution)
    contract = register(user, project)
    for amount in payments:
        pay_verified(user, contract, amount)
    assert received_on_contracts(project) == sum((D(a) for a in payments), D("0"))
    assert verified_for_major_series(project) == received_on_contracts(project)
    assert eligible_for_major_series(project) is eligible


def test_payments_on_several_contracts_add_up_but_the_contract_amount_does_not_count(project):
    off = officer()
    first = register(off, project, contract_amount=D("5000000.00"))
    second = register(off, project, contract_amount=D("5000000.00"))
    assert not eligible_for_major_series(project)  # ¥10M signed, nothing received
    pay_verified(off, first, "1500000.00")
    pay_verified(off, second, "499999.99")
    assert not eligible_for_major_series(project)
    pay_verified(off, second, "0.01")
    assert eligible_for_major_series(project)
    assert first.received == D("1500000.00")


def test_another_projects_contracts_do_not_count(project):
    other = funded_project()
    off = officer()
    pay_verified(off, register(off, other), "2000000.00")
    assert not eligible_for_major_series(project)
    assert eligible_for_major_series(other)


def test_a_payment_is_positive(project):
    off = officer()
    contract = register(off, project)
    for amount, message in (("0", "A payment must be positive."), ("-1.00", "“amount” cannot be negative.")):
        with pytest.raises(BadInput) as refused:
            pay(off, contract, amount)
        assert refused.value.messages == [message]
    assert not ContractPayment.objects.exists()


# ================================================================================================ overdue

def test_the_obligation_is_fixed_at_approval(project):
    assert (project.approved_on, project.obligation_due_on) == (date(2026, 5, 12), date(2027, 5, 12))


def test_an_obligation_past_due_without_a_contract_is_overdue(project):
    assert list(overdue_obligations(date(2027, 5, 12))) == []          # the due day itself: not yet
    assert list(overdue_obligations(date(2027, 5, 13))) == [project]
    with time_machine.travel(local_moment(2027, 5, 13), tick=False):
        assert list(overdue_obligations()) == [project]               # today, on the bureau's clock


def test_an_obligation_with_a_registered_contract_is_not_overdue(project):
    with time_machine.travel(local_moment(2027, 6, 1), tick=False):
        register(applicant_of(project.institution), project, registered_on=date(2027, 5, 20))
    assert list(overdue_obligations(date(2027, 6, 1))) == []


def test_a_contract_not_registered_yet_leaves_the_obligation_overdue(project):
    register(applicant_of(project.institution), project, registration_number="", registered_on=None)
    assert list(overdue_obligations(date(2027, 6, 1))) == [project]


def test_a_terminated_project_has_no_overdue_obligation(project):
    Project.objects.filter(pk=project.pk).update(state="terminated")
    assert list(overdue_obligations(date(2027, 6, 1))) == []


def test_only_projects_past_their_own_due_date():
    early, late = funded_project(), funded_project()
    Project.objects.filter(pk=late.pk).update(obligation_due_on=date(2027, 12, 31))
    assert list(overdue_obligations(date(2027, 6, 1))) == [early]


# ============================================================================================ who registers

def test_the_institution_or_an_officer_registers_contracts(project):
    member = applicant_of(project.institution)
    by_member = register(member, project)
    by_officer = register(officer(), project)
    assert (by_member.recorded_by, by_officer.recorded_by.groups.filter(name="officer").exists()) == (member, True)
    assert pay(member, by_member, "1000.00").amount == D("1000.00")


@pytest.mark.parametrize("who", ["applicant of another institution", "fund manager", "expert"])
def test_nobody_else_registers_a_contract_or_records_a_payment(project, who):
    user = {"applicant of another institution": lambda: applicant_of(InstitutionFactory()),
            "fund manager": lambda: manager_of(FundFactory()),
            "expert": expert}[who]()
    with pytest.raises(NotAllowed) as refused:
        register(user, project)
    assert refused.value.messages == ["Only the project's institution or a bureau officer can register a contract."]
    contract = register(officer(), project)
    with pytest.raises(NotAllowed) as refused:
        pay(user, contract, "1000.00")
    assert refused.value.messages == ["Only the project's institution or a bureau officer can record a payment."]
    assert TechContract.objects.count() == 1
    assert not ContractPayment.objects.exists()


def test_a_registration_number_is_registered_once(project):
    off = officer()
    register(off, project, registration_number="330300000001")
    with pytest.raises(BadInput) as refused:
        register(off, project, registration_number="330300000001")
    assert refused.value.field_errors == {"registration_number": ["Already recorded."]}
    assert TechContract.objects.filter(registration_number="330300000001").count() == 1
