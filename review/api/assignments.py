"""API of assignments: who reviews which application, and their transitions."""
import django_filters
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from poc.api.errors import error_responses
from poc.api.transitions import transition_actions
from review import policies, selectors, services
from review.api.serializers.assignments import AssignmentCreateSerializer, AssignmentSerializer
from review.models import Assignment, AssignmentMethod, AssignmentState

_errors = error_responses


class AssignmentFilter(django_filters.FilterSet):
    call = django_filters.NumberFilter(field_name="application__call_id", help_text="Call id.")
    application = django_filters.NumberFilter(field_name="application_id", help_text="Application id.")
    expert = django_filters.NumberFilter(field_name="expert_id", help_text="Expert id.")
    state = django_filters.ChoiceFilter(choices=AssignmentState.choices)
    method = django_filters.ChoiceFilter(choices=AssignmentMethod.choices)

    class Meta:
        model = Assignment
        fields = ["call", "application", "expert", "state", "method"]


AssignmentTransitionActions = transition_actions(
    model=Assignment, response_serializer=AssignmentSerializer, resource="assignments",
    system_notes={"void_for_conflict": gettext_lazy(
        "An assignment is voided by the system when a rule finds a conflict of interest after it was made (the "
        "expert's affiliations or the application's team changed); it is not run by hand.")},
)


@extend_schema_view(
    list=extend_schema(summary="Assignments: all for officers, their own for an expert, none for others"),
    retrieve=extend_schema(responses={200: AssignmentSerializer, **_errors(404)}),
)
class AssignmentViewSet(AssignmentTransitionActions, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """Experts put on applications. Transitions: ``unassign`` (officers, with a reason) and
    ``declare_conflict`` (the assigned expert, with the reason); either revokes the expert's access at once, as does
    ``void_for_conflict``, taken by the system when a rule finds a conflict after the assignment."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    lookup_value_converter = "int"
    policy_actions = {"create": policies.assignment.relation("create")}

    def get_queryset(self):
        return (selectors.assignments_visible_to(self.request.user)
                .select_related("application", "expert", "review", "assigned_by")
                .order_by("application_id", "id"))

    @extend_schema(request=AssignmentCreateSerializer,
                   responses={201: AssignmentSerializer, **_errors(
                       400, 403, 409, e400="Bad input, or the expert cannot review it (the body says why: a "
                                           "conflict of interest, the load, the pledge…).",
                       e409="The application is not under review.")},
                   summary="Assign an expert to an application by hand (officers)")
    def create(self, request):
        serializer = AssignmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment = services.assign_manually(request.user, serializer.validated_data["application"],
                                              serializer.validated_data["expert"])
        fresh = self.get_queryset().get(pk=assignment.pk)
        return Response(AssignmentSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)
