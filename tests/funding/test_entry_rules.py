"""Rules a funding decision must respect beyond the fund's caps (issue 12 §7).

* The call's grant ceiling: the decision's grant may reach it, not pass it by a cent (on proposal and on approval).
* A fund's entry rules for a convertible grant (先投后股), read from the applicant company's record: company age
  ≤ N years (exactly N years is in, one day more is out), paid-in capital ≥ X % of the registered capital (exactly
  X % is in). A refusal gives the numbers and changes nothing; the rules are set by the fund's managers (or
  officers), each change audited.
"""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from funding import services
from funding.models import Fund, FundingDecision
from poc.centers.models import add_months
from poc.errors import BadInput, NotAllowed, NotNow
from poc.models import Institution, TransitionLog
from tests.factories import applicant_of, officer
from tests.poc.workflow_support import FAST_HASHERS

from .api_support import CONVERTIBLE, D, make_scene, propose, url
from .factories import DecisionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_and_fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    with translation.override("en"):
        yield


@pytest.fixture
def s():
    """The scene, with a PoC call capped at ¥1,000,000 per project and fund B (no caps) admitting convertible
    grants only for a company at most 3 years old with paid-in capital at least 30 % of the registered."""
    scene = make_scene()
    scene.call.grant_ceiling = D("1000000.00")
    scene.call.save(update_fields=["grant_ceiling"])
    scene.fund_b = services.set_entry_rules(scene.manager_b, scene.fund_b, entry_max_company_age_years=3,
                                            entry_min_paid_in_percent=D("30"))
    company(scene.inst1, founded_on=add_months(today(), -36), registered="10000000.00", paid_in="3000000.00")
    return scene


def today():
    return timezone.localdate()


def company(institution, *, founded_on, registered, paid_in):
    Institution.objects.filter(pk=institution.pk).update(
        founded_on=founded_on, registered_capital=None if registered is None else D(registered),
        paid_in_capital=None if paid_in is None else D(paid_in))


def convertible(s, application=None, **fields):
    return propose(s, application, fund=s.fund_b, **{**CONVERTIBLE, **fields})


def decisions_and_logs():
    return FundingDecision.objects.count(), TransitionLog.objects.count()


# ================================================================== the call's grant ceiling on the decision

def test_grant_ceiling_exactly_reached_by_the_decision_is_proposed_and_approved(s):
    decision = propose(s, instrument="grant", grant_amount=D("1000000.00"), equity_amount=D("0"),
                       pre_money_valuation=None)
    assert services.approve_grant(s.officer, decision).state == "approved"


def test_grant_ceiling_exceeded_by_a_cent_refuses_the_proposal_with_the_numbers_and_creates_nothing(s):
    app = s.application()
    before = decisions_and_logs()
    with pytest.raises(BadInput) as refused:
        propose(s, app, instrument="grant", grant_amount=D("1000000.01"), equity_amount=D("0"),
                pre_money_valuation=None)
    assert refused.value.messages == ["The decision's grant of ¥1,000,000.01 is over the call's grant ceiling of "
                                      "¥1,000,000.00 per project (by ¥0.01)."]
    assert decisions_and_logs() == before


def test_grant_ceiling_is_a_condition_of_the_approvals_and_a_refusal_changes_nothing(s):
    decision = DecisionFactory(application=s.application(), grant_amount=D("1000000.01"), fund=s.fund_a)
    for user, step in ((s.officer, services.approve_grant), (s.manager_a, services.approve_equity)):
        with pytest.raises(NotNow) as refused:
            step(user, decision)
        assert "over the call's grant ceiling of ¥1,000,000.00 per project (by ¥0.01)" in str(refused.value)
    decision.refresh_from_db()
    assert (decision.state, decision.grant_approved_at, decision.equity_approved_at) == ("proposed", None, None)
    assert not TransitionLog.objects.for_object(decision).exists()


def test_grant_ceiling_through_the_api(s):
    client = s.client(s.officer)
    body = {"application": s.application().pk, "instrument": "grant", "grant_amount": "1000000.01",
            "grant_programme": "市科技计划"}
    refused = client.post(url("funding-decisions"), body, format="json")
    assert refused.status_code == 400
    assert "¥1,000,000.01 is over the call's grant ceiling of ¥1,000,000.00" in refused.json()["detail"]
    assert not FundingDecision.objects.exists()
    assert client.post(url("funding-decisions"), {**body, "grant_amount": "1000000.00"},
                       format="json").status_code == 201


# ================================================================== company age

def test_company_age_exactly_n_years_meets_the_entry_rule(s):
    decision = convertible(s)
    decision = services.approve_grant(s.officer, decision)
    assert services.approve_equity(s.manager_b, decision).state == "approved"


