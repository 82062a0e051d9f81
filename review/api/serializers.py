"""Serializers of the review API: JSON to Python values and back, nothing more.

Input serializers only parse; every rule and every write lives in :mod:`review.services` and
:mod:`review.matching`. Output serializers show what the selectors let the caller see; fields only
officers may read (affinity, seed, who assigned, reasons, expert identities) are ``null`` for others.
"""
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from poc.models import Application, Discipline, Institution
from poc.roles import is_officer
from review.models import (
    Aggregate,
    Assignment,
    Conflict,
    Criterion,
    Expert,
    ExpertAffiliation,
    Recommendation,
    Review,
    ReviewPlan,
)
from review.review_rules import score_problems


def _viewer(serializer):
    request = serializer.context.get("request")
    return request.user if request is not None else None


def _officer_view(serializer) -> bool:
    user = _viewer(serializer)
    return bool(user is not None and is_officer(user))


# ------------------------------------------------------------------ briefs


class ApplicationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Application
        fields = ("id", "number", "title", "call")
        read_only_fields = fields


class ExpertBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Expert
        fields = ("id", "name")
        read_only_fields = fields


# ------------------------------------------------------------------ experts


class ExpertAffiliationSerializer(serializers.ModelSerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)

    class Meta:
        model = ExpertAffiliation
        fields = ("id", "institution", "institution_name", "started_on", "ended_on")
        read_only_fields = fields


class ExpertAffiliationInputSerializer(serializers.Serializer):
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(), help_text="Institution id.")
    started_on = serializers.DateField(required=False, allow_null=True)
    ended_on = serializers.DateField(required=False, allow_null=True, help_text="Empty while it lasts.")


class ExpertSerializer(serializers.ModelSerializer):
    """An expert of the pool, as officers (or the expert, for their own profile) see it."""

    username = serializers.CharField(source="user.username", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True, allow_null=True)
    disciplines = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True,
                                               help_text="Discipline codes (see `disciplines/`).")
    affiliations = ExpertAffiliationSerializer(many=True, read_only=True)
    qualified = serializers.BooleanField(read_only=True, help_text="Active and has signed the pledge.")

    class Meta:
        model = Expert
        fields = ("id", "username", "name", "institution", "institution_name", "affiliation", "title", "disciplines",
                  "keywords", "max_load_per_call", "active", "pledge_signed_on", "qualified", "affiliations",
                  "created_at")
        read_only_fields = fields


class ExpertUpdateSerializer(serializers.ModelSerializer):
    institution = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.all(), allow_null=True, required=False,
        help_text="The expert's current employer when it is a registered institution (id).")
    disciplines = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Discipline.objects.all(),
        help_text="Discipline codes (see `disciplines/`); they replace the current ones.")
    affiliations = ExpertAffiliationInputSerializer(
        many=True, required=False,
        help_text="Past and present affiliations (for the 3-year conflict rule); they replace the current ones.")

    class Meta:
        model = Expert
        fields = ("name", "institution", "affiliation", "title", "disciplines", "keywords", "max_load_per_call",
                  "active", "pledge_signed_on", "affiliations")


class ExpertCreateSerializer(ExpertUpdateSerializer):
    username = serializers.CharField(
        max_length=150, help_text="The expert's account: an existing one is linked, otherwise one is created.")
    email = serializers.EmailField(required=False, allow_blank=True, help_text="For a new account.")

    class Meta(ExpertUpdateSerializer.Meta):
        fields = ("username", "email", *ExpertUpdateSerializer.Meta.fields)


# -------------------------------------------------------------- assignments


