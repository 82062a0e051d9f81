"""Serializers of the funding API: they translate JSON to Python values and back, nothing more.

Input serializers only parse (types, lengths, choices); every rule and write lives in
:mod:`funding.services`. Output serializers show what :mod:`funding.selectors` lets the caller see.
A funding decision is shown to the applicant institution too, but its fund internals (expected
valuation, rationale, who approved, caps, tranches, holdings) are ``null`` for anyone who is neither an
officer nor a manager of the decision's fund.
"""
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from funding import finance, selectors, services
from funding.caps import cap_violations
from funding.models import (
    MAJOR_SERIES_THRESHOLD,
    ContractPayment,
    DecisionState,
    Exit,
    ExitKind,
    ExitMethod,
    FinancingRound,
    Fund,
    FundingDecision,
    Instrument,
    InsurancePolicy,
    Investment,
    MaterialEvent,
    QuarterlyReport,
    Risk,
    TechContract,
    Tranche,
    TranchePart,
    ValuationMark,
)
from funding.rules import manages_fund
from poc.api.serializers import InstitutionBriefSerializer, TransitionInputSerializer
from poc.models import Application, Project, ProjectMilestone
from poc.roles import FUND_MANAGER, is_officer


def _money(**kw):
    return serializers.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal("0"), **kw)


def _percent(**kw):
    return serializers.DecimalField(max_digits=7, decimal_places=4, min_value=Decimal("0"),
                                    max_value=Decimal("100"), **kw)


def _absolute(serializer, url: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(url) if request else url


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class VisibleRelatedMixin:
    """``visible_fields = {"decision": selectors.decisions_visible_to, …}``: related inputs the caller can see."""

    visible_fields: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            for name, selector in self.visible_fields.items():
                self.fields[name].queryset = selector(request.user)


# ------------------------------------------------------------------------ funds


class PortfolioSerializer(serializers.Serializer):
    invested = _money(read_only=True, help_text="Paid in by investments (yuan).")
    converted = _money(read_only=True, help_text="Convertible grants converted into equity (yuan).")
    realised = _money(read_only=True, help_text="Exit proceeds (yuan).")
    unrealised = _money(read_only=True, help_text="The latest valuation marks of the holdings (yuan).")
    moic = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True,
                                    help_text="(realised + unrealised) / cost; null with no cost.")
    irr = serializers.DecimalField(max_digits=16, decimal_places=6, read_only=True, allow_null=True,
                                   help_text="XIRR over the dated flows, annualised, as a fraction (0.125 = 12.5 %); "
                                             "null where undefined.")
    investments = serializers.IntegerField(read_only=True)
    cash_flows = serializers.IntegerField(read_only=True)

    def to_representation(self, portfolio):
        data = super().to_representation({
            "invested": portfolio.invested, "converted": portfolio.converted, "realised": portfolio.realised,
            "unrealised": portfolio.unrealised, "moic": portfolio.moic,
            "irr": None if portfolio.irr is None else Decimal(str(round(portfolio.irr, 6))),
            "investments": portfolio.investments, "cash_flows": portfolio.cash_flows,
        })
        return data


class FundSerializer(serializers.ModelSerializer):
    """A fund with its derived figures (never stored): committed, invested, available, and its portfolio."""

    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True, default=None)
    committed = serializers.SerializerMethodField(help_text="Equity parts of approved decisions (yuan).")
    invested = serializers.SerializerMethodField(help_text="Recorded investments, conversions excluded (yuan).")
    available = serializers.SerializerMethodField(help_text="Size less committed (yuan).")
    portfolio = serializers.SerializerMethodField()

    class Meta:
        model = Fund
        fields = ("id", "name", "parent", "parent_name", "manager_organisation", "size", "cap_per_project",
                  "cap_share_per_project", "cap_stake", "committed", "invested", "available", "portfolio")
        read_only_fields = fields

    def _figures(self, fund):
        cache = self.context.setdefault("_fund_figures", {})
        if fund.pk not in cache:
            cache[fund.pk] = selectors.fund_figures(fund)
        return cache[fund.pk]

    @extend_schema_field(serializers.DecimalField(max_digits=16, decimal_places=2))
    def get_committed(self, fund):
        return serializers.DecimalField(max_digits=16, decimal_places=2).to_representation(
            self._figures(fund).committed)

    @extend_schema_field(serializers.DecimalField(max_digits=16, decimal_places=2))
    def get_invested(self, fund):
        return serializers.DecimalField(max_digits=16, decimal_places=2).to_representation(
            self._figures(fund).invested)

    @extend_schema_field(serializers.DecimalField(max_digits=16, decimal_places=2))
    def get_available(self, fund):
        return serializers.DecimalField(max_digits=16, decimal_places=2).to_representation(
            self._figures(fund).available)

    @extend_schema_field(PortfolioSerializer)
    def get_portfolio(self, fund):
        return PortfolioSerializer(selectors.portfolio(fund)).data


class FundInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fund
        fields = ("name", "parent", "manager_organisation", "size", "cap_per_project", "cap_share_per_project",
                  "cap_stake")


class FundManagerInputSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(groups__name=FUND_MANAGER, is_active=True),
        help_text="A user holding the fund-manager role.")


# -------------------------------------------------------------------- decisions


class DecisionApplicationSerializer(serializers.ModelSerializer):
    institution = InstitutionBriefSerializer(read_only=True)

    class Meta:
        model = Application
        fields = ("id", "number", "title", "kind", "institution")
        read_only_fields = fields


class ConversionSerializer(serializers.Serializer):
    state = serializers.CharField(read_only=True)
    state_display = serializers.CharField(read_only=True)
    financing_round = serializers.IntegerField(read_only=True, allow_null=True)
    conversion_valuation = _money(read_only=True, allow_null=True)
    stake_at_conversion = _percent(read_only=True, allow_null=True)
    stake_after_round = _percent(read_only=True, allow_null=True,
                                 help_text="The stake once the round's new money is in.")
    investment = serializers.IntegerField(read_only=True, allow_null=True,
                                          help_text="The holding the conversion created.")
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)


def conversion_data(decision):
    conversion = getattr(decision, "conversion", None) if decision.instrument == Instrument.CONVERTIBLE else None
    if conversion is None:
        return None
    after, investment = None, None
    if conversion.financing_round_id:
        r = conversion.financing_round
        after = finance.conversion_stake(decision.grant_amount, r.pre_money_valuation, r.amount_raised,
                                         decision.conversion_discount, decision.valuation_cap)["stake_after_round"]
        investment = (decision.investments.filter(is_conversion=True).values_list("pk", flat=True).first())
    return ConversionSerializer({
        "state": conversion.state, "state_display": conversion.get_state_display(),
        "financing_round": conversion.financing_round_id, "conversion_valuation": conversion.conversion_valuation,
        "stake_at_conversion": conversion.stake, "stake_after_round": after, "investment": investment,
        "decided_at": conversion.decided_at,
    }).data


class DecisionInternalsSerializer(serializers.Serializer):
    """What only officers and the fund's managers see of a decision."""

    fund = serializers.IntegerField(read_only=True, allow_null=True)
    pre_money_valuation = _money(read_only=True, allow_null=True)
    rationale = serializers.CharField(read_only=True)
    proposed_by = serializers.IntegerField(read_only=True, help_text="User id.")
    grant_approved_by = serializers.IntegerField(read_only=True, allow_null=True, help_text="User id.")
    equity_approved_by = serializers.IntegerField(read_only=True, allow_null=True, help_text="User id.")
    cap_problems = serializers.ListField(child=serializers.CharField(), read_only=True,
                                         help_text="The fund's caps this decision would break now (proposed only).")
    grant_released = _money(read_only=True, help_text="Grant tranches released or paid (yuan).")
    equity_released = _money(read_only=True, help_text="Equity tranches released or paid (yuan).")
    invested = _money(read_only=True, help_text="Investments recorded against it, conversions excluded (yuan).")
    conversion = ConversionSerializer(read_only=True, allow_null=True)


