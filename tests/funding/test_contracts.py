"""Technology contracts count only what was really received, and verified (issue §6).

A payment is never dated after today on the bureau's clock (Asia/Shanghai); a contract's receipts never exceed
its amount (an amendment with a reason changes the amount, in the audit trail); only payments a bureau officer
verified, on a registered 产学研 contract (university or institute with an enterprise), count toward the
¥2,000,000.00 of the municipal major-project series; the verification that reaches it flags the project and tells
the officers. Every refusal changes nothing.
"""
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from funding import contracts
from funding import selectors as funding_selectors
from funding.figures import received_on_contracts, verified_for_major_series
from funding.models import ContractPayment, ContractState, MajorSeriesCandidate, PaymentState, TechContract
from funding.selectors import eligible_for_major_series
from poc.errors import BadInput, NotAllowed, NotNow
from poc.models import Notification, TransitionLog
from poc.notifications.fanout import fan_out
from tests.factories import InstitutionFactory, applicant_of, officer
from tests.funding.factories import (
    FundFactory,
    english_and_fast,  # noqa: F401 (a fixture)
    funded_project,
    manager_of,
)
from tests.poc.workflow_support import local_moment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_and_fast")]

D = Decimal
TODAY = date(2026, 5, 12)


@pytest.fixture(autouse=True)
def _clock():
    # Half past midnight in Wenzhou on 12 May is still 11 May in UTC: "today" is the bureau's local date.
    with time_machine.travel(local_moment(2026, 5, 12, 0, 30), tick=False):
        yield


@pytest.fixture
def project():
    return funded_project()


@pytest.fixture
def member(project):
    return applicant_of(project.institution)


_numbers = iter(range(1, 10**6))


def contract_of(project, user=None, **kw):
    fields = {"registration_number": f"3303{next(_numbers):08d}", "parties": "温州大学 / 温州固态电池有限公司",
              "seller_kind": "university", "buyer_kind": "enterprise", "contract_amount": D("3000000.00"),
              "registered_on": date(2026, 5, 1), **kw}
    return contracts.register_contract(user or officer(), project, **fields)


def pay(user, contract, amount, on=date(2026, 5, 10)):
    return contracts.record_contract_payment(user, contract, amount=amount, received_on=on)


def snapshot():
    return (list(ContractPayment.objects.values_list("pk", "amount", "state")),
            list(TechContract.objects.values_list("pk", "contract_amount", "state", "registration_number")),
            TransitionLog.objects.count(), MajorSeriesCandidate.objects.count())


# ============================================================================ a payment is never in the future

def test_a_payment_dated_today_on_the_bureaus_clock_is_recorded(project, member):
    payment = pay(member, contract_of(project), "1000.00", on=TODAY)
    assert (payment.received_on, payment.state) == (TODAY, PaymentState.RECORDED)


def test_a_payment_dated_tomorrow_is_refused_and_changes_nothing(project, member):
    contract = contract_of(project)
    before = snapshot()
    with pytest.raises(BadInput) as refused:
        pay(member, contract, "1000.00", on=date(2026, 5, 13))
    assert refused.value.messages == ["A payment cannot be dated in the future (today is 2026-05-12)."]
    assert snapshot() == before


def test_a_registration_dated_tomorrow_is_refused(project):
    with pytest.raises(BadInput):
        contract_of(project, registered_on=date(2026, 5, 13))
    assert not TechContract.objects.exists()


# ====================================================== cumulative received never exceeds the contract amount

def test_receipts_may_reach_exactly_the_contract_amount(project, member):
    contract = contract_of(project, contract_amount=D("1000000.00"))
    pay(member, contract, "600000.00")
    pay(member, contract, "400000.00")
    assert contract.received == D("1000000.00")


