"""When a designated center may move (declared on Center's and AnnualEvaluation's transitions;
who may is the access policy's relations, poc.access)."""
from django.utils import timezone
from django.utils.translation import gettext as _

from poc.rules import condition

from .states import CenterState, Grade


@condition
def latest_evaluation_failed(center):
    latest = center.latest_scored_evaluation()
    if latest is None or latest.grade != Grade.FAIL:
        return _("The center's latest annual evaluation is not graded “fail”.")
    return None


@condition
def first_failure(center):
    if center.consecutive_failures() != 1:
        return _("This is not the center's first failed evaluation in a row.")
    return None


@condition
def second_consecutive_failure(center):
    if center.consecutive_failures() < 2:
        return _("A center is revoked after two failed evaluations in a row; it has %(n)s.") % {
            "n": center.consecutive_failures()}
    return None


@condition
def rectification_evaluation_passed(center):
    latest = center.latest_scored_evaluation()
    if latest is None or latest.grade == Grade.FAIL:
        return _("The evaluation after rectification has not passed yet.")
    return None


@condition
def validity_over(center):
    if timezone.localdate() <= center.valid_until:
        return _("The designation is valid until %(date)s (inclusive).") % {"date": center.valid_until}
    return None


# --------------------------------------------------------------- evaluations

@condition
def evaluation_data_complete(evaluation):
    missing = evaluation.missing_items()
    return missing


@condition
def evaluation_center_in_force(evaluation):
    if evaluation.center.state not in CenterState.IN_FORCE:
        return _("The center is “%(state)s”; it is no longer evaluated.") % {
            "state": evaluation.center.get_state_display()}
    return None
