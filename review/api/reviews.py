"""API of reviews, and the review API's policy: thin views over review.selectors, review.services and
review.matching; rules live in the models' transitions and the services.

Every object is looked up in the caller's permission-filtered queryset, so what the caller may not see
answers 404, exactly as if it did not exist; lists use the same querysets (DESIGN §3). Applicants and fund
managers get no individual review, no assignment, no expert and no conflict: empty lists, 404 on objects,
403 on writes and on the call-level pages (plan, matching, ranking) that their role may not use.
"""
import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from poc.api.errors import error_responses
from poc.api.transitions import transition_actions
from review import policies, selectors, services
from review.api.serializers.reviews import ExtendDeadlineSerializer, ReviewSerializer, ReviewUpdateSerializer
from review.models import CriterionScore, Review, ReviewState

_errors = error_responses


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
    policy_actions = {"extend_deadline": policies.review.relation("extend_deadline")}

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
