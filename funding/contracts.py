"""Use cases of technology contracts (技术合同) and the payments received on them (实际到账).

The institution (or an officer) records a contract, its registration (技术合同认定登记) and each payment; a
payment is never dated after today (the bureau's local date) and the payments received on a contract never
add up to more than its amount, which only an amendment with a reason changes. A bureau officer verifies (核实)
or refuses each payment. The verification that takes a project's verified receipts on registered 产学研
contracts to ¥2,000,000.00 flags it as a candidate for the municipal major-project series and tells the
officers (funding.notifications). Every change is a transition or a creation in the audit trail; a refusal
changes nothing.
"""
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from poc.access import require
from poc.errors import BadInput
from poc.workflow import record_creation, run_transition

from .figures import verified_for_major_series
from .models import (
    ContractPayment,
    MajorSeriesCandidate,
    PartyKind,
    PaymentState,
    TechContract,
    reaches_major_series,
)
from .services import parse_money


def _date(value, field):
    if value in (None, ""):
        raise BadInput(_("The date is required."), field_errors={field: [_("Required.")]})
    if isinstance(value, str):
        from datetime import date

        try:
            return date.fromisoformat(value)
        except ValueError:
            raise BadInput(_("“%(v)s” is not a date (YYYY-MM-DD).") % {"v": value},
                           field_errors={field: [_("Not a date.")]}) from None
    return value


def _registration(registration_number, registered_on):
    number = (registration_number or "").strip()
    if not number:
        raise BadInput(_("A registered contract has its registration number (技术合同认定登记号)."),
                       field_errors={"registration_number": [_("Required.")]})
    if TechContract.objects.filter(registration_number=number).exists():
        raise BadInput(_("The registration number %(n)s is already recorded.") % {"n": number},
                       field_errors={"registration_number": [_("Already recorded.")]})
    registered_on = _date(registered_on, "registered_on")
    if registered_on > timezone.localdate():
        raise BadInput(_("A registration cannot be dated in the future (today is %(d)s).") % {
            "d": timezone.localdate()}, field_errors={"registered_on": [_("In the future.")]})
    return number, registered_on


@transaction.atomic
def register_contract(user, project, *, parties, contract_amount, seller_kind, buyer_kind, signed_on=None,
                      registration_number="", registered_on=None) -> TechContract:
    """Record a technology contract of ``project``; with its registration number and date it is registered."""
    require(user, "register_contract", project)
    if not (parties or "").strip():
        raise BadInput(_("Name the parties."), field_errors={"parties": [_("Required.")]})
    for field, kind in (("seller_kind", seller_kind), ("buyer_kind", buyer_kind)):
        if kind not in PartyKind.values:
            raise BadInput(_("Say what kind of party each side is."), field_errors={field: [_("Required.")]})
    amount = parse_money(contract_amount, "contract_amount")
    if amount <= 0:
        raise BadInput(_("The contract amount must be above zero."),
                       field_errors={"contract_amount": [_("Above zero.")]})
    registered = bool((registration_number or "").strip() or registered_on)
    number, registered_on = _registration(registration_number, registered_on) if registered else ("", None)
    contract = TechContract.objects.create(
        project=project, recorded_by=user, parties=parties.strip(), seller_kind=seller_kind, buyer_kind=buyer_kind,
        contract_amount=amount, signed_on=signed_on or None)
    record_creation(contract, user)
    if registered:
        contract = run_transition(contract, "register", user, number, registration_number=number,
                                  registered_on=registered_on)
    return contract


@transaction.atomic
def record_registration(user, contract, *, registration_number, registered_on) -> TechContract:
    """The contract was registered (技术合同认定登记): its number and date."""
    require(user, "register", contract)
    number, registered_on = _registration(registration_number, registered_on)
    return run_transition(contract, "register", user, number, registration_number=number,
                          registered_on=registered_on)


def _received(contract) -> Decimal:
    return (ContractPayment.objects.filter(contract=contract, state__in=PaymentState.RECEIVED)
            .aggregate(s=Sum("amount"))["s"] or Decimal("0"))


@transaction.atomic
def amend_contract(user, contract, *, contract_amount, reason) -> TechContract:
    """An amended contract (合同变更): the new amount, never below what was already received, with the reason."""
    require(user, "amend", contract)
    amount = parse_money(contract_amount, "contract_amount")
    if amount <= 0:
        raise BadInput(_("The contract amount must be above zero."),
                       field_errors={"contract_amount": [_("Above zero.")]})
    locked = TechContract.objects.select_for_update().get(pk=contract.pk)
    received = _received(locked)
    if amount < received:
        raise BadInput(_("The amended amount ¥%(a)s is below the ¥%(r)s already received on the contract.") % {
            "a": f"{amount:,.2f}", "r": f"{received:,.2f}"}, field_errors={"contract_amount": [_("Too low.")]})
    if amount == locked.contract_amount:
        raise BadInput(_("The amended amount is the contract's amount already."),
                       field_errors={"contract_amount": [_("Unchanged.")]})
    comment = _("Contract amount ¥%(old)s → ¥%(new)s: %(reason)s") % {
        "old": f"{locked.contract_amount:,.2f}", "new": f"{amount:,.2f}", "reason": (reason or "").strip()}
    if not (reason or "").strip():
        comment = ""  # run_transition asks for the reason
    return run_transition(locked, "amend", user, comment, contract_amount=amount)


@transaction.atomic
def record_contract_payment(user, contract, *, amount, received_on) -> ContractPayment:
    """A payment actually received (实际到账): positive, not in the future, within the contract's amount."""
    require(user, "record_payment", contract)
    amount = parse_money(amount, "amount")
    if amount <= 0:
        raise BadInput(_("A payment must be positive."), field_errors={"amount": [_("Above zero.")]})
    received_on = _date(received_on, "received_on")
    today = timezone.localdate()
    if received_on > today:
        raise BadInput(_("A payment cannot be dated in the future (today is %(d)s).") % {"d": today},
                       field_errors={"received_on": [_("In the future.")]})
    locked = TechContract.objects.select_for_update().get(pk=contract.pk)  # one payment at a time per contract
    received = _received(locked)
    if received + amount > locked.contract_amount:
        raise BadInput(
            _("¥%(a)s would take the contract's receipts to ¥%(t)s, above its amount ¥%(c)s; at most ¥%(left)s can "
              "still be received (amend the contract if its amount changed).") % {
                "a": f"{amount:,.2f}", "t": f"{received + amount:,.2f}", "c": f"{locked.contract_amount:,.2f}",
                "left": f"{locked.contract_amount - received:,.2f}"},
            field_errors={"amount": [_("Above the contract amount.")]})
    payment = ContractPayment.objects.create(contract=locked, amount=amount, received_on=received_on,
                                             recorded_by=user)
    record_creation(payment, user)
    return payment


@transaction.atomic
def verify_payment(user, payment, comment="") -> ContractPayment:
    """An officer verifies a payment; the verification that reaches the threshold flags the project."""
    payment = run_transition(payment, "verify", user, comment)
    project = payment.contract.project
    verified = verified_for_major_series(project)
    if reaches_major_series(verified) and not MajorSeriesCandidate.objects.filter(project=project).exists():
        MajorSeriesCandidate.objects.create(project=project, crossing_payment=payment, verified_total=verified,
                                            flagged_on=timezone.localdate())
    return payment


def refuse_payment(user, payment, reason) -> ContractPayment:
    """An officer refuses a payment (not received as stated), with the reason; it no longer counts as received."""
    return run_transition(payment, "refuse", user, reason)

