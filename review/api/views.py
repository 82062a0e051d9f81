"""API views of the review: thin. Reads through review.selectors, writes through review.services and
review.matching; rules live in the models' transitions and the services.

Every object is looked up in the caller's permission-filtered queryset, so what the caller may not see
answers 404, exactly as if it did not exist; lists use the same querysets (DESIGN §3). Applicants and fund
managers get no individual review, no assignment, no expert and no conflict: empty lists, 404 on objects,
403 on writes and on the call-level pages (plan, matching, ranking) that their role may not use.
"""
import django_filters
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from poc.api.errors import error_responses
from poc.api.transitions import transition_actions
from poc.applications import selectors as poc_selectors
from poc.models import Call
from poc.roles import is_officer
from review import matching, ranking, selectors, services
from review.models import (
    Assignment,
    AssignmentMethod,
    AssignmentState,
    Conflict,
    ConflictSource,
    CriterionScore,
    Expert,
    Review,
    ReviewState,
)

from .serializers import (
    AssignmentCreateSerializer,
    AssignmentSerializer,
    ConflictPinSerializer,
    ConflictSerializer,
    DrawActionSerializer,
    DrawQuerySerializer,
    ExpertCreateSerializer,
    ExpertSerializer,
    ExpertUpdateSerializer,
    ExtendDeadlineSerializer,
    MatchingActionSerializer,
    MatchingCommitSerializer,
    MatchingPlanSerializer,
    RankingSerializer,
    ReviewPlanSerializer,
    ReviewPlanUpdateSerializer,
    ReviewSerializer,
    ReviewUpdateSerializer,
    RubricSerializer,
)

_errors = error_responses


class OfficersOnlyFor(permissions.BasePermission):
    """403 with a readable reason when a non-officer calls one of the view's ``officer_actions``."""

    def has_permission(self, request, view):
        if getattr(view, "action", None) in getattr(view, "officer_actions", ()) and not is_officer(request.user):
            raise PermissionDenied(view.officer_refusal())
        return True


# --------------------------------------------------------------------- experts


class ExpertFilter(django_filters.FilterSet):
    discipline = django_filters.CharFilter(field_name="disciplines__code", help_text="A discipline code.")
    active = django_filters.BooleanFilter()
    institution = django_filters.NumberFilter(field_name="institution_id", help_text="Institution id.")

    class Meta:
        model = Expert
        fields = ["discipline", "active", "institution"]


@extend_schema_view(
    list=extend_schema(summary="The expert pool (officers; empty for everyone else)"),
    retrieve=extend_schema(responses={200: ExpertSerializer, **_errors(404)}, summary="An expert of the pool (officers)"),
)
class ExpertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The expert pool (评审专家库). Expert identities are confidential: only officers read the pool; an expert
    reads their own profile at ``experts/me/``."""

    serializer_class = ExpertSerializer
    filterset_class = ExpertFilter
    lookup_value_converter = "int"
    permission_classes = [permissions.IsAuthenticated, OfficersOnlyFor]
    officer_actions = ("create", "update", "partial_update")

    @staticmethod
    def officer_refusal():
        return _("Only bureau officers can manage the expert pool.")

    def get_queryset(self):
        return (selectors.experts_visible_to(self.request.user)
                .select_related("user", "institution").prefetch_related("affiliations__institution")
                .order_by("name", "id").distinct())

    def _detail(self, expert, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=expert.pk)
        return Response(ExpertSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ExpertCreateSerializer, responses={201: ExpertSerializer, **_errors(400, 403)},
                   summary="Add an expert to the pool (officers)")
    def create(self, request):
        serializer = ExpertCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        expert = services.create_expert(request.user, **serializer.validated_data)
        return self._detail(expert, status.HTTP_201_CREATED)

    @extend_schema(request=ExpertUpdateSerializer, responses={200: ExpertSerializer, **_errors(400, 403, 404)},
                   summary="Replace an expert's profile (officers)")
    def update(self, request, pk=None):
        return self._update(request, partial=False)

    @extend_schema(request=ExpertUpdateSerializer, responses={200: ExpertSerializer, **_errors(400, 403, 404)},
                   summary="Edit an expert of the pool (officers)")
    def partial_update(self, request, pk=None):
        return self._update(request, partial=True)

    def _update(self, request, partial):
        expert = self.get_object()
        serializer = ExpertUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        expert = services.update_expert(request.user, expert, **serializer.validated_data)
        return self._detail(expert)

    @extend_schema(responses={200: ExpertSerializer, **_errors(404)},
                   summary="The caller's own expert profile (404 for a caller who is not an expert)")
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def me(self, request):
        expert = selectors.expert_of(request.user)
        if expert is None:
            raise Http404
        return Response(ExpertSerializer(expert, context=self.get_serializer_context()).data)


# ----------------------------------------------------------------- assignments


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
    model=Assignment, response_serializer=AssignmentSerializer, resource="assignments")


@extend_schema_view(
    list=extend_schema(summary="Assignments: all for officers, their own for an expert, none for others"),
    retrieve=extend_schema(responses={200: AssignmentSerializer, **_errors(404)}),
)
class AssignmentViewSet(AssignmentTransitionActions, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """Experts put on applications. Transitions: ``unassign`` (officers, with a reason) and
    ``declare_conflict`` (the assigned expert, with the reason); either revokes the expert's access at once."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    lookup_value_converter = "int"
    permission_classes = [permissions.IsAuthenticated, OfficersOnlyFor]
    officer_actions = ("create",)

    @staticmethod
    def officer_refusal():
        return _("Only bureau officers can assign experts.")

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


