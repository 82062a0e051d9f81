"""Funding decisions (投拨结合): proposal per instrument, the fund's caps at their boundaries (on proposal
and again on approval), dual approval, rejection, the application's funding gates, and the rule table
generated from the model's transitions (DESIGN §2, §3, §7)."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.forms.models import model_to_dict
from django.utils import translation

from funding import services
from funding.models import DecisionState, Fund, FundingDecision
from poc.errors import BadInput, NotAllowed, NotNow
from poc.models import Project, TransitionLog
from poc.rules import check_transition, describe, transition_methods
from poc.workflow import run_transition
from tests.factories import CallFactory, InstitutionFactory, applicant_of, expert, make_application, officer
from tests.funding.factories import (
    DecisionFactory,
    FundFactory,
    approve,
    approved_decision,
    english_and_fast,  # noqa: F401 (a fixture)
    manager_of,
    project_application,
)
from tests.poc.workflow_support import audit_rows, set_notice_over

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_and_fast")]

D = Decimal
BIG_PRE_MONEY = D("1000000000.00")  # ¥1bn: far from any stake cap


def the_fields(instrument, fund=None, /, **changes):
    """Valid proposal fields for ``instrument``, with ``changes``."""
    base = {
        "grant": {"instrument": "grant", "grant_amount": D("500000.00"), "grant_programme": "PoC programme"},
        "equity": {"instrument": "equity", "equity_amount": D("2000000.00"), "fund": fund,
                   "pre_money_valuation": D("18000000.00")},
        "grant_equity": {"instrument": "grant_equity", "grant_amount": D("500000.00"),
                         "grant_programme": "PoC programme", "equity_amount": D("2000000.00"), "fund": fund,
                         "pre_money_valuation": D("18000000.00")},
        "convertible": {"instrument": "convertible", "grant_amount": D("1000000.00"),
                        "grant_programme": "PoC programme", "fund": fund,
                        "qualifying_round_minimum": D("5000000.00"), "conversion_discount": D("20"),
                        "valuation_cap": D("15000000.00"), "conversion_deadline": date(2026, 12, 31),
                        "exit_method": "buyback", "buyback_rate": D("6")},
    }[instrument]
    return {**base, **changes}


# =================================================================================== proposal, per instrument

@pytest.mark.parametrize("instrument", ["grant", "equity", "grant_equity", "convertible"])
def test_a_valid_proposal_is_saved_with_its_audit_row_and_shown_to_the_fund(instrument):
    off, fund = officer(), FundFactory()
    app = project_application()
    decision = services.propose_decision(off, app, **the_fields(instrument, fund))
    assert decision.state == DecisionState.PROPOSED
    assert decision.proposed_by == off
    assert [(r.transition, r.source, r.target, r.actor) for r in audit_rows(decision)] == [
        ("create", "", "proposed", off)]
    if instrument != "grant":
        # The fund's managers may now read the application (DESIGN §3: "view those with a proposal for its fund").
        assert manager_of(fund).has_perm("poc.view_application", app)


INVALID = [
    # (instrument, changes, field, message)
    ("grant", {"grant_amount": D("0")}, "grant_amount", "This instrument has a grant part: give its amount."),
    ("grant", {"grant_programme": ""}, "grant_programme", "Name the science programme that pays the grant."),
    ("grant", {"equity_amount": D("1.00")}, "equity_amount", "This instrument has no separate investment."),
    ("grant", {"fund": "FUND"}, "fund", "A grant-only decision has no fund."),
    ("equity", {"equity_amount": D("0")}, "equity_amount", "This instrument has an equity part: give the investment."),
    ("equity", {"fund": None}, "fund", "Choose the fund for the equity part."),
    ("equity", {"grant_amount": D("1.00")}, "grant_amount", "An equity-only decision has no grant."),
    ("grant_equity", {"grant_amount": D("0")}, "grant_amount", "This instrument has a grant part: give its amount."),
    ("grant_equity", {"grant_programme": ""}, "grant_programme", "Name the science programme that pays the grant."),
    ("grant_equity", {"equity_amount": D("0")}, "equity_amount",
     "This instrument has an equity part: give the investment."),
    ("grant_equity", {"fund": None}, "fund", "Choose the fund for the equity part."),
    ("convertible", {"grant_amount": D("0")}, "grant_amount", "This instrument has a grant part: give its amount."),
    ("convertible", {"grant_programme": ""}, "grant_programme", "Name the science programme that pays the grant."),
    ("convertible", {"equity_amount": D("1.00")}, "equity_amount", "This instrument has no separate investment."),
    ("convertible", {"fund": None}, "fund", "Choose the fund for the equity part."),
    ("convertible", {"conversion_deadline": None}, "conversion_deadline",
     "A convertible grant needs the deadline after which it closes as a grant."),
    ("convertible", {"qualifying_round_minimum": None}, "qualifying_round_minimum",
     "A convertible grant needs the minimum size of a qualifying round."),
    ("convertible", {"exit_method": ""}, "exit_method", "Choose the exit terms."),
    ("convertible", {"buyback_rate": None}, "buyback_rate", "A buyback needs its simple annual interest rate."),
    # Field validation (before the instrument's rules).
    ("grant", {"grant_amount": D("-1.00")}, "grant_amount", "Ensure this value is greater than or equal to 0."),
    ("convertible", {"conversion_discount": D("100.01")}, "conversion_discount",
     "Ensure this value is less than or equal to 100."),
    ("grant", {"instrument": "loan"}, "instrument", "Value 'loan' is not a valid choice."),
]


@pytest.mark.parametrize(("instrument", "changes", "field", "message"), INVALID,
                         ids=[f"{i}-{f}-{list(c.values())[0]}" for i, c, f, _m in INVALID])
def test_a_proposal_missing_what_its_instrument_needs_is_refused_with_the_message(instrument, changes, field, message):
    off, fund = officer(), FundFactory()
    changes = {k: (fund if v == "FUND" else v) for k, v in changes.items()}
    app = project_application()
    with pytest.raises(BadInput) as refused:
        services.propose_decision(off, app, **the_fields(instrument, fund, **changes))
    assert refused.value.status == 400
    assert refused.value.messages == [message]
    assert refused.value.field_errors == {field: [message]}
    assert not FundingDecision.objects.exists()


def test_every_problem_of_a_proposal_is_listed_at_once():
    app = project_application()
    with pytest.raises(BadInput) as refused:
        services.propose_decision(officer(), app, instrument="convertible", grant_programme="P",
                                  grant_amount=D("1.00"), exit_method="sale")
    assert refused.value.messages == [
        "Choose the fund for the equity part.",
        "A convertible grant needs the deadline after which it closes as a grant.",
        "A convertible grant needs the minimum size of a qualifying round.",
    ]


def test_a_sale_exit_needs_no_buyback_rate():
    decision = services.propose_decision(officer(), project_application(),
                                         **the_fields("convertible", FundFactory(), exit_method="sale",
                                                      buyback_rate=None))
    assert decision.exit_method == "sale"


def test_only_officers_propose():
    app = project_application()
    for user in (manager_of(FundFactory()), applicant_of(app.institution), expert()):
        with pytest.raises(NotAllowed) as refused:
            services.propose_decision(user, app, **the_fields("grant"))
        assert refused.value.messages == ["Only bureau officers can propose a funding decision."]


def test_a_decision_is_proposed_for_a_reviewed_project_application_only():
    off = officer()
    with pytest.raises(NotNow) as refused:
        services.propose_decision(off, project_application(state="under_review"), **the_fields("grant"))
    assert refused.value.messages == [
        "A funding decision is proposed while the application is “reviewed”; it is “Under expert review”."]
    center = make_application(CallFactory(kind="poc_center"), InstitutionFactory(), state="reviewed")
    with pytest.raises(BadInput) as refused:
        services.propose_decision(off, center, **the_fields("grant"))
    assert refused.value.messages == ["Funding decisions are for project applications."]


def test_one_live_decision_per_application_and_a_rejected_one_is_replaced():
    off, app = officer(), project_application()
    first = services.propose_decision(off, app, **the_fields("grant"))
    with pytest.raises(NotNow) as refused:
        services.propose_decision(off, app, **the_fields("grant"))
    assert refused.value.messages == ["This application already has a funding decision."]
    services.reject_decision(off, first, "The budget is not credible.")
    second = services.propose_decision(off, app, **the_fields("grant", grant_amount=D("300000.00")))
    assert list(FundingDecision.objects.values_list("pk", "grant_amount")) == [(second.pk, D("300000.00"))]


def test_unknown_fields_are_refused():
    with pytest.raises(BadInput) as refused:
        services.propose_decision(officer(), project_application(), **the_fields("grant"), state="approved")
    assert refused.value.messages == ["Unknown fields: state"]


# ======================================================================================= caps at the boundary

@dataclass(frozen=True)
class Cap:
    fund: dict            # the fund's size and cap
    at_cap: dict          # the decision exactly at the cap
    over: dict            # one cent over
    message: str          # "{fund}" is the fund's name
    committed: Decimal = D("0")  # already committed by another approved decision of the fund


CAPS = {
    "per project": Cap(
        {"cap_per_project": D("5000000.00")},
        {"equity_amount": D("5000000.00")}, {"equity_amount": D("5000000.01")},
        "{fund} invests at most ¥5,000,000.00 per project; this decision asks ¥5,000,000.01.",
    ),
    "share of the fund (10 %)": Cap(
        {"size": D("100000000.00"), "cap_share_per_project": D("10")},
        {"equity_amount": D("10000000.00")}, {"equity_amount": D("10000000.01")},
        "{fund} puts at most 10% of its size (¥100,000,000.00) in one project; ¥10,000,000.01 is 10.0001%.",
    ),
    "share of the fund (12.5 %)": Cap(
        {"size": D("80000000.00"), "cap_share_per_project": D("12.5")},
        {"equity_amount": D("10000000.00")}, {"equity_amount": D("10000000.01")},
        "{fund} puts at most 12.5% of its size (¥80,000,000.00) in one project; ¥10,000,000.01 is 12.5001%.",
    ),
    "stake at the expected pre-money": Cap(
        {"cap_stake": D("20")},
        {"equity_amount": D("2000000.00"), "pre_money_valuation": D("8000000.00")},
        {"equity_amount": D("2000000.01"), "pre_money_valuation": D("8000000.00")},
        "{fund} holds at most 20% of an investee; ¥2,000,000.01 at a pre-money valuation of ¥8,000,000.00 "
        "is 20.0001%.",
    ),
    "stake, the valuation one cent lower": Cap(
        {"cap_stake": D("20")},
        {"equity_amount": D("2000000.00"), "pre_money_valuation": D("8000000.00")},
        {"equity_amount": D("2000000.00"), "pre_money_valuation": D("7999999.99")},
        "{fund} holds at most 20% of an investee; ¥2,000,000.00 at a pre-money valuation of ¥7,999,999.99 "
        "is 20.0001%.",
    ),
    "uncommitted size": Cap(
        {"size": D("10000000.00")},
        {"equity_amount": D("3000000.00")}, {"equity_amount": D("3000000.01")},
        "{fund} has ¥3,000,000.00 uncommitted; this decision asks ¥3,000,000.01.",
        committed=D("7000000.00"),
    ),
    "uncommitted size, nothing committed": Cap(
        {"size": D("10000000.00")},
        {"equity_amount": D("10000000.00")}, {"equity_amount": D("10000000.01")},
        "{fund} has ¥10,000,000.00 uncommitted; this decision asks ¥10,000,000.01.",
    ),
}


def fund_with(cap: Cap) -> Fund:
    fund = FundFactory(**cap.fund)
    if cap.committed:
        approved_decision(equity_only=True, fund=fund, equity_amount=cap.committed,
                          pre_money_valuation=BIG_PRE_MONEY)
    return fund


@pytest.mark.parametrize("name", CAPS)
def test_exactly_at_the_cap_passes(name):
    cap = CAPS[name]
    fund = fund_with(cap)
    decision = services.propose_decision(officer(), project_application(),
                                         **the_fields("equity", fund, **{"pre_money_valuation": BIG_PRE_MONEY,
                                                                         **cap.at_cap}))
    assert decision.state == DecisionState.PROPOSED


@pytest.mark.parametrize("name", CAPS)
def test_one_cent_over_the_cap_fails_naming_the_cap_and_the_numbers(name):
    cap = CAPS[name]
    fund = fund_with(cap)
    app = project_application()
    with pytest.raises(BadInput) as refused:
        services.propose_decision(officer(), app, **the_fields("equity", fund, **{"pre_money_valuation": BIG_PRE_MONEY,
                                                                                  **cap.over}))
    assert refused.value.messages == [cap.message.format(fund=fund.name)]
    assert not FundingDecision.objects.filter(application=app).exists()


def test_a_grant_equity_decision_is_capped_on_its_investment_only():
    fund = FundFactory(cap_per_project=D("2000000.00"))
    decision = services.propose_decision(officer(), project_application(),
                                         **the_fields("grant_equity", fund, grant_amount=D("900000.00"),
                                                      equity_amount=D("2000000.00")))
    assert decision.state == DecisionState.PROPOSED


def test_a_convertible_grant_counts_against_the_per_project_and_share_caps_but_not_the_stake_cap():
    fund = FundFactory(cap_per_project=D("1000000.00"), cap_stake=D("1"))
    services.propose_decision(officer(), project_application(), **the_fields("convertible", fund))
    with pytest.raises(BadInput) as refused:
        services.propose_decision(officer(), project_application(),
                                  **the_fields("convertible", fund, grant_amount=D("1000000.01")))
    assert refused.value.messages == [
        f"{fund.name} invests at most ¥1,000,000.00 per project; this decision asks ¥1,000,000.01."]


def test_a_grant_only_decision_meets_no_fund_cap():
    decision = services.propose_decision(officer(), project_application(),
                                         **the_fields("grant", grant_amount=D("99000000.00")))
    assert decision.state == DecisionState.PROPOSED


def test_every_cap_broken_is_named():
    fund = FundFactory(size=D("10000000.00"), cap_per_project=D("1000000.00"), cap_share_per_project=D("5"),
                       cap_stake=D("10"))
    with pytest.raises(BadInput) as refused:
        services.propose_decision(officer(), project_application(),
                                  **the_fields("equity", fund, equity_amount=D("12000000.00"),
                                               pre_money_valuation=D("8000000.00")))
    assert refused.value.messages == [
        f"{fund.name} invests at most ¥1,000,000.00 per project; this decision asks ¥12,000,000.00.",
        f"{fund.name} puts at most 5% of its size (¥10,000,000.00) in one project; ¥12,000,000.00 is 120.0000%.",
        f"{fund.name} holds at most 10% of an investee; ¥12,000,000.00 at a pre-money valuation of ¥8,000,000.00 "
        "is 60.0000%.",
        f"{fund.name} has ¥10,000,000.00 uncommitted; this decision asks ¥12,000,000.00.",
    ]


# ------------------------------------------------------------------------------- caps again on approval

def test_a_cap_lowered_after_the_proposal_refuses_the_approval_409():
    off, fund = officer(), FundFactory(cap_per_project=D("5000000.00"))
    manager = manager_of(fund)
    decision = services.propose_decision(off, project_application(),
                                         **the_fields("grant_equity", fund, equity_amount=D("5000000.00")))
    Fund.objects.filter(pk=fund.pk).update(cap_per_project=D("4000000.00"))
    message = f"{fund.name} invests at most ¥4,000,000.00 per project; this decision asks ¥5,000,000.00."
    for user, name in ((off, "approve_grant"), (manager, "approve_equity")):
        fresh = FundingDecision.objects.get(pk=decision.pk)
        check = check_transition(fresh, name, user)
        assert (check.allowed, check.status, check.reasons) == (False, 409, [message])
        with pytest.raises(NotNow) as refused:
            run_transition(fresh, name, user)
        assert refused.value.status == 409
        assert refused.value.messages == [message]
    decision.refresh_from_db()
    assert (decision.state, decision.grant_approved_at, decision.equity_approved_at) == ("proposed", None, None)
    assert [r.transition for r in audit_rows(decision)] == ["create"]


def test_what_another_approval_committed_meanwhile_refuses_the_approval():
    """Two proposals fit the fund's ¥10M each; once the first is approved, the second no longer does."""
    off, fund = officer(), FundFactory(size=D("10000000.00"))
    manager = manager_of(fund)
    first = services.propose_decision(off, project_application(),
                                      **the_fields("equity", fund, equity_amount=D("6000000.00")))
    second = services.propose_decision(off, project_application(),
                                       **the_fields("equity", fund, equity_amount=D("6000000.00")))
    services.approve_equity(manager, first)
    with pytest.raises(NotNow) as refused:
        services.approve_equity(manager, second)
    assert refused.value.messages == [
        f"{fund.name} has ¥4,000,000.00 uncommitted; this decision asks ¥6,000,000.00."]
    assert FundingDecision.objects.get(pk=second.pk).state == "proposed"


