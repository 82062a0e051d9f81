"""Results (科技成果) and their 四个一批 pipeline: collected → road-showed → in validation → landed (or shelved).

A result belongs to an institution (a university, an institute…): a patent, a software copyright, a new variety,
know-how. Its public summary may be published (the public catalogue "温州好成果", the enterprises' library); its
confidential detail is shown only to the owner, officers and enterprises the owner granted it
(:class:`DetailRequest`). Landing is evidenced by :class:`LandingEvidence` rows, never by a flag.
"""
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from poc.access import member_of, officer

from .. import rules

money = {"max_digits": 16, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class ResultType(models.TextChoices):
    INVENTION_PATENT = "invention_patent", _("Invention patent")
    UTILITY_MODEL = "utility_model", _("Utility model")
    DESIGN = "design", _("Design patent")
    SOFTWARE = "software", _("Software copyright")
    PLANT_VARIETY = "plant_variety", _("New plant variety")
    IC_LAYOUT = "ic_layout", _("IC layout design")
    KNOW_HOW = "know_how", _("Know-how")
    OTHER = "other", _("Other")


class LegalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    LAPSED = "lapsed", _("Lapsed")


class TransferMode(models.TextChoices):
    ASSIGNMENT = "assignment", _("Assignment")  # 转让
    LICENCE = "licence", _("Licence")  # 许可
    EQUITY = "equity", _("Equity contribution")  # 作价入股
    USE_FIRST = "use_first", _("Use first, pay later")  # 先用后转


class Stage(models.TextChoices):
    COLLECTED = "collected", _("Collected")  # 征集
    ROADSHOWED = "roadshowed", _("Road-showed")  # 路演
    IN_VALIDATION = "in_validation", _("In validation")  # 验证
    LANDED = "landed", _("Landed")  # 落地
    SHELVED = "shelved", _("Shelved")


OPEN_STAGES = (Stage.COLLECTED, Stage.ROADSHOWED, Stage.IN_VALIDATION)


def _custom(label, *, comment_required=False, style=""):
    return {"label": label, "comment_required": comment_required, "style": style}


owner_member = member_of("institution")


class Result(ConcurrentTransitionMixin, models.Model):
    institution = models.ForeignKey("poc.Institution", on_delete=models.PROTECT, related_name="results",
                                    verbose_name=_("owning institution"))
    title = models.CharField(_("title"), max_length=200)
    result_type = models.CharField(_("type"), max_length=32, choices=ResultType.choices)
    registration_number = models.CharField(_("patent or registration number"), max_length=64, blank=True)
    legal_status = models.CharField(_("legal status"), max_length=16, choices=LegalStatus.choices,
                                    default=LegalStatus.PENDING)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    granted_on = models.DateField(_("granted on"), null=True, blank=True)
    last_transaction_on = models.DateField(
        _("last licence or transfer on"), null=True, blank=True,
        help_text=_("A granted result with no licence or transfer for several years is dormant (沉睡专利)."))
    team = models.CharField(_("team"), max_length=300, blank=True)
    disciplines = models.ManyToManyField("poc.Discipline", blank=True, related_name="results",
                                         verbose_name=_("disciplines"))
    keywords = models.CharField(_("keywords"), max_length=300, blank=True, help_text=_("Separated by commas."))
    trl = models.PositiveSmallIntegerField(_("TRL"), null=True, blank=True,
                                           validators=[MinValueValidator(1), MaxValueValidator(9)])
    transfer_modes = models.JSONField(_("transfer modes offered"), default=list, blank=True)
    asking_terms = models.TextField(_("asking terms"), blank=True)
    asking_price = models.DecimalField(_("asking price (yuan)"), null=True, blank=True, **money)
    public_summary = models.TextField(_("public summary"), blank=True)
    confidential_detail = models.TextField(_("confidential detail"), blank=True)
    published = models.BooleanField(_("cleared for publication"), default=False)
    stage = FSMField(_("stage"), default=Stage.COLLECTED, choices=Stage.choices, protected=True)
    shelved_reason = models.TextField(_("reason for shelving"), blank=True)
    validation_application = models.OneToOneField(
        "poc.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="validated_result",
        verbose_name=_("validation application"))
    # Title, summary and keywords, case-folded: what the catalogue searches (a trigram index on PostgreSQL).
    search_text = models.TextField(editable=False, default="")
    # Its two-character grams: a two-character query (电池, 芯片) has no trigram to look up, so on PostgreSQL it
    # is answered by containment in this list (a GIN index), not by scanning every row.
    search_grams = models.JSONField(editable=False, default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["institution", "stage"]), models.Index(fields=["published", "stage"])]
        constraints = [models.CheckConstraint(condition=models.Q(trl__gte=1, trl__lte=9) | models.Q(trl__isnull=True),
                                              name="result_trl_1_9")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = " ".join([self.title, self.public_summary, self.keywords]).casefold()
        self.search_grams = bigrams(self.search_text)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "search_grams"}
        super().save(*args, **kwargs)

    def keyword_list(self) -> list[str]:
        return split_keywords(self.keywords)

    def transfer_mode_labels(self) -> list[str]:
        labels = dict(TransferMode.choices)
        return [str(labels.get(mode, mode)) for mode in self.transfer_modes or []]

    def is_dormant(self, years: int | None = None, today: date | None = None) -> bool:
        from ..selectors import dormant_cutoff

        cutoff = dormant_cutoff(years, today)
        last = self.last_transaction_on
        return (self.legal_status == LegalStatus.GRANTED and self.granted_on is not None
                and self.granted_on <= cutoff and (last is None or last <= cutoff))

    # ------------------------------------------------------------------ the 四个一批 pipeline
    @transition(
        field=stage, source=Stage.COLLECTED, target=Stage.ROADSHOWED,
        permission=officer.refusing(_("Only bureau officers put a result on a roadshow.")),
        conditions=[rules.presented_at_held_roadshow],
        custom=_custom(_("Road-showed")),
    )
    def roadshow(self, by=None, comment=""):
        pass

    @transition(
        field=stage, source=[Stage.COLLECTED, Stage.ROADSHOWED], target=Stage.IN_VALIDATION,
        permission=owner_member.refusing(_("Only the owning institution can send its result to validation.")),
        conditions=[rules.validation_application_linked],
        custom=_custom(_("Start validation"), style="primary"),
    )
    def start_validation(self, by=None, comment=""):
        pass

    @transition(
        field=stage, source=list(OPEN_STAGES), target=Stage.LANDED,
        permission=(officer | owner_member).refusing(_("Only the owning institution or an officer can record landing.")),
        conditions=[rules.landing_evidenced],
        custom=_custom(_("Land"), style="primary"),
    )
    def land(self, by=None, comment=""):
        pass

    @transition(
        field=stage, source=list(OPEN_STAGES), target=Stage.SHELVED,
        permission=(officer | owner_member).refusing(_("Only the owning institution or an officer can shelve a result.")),
        custom=_custom(_("Shelve"), comment_required=True, style="danger"),
    )
    def shelve(self, by=None, comment=""):
        self.shelved_reason = comment

    @transition(
        field=stage, source=Stage.SHELVED, target=Stage.COLLECTED,
        permission=officer.refusing(_("Only bureau officers can reopen a shelved result.")),
        custom=_custom(_("Reopen")),
    )
    def reopen(self, by=None, comment=""):
        self.shelved_reason = ""


