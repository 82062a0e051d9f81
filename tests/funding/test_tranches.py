"""Tranches (分期拨付): planned → released → paid, within the approved amount, by the right side, and
never overdrawn, even by parallel releases (PostgreSQL)."""
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections
from django.forms.models import model_to_dict
from django.utils import timezone, translation

from funding import services
from funding.figures import released_and_paid
from funding.models import FundingDecision, Tranche, TrancheState
from poc.errors import BadInput, NotAllowed, NotNow
from poc.models import TransitionLog
from poc.rules import check_transition, describe, transition_methods
from tests.factories import applicant_of, expert, officer
from tests.funding.factories import (
    DecisionFactory,
    FundFactory,
    approved_decision,
    english_and_fast,  # noqa: F401 (a fixture)
    funded_project,
    manager_of,
)
from tests.poc.workflow_support import audit_rows, local_moment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_and_fast")]

D = Decimal
NOW = local_moment(2026, 5, 12, 10, 0)
TODAY = date(2026, 5, 12)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def decision():
    """Approved: grant ¥500,000 + investment ¥2,000,000."""
    return approved_decision()


def tranche(decision, amount, *, part="grant", sequence=None, release_on=date(2026, 5, 1), milestone=None,
            state="planned"):
    """A tranche created directly (planning refuses what these tests need to overdraw)."""
    sequence = sequence or decision.tranches.filter(part=part).count() + 1
    return Tranche.objects.create(decision=decision, part=part, sequence=sequence, amount=D(amount),
                                  release_on=release_on, milestone=milestone, state=state)


def unchanged(t):
    return (model_to_dict(Tranche.objects.get(pk=t.pk)), TransitionLog.objects.count())


# ================================================================================================ planning

def test_tranches_are_planned_up_to_the_approved_amount_and_not_a_cent_more(decision):
    off = officer()
    first = services.plan_tranche(off, decision, part="grant", amount="300000.00", release_on=date(2026, 6, 1))
    second = services.plan_tranche(off, decision, part="grant", amount="200000.00", release_on=date(2026, 9, 1))
    assert [(t.sequence, t.amount, t.state) for t in (first, second)] == [
        (1, D("300000.00"), "planned"), (2, D("200000.00"), "planned")]
    assert [r.transition for r in audit_rows(first)] == ["create"]
    with pytest.raises(BadInput) as refused:
        services.plan_tranche(off, decision, part="grant", amount="0.01", release_on=date(2026, 12, 1))
    assert refused.value.messages == ["Tranches would add up to 500000.01, more than the approved 500000.00."]
    assert decision.tranches.count() == 2


def test_each_part_has_its_own_approved_amount(decision):
    manager = manager_of(decision.fund)
    services.plan_tranche(officer(), decision, part="grant", amount="500000.00", release_on=date(2026, 6, 1))
    services.plan_tranche(manager, decision, part="equity", amount="2000000.00", release_on=date(2026, 6, 1))
    with pytest.raises(BadInput) as refused:
        services.plan_tranche(manager, decision, part="equity", amount="0.01", release_on=date(2026, 6, 1))
    assert refused.value.messages == ["Tranches would add up to 2000000.01, more than the approved 2000000.00."]


def test_a_tranche_needs_a_milestone_or_a_date_and_a_positive_amount(decision):
    off = officer()
    with pytest.raises(BadInput) as refused:
        services.plan_tranche(off, decision, part="grant", amount="100000.00")
    assert refused.value.messages == ["A tranche is released on a milestone or on a date: give one."]
    for amount, message in (("0", "A tranche must be positive."), ("-5", "“amount” cannot be negative."),
                            ("lots", "“amount” must be an amount in yuan.")):
        with pytest.raises(BadInput) as refused:
            services.plan_tranche(off, decision, part="grant", amount=amount, release_on=TODAY)
        assert refused.value.messages == [message]


def test_grant_tranches_are_planned_by_officers_equity_tranches_by_the_funds_managers(decision):
    message = "Grant tranches are planned by the bureau, equity tranches by the fund's managers."
    for user, part in ((manager_of(decision.fund), "grant"), (officer(), "equity"),
                       (manager_of(FundFactory()), "equity"), (applicant_of(decision.application.institution), "grant")):
        with pytest.raises(NotAllowed) as refused:
            services.plan_tranche(user, decision, part=part, amount="1000.00", release_on=TODAY)
        assert refused.value.messages == [message], (user, part)


def test_a_part_the_decision_does_not_have_cannot_be_planned():
    convertible = approved_decision(convertible=True)
    with pytest.raises(BadInput) as refused:
        services.plan_tranche(manager_of(convertible.fund), convertible, part="equity", amount="1000.00",
                              release_on=TODAY)
    assert refused.value.messages == ["This decision has no such part."]
    grant_only = approved_decision(grant_only=True)
    with pytest.raises(NotAllowed):  # no fund, so no manager: refused before the part is looked at
        services.plan_tranche(manager_of(FundFactory()), grant_only, part="equity", amount="1000.00",
                              release_on=TODAY)
    with pytest.raises(BadInput) as refused:
        services.plan_tranche(officer(), approved_decision(equity_only=True), part="grant", amount="1000.00",
                              release_on=TODAY)
    assert refused.value.messages == ["This decision has no such part."]


