"""Risk and conversion transitions notify the people concerned, like every other transition (issue §9).

The risk register is confidential to the bureau and the investor: its events reach the officers and the fund's
managers (never the project's institution, nor another fund's managers). A conversion's outcome (converted into
equity, closed as a grant) reaches them and the project's institution, which learns the amounts but not the reason
written on the step. Each hears it in their own language; the one who acted is not told of their own act.
"""
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from funding import conversions, monitoring_services, services
from funding.models import Conversion, ConversionState, Risk, RiskState
from poc.errors import BadInput, NotAllowed
from poc.models import Notification, TransitionLog
from poc.notifications.fanout import fan_out
from poc.notifications.recipients import officers
from tests.factories import applicant_of, officer
from tests.funding.api_support import api_client, url
from tests.funding.factories import (
    FundFactory,
    approved_decision,
    english_and_fast,  # noqa: F401 (a fixture)
    manager_of,
)
from tests.notifications.support import with_language
from tests.poc.workflow_support import local_moment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_and_fast")]

D = Decimal
RISK_KINDS = ("risk_identified", "risk_assessed", "risk_warning", "risk_disposed")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(local_moment(2026, 5, 12, 10, 0), tick=False):
        yield


@pytest.fixture
def people():
    decision = approved_decision(convertible=True, fund=FundFactory(cap_stake=D("10")),
                                 grant_amount=D("1000000.00"), valuation_cap=None)
    institution = decision.application.institution
    return {
        "decision": decision,
        "manager": with_language(manager_of(decision.fund), "en"),
        "colleague": with_language(manager_of(decision.fund), "zh-hans"),
        "bureau": with_language(officer(), "en"),
        "team": with_language(applicant_of(institution), "zh-hans"),
        "stranger": with_language(manager_of(FundFactory()), "en"),
    }


def staff(decision, *, but):
    """The bureau's officers and the fund's managers, but the one who acted."""
    ids = {u.pk for u in officers()} | set(decision.fund.group.user_set.values_list("pk", flat=True))
    return ids - {but.pk}


def institution(decision):
    """Every member of the project's institution."""
    return set(decision.application.institution.group.user_set.values_list("pk", flat=True))


def told(obj, transition):
    """Fan out the (last) audit row of ``transition`` on ``obj``; return {recipient id: notification}."""
    log = TransitionLog.objects.for_object(obj).filter(transition=transition).order_by("-id").first()
    fan_out(log.pk)
    return {n.recipient_id: n for n in Notification.objects.filter(key__endswith=f":log:{log.pk}")}


# ============================================================================ the risk register

def test_risk_steps_reach_the_officers_and_the_funds_managers_only(people):
    p = people
    risk = monitoring_services.identify_risk(p["manager"], p["decision"], title="Key supplier single-sourced")
    heard = told(risk, "create")
    assert set(heard) == staff(p["decision"], but=p["manager"])  # not the team, not a stranger
    assert {p["colleague"].pk, p["bureau"].pk} <= set(heard)
    assert heard[p["colleague"].pk].title.startswith("新登记投后风险：")
    assert heard[p["bureau"].pk].body.endswith("Key supplier single-sourced.")

    risk = monitoring_services.assess_risk(p["bureau"], risk, likelihood=4, impact=3)
    heard = told(risk, "assess")
    assert set(heard) == staff(p["decision"], but=p["bureau"])
    assert "score 12 (likelihood × impact)" in heard[p["manager"].pk].body
    assert "风险值 12" in heard[p["colleague"].pk].body

    risk = monitoring_services.warn_risk(p["manager"], risk, "Supplier in financial distress.")
    heard = told(risk, "warn")
    assert set(heard) == staff(p["decision"], but=p["manager"])
    assert heard[p["bureau"].pk].kind == "risk_warning"
    assert "Supplier in financial distress." in heard[p["bureau"].pk].body  # staff read the note

    risk = monitoring_services.dispose_risk(p["manager"], risk, "Second supplier qualified.")
    heard = told(risk, "dispose")
    assert {n.kind for n in heard.values()} == {"risk_disposed"}
    assert set(heard) == staff(p["decision"], but=p["manager"])
    # The confidential register never reaches the institution or another fund.
    assert not Notification.objects.filter(recipient__in=[p["team"], p["stranger"]]).exists()


def test_a_refused_risk_step_notifies_nobody(people):
    p = people
    risk = monitoring_services.identify_risk(p["manager"], p["decision"], title="Founder leaving")
    with pytest.raises(BadInput):
        monitoring_services.assess_risk(p["manager"], risk, likelihood=6, impact=3)
    with pytest.raises(NotAllowed):
        monitoring_services.warn_risk(p["team"], risk, "Not mine to say.")
    assert Risk.objects.get(pk=risk.pk).state == RiskState.IDENTIFIED
    assert list(TransitionLog.objects.for_object(risk).values_list("transition", flat=True)) == ["create"]
    assert not Notification.objects.filter(kind__in=RISK_KINDS[1:]).exists()