# ============================================================================================ dual approval

def test_neither_approval_alone_approves_a_grant_equity_decision():
    off, decision = officer(), DecisionFactory()
    manager = manager_of(decision.fund)
    after_grant = services.approve_grant(off, decision)
    assert after_grant.state == DecisionState.PROPOSED
    assert (after_grant.grant_approved_by, after_grant.equity_approved_by) == (off, None)

    other = DecisionFactory()
    after_equity = services.approve_equity(manager_of(other.fund), other)
    assert after_equity.state == DecisionState.PROPOSED
    assert after_equity.grant_approved_at is None

    approved = services.approve_equity(manager, after_grant)
    assert approved.state == DecisionState.APPROVED
    assert (approved.grant_approved_by, approved.equity_approved_by) == (off, manager)
    assert [(r.transition, r.source, r.target, r.actor) for r in audit_rows(decision)] == [
        ("approve_grant", "proposed", "proposed", off),
        ("approve_equity", "proposed", "approved", manager),
    ]


def test_the_parts_can_be_approved_in_either_order():
    off, decision = officer(), DecisionFactory()
    manager = manager_of(decision.fund)
    services.approve_equity(manager, decision)
    assert services.approve_grant(off, decision).state == DecisionState.APPROVED


@pytest.mark.parametrize(("trait", "approvals"), [
    ("grant_only", ["approve_grant"]),
    ("equity_only", ["approve_equity"]),
    ("convertible", ["approve_grant", "approve_equity"]),
])
def test_a_decision_is_approved_once_every_part_it_contains_is(trait, approvals):
    decision = DecisionFactory(**{trait: True})
    off = officer()
    manager = manager_of(decision.fund) if decision.fund else None
    for i, name in enumerate(approvals):
        decision = run_transition(decision, name, off if name == "approve_grant" else manager)
        assert decision.state == ("approved" if i == len(approvals) - 1 else "proposed")


