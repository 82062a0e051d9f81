"""A call's review plan: how many experts, by when, the rubric, and how scores are aggregated."""
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Aggregate(models.TextChoices):
    MEAN = "mean", _("Mean")
    MEDIAN = "median", _("Median")
    TRIMMED_MEAN = "trimmed_mean", _("Trimmed mean (drop highest and lowest)")
    CALIBRATED = "calibrated", _("Calibrated mean (reviewer bias removed)")


class ReviewPlan(models.Model):
    call = models.OneToOneField("poc.Call", on_delete=models.CASCADE, related_name="review_plan")
    experts_per_application = models.PositiveSmallIntegerField(
        _("experts per application"), default=3, validators=[MinValueValidator(1), MaxValueValidator(15)])
    deadline = models.DateTimeField(_("review deadline"), null=True, blank=True)
    trim_min_reviews = models.PositiveSmallIntegerField(
        _("drop the highest and the lowest score from"), default=5, validators=[MinValueValidator(3)],
        help_text=_("Reviews needed before the highest and the lowest scores are dropped."))
    divergence_threshold = models.DecimalField(
        _("divergence threshold (points)"), max_digits=6, decimal_places=2, default=Decimal("20.00"),
        validators=[MinValueValidator(0)], help_text=_("Spread (highest − lowest total) above which a discussion is flagged."))
    ranking_aggregate = models.CharField(_("rank by"), max_length=16, choices=Aggregate.choices,
                                         default=Aggregate.TRIMMED_MEAN)
    calibration_min_reviews = models.PositiveSmallIntegerField(
        _("reviews needed to calibrate an expert"), default=3, validators=[MinValueValidator(2)])

    class Meta:
        verbose_name = _("review plan")
        verbose_name_plural = _("review plans")

    def __str__(self) -> str:
        return f"{self.call}"

    @property
    def frozen(self) -> bool:
        """A rubric cannot change once any review under it has been submitted, even if reopened since
        (the audit trail remembers every submission)."""
        from django.contrib.contenttypes.models import ContentType

        from poc.models import TransitionLog

        from .reviews import Review

        reviews = Review.objects.filter(assignment__application__call=self.call)
        return TransitionLog.objects.filter(content_type=ContentType.objects.get_for_model(Review),
                                            transition="submit",
                                            object_id__in=reviews.values("pk")).exists() or \
            reviews.filter(submitted_at__isnull=False).exists()

    @property
    def max_total(self) -> Decimal:
        return sum((c.weight * c.max_score for c in self.criteria.all()), Decimal("0"))


class Criterion(models.Model):
    plan = models.ForeignKey(ReviewPlan, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=Decimal("1.00"),
                                 validators=[MinValueValidator(Decimal("0.01"))])
    max_score = models.DecimalField(_("maximum score"), max_digits=6, decimal_places=2,
                                    validators=[MinValueValidator(Decimal("1"))])
    comment_required = models.BooleanField(_("comment required"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="criterion_code_unique_in_plan")]

    def __str__(self) -> str:
        return self.name


# Default 100-point rubrics (DOMAIN.md §1 and common practice for projects); weights 1, so the total is out of 100.
DEFAULT_CENTER_RUBRIC = [
    ("team", "服务团队", "专职服务团队与学术、产业、投资三方咨询专家组", 20, True),
    ("facilities", "场地设施", "固定场地、验证/中试设备、检验检测与安全环保条件", 20, False),
    ("record", "服务业绩与项目库", "近两年概念验证/中试服务业绩与在库项目", 25, True),
    ("channels", "转化渠道与基金联动", "成果转化渠道、与科创基金等投资机构的联动", 20, False),
    ("plan", "管理制度与建设方案", "服务规则与收费、运营管理制度、三年建设方案", 15, False),
]
DEFAULT_PROJECT_RUBRIC = [
    ("technology", "技术先进性", "核心技术的先进性与创新性、知识产权（优先发明专利）", 25, True),
    ("maturity", "成熟度与验证方案", "当前与目标技术就绪度、验证路线与里程碑可行性", 20, True),
    ("market", "市场前景", "市场规模、需求与竞争、财务预测", 20, False),
    ("team", "团队", "团队结构与能力、依托单位条件", 15, False),
    ("budget", "经费合理性", "预算合理性与自筹比例", 10, False),
    ("transfer", "转化路径", "成果转化与产业化路径、投资可行性", 10, False),
]
