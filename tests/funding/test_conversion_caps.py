"""Caps apply to conversions too (先投后股): a conversion that would breach a cap of the fund (the stake after the
round, the amount per project, the share of the fund) waits, with the breach in numbers, until the fund's managers
convert up to the cap (the rest closes as a grant) or the bureau approves a waiver they asked for with a reason.

The scene: a ¥1,000,000 convertible grant, 20 % discount, no valuation cap; a qualifying round of ¥6,250,000
pre-money raising ¥5,000,000. By the pre-money convention (funding.finance) the grant buys 1,000,000 / 0.8 =
1,250,000 yuan of shares at the round's price beside the new money's 5,000,000 and the earlier 6,250,000:
1.25 / 12.5 = exactly 10 % after the round.
"""
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from funding import conversions, services
from funding.conversion_caps import largest_amount_within_caps, stake_after_round
from funding.models import Conversion, ConversionState, Investment
from poc.errors import BadInput, NotAllowed, NotNow
from poc.models import Notification, TransitionLog
from poc.notifications.fanout import fan_out
from tests.factories import applicant_of, officer
from tests.funding.api_support import api_client, url
from tests.funding.factories import (
    FundFactory,
    approved_decision,
    english_and_fast,  # noqa: F401 (a fixture)
    manager_of,
)
from tests.poc.pages_support import browser, messages_of, text
from tests.poc.workflow_support import local_moment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_and_fast")]

D = Decimal


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(local_moment(2026, 5, 12, 10, 0), tick=False):
        yield


def convertible(grant="1000000.00", **caps):
    fund = FundFactory(**caps)
    return approved_decision(convertible=True, fund=fund, grant_amount=D(grant), valuation_cap=None)


def qualifying_round(decision, user=None):
    """¥6,250,000 pre-money, ¥5,000,000 raised (qualifies: at least ¥5,000,000 by 2026-12-31)."""
    services.record_round(user or manager_of(decision.fund), decision, round_name="Series A",
                          closed_on=date(2026, 9, 1), pre_money_valuation="6250000.00", amount_raised="5000000.00")
    return Conversion.objects.get(decision=decision)


def audit(conversion):
    return [(r.transition, r.source, r.target, r.comment)
            for r in TransitionLog.objects.for_object(conversion).order_by("id")]


def frozen(conversion) -> dict:
    """What a refused step must leave as it was."""
    c = Conversion.objects.get(pk=conversion.pk)
    return {"state": c.state, "converted": c.converted_amount, "rest": c.closed_as_grant_amount,
            "reason": c.waiver_reason, "logs": TransitionLog.objects.for_object(c).count(),
            "holdings": Investment.objects.filter(decision_id=c.decision_id).count()}


# ======================================================================== the stake cap, at its boundary

def test_stake_cap_exactly_reached_converts():
    decision = convertible(cap_stake=D("10"))
    conversion = qualifying_round(decision)
    assert stake_after_round(conversion, decision.grant_amount) * 100 == 10
    assert conversion.state == ConversionState.CONVERTED
    assert (conversion.converted_amount, conversion.closed_as_grant_amount) == (D("1000000.00"), D("0.00"))
    assert Investment.objects.get(decision=decision).amount == D("1000000.00")


def test_stake_cap_exceeded_by_one_cent_waits_with_the_breach_in_numbers():
    decision = convertible("1000000.01", cap_stake=D("10"))
    conversion = qualifying_round(decision)
    assert conversion.state == ConversionState.WAITING_ON_CAP
    assert conversion.financing_round.round_name == "Series A"
    assert not Investment.objects.filter(decision=decision).exists()
    # Over by a hair (10.00000009…%): shown rounded up, so it never reads as the cap itself.
    assert audit(conversion) == [("hold", "outstanding", "waiting_on_cap",
                                  f"Qualifying round Series A; the conversion waits: {decision.fund.name} holds at "
                                  "most 10% of an investee; converting ¥1,000,000.01 at Series A makes 10.0001% "
                                  "after the round.")]


def test_stake_cap_exceeded_by_the_smallest_stake_step_waits():
    decision = convertible(cap_stake=D("9.9999"))
    conversion = qualifying_round(decision)
    assert conversion.state == ConversionState.WAITING_ON_CAP
    assert "holds at most 9.9999% of an investee; converting ¥1,000,000.00 at Series A makes 10.0000% after " \
           "the round." in audit(conversion)[0][3]


# ============================================================ amount per project and share of the fund