class FundingDecisionSerializer(serializers.ModelSerializer):
    """A 投拨结合 decision. ``internals`` is null unless the caller is an officer or a manager of its fund."""

    application = DecisionApplicationSerializer(read_only=True)
    instrument_display = serializers.CharField(source="get_instrument_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    exit_method_display = serializers.CharField(source="get_exit_method_display", read_only=True)
    fund_name = serializers.CharField(source="fund.name", read_only=True, allow_null=True, default=None)
    grant_approved = serializers.SerializerMethodField()
    equity_approved = serializers.SerializerMethodField()
    internals = serializers.SerializerMethodField()

    class Meta:
        model = FundingDecision
        fields = ("id", "application", "instrument", "instrument_display", "grant_amount", "grant_programme",
                  "equity_amount", "fund_name", "qualifying_round_minimum", "conversion_discount", "valuation_cap",
                  "conversion_deadline", "exit_method", "exit_method_display", "buyback_rate", "state",
                  "state_display", "proposed_at", "grant_approved", "grant_approved_at", "equity_approved",
                  "equity_approved_at", "rejected_reason", "internals")
        read_only_fields = fields

    def get_grant_approved(self, decision) -> bool:
        return decision.grant_approved_at is not None

    def get_equity_approved(self, decision) -> bool:
        return decision.equity_approved_at is not None

    @extend_schema_field(DecisionInternalsSerializer(allow_null=True))
    def get_internals(self, decision):
        user = _user(self)
        if not (is_officer(user) or manages_fund(user, decision.fund)):
            return None
        invested = sum((i.amount for i in decision.investments.all() if not i.is_conversion), Decimal("0"))
        return DecisionInternalsSerializer({
            "fund": decision.fund_id, "pre_money_valuation": decision.pre_money_valuation,
            "rationale": decision.rationale, "proposed_by": decision.proposed_by_id,
            "grant_approved_by": decision.grant_approved_by_id, "equity_approved_by": decision.equity_approved_by_id,
            "cap_problems": cap_violations(decision) if decision.state == DecisionState.PROPOSED else [],
            "grant_released": selectors.released_and_paid(decision, TranchePart.GRANT),
            "equity_released": selectors.released_and_paid(decision, TranchePart.EQUITY),
            "invested": invested, "conversion": conversion_data(decision),
        }).data


class FundingDecisionCreateSerializer(serializers.Serializer):
    """A proposal (officers). The caps of the fund are checked now and again on each approval."""

    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.all(),
                                                     help_text="A project application in state “reviewed”.")
    instrument = serializers.ChoiceField(Instrument.choices)
    grant_amount = _money(required=False, help_text="The grant part (拨), yuan.")
    grant_programme = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                            help_text="The science programme that pays the grant.")
    equity_amount = _money(required=False, help_text="The equity part (投), yuan.")
    fund = serializers.PrimaryKeyRelatedField(queryset=Fund.objects.all(), required=False, allow_null=True)
    pre_money_valuation = _money(required=False, allow_null=True)
    qualifying_round_minimum = _money(required=False, allow_null=True,
                                      help_text="Convertible grants: the minimum a round must raise to convert it.")
    conversion_discount = _percent(required=False, allow_null=True)
    valuation_cap = _money(required=False, allow_null=True)
    conversion_deadline = serializers.DateField(required=False, allow_null=True)
    exit_method = serializers.ChoiceField(ExitMethod.choices, required=False, allow_blank=True)
    buyback_rate = _percent(required=False, allow_null=True, help_text="Simple annual interest (%).")
    rationale = serializers.CharField(required=False, allow_blank=True)


# ------------------------------------------------------------------ investments


class ExitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Exit
        fields = ("id", "investment", "kind", "kind_display", "exited_on", "proceeds", "stake_sold")
        read_only_fields = fields


class ExitCreateSerializer(VisibleRelatedMixin, serializers.Serializer):
    visible_fields = {"investment": selectors.investments_visible_to}

    investment = serializers.PrimaryKeyRelatedField(queryset=Investment.objects.none())
    kind = serializers.ChoiceField(ExitKind.choices)
    exited_on = serializers.DateField()
    proceeds = _money(required=False, allow_null=True,
                      help_text="Yuan. For a buyback, omit it to compute principal plus the agreed simple interest.")
    stake_sold = _percent(help_text="The stake sold, in % of the company.")