def test_a_manager_of_another_fund_cannot_approve_403():
    decision = DecisionFactory()
    stranger = manager_of(FundFactory())
    check = check_transition(decision, "approve_equity", stranger)
    assert (check.status, check.reasons) == (403, ["Only a manager of this decision's fund can approve the equity part."])
    with pytest.raises(NotAllowed) as refused:
        services.approve_equity(stranger, decision)
    assert refused.value.status == 403
    assert refused.value.messages == ["Only a manager of this decision's fund can approve the equity part."]


def test_an_officer_cannot_approve_the_equity_part_nor_a_manager_the_grant_part():
    decision = DecisionFactory()
    with pytest.raises(NotAllowed) as refused:
        services.approve_equity(officer(), decision)
    assert refused.value.messages == ["Only a manager of this decision's fund can approve the equity part."]
    with pytest.raises(NotAllowed) as refused:
        services.approve_grant(manager_of(decision.fund), decision)
    assert refused.value.messages == ["Only bureau officers can approve the grant part."]
    assert [r.transition for r in audit_rows(decision)] == []


def test_a_part_the_decision_does_not_contain_or_already_approved_cannot_be_approved_409():
    off = officer()
    equity_only = DecisionFactory(equity_only=True)
    with pytest.raises(NotNow) as refused:
        services.approve_grant(off, equity_only)
    assert refused.value.messages == ["This decision has no grant part."]
    grant_only = DecisionFactory(grant_only=True)
    check = check_transition(grant_only, "approve_equity", off)
    assert (check.status, check.reasons) == (403, ["Only a manager of this decision's fund can approve the equity part."])
    both = DecisionFactory()
    services.approve_grant(off, both)
    with pytest.raises(NotNow) as refused:
        services.approve_grant(officer(), both)
    assert refused.value.messages == ["The grant part is already approved."]
    services.approve_equity(manager_of(both.fund), both)
    with pytest.raises(NotNow) as refused:
        services.approve_grant(off, both)
    assert refused.value.messages == ["“Approve grant part” is not possible while the funding decision is “Approved”."]