# ------------------------------------------------------------------- conflicts


class ConflictFilter(django_filters.FilterSet):
    application = django_filters.NumberFilter(field_name="application_id", help_text="Application id.")
    expert = django_filters.NumberFilter(field_name="expert_id", help_text="Expert id.")
    source = django_filters.ChoiceFilter(choices=ConflictSource.choices)
    call = django_filters.NumberFilter(field_name="application__call_id", help_text="Call id.")

    class Meta:
        model = Conflict
        fields = ["application", "expert", "source", "call"]


@extend_schema_view(
    list=extend_schema(summary="Recorded conflicts of interest with their source and reason (officers; empty "
                               "for everyone else)"),
    retrieve=extend_schema(responses={200: ConflictSerializer, **_errors(404)}),
)
class ConflictViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Conflicts of interest (回避): found by rule when an expert is considered, declared by the expert, or
    pinned by an officer."""

    serializer_class = ConflictSerializer
    filterset_class = ConflictFilter
    lookup_value_converter = "int"
    permission_classes = [permissions.IsAuthenticated, OfficersOnlyFor]
    officer_actions = ("create",)

    @staticmethod
    def officer_refusal():
        return _("Only bureau officers can pin a conflict of interest.")

    def get_queryset(self):
        return (selectors.conflicts_visible_to(self.request.user).select_related("recorded_by")
                .order_by("application_id", "expert_id", "source", "id"))

    @extend_schema(request=ConflictPinSerializer, responses={201: ConflictSerializer, **_errors(400, 403)},
                   summary="Pin a conflict no rule finds (officers); an active assignment of the pair is voided")
    def create(self, request):
        serializer = ConflictPinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        conflict = services.pin_conflict(request.user, **serializer.validated_data)
        fresh = self.get_queryset().get(pk=conflict.pk)
        return Response(ConflictSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


# --------------------------------------------------------------------- reviews


class ReviewFilter(django_filters.FilterSet):
    call = django_filters.NumberFilter(field_name="assignment__application__call_id", help_text="Call id.")
    application = django_filters.NumberFilter(field_name="assignment__application_id", help_text="Application id.")
    expert = django_filters.NumberFilter(field_name="assignment__expert_id", help_text="Expert id.")
    state = django_filters.ChoiceFilter(choices=ReviewState.choices)

    class Meta:
        model = Review
        fields = ["call", "application", "expert", "state"]


ReviewTransitionActions = transition_actions(model=Review, response_serializer=ReviewSerializer, resource="reviews")


@extend_schema_view(
    list=extend_schema(summary="Reviews: an expert's own (active assignments), all for officers, none for others"),
    retrieve=extend_schema(responses={200: ReviewSerializer, **_errors(404)},
                           summary="A review with its rubric, scores, deadline and what is still missing"),
)
class ReviewViewSet(ReviewTransitionActions, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """Reviews (评审意见). The assigned expert saves a draft (PATCH) and submits it before the deadline; an
    officer may reopen a submitted review with a reason. Applicants and fund managers never see one."""

    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    lookup_value_converter = "int"
    permission_classes = [permissions.IsAuthenticated, OfficersOnlyFor]
    officer_actions = ("extend_deadline",)

    @staticmethod
    def officer_refusal():
        return _("Only bureau officers can extend a review deadline.")

    def get_queryset(self):
        return (selectors.reviews_visible_to(self.request.user)
                .select_related("assignment__application__call__review_plan", "assignment__expert")
                .prefetch_related(
                    "assignment__application__call__review_plan__criteria",
                    Prefetch("scores", queryset=CriterionScore.objects.select_related("criterion")
                             .order_by("criterion__position", "criterion_id")))
                .order_by("assignment__application_id", "id"))

    def _detail(self, review):
        fresh = self.get_queryset().filter(pk=review.pk).first() or review
        return Response(ReviewSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=ReviewUpdateSerializer, responses={200: ReviewSerializer, **_errors(
        400, 403, 404, 409, e400="Bad input; an unknown criterion or a score out of range (the body names the "
                                 "criterion). Nothing is saved.",
        e409="The review was submitted, or the assignment voided.")},
        summary="Save the draft: scores (by criterion code), recommendation, comments (the assigned expert)")
    def partial_update(self, request, pk=None):
        review = self.get_object()
        serializer = ReviewUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # A PATCH: what is not sent stays as it is.
        review = services.save_review(
            request.user, review, scores=data.get("scores", {}),
            recommendation=data.get("recommendation", review.recommendation),
            overall_comment=data.get("overall_comment", review.overall_comment),
            confidential_note=data.get("confidential_note", review.confidential_note))
        return self._detail(review)

    @extend_schema(request=ExtendDeadlineSerializer, responses={200: ReviewSerializer, **_errors(400, 403, 404)},
                   summary="Extend this review's deadline (officers)")
    @action(detail=True, methods=["post"], url_path="extend-deadline", url_name="extend-deadline",
            pagination_class=None, filter_backends=[])
    def extend_deadline(self, request, pk=None):
        review = self.get_object()
        serializer = ExtendDeadlineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.extend_deadline(request.user, review, serializer.validated_data["until"])
        return self._detail(review)


# ------------------------------------------------------------ call-level views


class CallScopedView(generics.GenericAPIView):
    """A resource of one call (``calls/{id}/…``): 404 unless the caller may see the call."""

    queryset = Call.objects.none()
    lookup_value_converter = "int"
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Call.objects.none()
        return poc_selectors.calls_visible_to(self.request.user)

    def get_call(self) -> Call:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class ReviewPlanView(CallScopedView):
    """A call's review plan: experts per application, deadline, aggregation rules and the rubric."""

    serializer_class = ReviewPlanSerializer

    def _plan(self, request, call):
        if not selectors.may_see_plan(request.user, call):
            raise PermissionDenied(_("Only bureau officers, fund managers and the call's experts see its review plan."))
        return services.ensure_plan(call)

    def _answer(self, plan):
        return Response(ReviewPlanSerializer(plan, context=self.get_serializer_context()).data)

    @extend_schema(tags=["review plans"], responses={200: ReviewPlanSerializer, **_errors(403, 404)},
                   summary="A call's review plan and rubric")
    def get(self, request, pk=None):
        return self._answer(self._plan(request, self.get_call()))

    @extend_schema(tags=["review plans"], request=ReviewPlanUpdateSerializer,
                   responses={200: ReviewPlanSerializer, **_errors(400, 403, 404)},
                   summary="Edit the plan's settings (officers)")
    def patch(self, request, pk=None):
        plan = self._plan(request, self.get_call())
        serializer = ReviewPlanUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return self._answer(services.update_plan(request.user, plan, **serializer.validated_data))

    @extend_schema(tags=["review plans"], request=RubricSerializer,
                   responses={200: ReviewPlanSerializer, **_errors(
                       400, 403, 404, 409, e409="Reviews under this rubric have been submitted: it is frozen.")},
                   summary="Replace the rubric's criteria (officers; refused once a review was submitted)")
    def put(self, request, pk=None):
        plan = self._plan(request, self.get_call())
        serializer = RubricSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.replace_rubric(request.user, plan, [dict(c) for c in serializer.validated_data["criteria"]])
        plan.refresh_from_db()
        return self._answer(plan)


