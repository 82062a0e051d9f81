"""Reads of the funding app, permission-filtered, and the derived figures (never stored twice)."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, Subquery, Sum
from django.utils import timezone

from poc.access import can, visible
from poc.models import Project, ProjectState

from .figures import verified_for_major_series
from .models import (
    ContractPayment,
    ContractState,
    DecisionState,
    Exit,
    Fund,
    FundingDecision,
    Investment,
    PaymentState,
    ValuationMark,
    counting_payments_q,
    reaches_major_series,
)


def funds_visible_to(user):
    return visible(user, Fund)


def decisions_visible_to(user):
    """Officers: all. Fund managers: their funds' decisions. Applicants: decisions on their own applications."""
    return visible(user, FundingDecision.objects.select_related("application", "fund", "application__institution"))


def investments_visible_to(user):
    """Officers and the fund's managers. Applicants never see the fund's holdings."""
    return visible(user, Investment.objects.select_related("decision", "fund"))


def eligible_for_major_series(project) -> bool:
    """≥ ¥2,000,000.00 actually received and verified on registered 产学研 technology contracts (¥1,999,999.99
    is not; an unverified payment or one on an unregistered contract does not count)."""
    return reaches_major_series(verified_for_major_series(project))


def overdue_obligations(today: date | None = None):
    """Projects past their conversion deadline without a registered technology contract."""
    today = today or timezone.localdate()
    return (Project.objects.filter(obligation_due_on__lt=today)
            .exclude(tech_contracts__state=ContractState.REGISTERED)
            .exclude(state=ProjectState.TERMINATED).select_related("institution"))


def major_series_candidates_visible_to(user):
    """Projects flagged for the municipal major-project series, as the obligation policy lets ``user`` see them."""
    return (obligation_projects_visible_to(user).filter(major_series_candidacy__isnull=False)
            .select_related("major_series_candidacy").order_by("-major_series_candidacy__flagged_on",
                                                               "project_number"))


def tranches_visible_to(user):
    from .models import Tranche

    return visible(user, Tranche.objects.select_related("decision__fund", "decision__application", "milestone"))


def rounds_visible_to(user):
    from .models import FinancingRound

    return visible(user, FinancingRound.objects.select_related("decision__fund", "decision__application"))


def exits_visible_to(user):
    return visible(user, Exit.objects.select_related("investment__fund", "investment__decision"))


def marks_visible_to(user):
    return visible(user, ValuationMark.objects.select_related("investment__fund"))


def risks_visible_to(user):
    from .models import Risk

    return visible(user, Risk.objects.select_related("decision__fund", "decision__application"))


def insurance_visible_to(user):
    from .models import InsurancePolicy

    return visible(user, InsurancePolicy.objects.select_related("decision__fund", "decision__application"))


def reports_visible_to(user):
    """Quarterly reports: officers, the fund's managers and the investee institution (which files them)."""
    from .models import QuarterlyReport

    return visible(user, QuarterlyReport.objects.select_related("decision__fund", "decision__application"))


def material_events_visible_to(user):
    from .models import MaterialEvent

    return visible(user, MaterialEvent.objects.select_related("decision__fund", "decision__application"))


def obligation_projects_visible_to(user):
    """Projects with their transfer obligation: officers all; applicants their institution's; fund managers
    the projects their funds decided on. Annotated with ``contracts_count`` (registered contracts),
    ``total_received`` (recorded, not refused) and ``total_verified`` (verified on registered 产学研 contracts:
    what the major-series threshold counts)."""
    from django.db.models import Count, DecimalField, Value
    from django.db.models.functions import Coalesce

    from .models import TechContract

    received = (ContractPayment.objects.filter(contract__project=OuterRef("pk"), state__in=PaymentState.RECEIVED)
                .order_by().values("contract__project").annotate(s=Sum("amount")).values("s"))
    verified = (ContractPayment.objects.filter(counting_payments_q(), contract__project=OuterRef("pk"))
                .order_by().values("contract__project").annotate(s=Sum("amount")).values("s"))
    contracts = (TechContract.objects.filter(project=OuterRef("pk"), state=ContractState.REGISTERED).order_by()
                 .values("project").annotate(n=Count("pk")).values("n"))
    money_field = DecimalField(max_digits=16, decimal_places=2)
    qs = Project.objects.select_related("institution", "major_series_candidacy").annotate(
        contracts_count=Coalesce(Subquery(contracts), Value(0)),
        total_received=Coalesce(Subquery(received), Value(Decimal("0")), output_field=money_field),
        total_verified=Coalesce(Subquery(verified), Value(Decimal("0")), output_field=money_field),
    )
    return visible(user, qs, "view_obligation")