def test_per_project_cap_exactly_reached_converts():
    conversion = qualifying_round(convertible(cap_per_project=D("1000000.00")))
    assert conversion.state == ConversionState.CONVERTED


def test_per_project_cap_exceeded_by_one_cent_waits():
    decision = convertible("1000000.01", cap_per_project=D("1000000.00"))
    conversion = qualifying_round(decision)
    assert conversion.state == ConversionState.WAITING_ON_CAP
    assert (f"{decision.fund.name} invests at most ¥1,000,000.00 per project; converting the grant puts "
            "¥1,000,000.01 in.") in audit(conversion)[0][3]


def test_share_of_the_fund_exactly_reached_converts():
    conversion = qualifying_round(convertible(cap_share_per_project=D("1")))  # 1 % of ¥100,000,000
    assert conversion.state == ConversionState.CONVERTED


def test_share_of_the_fund_exceeded_by_one_cent_waits():
    decision = convertible("1000000.01", cap_share_per_project=D("1"))
    conversion = qualifying_round(decision)
    assert conversion.state == ConversionState.WAITING_ON_CAP
    assert (f"{decision.fund.name} puts at most 1% of its size (¥100,000,000.00) in one project; converting "
            "¥1,000,000.01 is 1.0001%.") in audit(conversion)[0][3]


# ========================================================================== convert up to the cap

def test_convert_up_to_cap_splits_the_grant_exactly():
    # 10 % cap, ¥1,200,000 grant: g ≤ 0.1 × 11,250,000 / (1.25 × 0.9) = ¥1,000,000.00 converts, ¥200,000.00 closes.
    decision = convertible("1200000.00", cap_stake=D("10"))
    conversion = qualifying_round(decision)
    manager = manager_of(decision.fund)
    done = conversions.convert_up_to_cap(manager, conversion)
    assert done.state == ConversionState.CONVERTED
    assert (done.converted_amount, done.closed_as_grant_amount) == (D("1000000.00"), D("200000.00"))
    assert done.converted_amount + done.closed_as_grant_amount == decision.grant_amount
    # Stake at conversion: 1,250,000 / (6,250,000 + 1,250,000) = 16.6667 %; after the round exactly the cap.
    assert (done.conversion_valuation, done.stake) == (D("5000000.00"), D("16.6667"))
    held = Investment.objects.get(decision=decision)
    assert (held.amount, held.is_conversion, held.stake) == (D("1000000.00"), True, D("16.6667"))
    assert services.current_stake(held) == D("10.0000")
    assert audit(done)[-1] == ("convert_up_to_cap", "waiting_on_cap", "converted",
                               "Converted ¥1,000,000.00 up to the cap; ¥200,000.00 closes as a grant.")


def test_convert_up_to_cap_rounds_down_to_the_cent_and_the_parts_sum_to_the_grant():
    # 7 %: g ≤ 0.07 × 11,250,000 / (1.25 × 0.93) = 677,419.3548… → ¥677,419.35 (one cent more breaches).
    decision = convertible(cap_stake=D("7"))
    conversion = qualifying_round(decision)
    assert largest_amount_within_caps(conversion) == D("677419.35")
    assert stake_after_round(conversion, D("677419.35")) * 100 <= 7 < stake_after_round(conversion, D("677419.36")) * 100
    done = conversions.convert_up_to_cap(manager_of(decision.fund), conversion)
    assert (done.converted_amount, done.closed_as_grant_amount) == (D("677419.35"), D("322580.65"))
    assert done.converted_amount + done.closed_as_grant_amount == D("1000000.00")


def test_convert_up_to_cap_is_the_fund_managers_and_refused_for_an_officer_with_nothing_changed():
    decision = convertible("1200000.00", cap_stake=D("10"))
    conversion = qualifying_round(decision)
    before = frozen(conversion)
    with pytest.raises(NotAllowed, match="Only the fund's managers can convert up to the cap."):
        conversions.convert_up_to_cap(officer(), conversion)
    with pytest.raises(NotAllowed):
        conversions.convert_up_to_cap(manager_of(FundFactory()), conversion)
    assert frozen(conversion) == before


# ================================================================================== the waiver

