"""API of the funding app (DESIGN §4): thin viewsets. Reads through :mod:`funding.selectors`, writes through
:mod:`funding.services`; the rules live in the models' transitions and the services.

Who sees what (DESIGN §3), one queryset per list and the same one for each detail, so a hidden object
answers 404 exactly as a missing one:

* officers see everything;
* a fund manager sees its funds and their decisions, investments, tranches, rounds, exits, marks,
  reports, events, risks and insurance, and the obligations of the projects its funds decided on;
* an applicant sees the decisions on its own institution's applications (read-only, without the fund
  internals), the quarterly reports and material events it files for them, and its projects' obligations
  and technology contracts; never a fund, an investment, a holding, a tranche, a round or a risk.

Writes answer 201/200 with the object, 403 when the caller may not, 409 when not possible now (the body
says why, naming the amounts), 400 on bad input.
"""
import django_filters
from django.conf import settings
from django.db.models import Q
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from funding import selectors, services
from funding.models import (
    MAJOR_SERIES_THRESHOLD,
    DecisionState,
    Exit,
    ExitKind,
    FinancingRound,
    FundingDecision,
    Instrument,
    InsurancePolicy,
    Investment,
    MaterialEvent,
    QuarterlyReport,
    Risk,
    RiskState,
    TechContract,
    Tranche,
    TranchePart,
    TrancheState,
)
from poc.api.errors import error_responses
from poc.api.parsers import StrictMultiPartParser
from poc.api.transitions import transition_actions
from poc.errors import BadInput
from poc.models import Project
from poc.roles import FUND_MANAGER, has_role, is_officer
from poc.workflow import run_transition

from .serializers import (
    ContractPaymentCreateSerializer,
    ContractPaymentSerializer,
    ExitCreateSerializer,
    ExitSerializer,
    FinancingRoundCreateSerializer,
    FinancingRoundSerializer,
    FundingDecisionCreateSerializer,
    FundingDecisionSerializer,
    FundInputSerializer,
    FundManagerInputSerializer,
    FundSerializer,
    InsurancePolicyCreateSerializer,
    InsurancePolicySerializer,
    InvestmentCreateSerializer,
    InvestmentSerializer,
    MaterialEventCreateSerializer,
    MaterialEventSerializer,
    ObligationSerializer,
    QuarterlyReportCreateSerializer,
    QuarterlyReportSerializer,
    RiskCreateSerializer,
    RiskSerializer,
    RiskTransitionInputSerializer,
    TechContractCreateSerializer,
    TechContractSerializer,
    TrancheCreateSerializer,
    TrancheSerializer,
    TrancheTransitionInputSerializer,
    ValuationMarkCreateSerializer,
    ValuationMarkSerializer,
)

_errors = error_responses

# The multipart envelope around a file adds a little; anything far beyond the limit is refused unread.
MULTIPART_SLACK_BYTES = 64 * 1024


def _fund_staff(user) -> bool:
    return is_officer(user) or has_role(user, FUND_MANAGER)


class RoleGate(permissions.BasePermission):
    """403 with a readable reason, before any input is read, when the caller's role may never use one of the
    view's ``gated_actions`` (``{"create": (predicate(user), refusal)}``); the services check the object."""

    def has_permission(self, request, view):
        gate = getattr(view, "gated_actions", {}).get(getattr(view, "action", None))
        if gate is not None:
            allowed, refusal = gate
            if not allowed(request.user):
                raise PermissionDenied(str(refusal))
        return True


class FundingViewSet(viewsets.GenericViewSet):
    lookup_value_converter = "int"
    permission_classes = [permissions.IsAuthenticated, RoleGate]
    gated_actions: dict = {}
    output_serializer = None

    def _detail(self, obj, code=status.HTTP_200_OK):
        fresh = self.get_queryset().filter(pk=obj.pk).first() or obj
        return Response(self.output_serializer(fresh, context=self.get_serializer_context()).data, status=code)

    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


