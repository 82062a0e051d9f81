"""Call-level API of automatic assignment and the random draw: propose a plan, then commit it."""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from poc.api.errors import error_responses
from review import matching, selectors
from review.api.plans import CallScopedView
from review.api.serializers.matching import (
    DrawActionSerializer,
    DrawQuerySerializer,
    MatchingActionSerializer,
    MatchingCommitSerializer,
    MatchingPlanSerializer,
)

_errors = error_responses

MATCHING_ERRORS = _errors(
    400, 403, 404, 409,
    e409="Nothing to assign, no feasible assignment (the body gives the reasons, also as `reasons`), or the "
         "input changed since the preview (preview again).")


class _MatchingView(CallScopedView):
    method = ""

    def _commit(self, request, call, digest, seed=None):
        created = matching.commit(request.user, call, self.method, digest, seed)
        fresh = list(selectors.assignments_visible_to(request.user).filter(pk__in=created.values("pk"))
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