def test_company_age_n_years_and_one_day_is_refused_with_the_numbers_and_nothing_created(s):
    founded = add_months(today(), -36) - timedelta(days=1)
    company(s.inst1, founded_on=founded, registered="10000000.00", paid_in="3000000.00")
    before = decisions_and_logs()
    with pytest.raises(BadInput) as refused:
        convertible(s)
    assert refused.value.messages == [
        f"The company was founded 3 years 1 day ago (on {founded.isoformat()}), more than the 3 years "
        "温州科创基金·天使子基金 allows for a convertible grant."]
    assert decisions_and_logs() == before


def test_company_age_in_years_and_months_in_chinese(s):
    founded = add_months(today(), -38)
    company(s.inst1, founded_on=founded, registered="10000000.00", paid_in="3000000.00")
    with translation.override("zh-hans"), pytest.raises(BadInput) as refused:
        convertible(s)
    assert refused.value.messages == [
        f"公司成立 3 年 2 个月（{founded.isoformat()} 成立），超过温州科创基金·天使子基金对先投后股规定的 3 年。"]


def test_company_age_unknown_is_refused_saying_what_is_missing(s):
    company(s.inst1, founded_on=None, registered="10000000.00", paid_in="3000000.00")
    with pytest.raises(BadInput) as refused:
        convertible(s)
    assert refused.value.messages == [
        "温州科创基金·天使子基金 admits a convertible grant only for a company at most 3 years old, but the founding "
        "date of 温州大学 is not recorded in its institution record."]


# ================================================================== paid-in capital

def test_paid_in_exactly_x_percent_meets_the_entry_rule(s):
    assert convertible(s).state == "proposed"


def test_paid_in_a_cent_under_x_percent_is_refused_with_the_numbers(s):
    company(s.inst1, founded_on=today(), registered="10000000.00", paid_in="2999999.99")
    with pytest.raises(BadInput) as refused:
        convertible(s)
    assert refused.value.messages == [
        "The company's paid-in capital of ¥2,999,999.99 is 29.9999% of its registered capital of ¥10,000,000.00, "
        "less than the 30% 温州科创基金·天使子基金 requires for a convertible grant."]
    assert not FundingDecision.objects.exists()


def test_paid_in_and_age_both_failing_give_both_reasons(s):
    company(s.inst1, founded_on=add_months(today(), -48), registered="10000000.00", paid_in="0")
    with pytest.raises(BadInput) as refused:
        convertible(s)
    assert [m.split(" ")[1] for m in refused.value.messages] == ["company", "company's"]


def test_paid_in_changed_after_the_proposal_is_rechecked_on_approval_and_a_refusal_changes_nothing(s):
    decision = services.approve_grant(s.officer, convertible(s))
    logs = TransitionLog.objects.for_object(decision).count()
    company(s.inst1, founded_on=add_months(today(), -36), registered="10000000.00", paid_in="2000000.00")
    with pytest.raises(NotNow) as refused:
        services.approve_equity(s.manager_b, decision)
    assert "is 20.0000% of its registered capital of ¥10,000,000.00, less than the 30%" in str(refused.value)
    decision.refresh_from_db()
    assert (decision.state, decision.equity_approved_at) == ("proposed", None)
    assert TransitionLog.objects.for_object(decision).count() == logs


def test_entry_rules_apply_to_convertible_grants_only(s):
    company(s.inst1, founded_on=add_months(today(), -120), registered="10000000.00", paid_in="0")
    assert propose(s, fund=s.fund_b).state == "proposed"  # 投拨结合: grant + equity, not 先投后股


def test_entry_rules_through_the_api(s):
    company(s.inst1, founded_on=add_months(today(), -36) - timedelta(days=1), registered="10000000.00",
            paid_in="3000000.00")
    client = s.client(s.officer)
    body = {"application": s.application().pk, "instrument": "convertible", "grant_amount": "1000000.00",
            "grant_programme": "拨投结合专项", "fund": s.fund_b.pk, "qualifying_round_minimum": "5000000.00",
            "conversion_discount": "20", "conversion_deadline": "2030-12-31", "exit_method": "buyback",
            "buyback_rate": "6"}
    refused = client.post(url("funding-decisions"), body, format="json")
    assert refused.status_code == 400
    assert "founded 3 years 1 day ago" in refused.json()["detail"]
    assert not FundingDecision.objects.exists()
    company(s.inst1, founded_on=add_months(today(), -36), registered="10000000.00", paid_in="3000000.00")
    created = client.post(url("funding-decisions"), body, format="json")
    assert created.status_code == 201
    decision = FundingDecision.objects.get()
    company(s.inst1, founded_on=add_months(today(), -36), registered="10000000.00", paid_in="2999999.99")
    refused = s.client(s.manager_b).post(url("funding-decisions", decision, "transitions", "approve_equity"),
                                         {"comment": ""}, format="json")
    assert refused.status_code == 409
    assert "29.9999% of its registered capital" in refused.json()["detail"]
    assert FundingDecision.objects.get().equity_approved_at is None


