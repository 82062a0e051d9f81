"""Use cases of funded projects: task agreement, milestone reports, change requests, acceptance."""
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poc.access import require
from poc.attachment_checks import check_upload
from poc.errors import BadInput, NotNow
from poc.models import TransitionLog
from poc.workflow import record_creation, run_transition

from .models import Acceptance, ChangeRequest, Project, ProjectState, judge_acceptance
from .obligation import obligation_status
from .thresholds import ACCEPTANCE_MAXIMA


def upload_agreement(user, project: Project, uploaded) -> Project:
    """The task agreement (任务书) signed by both sides, as a PDF; the institution or an officer uploads it."""
    require(user, "upload_agreement", project)
    if project.state != ProjectState.CONTRACTING:
        raise NotNow(_("The agreement is uploaded while the project is being contracted."))
    checked = check_upload(uploaded)
    if checked.extension != "pdf":
        raise BadInput(_("The signed task agreement must be a PDF."))
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        project.agreement.save("agreement.pdf", ContentFile(checked.content), save=False)
        project.save(update_fields=["agreement"])
    return project


def sign(user, project):
    return run_transition(project, "sign", user)


def report_milestone(user, milestone, report: str, uploaded=None):
    project = milestone.project
    require(user, "report", milestone)
    if project.state not in ProjectState.EXECUTING:
        raise NotNow(_("Progress is reported while the project is in progress."))
    if not (report or "").strip():
        raise BadInput(_("Write the progress report."), field_errors={"report": [_("Required.")]})
    checked = check_upload(uploaded) if uploaded is not None else None
    with transaction.atomic():
        milestone.report = report.strip()
        milestone.reported_at = timezone.now()
        milestone.reported_by = user
        if checked:
            milestone.evidence.save(f"{milestone.pk}.{checked.extension}", ContentFile(checked.content), save=False)
            milestone.evidence_name = checked.name
        milestone.save()
    return milestone


def request_change(user, project, kind: str, description: str, new_due_on=None) -> ChangeRequest:
    require(user, "request_change", project)
    if project.state not in ProjectState.CHANGEABLE:
        raise NotNow(_("Changes are requested during execution."))
    if kind not in ChangeRequest.Kind.values:
        raise BadInput(_("Unknown kind of change “%(k)s”.") % {"k": kind})
    if not (description or "").strip():
        raise BadInput(_("Describe the change and why."), field_errors={"description": [_("Required.")]})
    dated = (ChangeRequest.Kind.DEADLINE, ChangeRequest.Kind.OBLIGATION)
    if kind in dated:
        if new_due_on is None:
            raise BadInput(_("A deadline change needs the new due date."), field_errors={"new_due_on": [_("Required.")]})
        # an earlier approved extension counts, not only the date fixed at signing or approval
        current = project.approved_deadline if kind == ChangeRequest.Kind.DEADLINE else project.obligation_deadline
        if kind == ChangeRequest.Kind.OBLIGATION and current is None:
            raise BadInput(_("This project has no conversion obligation to extend."))
        if current and new_due_on <= current:
            raise BadInput(_("The new due date must be after the current one (%(d)s).") % {"d": current})
    with transaction.atomic():
        change = ChangeRequest.objects.create(project=project, kind=kind, description=description.strip(),
                                              new_due_on=new_due_on if kind in dated else None,
                                              requested_by=user)
        record_creation(change, user)
    return change


def decide_change(user, change, approve: bool, comment: str = ""):
    return run_transition(change, "approve" if approve else "reject", user, comment)


def request_acceptance(user, project):
    return run_transition(project, "request_acceptance", user)


def acceptance_requested_on(project):
    """The day the institution requested acceptance (from the audit trail), or None.

    Lateness is the project's: it is measured when the institution asked for acceptance, not when the
    bureau got round to reviewing it.
    """
    log = (TransitionLog.objects.for_object(project).filter(transition="request_acceptance")
           .order_by("-created_at", "-id").first())
    return timezone.localdate(log.created_at) if log else None


@transaction.atomic
def record_acceptance(user, project, *, scores: dict, tasks_done_percent, false_data=False, unapproved_change=False,
                      opinion: str = "") -> Acceptance:
    """Record an acceptance review and move the project: passed → completed; rectify → rectifying (once);
    failed (score, automatic-fail rule, or a second try that does not pass) → failed.

    Whether the conversion obligation is met is derived from the project's transfer records on the review day
    (:func:`poc.projects.obligation.obligation_status`), never ticked by hand."""
    require(user, "record_acceptance", project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.state not in ProjectState.UNDER_ACCEPTANCE:
        raise NotNow(_("Acceptance is reviewed once the institution has requested it."))
    if not (opinion or "").strip():
        raise BadInput(_("Write the acceptance opinion."), field_errors={"opinion": [_("Required.")]})
    parsed = {}
    for name, maximum in ACCEPTANCE_MAXIMA.items():
        try:
            value = Decimal(str(scores.get(name)))
            if not value.is_finite():  # NaN cannot be compared; Infinity is no score
                raise InvalidOperation
        except (InvalidOperation, TypeError):
            raise BadInput(_("Score “%(f)s” is missing or not a number.") % {"f": Acceptance._meta.get_field(name).verbose_name},
                           field_errors={name: [_("Required.")]}) from None
        if not 0 <= value <= maximum:
            raise BadInput(_("Score “%(f)s” must be between 0 and %(m)s.") % {
                "f": Acceptance._meta.get_field(name).verbose_name, "m": maximum}, field_errors={name: [_("Out of range.")]})
        parsed[name] = value
    try:
        tasks = Decimal(str(tasks_done_percent))
        if not tasks.is_finite():
            raise InvalidOperation
    except (InvalidOperation, TypeError):
        raise BadInput(_("The share of tasks done is required."), field_errors={"tasks_done_percent": [_("Required.")]}) \
            from None
    if not 0 <= tasks <= 100:
        raise BadInput(_("The share of tasks done must be between 0 and 100."))
    obligation = obligation_status(project)
    total, outcome, reasons, late = judge_acceptance(project, scores=parsed, tasks_done_percent=tasks,
                                                     false_data=false_data, unapproved_change=unapproved_change,
                                                     on=acceptance_requested_on(project), obligation=obligation)
    acceptance = Acceptance.objects.create(
        project=project, attempt=project.acceptances.count() + 1, tasks_done_percent=tasks, false_data=false_data,
        unapproved_change=unapproved_change or project.has_unapproved_change, obligation_met=obligation.met,
        obligation_overdue=obligation.overdue,
        opinion=opinion.strip(), total=total, outcome=outcome, auto_fail_reasons=reasons, days_late=late,
        reviewed_by=user, reviewed_on=timezone.localdate(), **parsed)
    summary = _("Acceptance %(n)s: %(total)s points, %(outcome)s.") % {
        "n": acceptance.attempt, "total": total, "outcome": acceptance.get_outcome_display()}
    if reasons:
        summary += " " + " ".join(reasons)
    if outcome == Acceptance.Outcome.PASSED:
        name = "pass_acceptance" if project.state == ProjectState.ACCEPTANCE else "pass_after_rectification"
    elif outcome == Acceptance.Outcome.RECTIFY:
        name = "order_rectification"
    else:
        name = "fail_acceptance"
    run_transition(project, name, user, summary)
    return acceptance


def terminate(user, project, reason: str):
    return run_transition(project, "terminate", user, reason)