class AssignmentSerializer(serializers.ModelSerializer):
    """An assignment. ``expert`` is shown to officers and to the expert themselves; ``affinity``,
    ``draw_seed``, ``assigned_by`` and ``voided_reason`` to officers only (null for others)."""

    application = ApplicationBriefSerializer(read_only=True)
    expert = serializers.SerializerMethodField()
    review = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The review's id (see `reviews/`).")
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    method_display = serializers.CharField(source="get_method_display", read_only=True)
    assigned_by = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ("id", "application", "expert", "review", "state", "state_display", "method", "method_display",
                  "affinity", "draw_seed", "assigned_by", "assigned_at", "voided_at", "voided_reason")
        read_only_fields = fields

    OFFICER_ONLY = ("affinity", "draw_seed", "voided_reason")

    @extend_schema_field(ExpertBriefSerializer(allow_null=True))
    def get_expert(self, assignment):
        user = _viewer(self)
        if _officer_view(self) or (user is not None and assignment.expert.user_id == user.pk):
            return ExpertBriefSerializer(assignment.expert).data
        return None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_assigned_by(self, assignment):
        if not _officer_view(self):
            return None
        by = assignment.assigned_by
        return by.get_full_name() or by.username

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not _officer_view(self):
            for name in self.OFFICER_ONLY:
                data[name] = None
        return data

    def get_fields(self):
        fields = super().get_fields()
        for name in self.OFFICER_ONLY:
            fields[name].allow_null = True
        return fields


class AssignmentCreateSerializer(serializers.Serializer):
    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.all(), help_text="Application id.")
    expert = serializers.PrimaryKeyRelatedField(queryset=Expert.objects.all(), help_text="Expert id.")


# ------------------------------------------------------------- matching


class MatchingActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[("preview", "preview"), ("commit", "commit")], default="preview",
                                     help_text="`preview` computes the plan, `commit` saves the previewed plan.")
    digest = serializers.CharField(required=False, max_length=64,
                                   help_text="commit only: the digest of the preview being confirmed.")

    def validate(self, attrs):
        if attrs.get("action") == "commit" and not attrs.get("digest"):
            raise serializers.ValidationError({"digest": [_("Required to commit: send the digest of the preview.")]})
        return attrs


SEED_MAX = 2**63 - 1


class DrawActionSerializer(MatchingActionSerializer):
    seed = serializers.IntegerField(
        required=False, min_value=0, max_value=SEED_MAX,
        help_text="preview: draw with this seed (a fresh one if absent); commit: the seed of the preview.")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs.get("action") == "commit" and attrs.get("seed") is None:
            raise serializers.ValidationError({"seed": [_("Required to commit: send the seed of the preview.")]})
        return attrs


class DrawQuerySerializer(serializers.Serializer):
    seed = serializers.IntegerField(required=False, min_value=0, max_value=SEED_MAX)


class MatchingPairSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application.pk")
    application_number = serializers.CharField(source="application.number")
    application_title = serializers.CharField(source="application.title")
    expert = serializers.IntegerField(source="expert.pk")
    expert_name = serializers.CharField(source="expert.name")
    affinity = serializers.FloatField(allow_null=True, help_text="Optimal assignment only.")


class MatchingPlanSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=[("optimal", "optimal"), ("draw", "draw")])
    seed = serializers.IntegerField(allow_null=True, help_text="Random draw: the seed to send back to commit.")
    digest = serializers.CharField(help_text="Send it back to commit exactly this plan.")
    total_affinity = serializers.FloatField()
    count = serializers.SerializerMethodField()
    pairs = MatchingPairSerializer(source="rows", many=True)

    def get_count(self, plan) -> int:
        return len(plan.rows)


class MatchingCommitSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    assignments = AssignmentSerializer(many=True)


# ------------------------------------------------------------- conflicts


class ConflictSerializer(serializers.ModelSerializer):
    application_number = serializers.CharField(source="application.number", read_only=True)
    expert_name = serializers.CharField(source="expert.name", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = Conflict
        fields = ("id", "application", "application_number", "expert", "expert_name", "source", "source_display",
                  "reason", "recorded_by", "created_at")
        read_only_fields = fields

    def get_recorded_by(self, conflict) -> str | None:
        by = conflict.recorded_by
        return (by.get_full_name() or by.username) if by else None


class ConflictPinSerializer(serializers.Serializer):
    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.all(), help_text="Application id.")
    expert = serializers.PrimaryKeyRelatedField(queryset=Expert.objects.all(), help_text="Expert id.")
    reason = serializers.CharField(help_text="Why the expert must not review the application.")


# ---------------------------------------------------------------- rubric


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ("code", "name", "description", "weight", "max_score", "comment_required", "position")
        read_only_fields = fields


class CriterionInputSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=32)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, default=Decimal("1"))
    max_score = serializers.DecimalField(max_digits=6, decimal_places=2)
    comment_required = serializers.BooleanField(required=False, default=False)


class ReviewPlanSerializer(serializers.ModelSerializer):
    frozen = serializers.BooleanField(read_only=True, help_text="A review under it was submitted: the rubric is fixed.")
    max_total = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = ReviewPlan
        fields = ("call", "experts_per_application", "deadline", "trim_min_reviews", "divergence_threshold",
                  "ranking_aggregate", "calibration_min_reviews", "frozen", "max_total", "criteria")
        read_only_fields = fields


class ReviewPlanUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewPlan
        fields = ("experts_per_application", "deadline", "trim_min_reviews", "divergence_threshold",
                  "ranking_aggregate", "calibration_min_reviews")


class RubricSerializer(serializers.Serializer):
    criteria = CriterionInputSerializer(many=True, allow_empty=False,
                                        help_text="The new rubric, in order; it replaces the current one.")


# ---------------------------------------------------------------- reviews


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
        return CriterionScoreSerializer(self._scores(review), many=True).data

    @extend_schema_field(ExpertBriefSerializer(allow_null=True))
    def get_expert(self, review):
        return ExpertBriefSerializer(review.assignment.expert).data if _officer_view(self) else None

    @extend_schema_field(CriterionSerializer(many=True))
    def get_criteria(self, review):
        return CriterionSerializer(self._criteria(review), many=True).data

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
        if review.state != "draft":
            return []
        criteria = self._criteria(review)
        scores = {s.criterion_id: s for s in self._scores(review)}
        return score_problems(review, criteria, scores)


class ExtendDeadlineSerializer(serializers.Serializer):
    until = serializers.DateTimeField(help_text="The new deadline of this review (in the future).")


# ---------------------------------------------------------------- ranking


class RankingApplicationSerializer(serializers.ModelSerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)

    class Meta:
        model = Application
        fields = ("id", "number", "title", "institution_name", "state")
        read_only_fields = fields


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(help_text="Position after the tie rule.")
    shared_rank = serializers.IntegerField(help_text="Competition rank: equal aggregates share it.")
    application = RankingApplicationSerializer()
    n_reviews = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    trimmed_mean = serializers.FloatField(allow_null=True)
    trimmed = serializers.BooleanField(help_text="The highest and the lowest score were dropped.")
    std = serializers.FloatField(allow_null=True)
    spread = serializers.FloatField(allow_null=True)
    divergent = serializers.BooleanField(help_text="The spread exceeds the plan's threshold: discuss it.")
    calibrated_mean = serializers.FloatField(allow_null=True, help_text="Beside the raw aggregates, never instead.")
    score = serializers.FloatField(allow_null=True, help_text="The plan's ranking aggregate.")


class CalibrationExpertSerializer(serializers.Serializer):
    expert = serializers.IntegerField()
    name = serializers.CharField()
    bias = serializers.FloatField(help_text="> 0 lenient, < 0 harsh (points of the total).")
    reviews = serializers.IntegerField()
    too_few_reviews = serializers.BooleanField(help_text="Not calibrated (bias 0).")
    group = serializers.IntegerField(help_text="Experts linked by shared applications share a group.")


class CalibrationSerializer(serializers.Serializer):
    min_reviews = serializers.IntegerField()
    converged = serializers.BooleanField()
    iterations = serializers.IntegerField()
    residual_rms = serializers.FloatField()
    experts = CalibrationExpertSerializer(
        many=True, allow_null=True, help_text="Per expert, for officers only (null for fund managers).")


class RankingSerializer(serializers.Serializer):
    call = serializers.IntegerField()
    aggregate = serializers.ChoiceField(choices=Aggregate.choices, help_text="What `score` is.")
    trim_min_reviews = serializers.IntegerField()
    divergence_threshold = serializers.DecimalField(max_digits=6, decimal_places=2)
    max_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    rows = RankingRowSerializer(many=True)
    calibration = CalibrationSerializer(allow_null=True)