def tech_contracts_visible_to(user):
    from .models import TechContract

    return visible(user, TechContract.objects.select_related("project__institution"))


def contract_payments_visible_to(user):
    return visible(user, ContractPayment.objects.select_related("contract"))


def obligation_overdue(project, today: date | None = None) -> bool:
    """The rule of :func:`overdue_obligations` for one project annotated by :func:`obligation_projects_visible_to`."""
    today = today or timezone.localdate()
    return bool(project.obligation_due_on and project.obligation_due_on < today and not project.contracts_count
                and project.state != ProjectState.TERMINATED)


def last_finished_quarter(today: date | None = None) -> tuple[int, int, date]:
    """The last calendar quarter that has ended on ``today``: (year, quarter, its last day)."""
    today = today or timezone.localdate()
    quarter = (today.month - 1) // 3  # the current quarter is quarter + 1; 0 means Q4 of last year
    year = today.year
    if quarter == 0:
        year, quarter = year - 1, 4
    last_month = quarter * 3
    first_of_next = date(year + (last_month == 12), last_month % 12 + 1, 1)
    from datetime import timedelta

    return year, quarter, first_of_next - timedelta(days=1)


def managed_funds(user):
    """The funds the user manages (a fund manager in the fund's group); none for everybody else."""
    return visible(user, Fund, "manage")


def may_manage_decision(user, decision) -> bool:
    """Officers and the managers of the decision's fund see its ledgers (investments, tranches, rounds, risks)."""
    return can(user, "manage", decision)


def ledger_decisions_visible_to(user):
    """Decisions whose ledgers the user may see: officers all, fund managers their funds'; never applicants."""
    return visible(user, FundingDecision.objects.select_related("application", "application__institution", "fund"),
                   "manage")


def awaiting_equity_approval(funds):
    """The pipeline of a fund manager: proposals with an equity part not approved yet."""
    from .models import Instrument

    return (FundingDecision.objects.filter(fund__in=funds, state=DecisionState.PROPOSED,
                                           equity_approved_at__isnull=True,
                                           instrument__in=[Instrument.EQUITY, Instrument.GRANT_EQUITY,
                                                           Instrument.CONVERTIBLE])
            .select_related("application", "application__institution", "fund").order_by("proposed_at"))


def awaiting_grant_approval():
    """The bureau's pipeline: proposals with a grant part not approved yet."""
    from .models import Instrument

    return (FundingDecision.objects.filter(state=DecisionState.PROPOSED, grant_approved_at__isnull=True,
                                           instrument__in=[Instrument.GRANT, Instrument.GRANT_EQUITY,
                                                           Instrument.CONVERTIBLE])
            .select_related("application", "application__institution", "fund").order_by("proposed_at"))


def reporting_decisions(funds):
    """Approved decisions the fund holds (or may hold) a position in: those owe quarterly reports.

    An equity part, or a convertible grant still outstanding or converted (a lapsed one closed as a grant)."""
    from .models import ConversionState, Instrument

    return (FundingDecision.objects.filter(fund__in=funds, state=DecisionState.APPROVED)
            .exclude(instrument=Instrument.GRANT)
            .exclude(instrument=Instrument.CONVERTIBLE, conversion__state=ConversionState.LAPSED)
            .select_related("application", "application__institution", "fund"))


@dataclass
class OverdueReport:
    decision: FundingDecision
    year: int
    quarter: int
    due_since: date


def overdue_quarterly_reports(funds, today: date | None = None) -> list[OverdueReport]:
    """Decisions approved by the end of the last finished quarter with no report filed for that quarter."""
    from .models import QuarterlyReport

    year, quarter, quarter_end = last_finished_quarter(today)
    decisions = reporting_decisions(funds).filter(equity_approved_at__date__lte=quarter_end)
    filed = set(QuarterlyReport.objects.filter(decision__in=decisions, year=year, quarter=quarter)
                .values_list("decision_id", flat=True))
    return [OverdueReport(decision=d, year=year, quarter=quarter, due_since=quarter_end)
            for d in decisions.order_by("application__number") if d.pk not in filed]


def risk_warnings(funds):
    from .models import Risk, RiskState

    return (Risk.objects.filter(decision__fund__in=funds, state=RiskState.WARNING)
            .select_related("decision__application", "decision__fund").order_by("-identified_at"))


def conversions_visible_to(user):
    from .models import Conversion

    return visible(user, Conversion.objects.select_related("decision__fund", "decision__application",
                                                           "financing_round"))
