"""API of life after approval (DESIGN §2 Center/Project, §4): thin viewsets over the services.

* ``centers``: designated centers; the one transition run by hand is ``revoke_for_fraud`` (officers); the
  others follow from scoring an evaluation or from the nightly expiry job and are listed as not runnable.
* ``evaluations``: annual performance evaluations (年度绩效评价): the institution creates one per data
  year, fills its metrics, uploads evidence and files it; an officer returns it or scores it
  (``transitions/record_score/`` with ``{"score": …}``), which grades it and moves the center.
* ``projects``: funded projects with their conversion obligation, due dates and milestones; the signed
  task agreement (PDF) is uploaded and downloaded at ``projects/{id}/agreement/``; transitions ``sign``,
  ``request_acceptance``, ``terminate`` (the acceptance outcomes follow from ``acceptances``).
* ``milestones``: a project's milestones; ``milestones/{id}/report/`` reports progress with optional evidence.
* ``change-requests``: changes of targets, budget, team or deadline; an officer approves or rejects them.
* ``acceptances``: acceptance reviews (验收); creating one records the review and moves the project.
* ``public/centers``: the published list of designated centers, without signing in; public facts only.

Every object is looked up in the caller's permission-filtered queryset
(:mod:`poc.centers.selectors`, :mod:`poc.projects.selectors`), so another institution's object answers 404 as a missing one.
"""
import django_filters
from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from poc.attachment_checks import ALLOWED
from poc.centers import selectors as center_selectors
from poc.centers import services as center_services
from poc.errors import BadInput
from poc.models import (
    Acceptance,
    AnnualEvaluation,
    ApplicationKind,
    Center,
    CenterState,
    ChangeRequest,
    EvaluationState,
    Grade,
    Project,
    ProjectMilestone,
    ProjectState,
)
from poc.projects import selectors
from poc.projects import services as project_services
from poc.workflow import run_transition

from .after_approval_serializers import (
    AcceptanceCreateSerializer,
    AcceptanceSerializer,
    AgreementUploadSerializer,
    CenterDetailSerializer,
    CenterSerializer,
    ChangeRequestCreateSerializer,
    ChangeRequestSerializer,
    EvaluationCreateSerializer,
    EvaluationSerializer,
    EvaluationTransitionInputSerializer,
    EvaluationUpdateSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
    MilestoneReportSerializer,
    MilestoneReportTextSerializer,
    ProjectDetailSerializer,
    ProjectMilestoneSerializer,
    ProjectSerializer,
    PublicCenterSerializer,
)
from .errors import error_responses
from .parsers import StrictMultiPartParser
from .transitions import transition_actions

_errors = error_responses

# The multipart envelope around a file adds a little; anything far beyond the limit is refused unread.
MULTIPART_SLACK_BYTES = 64 * 1024


def _refuse_oversized(request):
    limit = settings.ATTACHMENT_MAX_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit + MULTIPART_SLACK_BYTES:
        raise BadInput(_("The file is larger than the limit of %(limit)s MB.") % {"limit": f"{limit / 1048576:.0f}"},
                       field_errors={"file": [_("Too large.")]})


def _download(field_file, name: str, content_type: str | None = None) -> FileResponse:
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=name,
                            content_type=content_type or "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    return response


DOWNLOAD = {(200, "application/octet-stream"): OpenApiTypes.BINARY}


class DownloadNegotiationMixin:
    """A download answers with the file whatever the client says it accepts."""

    download_actions: tuple[str, ...] = ()

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=force or self.action in self.download_actions)


# --------------------------------------------------------------------- centers


class CenterFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=CenterState.choices)
    center_type = django_filters.ChoiceFilter(choices=Center.CenterType.choices)
    institution = django_filters.NumberFilter(field_name="institution_id", help_text="Institution id.")

    class Meta:
        model = Center
        fields = ["state", "center_type", "institution"]


_BY_SCORING = gettext_lazy("This step follows from scoring the center's annual evaluation "
                           "(evaluations/{id}/transitions/record_score/); it is not run by hand.")
CenterTransitionActions = transition_actions(
    model=Center, response_serializer=CenterDetailSerializer, resource="centers", tag="centers",
    system_notes={
        "order_rectification": _BY_SCORING,
        "pass_rectification": _BY_SCORING,
        "revoke_after_second_failure": _BY_SCORING,
        "expire": gettext_lazy("The nightly job expires a designation once its validity is over; "
                               "it is not run by hand."),
    },
)