# ==================================================================================================== reject

@pytest.mark.parametrize("who", ["officer", "manager of the fund"])
def test_either_side_rejects_with_a_reason(who):
    decision = DecisionFactory()
    user = officer() if who == "officer" else manager_of(decision.fund)
    with pytest.raises(BadInput) as refused:
        services.reject_decision(user, decision, "   ")
    assert refused.value.messages == ["“Reject” needs a reason: please write a comment."]
    rejected = services.reject_decision(user, decision, "The valuation is not credible.")
    assert (rejected.state, rejected.rejected_reason) == ("rejected", "The valuation is not credible.")
    assert [(r.transition, r.target, r.actor, r.comment) for r in audit_rows(decision)] == [
        ("reject", "rejected", user, "The valuation is not credible.")]


def test_a_half_approved_decision_can_still_be_rejected_but_an_approved_one_cannot():
    off = officer()
    half = DecisionFactory()
    services.approve_grant(off, half)
    assert services.reject_decision(manager_of(half.fund), half, "The fund declines.").state == "rejected"
    done = approved_decision()
    with pytest.raises(NotNow) as refused:
        services.reject_decision(off, done, "Too late.")
    assert refused.value.messages == ["“Reject” is not possible while the funding decision is “Approved”."]


def test_a_manager_of_another_fund_cannot_reject():
    decision = DecisionFactory()
    with pytest.raises(NotAllowed) as refused:
        services.reject_decision(manager_of(FundFactory()), decision, "No.")
    assert refused.value.messages == ["Only bureau officers or a manager of this decision's fund can reject it."]