# =============================================================================================== releasing

def test_a_tranche_on_a_milestone_waits_for_the_milestone_report(decision):
    project = funded_project(decision)
    milestone = project.milestones.get()
    off = officer()
    t = services.plan_tranche(off, decision, part="grant", amount="200000.00", milestone=milestone)
    before = unchanged(t)
    check = check_transition(t, "release", off)
    assert (check.status, check.reasons) == (409, ["Its milestone “Prototype” has not been reported yet."])
    with pytest.raises(NotNow) as refused:
        services.release_tranche(off, t)
    assert refused.value.messages == ["Its milestone “Prototype” has not been reported yet."]
    assert unchanged(t) == before

    milestone.reported_at = timezone.now()
    milestone.save()
    released = services.release_tranche(off, t)
    assert (released.state, released.released_at) == ("released", timezone.now())
    assert [(r.transition, r.source, r.target, r.actor) for r in audit_rows(t)] == [
        ("create", "", "planned", off), ("release", "planned", "released", off)]


def test_a_tranche_on_a_date_is_released_from_that_date_inclusive(decision):
    off = officer()
    t = services.plan_tranche(off, decision, part="grant", amount="200000.00", release_on=date(2026, 6, 1))
    with time_machine.travel(local_moment(2026, 5, 31, 23, 59), tick=False):
        with pytest.raises(NotNow) as refused:
            services.release_tranche(off, t)
        assert refused.value.messages == ["It can be released from 2026-06-01."]
    with time_machine.travel(local_moment(2026, 6, 1, 0, 1), tick=False):
        assert services.release_tranche(off, t).state == "released"


def test_nothing_is_released_before_the_decision_is_approved():
    decision = DecisionFactory()
    t = tranche(decision, "100000.00")
    with pytest.raises(NotNow) as refused:
        services.release_tranche(officer(), t)
    assert refused.value.messages == ["The funding decision is not approved."]


def test_a_release_over_the_approved_total_is_refused_and_changes_nothing(decision):
    """Planning keeps tranches within the approved amount; the release checks again (defence in depth):
    here the tranches were created directly, ¥300,000 + ¥300,000 against ¥500,000 approved."""
    off = officer()
    first, second = tranche(decision, "300000.00"), tranche(decision, "300000.00")
    services.release_tranche(off, first)
    before = unchanged(second)
    with pytest.raises(NotNow) as refused:
        services.release_tranche(off, second)
    assert refused.value.status == 409
    assert refused.value.messages == [
        "Releasing 300000.00 would bring released and paid to 600000.00, over the approved 500000.00."]
    assert unchanged(second) == before
    assert released_and_paid(decision, "grant") == D("300000.00")


def test_paid_tranches_count_against_the_approved_total_too(decision):
    tranche(decision, "450000.00", state="paid")
    last = tranche(decision, "50000.01")
    with pytest.raises(NotNow) as refused:
        services.release_tranche(officer(), last)
    assert refused.value.messages == [
        "Releasing 50000.01 would bring released and paid to 500000.01, over the approved 500000.00."]
    exactly = Tranche.objects.filter(pk=last.pk)
    exactly.update(amount=D("50000.00"))
    assert services.release_tranche(officer(), exactly.get()).state == "released"
    assert released_and_paid(decision, "grant") == D("500000.00")


def test_releasing_twice_is_refused_409(decision):
    off = officer()
    t = tranche(decision, "100000.00")
    services.release_tranche(off, t)
    with pytest.raises(NotNow) as refused:
        services.release_tranche(off, t)
    assert refused.value.messages == ["“Release” is not possible while the tranche is “Released”."]


# ================================================================================================== paying

def test_paying_needs_a_reference(decision):
    off = officer()
    t = services.release_tranche(off, tranche(decision, "100000.00"))
    for blank in ("", "   ", None):
        with pytest.raises(BadInput) as refused:
            services.pay_tranche(off, t, payment_reference=blank)
        assert refused.value.messages == ["The payment reference is required."]
        assert refused.value.field_errors == {"payment_reference": ["Required."]}
    paid = services.pay_tranche(off, t, payment_reference="  WZ-2026-0042 ")
    assert (paid.state, paid.payment_reference, paid.paid_on) == ("paid", "WZ-2026-0042", TODAY)
    assert services.pay_tranche(off, tranche(decision, "1000.00", state="released"), payment_reference="X",
                                paid_on=date(2026, 5, 10)).paid_on == date(2026, 5, 10)
    assert released_and_paid(decision, "grant") == D("101000.00")


def test_a_planned_tranche_cannot_be_paid(decision):
    t = tranche(decision, "100000.00")
    with pytest.raises(NotNow) as refused:
        services.pay_tranche(officer(), t, payment_reference="WZ-1")
    assert refused.value.messages == ["“Record payment” is not possible while the tranche is “Planned”."]