@extend_schema_view(
    list=extend_schema(tags=["centers"], summary="Designated centers the caller may see: their institution's, "
                                                 "or all for officers"),
    retrieve=extend_schema(tags=["centers"], responses={200: CenterDetailSerializer, **_errors(404)},
                           summary="One designated center with its evaluations"),
)
class CenterViewSet(CenterTransitionActions, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    filterset_class = CenterFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return center_selectors.centers_visible_to(self.request.user).order_by("-designated_on", "designation_number")

    def get_serializer_class(self):
        return CenterSerializer if self.action == "list" else CenterDetailSerializer


class PublicCenterFilter(django_filters.FilterSet):
    center_type = django_filters.ChoiceFilter(choices=Center.CenterType.choices)

    class Meta:
        model = Center
        fields = ["center_type"]


@extend_schema_view(
    list=extend_schema(tags=["public"], auth=[], summary="The published list of designated centers (no sign-in)"),
    retrieve=extend_schema(tags=["public"], auth=[], responses={200: PublicCenterSerializer, **_errors(404)},
                           summary="One designated center's public facts (no sign-in)"),
)
class PublicCenterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Designated centers in force (active or rectifying): designation, name, type, host, validity, services."""

    serializer_class = PublicCenterSerializer
    authentication_classes: list = []  # no session, no token: a public page's data
    permission_classes = [AllowAny]
    filterset_class = PublicCenterFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return center_services.public_centers()


# ----------------------------------------------------------------- evaluations


class EvaluationFilter(django_filters.FilterSet):
    center = django_filters.NumberFilter(field_name="center_id", help_text="Center id.")
    data_year = django_filters.NumberFilter()
    state = django_filters.ChoiceFilter(choices=EvaluationState.choices)
    grade = django_filters.ChoiceFilter(choices=Grade.choices)

    class Meta:
        model = AnnualEvaluation
        fields = ["center", "data_year", "state", "grade"]


def _run_evaluation_transition(obj, name, user, comment, **details):
    if name == "record_score":
        evaluation, _center = center_services.score_evaluation(user, obj, details.get("score"), comment)
        return evaluation
    return run_transition(obj, name, user, comment, **details)


EvaluationTransitionActions = transition_actions(
    model=AnnualEvaluation, response_serializer=EvaluationSerializer,
    input_serializer=EvaluationTransitionInputSerializer, details_fields={"record_score": ("score",)},
    runner=_run_evaluation_transition, resource="annual evaluations", tag="evaluations",
)


@extend_schema_view(
    list=extend_schema(tags=["evaluations"], summary="Annual evaluations the caller may see"),
    retrieve=extend_schema(tags=["evaluations"], responses={200: EvaluationSerializer, **_errors(404)},
                           summary="One annual evaluation with its metrics, evidence and what it still lacks"),
)
class EvaluationViewSet(EvaluationTransitionActions, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return (center_selectors.evaluations_visible_to(self.request.user).prefetch_related("evidence")
                .order_by("center_id", "-data_year", "id"))

    def _detail(self, evaluation, code=status.HTTP_200_OK):
        fresh = self.get_queryset().filter(pk=evaluation.pk).first() or evaluation
        return Response(EvaluationSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(tags=["evaluations"], request=EvaluationCreateSerializer,
                   responses={201: EvaluationSerializer, **_errors(400, 403, 409)},
                   summary="Open the evaluation of a data year (the center's institution; one per data year)")
    def create(self, request):
        serializer = EvaluationCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        evaluation = center_services.start_evaluation(request.user, serializer.validated_data["center"],
                                                      serializer.validated_data["data_year"])
        return self._detail(evaluation, status.HTTP_201_CREATED)

    @extend_schema(tags=["evaluations"], request=EvaluationUpdateSerializer,
                   responses={200: EvaluationSerializer, **_errors(400, 403, 404, 409)},
                   summary="Fill the metrics of a draft evaluation (the center's institution)")
    def partial_update(self, request, pk=None):
        evaluation = self.get_object()
        serializer = EvaluationUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        evaluation = center_services.update_evaluation(request.user, evaluation, **serializer.validated_data)
        return self._detail(evaluation)


class EvaluationChildMixin:
    """Under ``evaluations/{evaluation_pk}/``: 404 unless the caller may see the evaluation."""

    lookup_value_converter = "int"
    pagination_class = None
    filter_backends: list = []

    def get_evaluation(self) -> AnnualEvaluation:
        if not hasattr(self, "_evaluation"):
            evaluation = center_selectors.evaluations_visible_to(self.request.user).filter(
                pk=self.kwargs["evaluation_pk"]).first()
            if evaluation is None:
                raise Http404
            self._evaluation = evaluation
        return self._evaluation


@extend_schema_view(
    list=extend_schema(tags=["evaluations"], summary="Evidence files of an annual evaluation (metadata)",
                       responses={200: EvidenceSerializer(many=True), **_errors(404)}),
    retrieve=extend_schema(tags=["evaluations"], responses={200: EvidenceSerializer, **_errors(404)}),
)
class EvidenceViewSet(EvaluationChildMixin, DownloadNegotiationMixin, mixins.ListModelMixin,
                      mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EvidenceSerializer
    parser_classes = [StrictMultiPartParser]
    download_actions = ("download",)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return center_selectors.evidence_visible_to(self.request.user).none()
        return center_selectors.evidence_visible_to(self.request.user).filter(evaluation=self.get_evaluation()).order_by("id")

    @extend_schema(tags=["evaluations"], request={"multipart/form-data": EvidenceUploadSerializer},
                   responses={201: EvidenceSerializer, **_errors(400, 403, 404, 409)},
                   summary="Upload an evidence file to a draft evaluation (checked by name, size and content)")
    def create(self, request, evaluation_pk=None):
        evaluation = self.get_evaluation()
        _refuse_oversized(request)
        serializer = EvidenceUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evidence = center_services.add_evidence(request.user, evaluation, serializer.validated_data["title"],
                                                serializer.validated_data["file"])
        return Response(EvidenceSerializer(evidence, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(tags=["evaluations"], responses={**DOWNLOAD, **_errors(404)},
                   summary="Download an evidence file (permission-checked; never a public URL)")
    @action(detail=True, methods=["get"])
    def download(self, request, evaluation_pk=None, pk=None):
        evidence = self.get_object()
        return _download(evidence.file, evidence.original_name, evidence.content_type)


# -------------------------------------------------------------------- projects


class ProjectFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=ProjectState.choices)
    kind = django_filters.ChoiceFilter(choices=[(k, k.label) for k in (ApplicationKind.POC_PROJECT,
                                                                       ApplicationKind.PILOT_PROJECT)])
    institution = django_filters.NumberFilter(field_name="institution_id", help_text="Institution id.")

    class Meta:
        model = Project
        fields = ["state", "kind", "institution"]


_BY_ACCEPTANCE = gettext_lazy("This step follows from recording an acceptance review (POST acceptances/); "
                              "it is not run by hand.")
ProjectTransitionActions = transition_actions(
    model=Project, response_serializer=ProjectDetailSerializer, resource="projects", tag="projects",
    system_notes={name: _BY_ACCEPTANCE for name in ("pass_acceptance", "order_rectification",
                                                    "pass_after_rectification", "fail_acceptance")},
)


@extend_schema_view(
    list=extend_schema(tags=["projects"], summary="Funded projects the caller may see: their institution's, "
                                                  "or all for officers"),
    retrieve=extend_schema(tags=["projects"], responses={200: ProjectDetailSerializer, **_errors(404)},
                           summary="One project with its obligation, due dates and milestones"),
)
class ProjectViewSet(ProjectTransitionActions, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     viewsets.GenericViewSet):
    filterset_class = ProjectFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.projects_visible_to(self.request.user).order_by("-approved_on", "project_number")

    def get_serializer_class(self):
        return ProjectSerializer if self.action == "list" else ProjectDetailSerializer

    def perform_content_negotiation(self, request, force=False):
        # The download answers with the file whatever the client says it accepts.
        return super().perform_content_negotiation(
            request, force=force or (self.action == "agreement" and request.method == "GET"))

    @extend_schema(tags=["projects"], methods=["GET"], responses={**DOWNLOAD, **_errors(404)},
                   summary="Download the signed task agreement (permission-checked)")
    @extend_schema(tags=["projects"], methods=["POST"], request={"multipart/form-data": AgreementUploadSerializer},
                   responses={200: ProjectDetailSerializer, **_errors(400, 403, 404, 409)},
                   summary="Upload the signed task agreement (PDF) while the project is being contracted")
    @action(detail=True, methods=["get", "post"], filter_backends=[], parser_classes=[StrictMultiPartParser])
    def agreement(self, request, pk=None):
        project = self.get_object()
        if request.method == "GET":
            if not project.agreement:
                raise Http404
            return _download(project.agreement, f"{project.project_number}-agreement.pdf", "application/pdf")
        _refuse_oversized(request)
        serializer = AgreementUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = project_services.upload_agreement(request.user, project, serializer.validated_data["file"])
        fresh = self.get_queryset().get(pk=project.pk)
        return Response(ProjectDetailSerializer(fresh, context=self.get_serializer_context()).data)


# ------------------------------------------------------------------ milestones


class MilestoneFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id", help_text="Project id.")

    class Meta:
        model = ProjectMilestone
        fields = ["project"]


@extend_schema_view(
    list=extend_schema(tags=["milestones"], summary="Milestones of the projects the caller may see "
                                                    "(filter by `project`)"),
    retrieve=extend_schema(tags=["milestones"], responses={200: ProjectMilestoneSerializer, **_errors(404)}),
)
class ProjectMilestoneViewSet(DownloadNegotiationMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                              viewsets.GenericViewSet):
    serializer_class = ProjectMilestoneSerializer
    filterset_class = MilestoneFilter
    lookup_value_converter = "int"
    download_actions = ("evidence",)

    def get_queryset(self):
        return selectors.milestones_visible_to(self.request.user).order_by("project_id", "month", "id")

    @extend_schema(tags=["milestones"],
                   request={"multipart/form-data": MilestoneReportSerializer,
                            "application/json": MilestoneReportTextSerializer},
                   responses={200: ProjectMilestoneSerializer, **_errors(400, 403, 404, 409)},
                   summary="Report progress on a milestone, with optional evidence (the project's institution)")
    @action(detail=True, methods=["post"], filter_backends=[], parser_classes=[JSONParser, StrictMultiPartParser])
    def report(self, request, pk=None):
        milestone = self.get_object()
        _refuse_oversized(request)
        serializer = MilestoneReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        milestone = project_services.report_milestone(request.user, milestone, serializer.validated_data["report"],
                                                      serializer.validated_data.get("evidence"))
        return Response(ProjectMilestoneSerializer(milestone, context=self.get_serializer_context()).data)

    @extend_schema(tags=["milestones"], responses={**DOWNLOAD, **_errors(404)},
                   summary="Download a milestone's evidence (permission-checked)")
    @action(detail=True, methods=["get"], filter_backends=[])
    def evidence(self, request, pk=None):
        milestone = self.get_object()
        if not milestone.evidence:
            raise Http404
        stored = milestone.evidence.name.rsplit("/", 1)[-1]
        return _download(milestone.evidence, milestone.evidence_name or stored,
                         ALLOWED.get(stored.rsplit(".", 1)[-1].lower()))


# ------------------------------------------------------------- change requests


class ChangeRequestFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id", help_text="Project id.")
    kind = django_filters.ChoiceFilter(choices=ChangeRequest.Kind.choices)
    state = django_filters.ChoiceFilter(choices=ChangeRequest._meta.get_field("state").choices)

    class Meta:
        model = ChangeRequest
        fields = ["project", "kind", "state"]


ChangeRequestTransitionActions = transition_actions(
    model=ChangeRequest, response_serializer=ChangeRequestSerializer, resource="change requests",
    tag="change-requests",
)


@extend_schema_view(
    list=extend_schema(tags=["change-requests"], summary="Change requests of the projects the caller may see"),
    retrieve=extend_schema(tags=["change-requests"], responses={200: ChangeRequestSerializer, **_errors(404)}),
)
class ChangeRequestViewSet(ChangeRequestTransitionActions, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           viewsets.GenericViewSet):
    serializer_class = ChangeRequestSerializer
    filterset_class = ChangeRequestFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.change_requests_visible_to(self.request.user).order_by("-requested_at", "-id")

    @extend_schema(tags=["change-requests"], request=ChangeRequestCreateSerializer,
                   responses={201: ChangeRequestSerializer, **_errors(400, 403, 409)},
                   summary="Request a change of targets, budget, team or deadline (the project's institution)")
    def create(self, request):
        serializer = ChangeRequestCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        change = project_services.request_change(request.user, data["project"], data["kind"], data["description"],
                                                 data.get("new_due_on"))
        return Response(ChangeRequestSerializer(change, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


# ------------------------------------------------------------------ acceptance


class AcceptanceFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id", help_text="Project id.")

    class Meta:
        model = Acceptance
        fields = ["project"]


@extend_schema_view(
    list=extend_schema(tags=["acceptances"], summary="Acceptance reviews of the projects the caller may see"),
    retrieve=extend_schema(tags=["acceptances"], responses={200: AcceptanceSerializer, **_errors(404)}),
)
class AcceptanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AcceptanceSerializer
    filterset_class = AcceptanceFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.acceptances_visible_to(self.request.user).order_by("project_id", "attempt")

    @extend_schema(tags=["acceptances"], request=AcceptanceCreateSerializer,
                   responses={201: AcceptanceSerializer, **_errors(400, 403, 409)},
                   summary="Record an acceptance review (officers): the total, the outcome and any automatic-fail "
                           "reasons; the project moves to completed, rectifying or failed")
    def create(self, request):
        serializer = AcceptanceCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        project = data.pop("project")
        scores = {name: data.pop(name) for name in Acceptance.SCORE_FIELDS}
        acceptance = project_services.record_acceptance(request.user, project, scores=scores, **data)
        fresh = self.get_queryset().get(pk=acceptance.pk)
        return Response(AcceptanceSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)