# ============================================================================ the application's funding gates

NO_PROPOSAL = "A project can only be proposed with a funding decision proposal, and none exists yet."
NO_DECISION = "A project can only be approved once its funding decision is approved, and none exists yet."


def test_proposing_a_project_needs_a_funding_decision():
    off, app = officer(), project_application()
    check = check_transition(app, "propose", off)
    assert (check.allowed, check.status, check.reasons) == (False, 409, [NO_PROPOSAL])
    with pytest.raises(NotNow) as refused:
        run_transition(app, "propose", off)
    assert refused.value.messages == [NO_PROPOSAL]

    DecisionFactory(application=app)
    app.refresh_from_db()
    assert check_transition(app, "propose", off).allowed
    assert run_transition(app, "propose", off).state == "public_notice"


def test_a_rejected_decision_does_not_let_the_project_be_proposed():
    off, app = officer(), project_application()
    services.reject_decision(off, DecisionFactory(application=app), "Too early.")
    app.refresh_from_db()
    assert check_transition(app, "propose", off).reasons == ["The funding decision was rejected: Too early."]


def in_public_notice(decision):
    app = decision.application
    type(app).objects.filter(pk=app.pk).update(state="public_notice")
    return set_notice_over(app)


def test_approving_a_project_needs_its_decision_approved_naming_the_missing_part():
    off = officer()
    decision = DecisionFactory()
    app = in_public_notice(decision)
    assert check_transition(app, "approve", off).reasons == [
        "The funding decision is “Proposed”; still to approve: the grant part (bureau)、the equity part "
        "(fund manager)."]
    services.approve_grant(off, decision)
    app.refresh_from_db()
    check = check_transition(app, "approve", off)
    assert (check.status, check.reasons) == (
        409, ["The funding decision is “Proposed”; still to approve: the equity part (fund manager)."])
    with pytest.raises(NotNow):
        run_transition(app, "approve", off)
    assert not Project.objects.exists()

    services.approve_equity(manager_of(decision.fund), decision)
    app.refresh_from_db()
    approved = run_transition(app, "approve", off)
    assert approved.state == "approved"
    assert Project.objects.get(application=app).institution == app.institution