def test_waiver_needs_a_reason_and_the_officers_approval():
    decision = convertible("1200000.00", cap_stake=D("10"))
    conversion = qualifying_round(decision)
    manager, bureau = manager_of(decision.fund), officer()
    before = frozen(conversion)
    with pytest.raises(BadInput, match="needs a reason"):
        conversions.request_cap_waiver(manager, conversion, "  ")
    assert frozen(conversion) == before

    asked = conversions.request_cap_waiver(manager, conversion, "领投方同意，持股比例超限部分一年内回购。")
    assert (asked.state, asked.waiver_reason) == (ConversionState.WAIVER_REQUESTED, "领投方同意，持股比例超限部分一年内回购。")
    assert not Investment.objects.filter(decision=decision).exists()  # nothing converts before the bureau approves

    approved = conversions.approve_cap_waiver(bureau, asked, "同意豁免。")
    assert approved.state == ConversionState.CONVERTED
    assert (approved.converted_amount, approved.closed_as_grant_amount) == (D("1200000.00"), D("0.00"))
    assert Investment.objects.get(decision=decision).amount == D("1200000.00")
    assert [row[:3] for row in audit(approved)] == [
        ("hold", "outstanding", "waiting_on_cap"), ("request_waiver", "waiting_on_cap", "waiver_requested"),
        ("approve_waiver", "waiver_requested", "converted")]
    logs = TransitionLog.objects.for_object(approved).order_by("id")
    assert [(log.actor, log.comment) for log in logs][1:] == [
        (manager, "领投方同意，持股比例超限部分一年内回购。"), (bureau, "同意豁免。")]


def test_waiver_refused_for_the_wrong_role_with_nothing_changed():
    decision = convertible("1200000.00", cap_stake=D("10"))
    conversion = qualifying_round(decision)
    manager, bureau = manager_of(decision.fund), officer()
    before = frozen(conversion)
    with pytest.raises(NotAllowed, match="Only the fund's managers can ask for a cap waiver."):
        conversions.request_cap_waiver(bureau, conversion, "reason")
    with pytest.raises(NotAllowed):
        conversions.request_cap_waiver(applicant_of(decision.application.institution), conversion, "reason")
    assert frozen(conversion) == before

    asked = conversions.request_cap_waiver(manager, conversion, "reason")
    before = frozen(asked)
    with pytest.raises(NotAllowed, match="Only bureau officers can approve a cap waiver."):
        conversions.approve_cap_waiver(manager, asked)
    with pytest.raises(NotNow):  # not from the waiting state: the waiver must be asked for first
        conversions.convert_up_to_cap(manager, asked)
    assert frozen(asked) == before


def test_a_refused_waiver_sends_the_conversion_back_to_wait():
    decision = convertible("1200000.00", cap_stake=D("10"))
    conversion = qualifying_round(decision)
    asked = conversions.request_cap_waiver(manager_of(decision.fund), conversion, "reason")
    with pytest.raises(BadInput):
        conversions.refuse_cap_waiver(officer(), asked, "")
    back = conversions.refuse_cap_waiver(officer(), asked, "超过基金持股上限，不予豁免。")
    assert back.state == ConversionState.WAITING_ON_CAP
    assert not Investment.objects.filter(decision=decision).exists()


def test_convert_and_hold_follow_from_a_round_only():
    decision = convertible("1200000.00", cap_stake=D("10"))
    conversion = qualifying_round(decision)
    for name in ("convert", "hold"):
        with pytest.raises(NotNow):
            conversions.run_conversion_step(manager_of(decision.fund), conversion, name)


def test_a_conversion_waiting_on_a_cap_can_still_close_as_a_grant():
    decision = convertible("1200000.00", cap_stake=D("10"))
    qualifying_round(decision)
    closed = services.close_conversion_as_grant(manager_of(decision.fund), decision, "企业放弃转股")
    assert (closed.state, closed.closed_as_grant_amount) == (ConversionState.LAPSED, D("1200000.00"))


# ====================================================================================== the API

def test_api_shows_the_breach_and_runs_the_steps_by_role():
    decision = convertible("1200000.00", cap_stake=D("10"))
    conversion = qualifying_round(decision)
    manager, bureau = manager_of(decision.fund), officer()
    detail = url("conversions", conversion)

    # 1,500,000 / (6,250,000 + 5,000,000 + 1,500,000) = 11.76470…%, shown to 4 decimals.
    body = api_client(manager).get(detail).json()
    assert body["state"] == "waiting_on_cap" and body["convertible_within_caps"] == "1000000.00"
    assert body["cap_breaches"] == [f"{decision.fund.name} holds at most 10% of an investee; converting "
                                    "¥1,200,000.00 at Series A makes 11.7647% after the round."]
    # Another fund's manager and the applicant do not see it at all.
    assert api_client(manager_of(FundFactory())).get(detail).status_code == 404
    assert api_client(applicant_of(decision.application.institution)).get(detail).status_code == 404

    before = frozen(conversion)
    assert api_client(bureau).post(detail + "transitions/convert_up_to_cap/", {}).status_code == 403
    assert api_client(manager).post(detail + "transitions/hold/", {}).status_code == 403
    response = api_client(manager).post(detail + "transitions/request_waiver/", {})
    assert response.status_code == 400
    assert frozen(conversion) == before

    response = api_client(manager).post(detail + "transitions/convert_up_to_cap/", {}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["converted_amount"], body["closed_as_grant_amount"]) == (
        "converted", "1000000.00", "200000.00")
    assert body["stake_after_round"] == "10.0000" and body["investment"] is not None


