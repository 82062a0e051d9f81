"""Reviews (评审意见): a score per criterion, comments, a recommendation, a confidential note."""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from poc.access import officer
from review import review_rules as rules
from review.relations import assigned_expert


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Recommendation(models.TextChoices):
    SUPPORT = "support", _("Support")
    CONDITIONAL = "conditional", _("Support with conditions")
    DO_NOT_SUPPORT = "do_not_support", _("Do not support")


class Review(ConcurrentTransitionMixin, models.Model):
    assignment = models.OneToOneField("review.Assignment", on_delete=models.CASCADE, related_name="review")
    state = FSMField(_("state"), default=ReviewState.DRAFT, choices=ReviewState.choices, protected=True)
    recommendation = models.CharField(_("overall recommendation"), max_length=16, choices=Recommendation.choices,
                                      blank=True)
    overall_comment = models.TextField(_("overall comment"), blank=True)
    confidential_note = models.TextField(_("confidential note to officers"), blank=True)
    extended_until = models.DateTimeField(_("deadline extended until"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"Review {self.pk} of {self.assignment}"

    @property
    def deadline(self):
        if self.extended_until:
            return self.extended_until
        plan = getattr(self.assignment.application.call, "review_plan", None)
        return plan.deadline if plan else None

    @transition(
        field=state, source=ReviewState.DRAFT, target=ReviewState.SUBMITTED,
        permission=assigned_expert("assignment", refusal=_("Only the assigned expert can submit this review.")),
        conditions=[rules.assignment_active, rules.before_deadline, rules.scores_complete],
        custom={"label": _("Submit review"), "style": "primary"},
    )
    def submit(self, by=None, comment=""):
        self.submitted_at = timezone.now()

    @transition(
        field=state, source=ReviewState.SUBMITTED, target=ReviewState.DRAFT,
        permission=officer.refusing(_("Only bureau officers can reopen a review.")),
        conditions=[rules.application_under_review],
        custom={"label": _("Reopen review"), "comment_required": True},
    )
    def reopen(self, by=None, comment=""):
        self.submitted_at = None


class ReviewUserObjectPermission(UserObjectPermissionBase):
    """guardian's table for reviews, kept so that existing databases keep it: nothing grants on reviews any more
    (the access policy, review/policies.py, decides from the assignment rows)."""

    content_object = models.ForeignKey(Review, on_delete=models.CASCADE)


class ReviewGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Review, on_delete=models.CASCADE)


class CriterionScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("review.Criterion", on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(condition=models.Q(score__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"