def bigrams(text: str) -> list[str]:
    """The distinct two-character substrings of each word of ``text`` (sorted)."""
    return sorted({word[i:i + 2] for word in text.split() for i in range(len(word) - 1)})


def split_keywords(text: str) -> list[str]:
    for sep in ("，", "、", ";", "；"):
        text = (text or "").replace(sep, ",")
    return [k.strip() for k in text.split(",") if k.strip()]


class DetailRequest(models.Model):
    """An enterprise asks for a result's confidential detail; the owner grants or refuses it."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="detail_requests")
    enterprise = models.ForeignKey("poc.Institution", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    purpose = models.TextField(_("purpose"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("detail request")
        verbose_name_plural = _("detail requests")
        constraints = [models.UniqueConstraint(fields=["result", "enterprise"], name="one_detail_request_per_enterprise")]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.result} ({self.status})"


class EvidenceKind(models.TextChoices):
    TECH_CONTRACT = "tech_contract", _("Registered technology contract")  # 技术合同认定登记
    LICENCE = "licence", _("Licence")
    INVESTMENT = "investment", _("Investment")
    COMPANY = "company", _("Company founded")


class LandingEvidence(models.Model):
    """What shows a result landed (落地): a registered contract, a licence, an investment or a company founded."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=32, choices=EvidenceKind.choices)
    reference = models.CharField(_("registration number or credit code"), max_length=64)
    counterparty = models.CharField(_("counterparty"), max_length=200)
    amount = models.DecimalField(_("amount (yuan)"), null=True, blank=True, **money)
    dated_on = models.DateField(_("date"))
    licence = models.ForeignKey("transfer.Licence", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    investment = models.ForeignKey("funding.Investment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("landing evidence")
        verbose_name_plural = _("landing evidence")
        ordering = ["dated_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"