def test_api_waiver_asked_by_the_manager_and_approved_by_an_officer():
    decision = convertible("1200000.00", cap_stake=D("10"))
    conversion = qualifying_round(decision)
    manager, bureau = manager_of(decision.fund), officer()
    detail = url("conversions", conversion)
    asked = api_client(manager).post(detail + "transitions/request_waiver/", {"comment": "战略项目"}, format="json")
    assert asked.status_code == 200 and asked.json()["waiver_reason"] == "战略项目"
    assert api_client(manager).post(detail + "transitions/approve_waiver/", {}).status_code == 403
    approved = api_client(bureau).post(detail + "transitions/approve_waiver/", {}, format="json")
    assert approved.status_code == 200
    assert (approved.json()["state"], approved.json()["converted_amount"]) == ("converted", "1200000.00")


# ==================================================================================== the pages

def test_rounds_page_shows_the_wait_in_numbers_and_the_manager_converts_up_to_the_cap():
    decision = convertible("1200000.00", cap_stake=D("10"))
    conversion = qualifying_round(decision)
    manager = manager_of(decision.fund)
    body = text(browser(manager).get(f"/funding/decisions/{decision.pk}/rounds/"))
    assert "makes 11.7647% after the round" in body and "¥1,000,000.00" in body and "¥200,000.00" in body

    # The officer's attempt is refused with the reason, nothing changed.
    before = frozen(conversion)
    response = browser(officer()).post(f"/funding/decisions/{decision.pk}/conversion/convert_up_to_cap/")
    assert "Only the fund's managers can convert up to the cap." in messages_of(response)
    assert frozen(conversion) == before

    response = browser(manager).post(f"/funding/decisions/{decision.pk}/conversion/convert_up_to_cap/")
    assert response.status_code == 302
    assert Conversion.objects.get(pk=conversion.pk).converted_amount == D("1000000.00")


def test_waiver_through_the_pages_manager_then_officer():
    decision = convertible("1200000.00", cap_stake=D("10"))
    conversion = qualifying_round(decision)
    manager, bureau = manager_of(decision.fund), officer()
    step = f"/funding/decisions/{decision.pk}/conversion/"
    response = browser(manager).post(step + "request_waiver/", {"request_waiver-comment": ""})
    assert any("needs a reason" in m for m in messages_of(response))
    assert Conversion.objects.get(pk=conversion.pk).state == ConversionState.WAITING_ON_CAP
    browser(manager).post(step + "request_waiver/", {"request_waiver-comment": "战略项目"})
    assert Conversion.objects.get(pk=conversion.pk).state == ConversionState.WAIVER_REQUESTED
    assert "战略项目" in text(browser(bureau).get(f"/funding/decisions/{decision.pk}/rounds/"))
    browser(bureau).post(step + "approve_waiver/", {"approve_waiver-comment": ""})
    assert Conversion.objects.get(pk=conversion.pk).state == ConversionState.CONVERTED


# ============================================================================ who hears of it

def test_the_wait_and_the_waiver_notify_the_people_concerned():
    decision = convertible("1200000.00", cap_stake=D("10"))
    manager, colleague, bureau = manager_of(decision.fund), manager_of(decision.fund), officer()
    conversion = qualifying_round(decision, manager)

    def told(transition, kind):
        fan_out(TransitionLog.objects.for_object(conversion).get(transition=transition).pk)
        return set(Notification.objects.filter(kind=kind).values_list("recipient", flat=True))

    assert {colleague.pk, bureau.pk} <= told("hold", "conversion_waiting_on_cap")
    conversions.request_cap_waiver(manager, conversion, "reason")
    assert bureau.pk in told("request_waiver", "conversion_waiver_requested")
    conversions.approve_cap_waiver(bureau, Conversion.objects.get(pk=conversion.pk))
    heard = told("approve_waiver", "conversion_waiver_decided")
    assert manager.pk in heard and bureau.pk not in heard
    assert applicant_of(decision.application.institution).pk not in heard