def test_a_risk_warning_through_the_api_notifies_the_staff(people):
    p = people
    client = api_client(p["manager"])
    created = client.post(url("risks"), {"decision": p["decision"].pk, "title": "Patent challenged"}, format="json")
    assert created.status_code == 201
    risk = Risk.objects.get(pk=created.json()["id"])
    refused = client.post(url("risks", risk, "transitions", "warn"), {}, format="json")
    assert refused.status_code == 400  # a warning needs a reason; nothing happens, nobody hears
    assert not Notification.objects.filter(kind="risk_warning").exists()
    warned = client.post(url("risks", risk, "transitions", "warn"), {"comment": "Opposition filed."}, format="json")
    assert warned.status_code == 200
    heard = told(risk, "warn")
    assert set(heard) == staff(p["decision"], but=p["manager"])
    assert heard[p["bureau"].pk].title == f"Risk warning: {p['decision'].application}"


# ============================================================================ the conversion

def qualifying_round(decision, user):
    """¥6,250,000 pre-money, ¥5,000,000 raised: a ¥1,000,000 grant takes exactly the 10 % cap, so it converts."""
    services.record_round(user, decision, round_name="Series A", closed_on=date(2026, 9, 1),
                          pre_money_valuation="6250000.00", amount_raised="5000000.00")
    return Conversion.objects.get(decision=decision)


def test_a_conversion_reaches_the_staff_and_the_institution_without_the_reason(people):
    p = people
    conversion = qualifying_round(p["decision"], p["manager"])
    assert conversion.state == ConversionState.CONVERTED
    heard = told(conversion, "convert")
    assert set(heard) == staff(p["decision"], but=p["manager"]) | institution(p["decision"])
    assert {n.kind for n in heard.values()} == {"conversion_converted"}
    to_bureau, team = heard[p["bureau"].pk], heard[p["team"].pk]
    assert to_bureau.body.startswith("¥1,000,000.00 of the grant of")
    assert "a stake of 16.6667 % at conversion" in to_bureau.body
    assert to_bureau.body.endswith("Reason: Converted at Series A: valuation 5000000.00, stake 16.6667% (10.0000% after "
                                   "the round).")  # the staff read the step's reason
    assert team.body == (f"{p['decision'].application} 的资助中 1,000,000.00 元已转为股权，转股时持股比例 16.6667%。")
    assert p["stranger"].pk not in heard


def test_a_conversion_up_to_the_cap_tells_the_institution_the_amount_converted(people):
    p = people
    decision = approved_decision(convertible=True, fund=FundFactory(cap_stake=D("10")),
                                 grant_amount=D("1200000.00"), valuation_cap=None)
    manager, team = manager_of(decision.fund), with_language(applicant_of(decision.application.institution), "en")
    conversion = qualifying_round(decision, manager)
    assert conversion.state == ConversionState.WAITING_ON_CAP
    assert team.pk not in told(conversion, "hold")  # the cap is between the fund and the bureau
    with pytest.raises(NotAllowed):
        conversions.convert_up_to_cap(p["bureau"], conversion)
    conversions.convert_up_to_cap(manager, Conversion.objects.get(pk=conversion.pk), "Cap of the fund.")
    heard = told(conversion, "convert_up_to_cap")
    assert heard[team.pk].kind == "conversion_converted"
    assert heard[team.pk].body == (f"¥1,000,000.00 of the grant of {decision.application} was converted into "
                                   "equity, a stake of 16.6667 % at conversion.")
    assert heard[p["bureau"].pk].kind == "conversion_converted_up_to_cap"


def test_closing_as_a_grant_reaches_the_staff_and_the_institution(people):
    p = people
    closed = services.close_conversion_as_grant(p["bureau"], p["decision"], "企业放弃转股，经基金内部评估")
    conversion = Conversion.objects.get(pk=closed.pk)
    heard = told(conversion, "lapse")
    assert set(heard) == staff(p["decision"], but=p["bureau"]) | institution(p["decision"])
    assert heard[p["manager"].pk].body.startswith(f"The grant of {p['decision'].application} did not convert; "
                                                  "¥1,000,000.00 closes as a grant.")
    assert "企业放弃转股" in heard[p["manager"].pk].body
    assert heard[p["team"].pk].title == f"资助按财政资助结项：{p['decision'].application}"
    assert "企业放弃转股" not in heard[p["team"].pk].body  # the fund's note stays internal


def test_a_refused_close_notifies_nobody(people):
    p = people
    with pytest.raises(NotAllowed):
        services.close_conversion_as_grant(p["team"], p["decision"], "We would rather not.")
    assert services.outstanding_conversion(p["decision"]).state == ConversionState.OUTSTANDING
    assert not Notification.objects.filter(kind__in=["conversion_lapsed", "conversion_converted"]).exists()


def test_closing_as_a_grant_through_the_api_notifies(people):
    p = people
    conversion = services.outstanding_conversion(p["decision"])
    target = url("conversions", conversion, "transitions", "lapse")
    refused = api_client(p["team"]).post(target, {"comment": "x"}, format="json")
    assert refused.status_code in (403, 404)
    assert not Notification.objects.exists()
    response = api_client(p["manager"]).post(target, {"comment": "No qualifying round."}, format="json")
    assert response.status_code == 200, response.content
    heard = told(conversion, "lapse")
    assert set(heard) == staff(p["decision"], but=p["manager"]) | institution(p["decision"])
