"""Serializers of reviews: the scores an expert gives, per criterion."""
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from poc.api.serializers.common import nested, unset_or_choice
from review.api.serializers.common import ApplicationBriefSerializer, ExpertBriefSerializer, viewer_may
from review.api.serializers.plans import CriterionSerializer
from review.models import Recommendation, Review, ReviewState
from review.review_rules import score_problems


class CriterionScoreSerializer(serializers.Serializer):
    criterion = serializers.CharField(source="criterion.code", help_text="The criterion's code.")
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    comment = serializers.CharField(allow_blank=True)


SCORE_ENTRY_SCHEMA = {
    "type": "object",
    "properties": {
        "score": {"type": "number", "nullable": True,
                  "description": "0 … the criterion's maximum (a numeric string is accepted); null clears it."},
        "comment": {"type": "string"},
    },
}


@extend_schema_field({
    "oneOf": [
        {"type": "object", "additionalProperties": SCORE_ENTRY_SCHEMA,
         "description": "`{criterion code: {score, comment}}`"},
        {"type": "array", "items": {**SCORE_ENTRY_SCHEMA, "properties": {
            "criterion": {"type": "string", "description": "The criterion's code."},
            **SCORE_ENTRY_SCHEMA["properties"]}, "required": ["criterion"]},
         "description": "`[{criterion, score, comment}]`"},
    ],
    "description": "Scores to save; criteria not named keep their score.",
})
class ScoresField(serializers.Field):
    """Scores as ``{code: {"score": …, "comment": …}}`` or ``[{"criterion": code, "score": …, "comment": …}]``.

    Parsed into ``{code: {"score": raw, "comment": str}}``; numbers and ranges are judged by the service, which
    names the criterion."""

    default_error_messages = {
        "shape": _("Send scores as {{code: {{score, comment}}}} or as a list of {{criterion, score, comment}}."),
        "duplicate": _("Criterion “{code}” is given twice."),
    }

    def to_internal_value(self, data):
        if isinstance(data, dict):
            items = list(data.items())
        elif isinstance(data, list):
            items = []
            for entry in data:
                if not isinstance(entry, dict) or not isinstance(entry.get("criterion", entry.get("code")), str):
                    self.fail("shape")
                code = entry.get("criterion", entry.get("code"))
                items.append((code, {k: v for k, v in entry.items() if k not in ("criterion", "code")}))
        else:
            self.fail("shape")
        out = {}
        for code, entry in items:
            if code in out:
                self.fail("duplicate", code=code)
            if not isinstance(entry, dict):
                entry = {"score": entry}
            score = entry.get("score")
            if isinstance(score, (bool, dict, list)):
                self.fail("shape")
            comment = entry.get("comment", "")
            out[str(code)] = {"score": score, "comment": "" if comment is None else str(comment)}
        return out

    def to_representation(self, value):
        return value


class ReviewUpdateSerializer(serializers.Serializer):
    scores = ScoresField(required=False)
    recommendation = serializers.ChoiceField(choices=Recommendation.choices, required=False, allow_blank=True)
    overall_comment = serializers.CharField(required=False, allow_blank=True)
    confidential_note = serializers.CharField(required=False, allow_blank=True,
                                              help_text="Seen by officers only, never by the applicant.")


class ReviewSerializer(serializers.ModelSerializer):
    """A review with its rubric, scores and deadline. ``expert`` is shown to officers only."""

    application = ApplicationBriefSerializer(source="assignment.application", read_only=True)
    expert = serializers.SerializerMethodField()
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    deadline = serializers.DateTimeField(read_only=True, allow_null=True,
                                         help_text="The review deadline (an extension if granted, else the plan's).")
    criteria = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField(help_text="Σ weight × score of the scores given.")
    max_total = serializers.SerializerMethodField()
    missing_items = serializers.SerializerMethodField(
        help_text="What must still be done before submitting (empty once submitted).")
    recommendation = unset_or_choice(Recommendation.choices, help_text="Empty until the expert chooses one.")

    class Meta:
        model = Review
        fields = ("id", "assignment", "application", "expert", "state", "state_display", "deadline", "extended_until",
                  "criteria", "scores", "total", "max_total", "recommendation", "overall_comment",
                  "confidential_note", "missing_items", "submitted_at", "updated_at")
        read_only_fields = fields

    def _criteria(self, review):
        plan = getattr(review.assignment.application.call, "review_plan", None)
        return list(plan.criteria.all()) if plan is not None else []

    @staticmethod
    def _scores(review):
        """The review's scores in rubric order (prefetched with their criteria by the list views)."""
        prefetched = "scores" in getattr(review, "_prefetched_objects_cache", {})
        scores = review.scores.all() if prefetched else review.scores.select_related("criterion")
        return sorted(scores, key=lambda s: (s.criterion.position, s.criterion_id))

    @extend_schema_field(CriterionScoreSerializer(many=True))
    def get_scores(self, review):
        return nested(self, CriterionScoreSerializer, self._scores(review), many=True)

    @extend_schema_field(ExpertBriefSerializer(allow_null=True))
    def get_expert(self, review):
        return nested(self, ExpertBriefSerializer, review.assignment.expert) if viewer_may(self, "view_expert", review) else None

    @extend_schema_field(CriterionSerializer(many=True))
    def get_criteria(self, review):
        # The reviews of one call share its rubric: represented once per plan for a whole list.
        plan = getattr(review.assignment.application.call, "review_plan", None)
        shown = self.__dict__.setdefault("_criteria_shown", {})
        key = plan.pk if plan is not None else None
        if key not in shown:
            shown[key] = nested(self, CriterionSerializer, self._criteria(review), many=True)
        return [dict(row) for row in shown[key]]

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2))
    def get_total(self, review):
        total = sum((s.score * s.criterion.weight for s in self._scores(review)), Decimal("0"))
        return f"{total.quantize(Decimal('0.01'))}"

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2))
    def get_max_total(self, review):
        total = sum((c.max_score * c.weight for c in self._criteria(review)), Decimal("0"))
        return f"{total.quantize(Decimal('0.01'))}"

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing_items(self, review) -> list[str]:
        if review.state != ReviewState.DRAFT:
            return []
        criteria = self._criteria(review)
        scores = {s.criterion_id: s for s in self._scores(review)}
        return score_problems(review, criteria, scores)


class ExtendDeadlineSerializer(serializers.Serializer):
    until = serializers.DateTimeField(help_text="The new deadline of this review (in the future).")