# ================================================================== setting the entry rules

def entry_rules_of(fund):
    fresh = Fund.objects.get(pk=fund.pk)
    return fresh.entry_max_company_age_years, fresh.entry_min_paid_in_percent


def test_entry_rules_changes_are_audited_with_who_which_rule_from_and_to(s):
    services.set_entry_rules(s.officer, s.fund_b, entry_max_company_age_years=5, entry_min_paid_in_percent=None)
    rows = [(r.actor_id, r.comment, r.source, r.target) for r in
            TransitionLog.objects.for_object(s.fund_b).filter(transition="change_entry_rule").order_by("id")]
    assert rows == [
        (s.manager_b.pk, "entry_max_company_age_years", "", "3"),
        (s.manager_b.pk, "entry_min_paid_in_percent", "", "30"),
        (s.officer.pk, "entry_max_company_age_years", "3", "5"),
        (s.officer.pk, "entry_min_paid_in_percent", "30.0000", ""),
    ]


@pytest.mark.parametrize("who", ["manager_a", "applicant"])
def test_entry_rules_only_the_funds_managers_or_officers_set_them(s, who):
    user = s.manager_a if who == "manager_a" else applicant_of(s.inst1)
    with pytest.raises(NotAllowed) as refused:
        services.set_entry_rules(user, s.fund_b, entry_max_company_age_years=10)
    assert refused.value.messages == ["Only bureau officers or the fund's managers can set its entry rules."]
    assert entry_rules_of(s.fund_b) == (3, D("30"))


@pytest.mark.parametrize(("fields", "message"), [
    ({"entry_min_paid_in_percent": D("100.0001")}, "Ensure this value is less than or equal to 100."),
    ({"entry_max_company_age_years": 0}, "Ensure this value is greater than or equal to 1."),
])
def test_entry_rules_bad_values_are_refused_and_change_nothing(s, fields, message):
    logs = TransitionLog.objects.count()
    with pytest.raises(BadInput) as refused:
        services.set_entry_rules(s.manager_b, s.fund_b, **fields)
    assert message in refused.value.messages
    assert entry_rules_of(s.fund_b) == (3, D("30")) and TransitionLog.objects.count() == logs


def test_entry_rules_api(s):
    response = s.client(s.manager_b).patch(url("funds", s.fund_b, "entry-rules"),
                                           {"entry_max_company_age_years": 5}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["entry_max_company_age_years"], response.json()["entry_min_paid_in_percent"]) == (
        5, "30.0000")
    bad = s.client(s.manager_b).patch(url("funds", s.fund_b, "entry-rules"), {"entry_min_paid_in_percent": "101"},
                                      format="json")
    assert bad.status_code == 400 and entry_rules_of(s.fund_b) == (5, D("30"))
    other = s.client(s.manager_a).patch(url("funds", s.fund_b, "entry-rules"), {"entry_max_company_age_years": 9},
                                        format="json")
    assert other.status_code == 404 and entry_rules_of(s.fund_b) == (5, D("30"))


def test_entry_rules_pages(s):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(s.manager_b)
    page = client.get(reverse("funding:fund", args=[s.fund_b.pk])).content.decode()
    assert "at most 3 years since its founding" in page and "at least 30% of the registered capital" in page
    response = client.post(reverse("funding:fund-entry-rules", args=[s.fund_b.pk]),
                           {"entry_max_company_age_years": "4", "entry_min_paid_in_percent": "25"})
    assert response.status_code == 302 and entry_rules_of(s.fund_b) == (4, D("25"))
    bad = client.post(reverse("funding:fund-entry-rules", args=[s.fund_b.pk]),
                      {"entry_max_company_age_years": "4", "entry_min_paid_in_percent": "120"})
    assert bad.status_code == 400 and entry_rules_of(s.fund_b) == (4, D("25"))
    client.force_login(s.manager_a)
    assert client.get(reverse("funding:fund-entry-rules", args=[s.fund_b.pk])).status_code == 404
    client.force_login(officer())
    assert client.get(reverse("funding:fund-entry-rules", args=[s.fund_b.pk])).status_code == 200