# ==================================================================================== who releases and pays

GRANT_RELEASE = "Only bureau officers can release a grant tranche."
EQUITY_RELEASE = "Only the fund's managers can release an equity tranche."
GRANT_PAY = "Only bureau officers can record a grant payment."
EQUITY_PAY = "Only the fund's managers can record an equity payment."


@dataclass(frozen=True)
class Row:
    sources: tuple[str, ...]
    target: str
    refusals: dict  # part → the refusal everybody but that part's side gets


TABLE = {
    "release": Row(("planned",), "released", {"grant": GRANT_RELEASE, "equity": EQUITY_RELEASE}),
    "pay": Row(("released",), "paid", {"grant": GRANT_PAY, "equity": EQUITY_PAY}),
}

OFFICER, MANAGER, OTHER_MANAGER, OWNER, EXPERT, ANONYMOUS = (
    "officer", "manager of the fund", "manager of another fund", "applicant (investee)", "expert", "anonymous")
ACTOR = {"grant": OFFICER, "equity": MANAGER}


def user_in(role, decision):
    return {
        OFFICER: officer,
        MANAGER: lambda: manager_of(decision.fund),
        OTHER_MANAGER: lambda: manager_of(FundFactory()),
        OWNER: lambda: applicant_of(decision.application.institution),
        EXPERT: expert,
        ANONYMOUS: AnonymousUser,
    }[role]()


def test_the_tranche_table_has_a_row_per_transition():
    assert list(TABLE) == list(transition_methods(Tranche))
    for name, row in TABLE.items():
        assert tuple(describe(Tranche, name)["sources"]) == row.sources


TRANCHE_CASES = [(name, part, role) for name in transition_methods(Tranche) for part in ("grant", "equity")
                 for role in (OFFICER, MANAGER, OTHER_MANAGER, OWNER, EXPERT, ANONYMOUS)]


@pytest.mark.parametrize(("name", "part", "role"), TRANCHE_CASES, ids=["-".join(c) for c in TRANCHE_CASES])
def test_grant_tranches_by_officers_equity_tranches_by_that_funds_managers(decision, name, part, role):
    row = TABLE[name]
    t = tranche(decision, "100000.00", part=part, state=row.sources[0])
    user = user_in(role, decision)
    run = {"release": lambda: services.release_tranche(user, t),
           "pay": lambda: services.pay_tranche(user, t, payment_reference="WZ-7")}[name]
    if role == ACTOR[part]:
        assert check_transition(t, name, user).allowed
        assert run().state == row.target
    else:
        check = check_transition(t, name, user)
        assert (check.status, check.reasons) == (403, [row.refusals[part]])
        before = unchanged(t)
        with pytest.raises(NotAllowed) as refused:
            run()
        assert refused.value.messages == [row.refusals[part]]
        assert unchanged(t) == before


def test_a_user_without_the_right_is_told_so_before_any_amount(decision):
    """403 comes first: an officer releasing an equity tranche that would also overdraw hears about the right."""
    t = tranche(decision, "2000000.01", part="equity")
    with pytest.raises(NotAllowed) as refused:
        services.release_tranche(officer(), t)
    assert refused.value.messages == [EQUITY_RELEASE]


# ============================================================================= parallel releases (PostgreSQL)

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no row locks and serialises writers (run with DATABASE_URL=postgres://…)",
)


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_releases_never_overdraw_the_approved_amount():
    """20 tranches of ¥100,000 (¥2,000,000 in all) against ¥1,000,000 approved, released by 20 threads
    at once, each on its own connection: exactly ten go out, the ten others are refused (409), and
    released + paid never exceeds the approved amount."""
    decision = approved_decision(equity_only=True, equity_amount=D("1000000.00"))
    manager = manager_of(decision.fund)
    tranches = [tranche(decision, "100000.00", part="equity", sequence=i + 1) for i in range(20)]
    start = threading.Barrier(len(tranches))
    outcomes = [None] * len(tranches)

    def release(i):
        try:
            with translation.override("en"):
                start.wait(timeout=10)
                outcomes[i] = services.release_tranche(manager, Tranche.objects.get(pk=tranches[i].pk))
        except Exception as exc:  # noqa: BLE001 (the test looks at it)
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=release, args=(i,)) for i in range(len(tranches))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    released = [o for o in outcomes if isinstance(o, Tranche)]
    refused = [o for o in outcomes if not isinstance(o, Tranche)]
    assert len(released) == 10
    assert {type(o) for o in refused} == {NotNow}, refused
    assert {o.status for o in refused} == {409}
    assert all(o.messages[0].startswith("Releasing 100000.00 would bring released and paid to 1100000.00")
               for o in refused)
    decision = FundingDecision.objects.get(pk=decision.pk)
    assert released_and_paid(decision, "equity") == D("1000000.00") <= decision.equity_amount
    assert Tranche.objects.filter(decision=decision, state=TrancheState.RELEASED).count() == 10
    assert TransitionLog.objects.filter(transition="release").count() == 10
