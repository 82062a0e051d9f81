"""API of post-investment monitoring: quarterly reports, material events, risks, insurance."""
import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status

from funding import monitoring_services, selectors
from funding.api.base import FundingViewSet, fund_staff
from funding.api.serializers.monitoring import (
    InsurancePolicyCreateSerializer,
    InsurancePolicySerializer,
    MaterialEventCreateSerializer,
    MaterialEventSerializer,
    QuarterlyReportCreateSerializer,
    QuarterlyReportSerializer,
    RiskCreateSerializer,
    RiskSerializer,
    RiskTransitionInputSerializer,
)
from funding.models import InsurancePolicy, MaterialEvent, QuarterlyReport, Risk, RiskState
from poc.api.errors import error_responses
from poc.api.transitions import transition_actions

_errors = error_responses


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
        report = monitoring_services.file_quarterly_report(request.user, decision, **data)
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
        event = monitoring_services.report_material_event(request.user, decision, **data)
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
    policy_actions = {"create": fund_staff}

    def get_queryset(self):
        return selectors.risks_visible_to(self.request.user).order_by("-identified_at", "-id")

    @extend_schema(tags=["risks"], request=RiskCreateSerializer, responses={201: RiskSerializer, **_errors(400, 403)},
                   summary="Identify a risk (officers or the fund's managers)")
    def create(self, request):
        data = self._input(RiskCreateSerializer)
        decision = data.pop("decision")
        risk = monitoring_services.identify_risk(request.user, decision, **data)
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
    policy_actions = {"create": fund_staff}

    def get_queryset(self):
        return selectors.insurance_visible_to(self.request.user).order_by("-starts_on", "-id")

    @extend_schema(tags=["insurance-policies"], request=InsurancePolicyCreateSerializer,
                   responses={201: InsurancePolicySerializer, **_errors(400, 403)},
                   summary="Record an insurance policy, e.g. R&D-cost-loss insurance (officers or the fund's "
                           "managers)")
    def create(self, request):
        data = self._input(InsurancePolicyCreateSerializer)
        decision = data.pop("decision")
        policy = monitoring_services.add_insurance(request.user, decision, **data)
        return self._detail(policy, status.HTTP_201_CREATED)
