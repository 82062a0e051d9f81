"""Factories of the funding app: funds with their managers' group, decisions created directly in a state,
and the funded project an approved application becomes."""
from datetime import date
from decimal import Decimal

import factory
import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from funding.models import DecisionState, Fund, FundingDecision, Instrument, Investment
from poc.models import Application, ApplicationState, Project, create_outcome
from tests.factories import (
    CallFactory,
    InstitutionFactory,
    fund_manager,
    make_application,
    make_credit_code,
    officer,
)
from tests.poc.workflow_support import FAST_HASHERS

D = Decimal


@pytest.fixture
def english_and_fast(settings):
    """The exact English texts the rules promise, and fast password hashing (these tests make many users).
    The funding rule tests use it: ``pytest.mark.usefixtures("english_and_fast")``."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    with translation.override("en"):
        yield


class FundFactory(factory.django.DjangoModelFactory):
    """A fund of ¥100,000,000 without caps; its managers are the members of its group."""

    class Meta:
        model = Fund

    name = factory.Sequence(lambda n: f"Sci-tech sub-fund {n}")
    manager_organisation = "Wenzhou Sci-Tech Investment Management Co."
    size = D("100000000.00")
    group = factory.LazyAttribute(lambda o: Group.objects.create(name=Fund.group_name_for(o.name)))


def manager_of(fund, **kw):
    """A fund-manager user in ``fund``'s group."""
    user = fund_manager(**kw)
    user.groups.add(fund.group)
    return user


def project_application(institution=None, *, state="reviewed", **fields):
    """A complete PoC-project application of a fresh call, in ``state`` (reviewed: ready for a decision)."""
    return make_application(CallFactory(kind="poc_project"), institution or InstitutionFactory(), state=state,
                            **fields)


class DecisionFactory(factory.django.DjangoModelFactory):
    """A 投拨结合 decision (grant ¥500,000 + investment ¥2,000,000 at ¥18,000,000 pre-money), proposed.

    Traits: ``grant_only``, ``equity_only``, ``convertible`` (with its terms: a round of at least
    ¥5,000,000 by 2026-12-31, 20 % discount, ¥15,000,000 cap, buyback at 6 %)."""

    class Meta:
        model = FundingDecision

    application = factory.LazyFunction(project_application)
    instrument = Instrument.GRANT_EQUITY
    grant_amount = D("500000.00")
    grant_programme = "Wenzhou PoC programme 2026"
    equity_amount = D("2000000.00")
    fund = factory.SubFactory(FundFactory)
    pre_money_valuation = D("18000000.00")
    proposed_by = factory.LazyFunction(officer)

    class Params:
        grant_only = factory.Trait(instrument=Instrument.GRANT, equity_amount=D("0"), fund=None,
                                   pre_money_valuation=None)
        equity_only = factory.Trait(instrument=Instrument.EQUITY, grant_amount=D("0"), grant_programme="")
        convertible = factory.Trait(
            instrument=Instrument.CONVERTIBLE, grant_amount=D("1000000.00"), equity_amount=D("0"),
            pre_money_valuation=None, qualifying_round_minimum=D("5000000.00"), conversion_discount=D("20"),
            valuation_cap=D("15000000.00"), conversion_deadline=date(2026, 12, 31), exit_method="buyback",
            buyback_rate=D("6"),
        )


def approve(decision, by_officer=None, by_manager=None):
    """Put ``decision`` in the approved state directly (every part it contains approved); return it fresh."""
    now = timezone.now()
    fields = {"state": DecisionState.APPROVED}
    if decision.has_grant_part:
        fields.update(grant_approved_by=by_officer or decision.proposed_by, grant_approved_at=now)
    if decision.has_equity_part:
        fields.update(equity_approved_by=by_manager or manager_of(decision.fund), equity_approved_at=now)
    FundingDecision.objects.filter(pk=decision.pk).update(**fields)
    return FundingDecision.objects.get(pk=decision.pk)


def approved_decision(**kw):
    return approve(DecisionFactory(**kw))


def approve_application(application) -> Project:
    """The application approved (after its public notice): the poc.Project it becomes, via create_outcome."""
    Application.objects.filter(pk=application.pk).update(state=ApplicationState.APPROVED, decided_at=timezone.now())
    return create_outcome(Application.objects.get(pk=application.pk))


def funded_project(decision=None):
    """An approved decision's application, approved: the funded project (with the application's milestone)."""
    decision = decision or approved_decision()
    return approve_application(decision.application)


_investee = iter(range(50_000, 10**7))


def investment(decision, *, amount, invested_on, pre_money="9000000.00", is_conversion=False, fund=None,
               stake=None):
    """An investment recorded directly (the services derive the stake the same way)."""
    from funding.finance import stake_from_pre_money

    amount = D(amount)
    return Investment.objects.create(
        decision=decision, fund=fund or decision.fund, investee_name=decision.application.institution.name,
        investee_credit_code=make_credit_code(next(_investee)), amount=amount, pre_money_valuation=D(pre_money),
        stake=stake if stake is not None else stake_from_pre_money(amount, D(pre_money)), invested_on=invested_on,
        is_conversion=is_conversion, recorded_by=decision.proposed_by,
    )