class ValuationMarkSerializer(serializers.ModelSerializer):
    class Meta:
        model = ValuationMark
        fields = ("id", "investment", "marked_on", "value", "note")
        read_only_fields = fields


class ValuationMarkCreateSerializer(serializers.Serializer):
    marked_on = serializers.DateField()
    value = _money(help_text="The value of the holding (yuan).")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, help_text="The basis.")


class InvestmentSerializer(serializers.ModelSerializer):
    fund_name = serializers.CharField(source="fund.name", read_only=True)
    post_money_valuation = _money(read_only=True)
    current_stake = serializers.SerializerMethodField(help_text="After later rounds' dilution, less what was sold.")
    latest_mark = serializers.SerializerMethodField()
    exits = ExitSerializer(many=True, read_only=True)
    has_agreement = serializers.SerializerMethodField()
    agreement_url = serializers.SerializerMethodField()

    class Meta:
        model = Investment
        fields = ("id", "decision", "fund", "fund_name", "investee_name", "investee_credit_code", "amount",
                  "pre_money_valuation", "post_money_valuation", "stake", "current_stake", "invested_on",
                  "is_conversion", "latest_mark", "exits", "has_agreement", "agreement_url", "recorded_at")
        read_only_fields = fields

    @extend_schema_field(_percent())
    def get_current_stake(self, investment):
        return _percent().to_representation(services.current_stake(investment))

    @extend_schema_field(ValuationMarkSerializer(allow_null=True))
    def get_latest_mark(self, investment):
        mark = investment.marks.order_by("-marked_on", "-id").first()
        return ValuationMarkSerializer(mark).data if mark else None

    def get_has_agreement(self, investment) -> bool:
        return bool(investment.agreement)

    def get_agreement_url(self, investment) -> str | None:
        if not investment.agreement:
            return None
        return _absolute(self, reverse("funding-api:investment-agreement", kwargs={"pk": investment.pk}))


class InvestmentCreateSerializer(VisibleRelatedMixin, serializers.Serializer):
    visible_fields = {"decision": selectors.decisions_visible_to}

    decision = serializers.PrimaryKeyRelatedField(queryset=FundingDecision.objects.none(),
                                                  help_text="An approved decision with an equity part.")
    investee_name = serializers.CharField(max_length=200)
    investee_credit_code = serializers.CharField(max_length=18, help_text="统一社会信用代码 of the investee.")
    amount = _money()
    pre_money_valuation = _money()
    invested_on = serializers.DateField()
    stake = serializers.DecimalField(max_digits=9, decimal_places=4, required=False, allow_null=True,
                                     help_text="Optional check: the stake in % as typed; it must equal amount / "
                                               "post-money to 4 decimals, or the investment is refused.")
    agreement = serializers.FileField(required=False, help_text="The signed agreement (PDF); multipart only.")


# --------------------------------------------------------------------- tranches