def test_approving_names_only_the_missing_grant_part():
    decision = DecisionFactory()
    services.approve_equity(manager_of(decision.fund), decision)
    app = in_public_notice(decision)
    assert check_transition(app, "approve", officer()).reasons == [
        "The funding decision is “Proposed”; still to approve: the grant part (bureau)."]


def test_approving_a_project_without_any_decision():
    app = project_application(state="public_notice")
    set_notice_over(app)
    assert check_transition(app, "approve", officer()).reasons == [NO_DECISION]


def test_a_rejected_decision_blocks_the_approval():
    decision = DecisionFactory()
    app = in_public_notice(decision)
    services.reject_decision(officer(), decision, "Objection upheld elsewhere.")
    app.refresh_from_db()
    assert check_transition(app, "approve", officer()).reasons == [
        "The funding decision is “Rejected”; still to approve: the grant part (bureau)、the equity part "
        "(fund manager)."]


# ======================================================================= the rule table: transitions × roles

OFFICER = "bureau officer"
MANAGER = "manager of the decision's fund"
OTHER_MANAGER = "manager of another fund"
OWNER = "applicant of the project's institution"
FOREIGN = "applicant of another institution"
EXPERT = "expert"
ANONYMOUS = "anonymous visitor"
ROLES = (OFFICER, MANAGER, OTHER_MANAGER, OWNER, FOREIGN, EXPERT, ANONYMOUS)


