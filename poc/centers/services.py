"""Use cases of designated centers: annual evaluation data, scoring and its consequences, expiry."""
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poc.access import require
from poc.attachment_checks import check_upload
from poc.errors import BadInput, NotNow
from poc.workflow import record_creation, run_transition

from .models import AnnualEvaluation, Center, CenterState, EvaluationEvidence, EvaluationState

EVALUATION_FIELDS = ("projects_validated", "results_transferred", "companies_incubated", "follow_on_financing",
                     "contract_turnover", "service_revenue", "user_satisfaction", "cases", "next_year_plan")


def start_evaluation(user, center: Center, data_year: int) -> AnnualEvaluation:
    """The center's institution opens its evaluation for a data year (one per center per data year)."""
    require(user, "start_evaluation", center)
    if center.state not in CenterState.IN_FORCE:
        raise NotNow(_("The center is “%(state)s”; it is no longer evaluated.") % {"state": center.get_state_display()})
    this_year = timezone.localdate().year
    try:
        data_year = int(data_year)
    except (TypeError, ValueError):
        raise BadInput(_("The data year must be a year.")) from None
    if not center.designated_on.year <= data_year < this_year:
        raise BadInput(_("The data year must be a past year from %(first)s to %(last)s.")
                       % {"first": center.designated_on.year, "last": this_year - 1})
    try:
        with transaction.atomic():
            evaluation = AnnualEvaluation.objects.create(center=center, data_year=data_year)
            record_creation(evaluation, user)
    except IntegrityError:
        raise NotNow(_("The evaluation for %(year)s already exists; one evaluation per center per data year.")
                     % {"year": data_year}) from None
    return evaluation


def _assert_editable(user, evaluation):
    require(user, "edit", evaluation)
    if evaluation.state != EvaluationState.DRAFT:
        raise NotNow(_("The evaluation data have been filed and can no longer be edited."))


@transaction.atomic
def update_evaluation(user, evaluation: AnnualEvaluation, **fields) -> AnnualEvaluation:
    evaluation = AnnualEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    _assert_editable(user, evaluation)
    unknown = set(fields) - set(EVALUATION_FIELDS)
    if unknown:
        raise BadInput(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for key, value in fields.items():
        setattr(evaluation, key, value)
    from django.core.exceptions import ValidationError

    try:
        evaluation.full_clean(exclude=["state", "center", "filed_by", "scored_by"])
    except ValidationError as exc:
        raise BadInput(*[m for ms in exc.message_dict.values() for m in ms], field_errors=exc.message_dict) from None
    evaluation.save()
    return evaluation


def add_evidence(user, evaluation: AnnualEvaluation, title: str, uploaded) -> EvaluationEvidence:
    _assert_editable(user, evaluation)
    if not (title or "").strip():
        raise BadInput(_("Give the evidence file a title."), field_errors={"title": [_("Required.")]})
    checked = check_upload(uploaded)
    with transaction.atomic():
        evidence = EvaluationEvidence(evaluation=evaluation, title=title.strip(), original_name=checked.name,
                                      extension=checked.extension, content_type=checked.content_type,
                                      size=checked.size, sha256=checked.sha256, uploaded_by=user)
        evidence.file.save("upload", ContentFile(checked.content), save=False)
        evidence.save()
    return evidence


def file_evaluation(user, evaluation):
    return run_transition(evaluation, "file", user)


def score_evaluation(user, evaluation: AnnualEvaluation, score, comment: str = ""):
    """Score a filed evaluation; the grade follows the call's thresholds. The center moves in the same step,
    by ``record_score`` itself (its declared consequence, :meth:`AnnualEvaluation.apply_score_to_center`):
    a first fail → rectifying; a second fail in a row → revoked; a pass while rectifying → active."""
    evaluation = run_transition(evaluation, "record_score", user, comment, score=score)
    return evaluation, evaluation.center


def revoke_for_fraud(user, center: Center, reason: str) -> Center:
    return run_transition(center, "revoke_for_fraud", user, reason)


def expire_centers(actor, today=None) -> list[str]:
    """Expire every center past its validity (the nightly job). Idempotent: expired centers are skipped."""
    today = today or timezone.localdate()
    expired = []
    for center in Center.objects.filter(state__in=CenterState.IN_FORCE,
                                        valid_until__lt=today):
        run_transition(center, "expire", actor, _("Validity ended on %(date)s.") % {"date": center.valid_until})
        expired.append(center.designation_number)
    return expired


def public_centers():
    """The public list: active designated centers with public facts only."""
    return (Center.objects.filter(state__in=CenterState.IN_FORCE)
            .select_related("institution").order_by("center_type", "designation_number"))
