"""API of funded projects and their records (DESIGN §2 Project, §4).

* ``projects``: funded projects with their conversion obligation, due dates and milestones; the signed
  task agreement (PDF) is uploaded and downloaded at ``projects/{id}/agreement/``; transitions ``sign``,
  ``request_acceptance``, ``terminate`` (the acceptance outcomes follow from ``acceptances``).
* ``milestones``: a project's milestones; ``milestones/{id}/report/`` reports progress with optional evidence.
* ``change-requests``: changes of targets, budget, team or deadline; an officer approves or rejects them.
* ``acceptances``: acceptance reviews (验收); creating one records the review and moves the project.

Every object is looked up in the caller's permission-filtered queryset (:mod:`poc.projects.selectors`),
so another institution's object answers 404 as a missing one.
"""
import django_filters
from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from poc.api.files import DOWNLOAD, DownloadNegotiationMixin, download_response, refuse_oversized
from poc.api.serializers.projects import (
    AcceptanceCreateSerializer,
    AcceptanceSerializer,
    AgreementUploadSerializer,
    ChangeRequestCreateSerializer,
    ChangeRequestSerializer,
    MilestoneReportSerializer,
    MilestoneReportTextSerializer,
    ProjectDetailSerializer,
    ProjectMilestoneSerializer,
    ProjectSerializer,
)
from poc.attachment_checks import ALLOWED
from poc.models import Acceptance, ApplicationKind, ChangeRequest, Project, ProjectMilestone, ProjectState
from poc.projects import selectors
from poc.projects import services as project_services

from .errors import error_responses
from .parsers import StrictMultiPartParser
from .transitions import transition_actions

_errors = error_responses


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
        projects = selectors.projects_visible_to(self.request.user).order_by("-approved_on", "project_number")
        # The list shows no milestone (the detail does): not read for 50 projects a page.
        return projects.prefetch_related(None) if self.action == "list" else projects

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
            return download_response(project.agreement, f"{project.project_number}-agreement.pdf", "application/pdf")
        refuse_oversized(request)
        serializer = AgreementUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = project_services.upload_agreement(request.user, project, serializer.validated_data["file"])
        fresh = self.get_queryset().get(pk=project.pk)
        return Response(ProjectDetailSerializer(fresh, context=self.get_serializer_context()).data)


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
        refuse_oversized(request)
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
        return download_response(milestone.evidence, milestone.evidence_name or stored,
                         ALLOWED.get(stored.rsplit(".", 1)[-1].lower()))


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