def test_one_fen_above_the_contract_amount_is_refused_and_changes_nothing(project, member):
    contract = contract_of(project, contract_amount=D("1000000.00"))
    pay(member, contract, "1000000.00")
    before = snapshot()
    with pytest.raises(BadInput) as refused:
        pay(member, contract, "0.01")
    assert refused.value.messages == [
        "¥0.01 would take the contract's receipts to ¥1,000,000.01, above its amount ¥1,000,000.00; at most ¥0.00 "
        "can still be received (amend the contract if its amount changed)."]
    assert snapshot() == before


def test_a_refused_payment_is_not_received_and_leaves_room_for_the_real_one(project, member):
    contract = contract_of(project, contract_amount=D("1000000.00"))
    wrong = pay(member, contract, "1000000.00")
    contracts.refuse_payment(officer(), wrong, "The bank statement shows ¥100,000.00.")
    assert contract.received == D("0")
    assert pay(member, contract, "100000.00").amount == D("100000.00")


# ================================================================================ an amended contract, audited

def test_an_amendment_records_the_new_amount_with_its_reason_in_the_audit_trail(project, member):
    contract = contract_of(project, contract_amount=D("1000000.00"))
    pay(member, contract, "1000000.00")
    amended = contracts.amend_contract(member, contract, contract_amount="1500000.00",
                                       reason="Supplementary agreement of 2026-05-11")
    assert amended.contract_amount == D("1500000.00")
    log = TransitionLog.objects.for_object(contract).get(transition="amend")
    assert log.comment == "Contract amount ¥1,000,000.00 → ¥1,500,000.00: Supplementary agreement of 2026-05-11"
    assert log.actor == member
    assert pay(member, contract, "500000.00").amount == D("500000.00")  # within the amended amount


@pytest.mark.parametrize(("amount", "reason", "message"), [
    ("1500000.00", "", "“Amend the contract amount” needs a reason: please write a comment."),
    ("999999.99", "lower", "The amended amount ¥999,999.99 is below the ¥1,000,000.00 already received on the "
                           "contract."),
    ("1000000.00", "same", "The amended amount is the contract's amount already."),
])
def test_an_amendment_without_a_reason_or_below_what_was_received_is_refused(project, member, amount, reason,
                                                                              message):
    contract = contract_of(project, contract_amount=D("1000000.00"))
    pay(member, contract, "1000000.00")
    before = snapshot()
    with pytest.raises(BadInput) as refused:
        contracts.amend_contract(member, contract, contract_amount=amount, reason=reason)
    assert refused.value.messages == [message]
    assert snapshot() == before


# ========================================================================= only verified payments count

def test_an_unverified_payment_does_not_count(project, member):
    contract = contract_of(project)
    pay(member, contract, "2000000.00")
    assert received_on_contracts(project) == D("2000000.00")
    assert verified_for_major_series(project) == D("0")
    assert not eligible_for_major_series(project)


@pytest.mark.parametrize(("amount", "eligible"), [("1999999.99", False), ("2000000.00", True)])
def test_the_threshold_is_two_million_verified(project, member, amount, eligible):
    payment = pay(member, contract_of(project), amount)
    contracts.verify_payment(officer(), payment)
    assert eligible_for_major_series(project) is eligible
    assert MajorSeriesCandidate.objects.filter(project=project).exists() is eligible


def test_a_contract_not_registered_does_not_count_until_it_is(project, member):
    contract = contract_of(project, registration_number="", registered_on=None)
    assert contract.state == ContractState.RECORDED
    contracts.verify_payment(officer(), pay(member, contract, "2000000.00"))
    assert verified_for_major_series(project) == D("0") and not eligible_for_major_series(project)
    contracts.record_registration(member, contract, registration_number="330300009999", registered_on=TODAY)
    assert eligible_for_major_series(project)


def test_a_contract_between_two_enterprises_does_not_count(project, member):
    contract = contract_of(project, seller_kind="enterprise", buyer_kind="enterprise")
    contracts.verify_payment(officer(), pay(member, contract, "2000000.00"))
    assert received_on_contracts(project) == D("2000000.00")
    assert not eligible_for_major_series(project)