class RankingView(CallScopedView):
    """A call's ranking: aggregates per application (calibrated beside raw) and, for officers, each expert's
    calibration. Fund managers see the rows of the applications they may view, and no expert identity."""

    serializer_class = RankingSerializer

    @extend_schema(tags=["rankings"], responses={200: RankingSerializer, **_errors(403, 404)},
                   summary="The call's ranking (officers and fund managers)")
    def get(self, request, pk=None):
        call = self.get_call()
        if not selectors.may_see_aggregates(request.user):
            raise PermissionDenied(_("Only bureau officers and fund managers see rankings."))
        plan = services.ensure_plan(call)
        rows, calibration = ranking.call_ranking(call)
        rows = selectors.ranking_rows_visible_to(request.user, rows)
        body = {
            "call": call.pk, "aggregate": plan.ranking_aggregate, "trim_min_reviews": plan.trim_min_reviews,
            "divergence_threshold": plan.divergence_threshold, "max_total": plan.max_total,
            "rows": rows, "calibration": self._calibration(request.user, calibration),
        }
        return Response(RankingSerializer(body, context=self.get_serializer_context()).data)

    @staticmethod
    def _calibration(user, calibration):
        if calibration is None:
            return None
        experts = None
        if is_officer(user):
            ids = [int(i) for i in calibration.expert_ids.tolist()]
            names = dict(Expert.objects.filter(pk__in=ids).values_list("pk", "name"))
            experts = [
                {"expert": e, "name": names.get(e, ""), "bias": round(float(b), 2), "reviews": int(n),
                 "too_few_reviews": bool(f), "group": int(g)}
                for e, b, n, f, g in zip(ids, calibration.bias.tolist(), calibration.expert_reviews.tolist(),
                                         calibration.too_few_reviews.tolist(), calibration.group.tolist(),
                                         strict=True)
            ]
        return {"min_reviews": calibration.min_reviews, "converged": bool(calibration.converged),
                "iterations": int(calibration.iterations), "residual_rms": round(float(calibration.residual_rms), 4),
                "experts": experts}


