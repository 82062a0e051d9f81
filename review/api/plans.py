"""Call-level API of the review: the call's review plan (rubric, deadlines) and its ranking."""
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from poc.access import can, visible, why_not
from poc.api.errors import error_responses
from poc.models import Call
from review import ranking, selectors, services
from review.api.serializers.plans import ReviewPlanSerializer, ReviewPlanUpdateSerializer, RubricSerializer
from review.api.serializers.ranking import RankingSerializer
from review.models import Expert, ReviewPlan

_errors = error_responses


class CallScopedView(generics.GenericAPIView):
    """A resource of one call (``calls/{id}/…``): 404 unless the caller may see the call."""

    queryset = Call.objects.none()
    lookup_value_converter = "int"
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Call.objects.none()
        return visible(self.request.user, Call)

    def get_call(self) -> Call:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class ReviewPlanView(CallScopedView):
    """A call's review plan: experts per application, deadline, aggregation rules and the rubric."""

    serializer_class = ReviewPlanSerializer

    def _plan(self, request, call):
        refusal = why_not(request.user, "view", selectors.plan_of(call))
        if refusal:
            raise PermissionDenied(" ".join(refusal))
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
        refusal = why_not(request.user, "view_aggregates", ReviewPlan)
        if refusal:
            raise PermissionDenied(" ".join(refusal))
        plan = services.ensure_plan(call)
        rows, calibration = ranking.call_ranking(call)
        rows = selectors.ranking_rows_visible_to(request.user, rows)
        body = {
            "call": call.pk, "aggregate": plan.ranking_aggregate, "trim_min_reviews": plan.trim_min_reviews,
            "divergence_threshold": plan.divergence_threshold, "max_total": plan.max_total,
            "rows": rows, "calibration": self._calibration(request.user, plan, calibration),
        }
        return Response(RankingSerializer(body, context=self.get_serializer_context()).data)

    @staticmethod
    def _calibration(user, plan, calibration):
        if calibration is None:
            return None
        experts = None
        if can(user, "view_calibration", plan):  # each expert's name and bias
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