_STAFF_ONLY = (_fund_staff, gettext_lazy("Only bureau officers and fund managers keep the fund's records."))


# ------------------------------------------------------------------------ funds


@extend_schema_view(
    list=extend_schema(tags=["funds"], summary="Funds the caller may see (officers: all; fund managers: their own) "
                                               "with committed, invested, available and the portfolio"),
    retrieve=extend_schema(tags=["funds"], responses={200: FundSerializer, **_errors(404)},
                           summary="One fund with its derived figures and portfolio (MOIC, IRR)"),
)
class FundViewSet(FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = output_serializer = FundSerializer
    gated_actions = {
        "create": (is_officer, gettext_lazy("Only bureau officers can register a fund.")),
        "managers": (is_officer, gettext_lazy("Only bureau officers can appoint fund managers.")),
    }

    def get_queryset(self):
        return selectors.funds_visible_to(self.request.user).select_related("parent").order_by("name")

    @extend_schema(tags=["funds"], request=FundInputSerializer, responses={201: FundSerializer, **_errors(400, 403)},
                   summary="Register a fund or sub-fund with its caps (officers)")
    def create(self, request):
        data = self._input(FundInputSerializer)
        fund = services.create_fund(request.user, **data)
        return self._detail(fund, status.HTTP_201_CREATED)

    @extend_schema(tags=["funds"], request=FundManagerInputSerializer,
                   responses={200: FundSerializer, **_errors(400, 403, 404)},
                   summary="Appoint a fund manager to this fund (officers)")
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def managers(self, request, pk=None):
        fund = self.get_object()
        data = self._input(FundManagerInputSerializer)
        services.add_fund_manager(request.user, fund, data["user"])
        return self._detail(fund)


# -------------------------------------------------------------------- decisions


class DecisionFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=DecisionState.choices)
    instrument = django_filters.ChoiceFilter(choices=Instrument.choices)
    fund = django_filters.NumberFilter(field_name="fund_id", help_text="Fund id.")
    application = django_filters.NumberFilter(field_name="application_id", help_text="Application id.")

    class Meta:
        model = FundingDecision
        fields = ["state", "instrument", "fund", "application"]


FundingDecisionTransitionActions = transition_actions(
    model=FundingDecision, response_serializer=FundingDecisionSerializer, resource="funding decisions",
    tag="funding-decisions",
)


@extend_schema_view(
    list=extend_schema(tags=["funding-decisions"],
                       summary="Funding decisions the caller may see: all (officers), their funds' (fund managers), "
                               "their own applications' (applicants, without the fund internals)"),
    retrieve=extend_schema(tags=["funding-decisions"], responses={200: FundingDecisionSerializer, **_errors(404)},
                           summary="One funding decision"),
)
class FundingDecisionViewSet(FundingDecisionTransitionActions, FundingViewSet, mixins.ListModelMixin,
                             mixins.RetrieveModelMixin):
    """投拨结合 decisions. Dual approval: ``approve_grant`` (bureau officers) and ``approve_equity`` (a manager of
    the decision's fund); the decision is approved once every part it has is approved; ``reject`` with a reason.
    Each approval checks the fund's caps again."""

    serializer_class = output_serializer = FundingDecisionSerializer
    filterset_class = DecisionFilter
    gated_actions = {"create": (is_officer, gettext_lazy("Only bureau officers can propose a funding decision."))}

    def get_queryset(self):
        return (selectors.decisions_visible_to(self.request.user)
                .select_related("application__institution", "fund").prefetch_related("investments")
                .order_by("-proposed_at", "-id"))

    @extend_schema(tags=["funding-decisions"], request=FundingDecisionCreateSerializer,
                   responses={201: FundingDecisionSerializer, **_errors(
                       400, 403, 409, e400="Bad input, or the fund's caps would be broken (the body names the cap "
                                           "and the numbers).",
                       e409="The application is not “reviewed”, or already has a decision.")},
                   summary="Propose a funding decision for a reviewed project application (officers)")
    def create(self, request):
        data = self._input(FundingDecisionCreateSerializer)
        application = data.pop("application")
        decision = services.propose_decision(request.user, application, **data)
        return self._detail(decision, status.HTTP_201_CREATED)