@dataclass(frozen=True)
class Row:
    label: str
    sources: tuple[str, ...]
    target: str  # from a proposed grant + equity decision with nothing approved yet
    actors: frozenset  # who may run it
    refusal: str  # what everybody else is told (403)
    needs_comment: bool = False


TABLE = {
    "approve_grant": Row("Approve grant part", ("proposed",), "proposed", frozenset({OFFICER}),
                         "Only bureau officers can approve the grant part."),
    "approve_equity": Row("Approve equity part", ("proposed",), "proposed", frozenset({MANAGER}),
                          "Only a manager of this decision's fund can approve the equity part."),
    "reject": Row("Reject", ("proposed",), "rejected", frozenset({OFFICER, MANAGER}),
                  "Only bureau officers or a manager of this decision's fund can reject it.", needs_comment=True),
    "propose_again": Row("Propose again", ("rejected",), "proposed", frozenset({OFFICER}),
                         "Only bureau officers can propose a rejected decision again.", needs_comment=True),
}

STATE_NAMES = {"proposed": "Proposed", "approved": "Approved", "rejected": "Rejected"}


def user_in(role, decision):
    return {
        OFFICER: officer,
        MANAGER: lambda: manager_of(decision.fund),
        OTHER_MANAGER: lambda: manager_of(FundFactory()),
        OWNER: lambda: applicant_of(decision.application.institution),
        FOREIGN: lambda: applicant_of(InstitutionFactory()),
        EXPERT: expert,
        ANONYMOUS: AnonymousUser,
    }[role]()


