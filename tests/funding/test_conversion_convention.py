"""The convertible grant's conversion convention (issue 12 §1), through the service, the figures and the API:
the standard pre-money convention of funding.finance, with its worked example (¥1,000,000 grant; ¥40,000,000
pre-money raising ¥10,000,000; 20 % discount, no cap → 1/41 = 2.4390 % after the round)."""
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from funding import figures, services
from funding.models import Conversion, Investment
from poc.models import TransitionLog
from tests.factories import officer
from tests.funding.factories import approved_decision, english_and_fast, manager_of  # noqa: F401 (a fixture)
from tests.poc.pages_support import browser, text
from tests.poc.workflow_support import local_moment

from .api_support import CONVERTIBLE, D, approved, make_scene, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(local_moment(2026, 5, 12, 10, 0), tick=False):
        yield


def worked_example_decision(**terms):
    return approved_decision(convertible=True, conversion_discount=D("20"), valuation_cap=None, **terms)


def record_round(decision, name, closed_on, pre_money, raised):
    return services.record_round(officer(), decision, round_name=name, closed_on=closed_on,
                                 pre_money_valuation=pre_money, amount_raised=raised)


# ================================================================================================ service

@pytest.mark.usefixtures("english_and_fast")
def test_conversion_worked_example_2_4390_percent_through_the_service():
    decision = worked_example_decision()
    record_round(decision, "Series A", date(2026, 9, 1), "40000000.00", "10000000.00")
    conversion = Conversion.objects.get(decision=decision)
    assert (conversion.state, conversion.conversion_valuation, conversion.stake) == (
        "converted", D("32000000.00"), D("3.0303"))  # 1,000,000 / 33,000,000 before the new money
    held = Investment.objects.get(decision=decision, is_conversion=True)
    assert services.current_stake(held) == D("2.4390")
    assert figures.held_stake(held) == D("2.4390")
    assert [(step.label, step.stake) for step in figures.stake_history(held)] == [
        ("At conversion", D("3.0303")), ("After Series A", D("2.4390"))]
    assert TransitionLog.objects.get(transition="convert").comment == (
        "Converted at Series A: valuation 32000000.00, stake 3.0303% (2.4390% after the round).")


@pytest.mark.usefixtures("english_and_fast")
def test_conversion_cap_below_the_discounted_valuation_through_the_service():
    # Cap ¥30,000,000 < 0.8 × ¥40,000,000: the cap's price replaces 0.8 P; shares S/30: 2/77 = 2.5974 %.
    decision = worked_example_decision()
    decision.valuation_cap = D("30000000.00")
    decision.save(update_fields=["valuation_cap"])
    record_round(decision, "Series A", date(2026, 9, 1), "40000000.00", "10000000.00")
    conversion = Conversion.objects.get(decision=decision)
    assert (conversion.conversion_valuation, conversion.stake) == (D("30000000.00"), D("3.2258"))
    held = Investment.objects.get(decision=decision, is_conversion=True)
    assert (services.current_stake(held), figures.held_stake(held)) == (D("2.5974"), D("2.5974"))


@pytest.mark.usefixtures("english_and_fast")
def test_conversion_dilution_by_a_later_round_through_the_service():
    decision = worked_example_decision()
    record_round(decision, "Series A", date(2026, 9, 1), "40000000.00", "10000000.00")
    record_round(decision, "Series B", date(2027, 6, 1), "90000000.00", "30000000.00")
    held = Investment.objects.get(decision=decision, is_conversion=True)
    # 1/41 × 90/120 = 3/164 = 1.829268…%
    assert services.current_stake(held) == D("1.8293")
    assert [step.stake for step in figures.stake_history(held)] == [D("3.0303"), D("2.4390"), D("1.8293")]
    # An exit sells from the exact holding; the rest is shown rounded.
    services.record_exit(manager_of(decision.fund), held, kind="secondary", exited_on=date(2027, 7, 1),
                         proceeds="1000000.00", stake_sold="1.0000")
    assert (services.current_stake(held), figures.held_stake(held)) == (D("0.8293"), D("0.8293"))


@pytest.mark.usefixtures("english_and_fast")
def test_conversion_worked_example_2_4390_percent_on_the_rounds_page():
    decision = worked_example_decision()
    record_round(decision, "Series A", date(2026, 9, 1), "40000000.00", "10000000.00")
    body = text(browser(manager_of(decision.fund)).get(reverse("funding:rounds", args=[decision.pk])))
    assert "¥32,000,000.00" in body and "3.0303%" in body and "2.4390%" in body
    assert "beside the new money's (19.5122%); the earlier holders keep 78.0488%" in body


def test_conversion_worked_example_is_explained_in_chinese():
    with translation.override("zh-hans"):
        assert translation.gettext(
            "the grant's shares are issued at the round beside the new money's (%(n)s); the earlier holders keep "
            "%(e)s") % {"n": "19.5122%", "e": "78.0488%"} == "拨款转股的股份与本轮新增投资的股份（19.5122%）同时发行；原有股东持有 78.0488%"


# ==================================================================================================== API

@pytest.fixture
def s():
    return make_scene()


def test_conversion_worked_example_2_4390_percent_through_the_api(s):
    decision = approved(s, **CONVERTIBLE)  # 20 % discount, no cap
    client = s.client(s.manager_a)
    response = client.post(url("financing-rounds"), {"decision": decision.pk, "round_name": "A",
                                                     "closed_on": "2026-09-01", "pre_money_valuation": "40000000.00",
                                                     "amount_raised": "10000000.00"}, format="json")
    assert response.status_code == 201, response.json()
    conversion = response.json()["conversion"]
    assert (conversion["conversion_valuation"], conversion["stake_at_conversion"], conversion["stake_after_round"]) == (
        "32000000.00", "3.0303", "2.4390")
    internals = client.get(url("funding-decisions", decision)).json()["internals"]
    assert internals["conversion"]["stake_after_round"] == "2.4390"
    holding = client.get(url("investments", conversion["investment"])).json()
    assert (holding["stake"], holding["current_stake"]) == ("3.0303", "2.4390")

    later = client.post(url("financing-rounds"), {"decision": decision.pk, "round_name": "B",
                                                  "closed_on": "2027-06-01", "pre_money_valuation": "90000000.00",
                                                  "amount_raised": "30000000.00"}, format="json")
    assert later.status_code == 201, later.json()
    assert client.get(url("investments", conversion["investment"])).json()["current_stake"] == "1.8293"


def test_conversion_cap_below_the_discounted_valuation_through_the_api(s):
    decision = approved(s, **{**CONVERTIBLE, "valuation_cap": D("30000000.00")})
    response = s.client(s.manager_a).post(url("financing-rounds"), {
        "decision": decision.pk, "round_name": "A", "closed_on": "2026-09-01",
        "pre_money_valuation": "40000000.00", "amount_raised": "10000000.00"}, format="json")
    assert response.status_code == 201, response.json()
    conversion = response.json()["conversion"]
    assert (conversion["conversion_valuation"], conversion["stake_at_conversion"], conversion["stake_after_round"]) == (
        "30000000.00", "3.2258", "2.5974")
    holding = s.client(s.manager_a).get(url("investments", conversion["investment"])).json()
    assert holding["current_stake"] == "2.5974"