class TrancheSerializer(serializers.ModelSerializer):
    part_display = serializers.CharField(source="get_part_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    milestone_title = serializers.CharField(source="milestone.title", read_only=True, allow_null=True, default=None)
    milestone_reported = serializers.SerializerMethodField()

    class Meta:
        model = Tranche
        fields = ("id", "decision", "part", "part_display", "sequence", "amount", "milestone", "milestone_title",
                  "milestone_reported", "release_on", "state", "state_display", "released_at", "payment_reference",
                  "paid_on")
        read_only_fields = fields

    def get_milestone_reported(self, tranche) -> bool | None:
        return None if tranche.milestone_id is None else tranche.milestone.reported_at is not None


class TrancheCreateSerializer(VisibleRelatedMixin, serializers.Serializer):
    visible_fields = {"decision": selectors.decisions_visible_to}

    decision = serializers.PrimaryKeyRelatedField(queryset=FundingDecision.objects.none())
    part = serializers.ChoiceField(TranchePart.choices,
                                   help_text="grant: planned by the bureau; equity: by the fund's managers.")
    amount = _money()
    milestone = serializers.PrimaryKeyRelatedField(queryset=ProjectMilestone.objects.all(), required=False,
                                                   allow_null=True,
                                                   help_text="Released once this milestone of the project is "
                                                             "reported.")
    release_on = serializers.DateField(required=False, allow_null=True, help_text="Released from this date on.")

    def validate(self, data):
        milestone = data.get("milestone")
        if milestone is not None and milestone.project.application_id != data["decision"].application_id:
            raise serializers.ValidationError({"milestone": [_("This milestone belongs to another project.")]})
        return data


class TrancheTransitionInputSerializer(TransitionInputSerializer):
    payment_reference = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                              help_text="pay only: the payment reference (required).")
    paid_on = serializers.DateField(required=False, allow_null=True, help_text="pay only: the date paid (today "
                                                                                "if omitted).")


# ------------------------------------------------------------- financing rounds


class FinancingRoundSerializer(serializers.ModelSerializer):
    post_money_valuation = _money(read_only=True)
    conversion = serializers.SerializerMethodField(
        help_text="The convertible grant this round converted, with the resulting stakes; null otherwise.")

    class Meta:
        model = FinancingRound
        fields = ("id", "decision", "round_name", "closed_on", "pre_money_valuation", "amount_raised",
                  "post_money_valuation", "lead_investor", "price_per_share", "conversion")
        read_only_fields = fields

    @extend_schema_field(ConversionSerializer(allow_null=True))
    def get_conversion(self, financing_round):
        decision = financing_round.decision
        conversion = getattr(decision, "conversion", None) if decision.instrument == Instrument.CONVERTIBLE else None
        if conversion is None or conversion.financing_round_id != financing_round.pk:
            return None
        return conversion_data(decision)


class FinancingRoundCreateSerializer(VisibleRelatedMixin, serializers.Serializer):
    visible_fields = {"decision": selectors.decisions_visible_to}

    decision = serializers.PrimaryKeyRelatedField(queryset=FundingDecision.objects.none())
    round_name = serializers.CharField(max_length=50)
    closed_on = serializers.DateField()
    pre_money_valuation = _money()
    amount_raised = _money()
    lead_investor = serializers.CharField(max_length=200, required=False, allow_blank=True)
    price_per_share = serializers.DecimalField(max_digits=16, decimal_places=6, min_value=Decimal("0"),
                                               required=False, allow_null=True)


# -------------------------------------------------------------- post-investment


class QuarterlyReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuarterlyReport
        fields = ("id", "decision", "year", "quarter", "revenue", "rd_spend", "headcount", "follow_on_financing",
                  "milestone_progress", "risks", "filed_at")
        read_only_fields = fields


class QuarterlyReportCreateSerializer(VisibleRelatedMixin, serializers.ModelSerializer):
    visible_fields = {"decision": selectors.decisions_visible_to}

    decision = serializers.PrimaryKeyRelatedField(queryset=FundingDecision.objects.none())

    class Meta:
        model = QuarterlyReport
        fields = ("decision", "year", "quarter", "revenue", "rd_spend", "headcount", "follow_on_financing",
                  "milestone_progress", "risks")
        validators: list = []  # one report per quarter: the service answers 409


class MaterialEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaterialEvent
        fields = ("id", "decision", "occurred_on", "summary", "details")
        read_only_fields = fields


class MaterialEventCreateSerializer(VisibleRelatedMixin, serializers.ModelSerializer):
    visible_fields = {"decision": selectors.decisions_visible_to}

    decision = serializers.PrimaryKeyRelatedField(queryset=FundingDecision.objects.none())

    class Meta:
        model = MaterialEvent
        fields = ("decision", "occurred_on", "summary", "details")


class RiskSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    score = serializers.IntegerField(read_only=True, allow_null=True, help_text="likelihood × impact.")

    class Meta:
        model = Risk
        fields = ("id", "decision", "title", "description", "likelihood", "impact", "score", "state",
                  "state_display", "disposal", "identified_at")
        read_only_fields = fields