# ------------------------------------------------------------------ investments


class InvestmentFilter(django_filters.FilterSet):
    fund = django_filters.NumberFilter(field_name="fund_id", help_text="Fund id.")
    decision = django_filters.NumberFilter(field_name="decision_id", help_text="Funding decision id.")
    is_conversion = django_filters.BooleanFilter()

    class Meta:
        model = Investment
        fields = ["fund", "decision", "is_conversion"]


def _refuse_oversized(request):
    limit = settings.ATTACHMENT_MAX_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit + MULTIPART_SLACK_BYTES:
        raise BadInput(_("The file is larger than the limit of %(limit)s MB.") % {"limit": f"{limit / 1048576:.0f}"},
                       field_errors={"agreement": [_("Too large.")]})


@extend_schema_view(
    list=extend_schema(tags=["investments"], summary="Investments (holdings) of the caller's funds (officers: all; "
                                                     "applicants: none)"),
    retrieve=extend_schema(tags=["investments"], responses={200: InvestmentSerializer, **_errors(404)},
                           summary="One investment with its current stake, exits and latest valuation mark"),
)
class InvestmentViewSet(FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = output_serializer = InvestmentSerializer
    filterset_class = InvestmentFilter
    parser_classes = [JSONParser, StrictMultiPartParser]
    gated_actions = {"create": _STAFF_ONLY}

    def get_queryset(self):
        return (selectors.investments_visible_to(self.request.user)
                .prefetch_related("exits", "marks", "decision__financing_rounds").order_by("-invested_on", "-id"))

    def perform_content_negotiation(self, request, force=False):
        # The download answers with the file whatever the client says it accepts.
        return super().perform_content_negotiation(request, force=force or self.action == "agreement")

    @extend_schema(tags=["investments"],
                   request={"application/json": InvestmentCreateSerializer,
                            "multipart/form-data": InvestmentCreateSerializer},
                   responses={201: InvestmentSerializer, **_errors(
                       400, 403, 409, e400="Bad input: a typed stake that disagrees with amount / post-money, more "
                                           "than the approved investment, a stake over the fund's cap.",
                       e409="The decision is not approved or has no equity part.")},
                   summary="Record an equity investment (a manager of the decision's fund); the stake is derived")
    def create(self, request):
        _refuse_oversized(request)
        data = self._input(InvestmentCreateSerializer)
        decision = data.pop("decision")
        investment = services.record_investment(request.user, decision, **data)
        return self._detail(investment, status.HTTP_201_CREATED)

    @extend_schema(tags=["investments"], responses={(200, "application/pdf"): OpenApiTypes.BINARY, **_errors(404)},
                   summary="Download the signed agreement (permission-checked; never a public URL)")
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def agreement(self, request, pk=None):
        investment = self.get_object()
        if not investment.agreement:
            raise Http404
        response = FileResponse(investment.agreement.open("rb"), as_attachment=True,
                                filename=f"investment-{investment.pk}-agreement.pdf", content_type="application/pdf")
        response["Cache-Control"] = "private, no-store"
        return response


@extend_schema_view(
    list=extend_schema(tags=["investments"], summary="Valuation marks of an investment, oldest first",
                       responses={200: ValuationMarkSerializer(many=True), **_errors(404)}),
)
class ValuationMarkViewSet(FundingViewSet, mixins.ListModelMixin):
    """``investments/{investment_pk}/marks/``: 404 unless the caller may see the investment."""

    serializer_class = output_serializer = ValuationMarkSerializer
    pagination_class = None
    filter_backends: list = []

    def get_investment(self):
        if not hasattr(self, "_investment"):
            investment = selectors.investments_visible_to(self.request.user).filter(
                pk=self.kwargs["investment_pk"]).first()
            if investment is None:
                raise Http404
            self._investment = investment
        return self._investment

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.marks_visible_to(self.request.user).none()
        return (selectors.marks_visible_to(self.request.user).filter(investment=self.get_investment())
                .order_by("marked_on", "id"))

    @extend_schema(tags=["investments"], request=ValuationMarkCreateSerializer,
                   responses={201: ValuationMarkSerializer, **_errors(400, 403, 404)},
                   summary="Mark the value of a holding (the fund's managers)")
    def create(self, request, investment_pk=None):
        investment = self.get_investment()
        data = self._input(ValuationMarkCreateSerializer)
        mark = services.mark_value(request.user, investment, **data)
        return self._detail(mark, status.HTTP_201_CREATED)


class ExitFilter(django_filters.FilterSet):
    investment = django_filters.NumberFilter(field_name="investment_id", help_text="Investment id.")
    kind = django_filters.ChoiceFilter(choices=ExitKind.choices)

    class Meta:
        model = Exit
        fields = ["investment", "kind"]


@extend_schema_view(
    list=extend_schema(tags=["exits"], summary="Exits from the holdings of the caller's funds"),
    retrieve=extend_schema(tags=["exits"], responses={200: ExitSerializer, **_errors(404)}),
)
class ExitViewSet(FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = output_serializer = ExitSerializer
    filterset_class = ExitFilter
    gated_actions = {"create": _STAFF_ONLY}

    def get_queryset(self):
        return selectors.exits_visible_to(self.request.user).order_by("exited_on", "id")

    @extend_schema(tags=["exits"], request=ExitCreateSerializer,
                   responses={201: ExitSerializer, **_errors(400, 403)},
                   summary="Record an exit (the fund's managers); a buyback without proceeds is computed at "
                           "principal plus the agreed simple interest")
    def create(self, request):
        data = self._input(ExitCreateSerializer)
        investment = data.pop("investment")
        exit_ = services.record_exit(request.user, investment, **data)
        return self._detail(exit_, status.HTTP_201_CREATED)


# --------------------------------------------------------------------- tranches


class TrancheFilter(django_filters.FilterSet):
    decision = django_filters.NumberFilter(field_name="decision_id", help_text="Funding decision id.")
    part = django_filters.ChoiceFilter(choices=TranchePart.choices)
    state = django_filters.ChoiceFilter(choices=TrancheState.choices)

    class Meta:
        model = Tranche
        fields = ["decision", "part", "state"]


def _run_tranche_transition(obj, name, user, comment, **details):
    if name == "release":
        return services.release_tranche(user, obj)
    if name == "pay":
        return services.pay_tranche(user, obj, payment_reference=details.get("payment_reference", ""),
                                    paid_on=details.get("paid_on"))
    return run_transition(obj, name, user, comment, **details)


TrancheTransitionActions = transition_actions(
    model=Tranche, response_serializer=TrancheSerializer, input_serializer=TrancheTransitionInputSerializer,
    details_fields={"pay": ("payment_reference", "paid_on")}, runner=_run_tranche_transition, resource="tranches",
    tag="tranches",
)


@extend_schema_view(
    list=extend_schema(tags=["tranches"], summary="Tranches of the decisions of the caller's funds"),
    retrieve=extend_schema(tags=["tranches"], responses={200: TrancheSerializer, **_errors(404)}),
)
class TrancheViewSet(TrancheTransitionActions, FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Planned payments (分期拨付) of a decision's grant or equity part. ``release`` (409 if it would bring released
    and paid over the approved amount, or its milestone or date is not reached) and ``pay`` (with
    ``payment_reference``); grant tranches by the bureau, equity tranches by the fund's managers."""

    serializer_class = output_serializer = TrancheSerializer
    filterset_class = TrancheFilter
    gated_actions = {"create": _STAFF_ONLY}

    def get_queryset(self):
        return selectors.tranches_visible_to(self.request.user).order_by("decision_id", "part", "sequence")

    @extend_schema(tags=["tranches"], request=TrancheCreateSerializer,
                   responses={201: TrancheSerializer, **_errors(
                       400, 403, e400="Bad input, or the tranches would add up to more than the approved amount "
                                      "(the body names both).")},
                   summary="Plan a tranche on a milestone or a date (grant: officers; equity: the fund's managers)")
    def create(self, request):
        data = self._input(TrancheCreateSerializer)
        decision = data.pop("decision")
        tranche = services.plan_tranche(request.user, decision, **data)
        return self._detail(tranche, status.HTTP_201_CREATED)


# ------------------------------------------------------------- financing rounds


class RoundFilter(django_filters.FilterSet):
    decision = django_filters.NumberFilter(field_name="decision_id", help_text="Funding decision id.")

    class Meta:
        model = FinancingRound
        fields = ["decision"]


@extend_schema_view(
    list=extend_schema(tags=["financing-rounds"], summary="Financing rounds of the investees of the caller's funds"),
    retrieve=extend_schema(tags=["financing-rounds"], responses={200: FinancingRoundSerializer, **_errors(404)}),
)
class FinancingRoundViewSet(FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = output_serializer = FinancingRoundSerializer
    filterset_class = RoundFilter
    gated_actions = {"create": _STAFF_ONLY}

    def get_queryset(self):
        return (selectors.rounds_visible_to(self.request.user).select_related("decision__conversion")
                .order_by("closed_on", "id"))

    @extend_schema(tags=["financing-rounds"], request=FinancingRoundCreateSerializer,
                   responses={201: FinancingRoundSerializer, **_errors(400, 403)},
                   summary="Record a financing round of the investee (officers or the fund's managers); an "
                           "outstanding convertible grant converts at the first qualifying round, and the answer "
                           "shows the conversion")
    def create(self, request):
        data = self._input(FinancingRoundCreateSerializer)
        decision = data.pop("decision")
        financing_round = services.record_round(request.user, decision, **data)
        return self._detail(financing_round, status.HTTP_201_CREATED)


# -------------------------------------------------------------- post-investment


class DecisionRecordFilter(django_filters.FilterSet):
    decision = django_filters.NumberFilter(field_name="decision_id", help_text="Funding decision id.")


class ReportFilter(DecisionRecordFilter):
    year = django_filters.NumberFilter()

    class Meta:
        model = QuarterlyReport
        fields = ["decision", "year"]


@extend_schema_view(
    list=extend_schema(tags=["reports"], summary="Quarterly reports: officers all; the fund's managers; the "
                                                 "investee institution its own"),
    retrieve=extend_schema(tags=["reports"], responses={200: QuarterlyReportSerializer, **_errors(404)}),
)
class QuarterlyReportViewSet(FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = output_serializer = QuarterlyReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        return selectors.reports_visible_to(self.request.user).order_by("-year", "-quarter", "-id")

    @extend_schema(tags=["reports"], request=QuarterlyReportCreateSerializer,
                   responses={201: QuarterlyReportSerializer, **_errors(
                       400, 403, 409, e409="The report for that quarter is already filed.")},
                   summary="File a quarterly report (the investee institution or the fund's managers)")
    def create(self, request):
        data = self._input(QuarterlyReportCreateSerializer)
        decision = data.pop("decision")
        report = services.file_quarterly_report(request.user, decision, **data)
        return self._detail(report, status.HTTP_201_CREATED)


class MaterialEventFilter(DecisionRecordFilter):
    class Meta:
        model = MaterialEvent
        fields = ["decision"]


@extend_schema_view(
    list=extend_schema(tags=["material-events"], summary="Material events (重大事项) the caller may see"),
    retrieve=extend_schema(tags=["material-events"], responses={200: MaterialEventSerializer, **_errors(404)}),
)
class MaterialEventViewSet(FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = output_serializer = MaterialEventSerializer
    filterset_class = MaterialEventFilter

    def get_queryset(self):
        return selectors.material_events_visible_to(self.request.user).order_by("-occurred_on", "-id")

    @extend_schema(tags=["material-events"], request=MaterialEventCreateSerializer,
                   responses={201: MaterialEventSerializer, **_errors(400, 403)},
                   summary="Report a material event (the investee institution or the fund's managers)")
    def create(self, request):
        data = self._input(MaterialEventCreateSerializer)
        decision = data.pop("decision")
        event = services.report_material_event(request.user, decision, **data)
        return self._detail(event, status.HTTP_201_CREATED)


class RiskFilter(DecisionRecordFilter):
    state = django_filters.ChoiceFilter(choices=RiskState.choices)

    class Meta:
        model = Risk
        fields = ["decision", "state"]


RiskTransitionActions = transition_actions(
    model=Risk, response_serializer=RiskSerializer, input_serializer=RiskTransitionInputSerializer,
    details_fields={"assess": ("likelihood", "impact")}, resource="risks", tag="risks",
)


@extend_schema_view(
    list=extend_schema(tags=["risks"], summary="The risk register of the caller's funds' decisions"),
    retrieve=extend_schema(tags=["risks"], responses={200: RiskSerializer, **_errors(404)}),
)
class RiskViewSet(RiskTransitionActions, FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The risk register (科技保险): identified → ``assess`` (likelihood and impact, 1–5) → ``warn`` → ``dispose``."""

    serializer_class = output_serializer = RiskSerializer
    filterset_class = RiskFilter
    gated_actions = {"create": _STAFF_ONLY}

    def get_queryset(self):
        return selectors.risks_visible_to(self.request.user).order_by("-identified_at", "-id")

    @extend_schema(tags=["risks"], request=RiskCreateSerializer, responses={201: RiskSerializer, **_errors(400, 403)},
                   summary="Identify a risk (officers or the fund's managers)")
    def create(self, request):
        data = self._input(RiskCreateSerializer)
        decision = data.pop("decision")
        risk = services.identify_risk(request.user, decision, **data)
        return self._detail(risk, status.HTTP_201_CREATED)


class InsuranceFilter(DecisionRecordFilter):
    class Meta:
        model = InsurancePolicy
        fields = ["decision"]


@extend_schema_view(
    list=extend_schema(tags=["insurance-policies"], summary="Insurance policies (科技保险) of the caller's funds' "
                                                            "decisions"),
    retrieve=extend_schema(tags=["insurance-policies"], responses={200: InsurancePolicySerializer, **_errors(404)}),
)
class InsurancePolicyViewSet(FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = output_serializer = InsurancePolicySerializer
    filterset_class = InsuranceFilter
    gated_actions = {"create": _STAFF_ONLY}

    def get_queryset(self):
        return selectors.insurance_visible_to(self.request.user).order_by("-starts_on", "-id")

    @extend_schema(tags=["insurance-policies"], request=InsurancePolicyCreateSerializer,
                   responses={201: InsurancePolicySerializer, **_errors(400, 403)},
                   summary="Record an insurance policy, e.g. R&D-cost-loss insurance (officers or the fund's "
                           "managers)")
    def create(self, request):
        data = self._input(InsurancePolicyCreateSerializer)
        decision = data.pop("decision")
        policy = services.add_insurance(request.user, decision, **data)
        return self._detail(policy, status.HTTP_201_CREATED)


# ------------------------------------------------------ obligations and contracts


class ObligationFilter(django_filters.FilterSet):
    institution = django_filters.NumberFilter(field_name="institution_id", help_text="Institution id.")
    is_major = django_filters.BooleanFilter()
    overdue = django_filters.BooleanFilter(method="filter_overdue",
                                           help_text="Due date passed without a registered contract.")
    eligible_for_major_series = django_filters.BooleanFilter(
        method="filter_eligible", help_text="At least ¥2,000,000.00 actually received.")

    class Meta:
        model = Project
        fields = ["institution", "is_major"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(obligation_due_on__lt=timezone.localdate(), contracts_count=0) & ~Q(state="terminated")
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_eligible(self, queryset, name, value):
        eligible = Q(total_received__gte=MAJOR_SERIES_THRESHOLD)
        return queryset.filter(eligible) if value else queryset.exclude(eligible)


@extend_schema_view(
    list=extend_schema(tags=["obligations"], summary="Transfer obligations per project: due date, overdue, "
                                                     "contracts, received, eligibility for the major series"),
    retrieve=extend_schema(tags=["obligations"], responses={200: ObligationSerializer, **_errors(404)},
                           summary="One project's transfer obligation (the id is the project's)"),
)
class ObligationViewSet(FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Read-only. A university–industry project whose registered technology contracts have at least
    ¥2,000,000.00 actually received (实际到账) may enter the municipal major-project series (¥1,999,999.99 may not)."""

    serializer_class = output_serializer = ObligationSerializer
    filterset_class = ObligationFilter

    def get_queryset(self):
        return selectors.obligation_projects_visible_to(self.request.user).order_by("obligation_due_on",
                                                                                    "project_number")


class TechContractFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id", help_text="Project id.")

    class Meta:
        model = TechContract
        fields = ["project"]


@extend_schema_view(
    list=extend_schema(tags=["tech-contracts"], summary="Registered technology contracts (技术合同认定登记) of the "
                                                        "projects the caller may see"),
    retrieve=extend_schema(tags=["tech-contracts"], responses={200: TechContractSerializer, **_errors(404)}),
)
class TechContractViewSet(FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = output_serializer = TechContractSerializer
    filterset_class = TechContractFilter

    def get_queryset(self):
        return (selectors.tech_contracts_visible_to(self.request.user).prefetch_related("payments")
                .order_by("registered_on", "id"))

    @extend_schema(tags=["tech-contracts"], request=TechContractCreateSerializer,
                   responses={201: TechContractSerializer, **_errors(400, 403)},
                   summary="Register a technology contract of a project (its institution's members or officers)")
    def create(self, request):
        data = self._input(TechContractCreateSerializer)
        project = data.pop("project")
        contract = services.register_contract(request.user, project, **data)
        return self._detail(contract, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(tags=["tech-contracts"], summary="Payments actually received on a technology contract",
                       responses={200: ContractPaymentSerializer(many=True), **_errors(404)}),
)
class ContractPaymentViewSet(FundingViewSet, mixins.ListModelMixin):
    """``tech-contracts/{contract_pk}/payments/``: 404 unless the caller may see the contract."""

    serializer_class = output_serializer = ContractPaymentSerializer
    pagination_class = None
    filter_backends: list = []

    def get_contract(self):
        if not hasattr(self, "_contract"):
            contract = selectors.tech_contracts_visible_to(self.request.user).filter(
                pk=self.kwargs["contract_pk"]).first()
            if contract is None:
                raise Http404
            self._contract = contract
        return self._contract

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.contract_payments_visible_to(self.request.user).none()
        return (selectors.contract_payments_visible_to(self.request.user).filter(contract=self.get_contract())
                .order_by("received_on", "id"))

    @extend_schema(tags=["tech-contracts"], request=ContractPaymentCreateSerializer,
                   responses={201: ContractPaymentSerializer, **_errors(400, 403, 404)},
                   summary="Record a payment actually received (实际到账) (the project's institution or officers)")
    def create(self, request, contract_pk=None):
        contract = self.get_contract()
        data = self._input(ContractPaymentCreateSerializer)
        payment = services.record_contract_payment(request.user, contract, **data)
        return self._detail(payment, status.HTTP_201_CREATED)