def test_an_institute_selling_to_an_enterprise_counts(project, member):
    contract = contract_of(project, seller_kind="institute", buyer_kind="enterprise")
    contracts.verify_payment(officer(), pay(member, contract, "2000000.00"))
    assert eligible_for_major_series(project)


# ============================================================================ who verifies, and the audit trail

@pytest.mark.parametrize("who", ["the institution", "fund manager", "applicant of another institution"])
def test_only_an_officer_verifies_a_payment(project, member, who):
    payment = pay(member, contract_of(project), "2000000.00")
    user = {"the institution": lambda: member, "fund manager": lambda: manager_of(FundFactory()),
            "applicant of another institution": lambda: applicant_of(InstitutionFactory())}[who]()
    before = snapshot()
    with pytest.raises(NotAllowed) as refused:
        contracts.verify_payment(user, payment)
    assert refused.value.messages == ["Only bureau officers can verify a payment."]
    assert snapshot() == before


def test_a_verification_is_audited_and_happens_once(project, member):
    payment = pay(member, contract_of(project), "1000.00")
    bureau = officer()
    contracts.verify_payment(bureau, payment, "Matches the bank statement.")
    log = TransitionLog.objects.for_object(payment).get(transition="verify")
    assert (log.source, log.target, log.actor, log.comment) == ("recorded", "verified", bureau,
                                                                "Matches the bank statement.")
    assert TransitionLog.objects.for_object(payment).filter(transition="create").exists()
    with pytest.raises(NotNow):
        contracts.verify_payment(bureau, payment)


def test_a_payment_is_refused_only_with_a_reason(project, member):
    payment = pay(member, contract_of(project), "1000.00")
    before = snapshot()
    with pytest.raises(BadInput):
        contracts.refuse_payment(officer(), payment, "")
    assert snapshot() == before


# ======================================================= crossing the threshold: flagged, officers notified

def test_the_verification_that_crosses_the_threshold_flags_the_project_and_tells_the_officers(project, member):
    bureau, colleague = officer(), officer()
    contract = contract_of(project)
    first = contracts.verify_payment(bureau, pay(member, contract, "1999999.99"))
    crossing = contracts.verify_payment(bureau, pay(member, contract, "0.01"))
    later = contracts.verify_payment(bureau, pay(member, contract, "100.00"))
    candidate = MajorSeriesCandidate.objects.get(project=project)
    assert (candidate.crossing_payment, candidate.verified_total, candidate.flagged_on) == (
        crossing, D("2000000.00"), TODAY)

    def notified(payment):
        fan_out(TransitionLog.objects.for_object(payment).get(transition="verify").pk)
        return set(Notification.objects.filter(kind="major_series_candidate").values_list("recipient", flat=True))

    assert notified(first) == set()
    told = notified(crossing)
    assert colleague.pk in told and bureau.pk not in told  # the officer who verified acted; the others hear
    assert member.pk not in told
    assert notified(later) == told  # once, not at every verification after
    note = Notification.objects.get(kind="major_series_candidate", recipient=colleague)
    assert "2,000,000.00" in note.body and project.project_number in note.title
    listed = funding_selectors.major_series_candidates_visible_to(bureau)
    assert [p.pk for p in listed] == [project.pk]
    assert [c.pk for c in listed[0].tech_contracts.all()] == [contract.pk]


# ================================================================================= another institution sees nothing

def test_another_institution_sees_none_of_the_contracts_payments_or_candidacy(project, member):
    contracts.verify_payment(officer(), pay(member, contract_of(project), "2000000.00"))
    stranger = applicant_of(InstitutionFactory())
    assert not funding_selectors.tech_contracts_visible_to(stranger).exists()
    assert not funding_selectors.contract_payments_visible_to(stranger).exists()
    assert not funding_selectors.obligation_projects_visible_to(stranger).exists()
    assert not funding_selectors.major_series_candidates_visible_to(stranger).exists()
    assert funding_selectors.tech_contracts_visible_to(member).count() == 1