class RiskCreateSerializer(VisibleRelatedMixin, serializers.Serializer):
    visible_fields = {"decision": selectors.decisions_visible_to}

    decision = serializers.PrimaryKeyRelatedField(queryset=FundingDecision.objects.none())
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)


class RiskTransitionInputSerializer(TransitionInputSerializer):
    likelihood = serializers.IntegerField(required=False, help_text="assess only: 1–5.")
    impact = serializers.IntegerField(required=False, help_text="assess only: 1–5.")


class InsurancePolicySerializer(serializers.ModelSerializer):
    in_force = serializers.BooleanField(read_only=True)

    class Meta:
        model = InsurancePolicy
        fields = ("id", "decision", "insurer", "product", "premium", "subsidy", "starts_on", "ends_on", "in_force")
        read_only_fields = fields


class InsurancePolicyCreateSerializer(VisibleRelatedMixin, serializers.ModelSerializer):
    visible_fields = {"decision": selectors.decisions_visible_to}

    decision = serializers.PrimaryKeyRelatedField(queryset=FundingDecision.objects.none())

    class Meta:
        model = InsurancePolicy
        fields = ("decision", "insurer", "product", "premium", "subsidy", "starts_on", "ends_on")


# ------------------------------------------------------ obligations and contracts


class ObligationSerializer(serializers.ModelSerializer):
    """A project's transfer obligation (转化义务) and what its registered technology contracts brought in."""

    id = serializers.IntegerField(read_only=True, help_text="The project's id.")
    institution = InstitutionBriefSerializer(read_only=True)
    due_on = serializers.DateField(source="obligation_due_on", read_only=True, allow_null=True,
                                   help_text="The conversion deadline (inclusive).")
    overdue = serializers.SerializerMethodField(help_text="The due date passed without a registered contract.")
    contracts_count = serializers.IntegerField(read_only=True)
    total_received = _money(read_only=True, help_text="Actually received (实际到账) on its contracts, yuan.")
    major_series_threshold = serializers.SerializerMethodField()
    eligible_for_major_series = serializers.SerializerMethodField(
        help_text="At least ¥2,000,000.00 actually received on registered technology contracts.")

    class Meta:
        model = Project
        fields = ("id", "project_number", "title", "kind", "institution", "state", "is_major", "obligation",
                  "due_on", "overdue", "contracts_count", "total_received", "major_series_threshold",
                  "eligible_for_major_series")
        read_only_fields = fields

    def get_overdue(self, project) -> bool:
        return selectors.obligation_overdue(project)

    @extend_schema_field(serializers.DecimalField(max_digits=16, decimal_places=2))
    def get_major_series_threshold(self, project):
        return _money().to_representation(MAJOR_SERIES_THRESHOLD)

    def get_eligible_for_major_series(self, project) -> bool:
        return project.total_received >= MAJOR_SERIES_THRESHOLD


class ContractPaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractPayment
        fields = ("id", "contract", "amount", "received_on")
        read_only_fields = fields


class ContractPaymentCreateSerializer(serializers.Serializer):
    amount = _money(help_text="Actually received (实际到账), yuan.")
    received_on = serializers.DateField()


class TechContractSerializer(serializers.ModelSerializer):
    project_number = serializers.CharField(source="project.project_number", read_only=True)
    received = _money(read_only=True, help_text="Actually received so far, yuan.")
    payments = ContractPaymentSerializer(many=True, read_only=True)

    class Meta:
        model = TechContract
        fields = ("id", "project", "project_number", "registration_number", "parties", "contract_amount",
                  "registered_on", "received", "payments")
        read_only_fields = fields


class TechContractCreateSerializer(VisibleRelatedMixin, serializers.Serializer):
    visible_fields = {"project": selectors.obligation_projects_visible_to}

    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none())
    registration_number = serializers.CharField(max_length=64, help_text="技术合同认定登记 number.")
    parties = serializers.CharField(max_length=300)
    contract_amount = _money()
    registered_on = serializers.DateField()
