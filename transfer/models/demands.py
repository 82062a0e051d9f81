"""Enterprise technology demands (企业技术需求): posted by verified enterprises, curated by officers.

draft ──submit──▶ submitted ──publish──▶ published; submitted/published ──merge──▶ merged (a duplicate of another
open demand) or ──close──▶ closed (with a reason). The disclosure level says who sees a published demand.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from poc.access import officer

from .. import rules
from ..relations import enterprise_of
from .results import money, split_keywords


class DemandState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PUBLISHED = "published", _("Published")
    MERGED = "merged", _("Merged")
    CLOSED = "closed", _("Closed")


class Disclosure(models.TextChoices):
    PUBLIC = "public", _("Public: in the public catalogue")
    PLATFORM = "platform", _("Platform: signed-in institutions and enterprises")
    BUREAU = "bureau", _("Bureau only: matched, not published")


S = DemandState
demand_owner = enterprise_of("enterprise")


class Demand(ConcurrentTransitionMixin, models.Model):
    enterprise = models.ForeignKey("poc.Institution", on_delete=models.PROTECT, related_name="demands",
                                   verbose_name=_("enterprise"))
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"))
    disciplines = models.ManyToManyField("poc.Discipline", blank=True, related_name="demands",
                                         verbose_name=_("fields"))
    keywords = models.CharField(_("keywords"), max_length=300, blank=True, help_text=_("Separated by commas."))
    budget_min = models.DecimalField(_("budget from (yuan)"), null=True, blank=True, **money)
    budget_max = models.DecimalField(_("budget up to (yuan)"), null=True, blank=True, **money)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    disclosure = models.CharField(_("disclosure"), max_length=16, choices=Disclosure.choices,
                                  default=Disclosure.PLATFORM)
    state = FSMField(_("state"), default=S.DRAFT, choices=S.choices, protected=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates",
                                    verbose_name=_("merged into"))
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("technology demand")
        verbose_name_plural = _("technology demands")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(budget_min__isnull=True) | models.Q(budget_max__isnull=True)
            | models.Q(budget_max__gte=models.F("budget_min")), name="demand_budget_range_ordered")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = " ".join([self.title, self.problem, self.keywords]).casefold()
        super().save(*args, **kwargs)

    def keyword_list(self) -> list[str]:
        return split_keywords(self.keywords)

    @transition(
        field=state, source=S.DRAFT, target=S.SUBMITTED,
        permission=demand_owner.refusing(_("Only the enterprise that posted the demand can submit it.")),
        conditions=[rules.demand_complete],
        custom={"label": _("Submit"), "style": "primary"},
    )
    def submit(self, by=None, comment=""):
        pass

    @transition(
        field=state, source=S.SUBMITTED, target=S.PUBLISHED,
        permission=officer.refusing(_("Only bureau officers publish demands.")),
        custom={"label": _("Publish"), "style": "primary"},
    )
    def publish(self, by=None, comment=""):
        from django.utils import timezone

        self.published_at = timezone.now()

    @transition(
        field=state, source=[S.SUBMITTED, S.PUBLISHED], target=S.MERGED,
        permission=officer.refusing(_("Only bureau officers merge duplicate demands.")),
        custom={"label": _("Merge into another demand")},
    )
    def merge(self, by=None, comment="", into=None):
        from poc.errors import BadInput

        target = Demand.objects.filter(pk=getattr(into, "pk", into)).first() if into else None
        if target is None or target.pk == self.pk or target.state not in (S.SUBMITTED, S.PUBLISHED):
            raise BadInput(_("Choose another open demand to merge this one into."),
                           field_errors={"into": [_("Not an open demand.")]})
        self.merged_into = target

    @transition(
        field=state, source=[S.DRAFT, S.SUBMITTED, S.PUBLISHED], target=S.CLOSED,
        permission=(officer | demand_owner).refusing(_("Only the enterprise or an officer can close a demand.")),
        custom={"label": _("Close"), "comment_required": True, "style": "danger"},
    )
    def close(self, by=None, comment=""):
        pass