MATCHING_ERRORS = _errors(
    400, 403, 404, 409,
    e409="Nothing to assign, no feasible assignment (the body gives the reasons, also as `reasons`), or the "
         "input changed since the preview (preview again).")


class _MatchingView(CallScopedView):
    method = ""

    def _commit(self, request, call, digest, seed=None):
        created = matching.commit(request.user, call, self.method, digest, seed)
        ids = [a.pk for a in created]
        fresh = list(selectors.assignments_visible_to(request.user).filter(pk__in=ids)
                     .select_related("assigned_by").order_by("application_id", "id"))
        body = {"created": len(fresh), "assignments": fresh}
        return Response(MatchingCommitSerializer(body, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    def _preview(self, plan):
        return Response(MatchingPlanSerializer(plan, context=self.get_serializer_context()).data)


class AutoAssignView(_MatchingView):
    """Optimal assignment of the call's applications that still need experts (officers): preview, then commit
    the previewed plan with its digest. The commit solves again and refuses (409) if anything changed."""

    serializer_class = MatchingPlanSerializer
    method = "optimal"

    @extend_schema(tags=["matching"], responses={200: MatchingPlanSerializer, **MATCHING_ERRORS},
                   summary="Preview the optimal assignment (nothing is saved)")
    def get(self, request, pk=None):
        return self._preview(matching.preview_optimal(request.user, self.get_call()))

    @extend_schema(tags=["matching"], request=MatchingActionSerializer,
                   responses={200: MatchingPlanSerializer, 201: MatchingCommitSerializer, **MATCHING_ERRORS},
                   summary="Preview (200) or commit (201) the optimal assignment")
    def post(self, request, pk=None):
        call = self.get_call()
        serializer = MatchingActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["action"] == "commit":
            return self._commit(request, call, data["digest"])
        return self._preview(matching.preview_optimal(request.user, call))


class RandomDrawView(_MatchingView):
    """A random draw (随机抽取) among the eligible experts, reproducible from its seed (officers): preview (with a
    given or fresh seed), then commit with the preview's seed and digest."""

    serializer_class = MatchingPlanSerializer
    method = "draw"

    @extend_schema(tags=["matching"], parameters=[OpenApiParameter(
        "seed", int, OpenApiParameter.QUERY, required=False, description="Draw with this seed (else a fresh one).")],
        responses={200: MatchingPlanSerializer, **MATCHING_ERRORS},
        summary="Preview a random draw (nothing is saved)")
    def get(self, request, pk=None):
        call = self.get_call()
        query = DrawQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return self._preview(matching.preview_draw(request.user, call, query.validated_data.get("seed")))

    @extend_schema(tags=["matching"], request=DrawActionSerializer,
                   responses={200: MatchingPlanSerializer, 201: MatchingCommitSerializer, **MATCHING_ERRORS},
                   summary="Preview (200) or commit (201) a random draw")
    def post(self, request, pk=None):
        call = self.get_call()
        serializer = DrawActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["action"] == "commit":
            return self._commit(request, call, data["digest"], data["seed"])
        return self._preview(matching.preview_draw(request.user, call, data.get("seed")))
