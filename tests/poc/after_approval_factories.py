"""Factories for life after approval: a designated Center or a funded Project made directly in a state.

Each starts from an approved application and :func:`poc.models.create_outcome` (so numbers, validity,
obligation and copied milestones are what approval makes), then moves the object straight to the
wanted state with queryset updates (no transitions, no audit rows), as the rule tests need.
"""
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from poc.centers.models import add_months
from poc.models import (
    AnnualEvaluation,
    Center,
    ChangeRequest,
    EvaluationEvidence,
    PlannedMilestone,
    Project,
    ProjectMilestone,
    create_outcome,
)
from tests.factories import (
    CallFactory,
    InstitutionFactory,
    applicant_of,
    make_application,
    officer,
    pdf_bytes,
)


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --------------------------------------------------------------------- centers

def make_center(call=None, institution=None, *, state="active", kind="poc_center", designated_on=None,
                valid_until=None, **fields) -> Center:
    """A designated center in ``state``. By default designated on 1 March two years ago (so the last two
    calendar years are data years it can be evaluated on) and valid for the call's validity."""
    call = call or CallFactory(kind=kind)
    institution = institution or InstitutionFactory()
    application = make_application(call, institution, state="approved", title=fields.pop("name", None)
                                   or f"概念验证中心 {institution.pk}")
    center = create_outcome(application)
    today = timezone.localdate()
    designated_on = designated_on or date(today.year - 2, 3, 1)
    valid_until = valid_until or _years_later(designated_on, call.validity_years) - timedelta(days=1)
    updates = {"designated_on": designated_on, "valid_until": valid_until, "state": state, **fields}
    if state == "rectifying":
        updates.setdefault("rectification_due", add_months(today, call.center_rectification_months))
    if state == "revoked":
        updates.setdefault("revoked_on", today)
    Center.objects.filter(pk=center.pk).update(**updates)
    return Center.objects.get(pk=center.pk)


def complete_metrics() -> dict:
    return {
        "projects_validated": 12, "results_transferred": 5, "companies_incubated": 3,
        "follow_on_financing": Decimal("8000000.00"), "contract_turnover": Decimal("2500000.00"),
        "service_revenue": Decimal("600000.00"), "user_satisfaction": Decimal("92.50"),
        "cases": "固态电池隔膜工艺验证，已转让给本地企业。", "next_year_plan": "新增两条中试线。",
    }


def add_evidence_file(evaluation, user=None, title="年度工作报告") -> EvaluationEvidence:
    user = user or applicant_of(evaluation.center.institution)
    evidence = EvaluationEvidence(evaluation=evaluation, title=title, original_name="report.pdf", extension="pdf",
                                  content_type="application/pdf", size=len(pdf_bytes()), sha256="0" * 64,
                                  uploaded_by=user)
    evidence.file.save("upload", ContentFile(pdf_bytes()), save=False)
    evidence.save()
    return evidence


def make_evaluation(center, data_year=None, *, state="draft", complete=True, score=None, grade=None,
                    **fields) -> AnnualEvaluation:
    """An evaluation of ``center`` for ``data_year`` (default: last year), complete (ready to file) unless told
    otherwise, put in ``state``; a scored one gets ``score`` and the grade the call's thresholds give."""
    data_year = data_year or timezone.localdate().year - 1
    values = {**(complete_metrics() if complete else {}), **fields}
    evaluation = AnnualEvaluation.objects.create(center=center, data_year=data_year, **values)
    if complete:
        add_evidence_file(evaluation)
    updates = {"state": state}
    if state in ("filed", "scored"):
        updates["filed_at"] = timezone.now()
    if state == "scored":
        score = Decimal(str(score if score is not None else 80))
        updates.update(score=score, grade=grade or AnnualEvaluation.grade_for(score, center.call),
                       scored_at=timezone.now())
    AnnualEvaluation.objects.filter(pk=evaluation.pk).update(**updates)
    return AnnualEvaluation.objects.get(pk=evaluation.pk)


# -------------------------------------------------------------------- projects