def snapshot(decision):
    return (model_to_dict(FundingDecision.objects.get(pk=decision.pk)), TransitionLog.objects.count())


def test_every_transition_has_a_row_and_the_rows_match_the_declarations():
    assert list(TABLE) == list(transition_methods(FundingDecision))
    for name, row in TABLE.items():
        declared = describe(FundingDecision, name)
        assert tuple(declared["sources"]) == row.sources, name
        assert str(declared["custom"]["label"]) == row.label, name
        assert bool(declared["custom"].get("comment_required")) == row.needs_comment, name


CASES = [(name, role) for name in transition_methods(FundingDecision) for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_rule_table(name, role):
    row = TABLE[name]  # a transition without a row fails here
    decision = DecisionFactory(state=row.sources[0])
    user = user_in(role, decision)
    check = check_transition(decision, name, user)
    comment = "A reason." if row.needs_comment else ""
    if role in row.actors:
        assert (check.allowed, check.label) == (True, row.label)
        done = run_transition(decision, name, user, comment)
        assert done.state == row.target
        assert [(r.transition, r.source, r.target, r.actor, r.comment) for r in audit_rows(decision)] == [
            (name, row.sources[0], row.target, user, comment)]
    else:
        assert (check.allowed, check.status, check.reasons) == (False, 403, [row.refusal])
        before = snapshot(decision)
        with pytest.raises(NotAllowed) as refused:
            run_transition(decision, name, user, "A reason.")
        assert refused.value.messages == [row.refusal]
        assert snapshot(decision) == before


STATE_CASES = [(name, state) for name, row in TABLE.items() for state in STATE_NAMES if state not in row.sources]


@pytest.mark.parametrize(("name", "state"), STATE_CASES, ids=[f"{n}-from-{s}" for n, s in STATE_CASES])
def test_outside_its_sources_a_transition_is_refused_409_even_to_its_actors(name, state):
    row = TABLE[name]
    decision = approve(DecisionFactory()) if state == "approved" else DecisionFactory(state=state)
    for role in row.actors:
        user = user_in(role, decision)
        check = check_transition(decision, name, user)
        message = f"“{row.label}” is not possible while the funding decision is “{STATE_NAMES[state]}”."
        assert (check.allowed, check.status, check.reasons) == (False, 409, [message])
        before = snapshot(decision)
        with pytest.raises(NotNow):
            run_transition(decision, name, user, "A reason.")
        assert snapshot(decision) == before


def test_the_buttons_each_role_sees_on_a_proposed_decision():
    from poc.rules import available_transitions

    decision = DecisionFactory()
    shown = {role: [c.name for c in available_transitions(decision, user_in(role, decision))] for role in ROLES}
    assert shown == {
        OFFICER: ["approve_grant", "reject"],
        MANAGER: ["approve_equity", "reject"],
        OTHER_MANAGER: [], OWNER: [], FOREIGN: [], EXPERT: [], ANONYMOUS: [],
    }


def test_a_rejected_decision_is_proposed_again_on_the_same_record_keeping_the_rejection_on_file():
    from funding import services

    with translation.override("en"):
        decision = DecisionFactory()
        staff = officer()
        run_transition(decision, "reject", staff, "The valuation is not credible.")
        again = services.propose_decision(staff, decision.application, instrument="grant_equity",
                                          grant_amount=D("400000.00"), grant_programme="Wenzhou PoC programme 2026",
                                          equity_amount=D("1500000.00"), fund=decision.fund,
                                          pre_money_valuation=D("12000000.00"), rationale="Lower valuation.")
        assert again.pk == decision.pk
        assert (again.state, again.equity_amount, again.grant_approved_at) == ("proposed", D("1500000.00"), None)
        assert [(r.transition, r.source, r.target) for r in audit_rows(decision)] == [
            ("reject", "proposed", "rejected"), ("propose_again", "rejected", "proposed")]
        assert audit_rows(decision)[0].comment == "The valuation is not credible."