def make_project(call=None, institution=None, *, state="contracting", kind="poc_project", milestones=None,
                 signed_on=None, agreement=None, reported=False, duration_months=None, **fields) -> Project:
    """A funded project in ``state``.

    ``milestones``: ``[(month, title), …]`` planned on the application (default: one at month 6, as the
    application factory makes). From ``in_progress`` on, the project is signed on ``signed_on`` (default:
    ``duration`` months ago, so it is due today) with due dates as signing sets them; ``reported`` marks every
    milestone reported; ``agreement`` (default: from in_progress on) stores a signed PDF.
    """
    call = call or CallFactory(kind=kind)
    institution = institution or InstitutionFactory()
    application = make_application(call, institution, state="approved", title=fields.pop("title", None)
                                   or f"项目 {institution.pk}")
    if milestones is not None:
        PlannedMilestone.objects.filter(application=application).delete()
        for month, title in milestones:
            PlannedMilestone.objects.create(application=application, month=month, title=title,
                                            deliverables=f"{title}: deliverables")
    if duration_months is not None:
        application.project_details.duration_months = duration_months
        application.project_details.save()
    project = create_outcome(application)
    updates = {"state": state, **fields}
    if agreement is None:
        agreement = state != "contracting"
    if agreement:
        project.agreement.save("agreement.pdf", ContentFile(pdf_bytes()), save=True)
    if state != "contracting":
        today = timezone.localdate()
        signed_on = signed_on or add_months(today, -project.duration_months)
        updates.update(signed_on=signed_on, due_on=add_months(signed_on, project.duration_months))
        for milestone in project.milestones.all():
            ProjectMilestone.objects.filter(pk=milestone.pk).update(due_on=add_months(signed_on, milestone.month))
    if reported:
        reporter = applicant_of(institution)
        project.milestones.update(report="Done as planned.", reported_at=timezone.now(), reported_by=reporter)
    Project.objects.filter(pk=project.pk).update(**updates)
    return Project.objects.get(pk=project.pk)


def make_change(project, kind="deadline", *, state="pending", new_due_on=None, by=None, decided_at=None,
                **fields) -> ChangeRequest:
    """A change request in ``state`` (approved/rejected ones are decided by an officer at ``decided_at``)."""
    by = by or applicant_of(project.institution)
    change = ChangeRequest.objects.create(project=project, kind=kind, description=fields.pop("description", "Why."),
                                          new_due_on=new_due_on, requested_by=by, **fields)
    if state != "pending":
        ChangeRequest.objects.filter(pk=change.pk).update(state=state, decided_by=officer(),
                                                           decided_at=decided_at or timezone.now())
    return ChangeRequest.objects.get(pk=change.pk)


def scores_totalling(total) -> dict:
    """Six acceptance scores (within their maxima 20/20/10/20/20/10) that add up to ``total`` (0–100)."""
    remaining = Decimal(str(total))
    maxima = {"content_score": 20, "technical_score": 20, "economic_score": 10, "deliverables_score": 20,
              "funds_score": 20, "other_score": 10}
    scores = {}
    for name, maximum in maxima.items():
        part = min(remaining, Decimal(maximum))
        scores[name] = part
        remaining -= part
    assert remaining == 0, total
    return scores


# ------------------------------------------------------------- transition tables

OWNER, STRANGER, OFFICER, EXPERT, FUND_MANAGER, ANONYMOUS, SYSTEM = (
    "applicant of the owning institution", "applicant of another institution", "bureau officer", "expert",
    "fund manager", "anonymous visitor", "the nightly job")
ROLES = (OWNER, STRANGER, OFFICER, EXPERT, FUND_MANAGER, ANONYMOUS, SYSTEM)


def user_for(role, institution):
    """A user in ``role`` towards an object of ``institution``."""
    from django.contrib.auth.models import AnonymousUser

    from poc.roles import SYSTEM as system_actor
    from tests.factories import expert, fund_manager

    return {
        OWNER: lambda: applicant_of(institution),
        STRANGER: lambda: applicant_of(InstitutionFactory()),
        OFFICER: officer,
        EXPERT: expert,
        FUND_MANAGER: fund_manager,
        ANONYMOUS: AnonymousUser,
        SYSTEM: lambda: system_actor,
    }[role]()
