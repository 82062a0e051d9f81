"""Designated centers (概念验证中心 / 中试基地): the officer's overview, the center profile, and the annual
performance evaluation (年度绩效评价): started and filed by the institution, scored by the bureau."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from poc import selectors as history_selectors
from poc.access import can, officer
from poc.access.pages import allowed_or_403, visible_or_404
from poc.access.policies import institution_member
from poc.centers import selectors as sel
from poc.centers import services as center_services
from poc.errors import DomainError
from poc.forms.after_approval import (
    GRADE_NONE,
    CenterFilterForm,
    EvaluationForm,
    EvaluationStartForm,
    EvidenceForm,
    ScoreForm,
)
from poc.models import AnnualEvaluation, CenterState, EvaluationState, Grade

from .common import form_data, form_status, officer_required, report_refusal, submit_form
from .outcomes_common import outcome_panel, outcome_roles_required, run_panel_step, serve_file


def visible_center(request, pk):
    return visible_or_404(request.user, sel.centers_visible_to(request.user), pk=pk)


def visible_evaluation(request, pk):
    return visible_or_404(request.user, sel.evaluations_visible_to(request.user), pk=pk)


def validity_facts(center, today=None) -> dict:
    """Days left of the designation and whether to warn (in force, ending within 90 days)."""
    today = today or timezone.localdate()
    in_force = center.state in CenterState.IN_FORCE
    days_left = (center.valid_until - today).days
    return {
        "days_left": days_left,
        "expiring": in_force and 0 <= days_left <= sel.EXPIRY_WARNING_DAYS,
        "validity_over": in_force and days_left < 0,
        "rectification_overdue": bool(center.state == CenterState.RECTIFYING and center.rectification_due
                                      and center.rectification_due < today),
    }


# ------------------------------------------------------------------ lists

@outcome_roles_required
def center_list(request):
    """Officers: every center, by latest grade and by expiry. Applicants: their institution's centers."""
    user = request.user
    visible = sel.with_latest_grade(sel.centers_visible_to(user))
    form = CenterFilterForm(request.GET or None)
    centers = form.narrow(visible.order_by("valid_until", "designation_number"))
    page = Paginator(centers, 25).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for center in page:
        center.flags = validity_facts(center, today)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "officer_view": officer.holds(user)}
    if context["officer_view"]:
        context.update(_officer_overview(visible, user, today))
    return render(request, "poc/centers/center_list.html", context)


# The overview's side lists show the first few with their total; the main list, soonest expiry first, has them all.
OVERVIEW_ROWS = 10


def _officer_overview(visible, user, today) -> dict:
    """The officer's cards above the list: counts by latest grade and by state (aggregated in SQL), and the first
    designations ending soon and evaluations waiting for a score."""
    in_force = visible.filter(state__in=CenterState.IN_FORCE)
    grade_counts = {row["latest_grade"]: row["n"] for row in
                    in_force.order_by().values("latest_grade").annotate(n=Count("id"))}
    grade_chips = [{"value": value, "label": label, "n": grade_counts.get(value, 0)} for value, label in Grade.choices]
    grade_chips.append({"value": GRADE_NONE, "label": _("Not evaluated yet"), "n": grade_counts.get(None, 0)})
    state_counts = {row["state"]: row["n"] for row in visible.order_by().values("state").annotate(n=Count("id"))}
    expiring_all = sel.expiring_centers(visible, today)
    expiring = list(expiring_all[:OVERVIEW_ROWS])
    for center in expiring:
        center.flags = validity_facts(center, today)
    waiting_all = sel.evaluations_waiting_for_score(user)
    waiting = list(waiting_all[:OVERVIEW_ROWS])
    return {
        "grade_chips": grade_chips,
        "state_chips": [{"value": v, "label": label, "n": state_counts.get(v, 0)} for v, label in CenterState.choices],
        "expiring": expiring, "warning_days": sel.EXPIRY_WARNING_DAYS,
        "expiring_count": expiring_all.count(),
        "waiting": waiting,
        "waiting_count": waiting_all.count(),
    }


# ---------------------------------------------------------------- profile

def years_open_for_evaluation(center, today=None) -> list[int]:
    """Data years the institution may still open an evaluation for (the service's rule: past years from the
    designation's year, one evaluation per data year), newest first."""
    today = today or timezone.localdate()
    used = set(center.evaluations.values_list("data_year", flat=True))
    return [y for y in range(today.year - 1, center.designated_on.year - 1, -1) if y not in used]


def center_context(center, user) -> dict:
    evaluations = list(center.evaluations.order_by("-data_year"))
    own = institution_member.holds(user, center)
    context = {
        "center": center,
        "own": own,
        "officer_view": officer.holds(user),
        "show_identities": officer.holds(user),
        "flags": validity_facts(center),
        "evaluations": evaluations,
        "latest": center.latest_scored_evaluation(),
        "panel": outcome_panel(center, user),
        "timeline": history_selectors.timeline_of([(center, "")] + [(e, _("Evaluation %(year)s: ") % {"year": e.data_year})
                                                      for e in evaluations], user),
        "site_visits": center.application.site_visits.all(),
    }
    if can(user, "start_evaluation", center) and center.state in CenterState.IN_FORCE:
        years = years_open_for_evaluation(center)
        context["start_form"] = EvaluationStartForm(years=years, prefix="start") if years else None
        context["next_evaluation_year"] = timezone.localdate().year
    return context


@outcome_roles_required
def center_detail(request, pk):
    center = visible_center(request, pk)
    return render(request, "poc/centers/center_detail.html", center_context(center, request.user))


@require_POST
@outcome_roles_required
def center_step(request, pk, name):
    """A step from the center's panel (revoke for fraud); the score-driven steps are not buttons."""
    center = visible_center(request, pk)
    return run_panel_step(request, center, name, "center-detail", pk)


@require_POST
@outcome_roles_required
def evaluation_start(request, pk):
    center = visible_center(request, pk)
    form = EvaluationStartForm(request.POST, years=years_open_for_evaluation(center), prefix="start")
    if not form.is_valid():
        for error in form.errors.get("data_year", []):
            messages.error(request, error)
        return redirect("center-detail", pk)
    try:
        evaluation = center_services.start_evaluation(request.user, center, form.cleaned_data["data_year"])
    except DomainError as exc:
        report_refusal(request, exc)
        return redirect("center-detail", pk)
    messages.success(request, _("The evaluation for %(year)s is open. Fill in the data, attach the evidence, "
                                "then file it.") % {"year": evaluation.data_year})
    return redirect("evaluation-detail", evaluation.pk)


# ------------------------------------------------------------- evaluation

def consequence_text(center, failed: bool) -> str:
    """What a pass or a fail does to the center now (AnnualEvaluation.CONSEQUENCES, in words)."""
    name = AnnualEvaluation.consequence_for(center.state, failed)
    if name == "order_rectification":
        return _("The center must rectify: it becomes “Rectifying” and is evaluated again within %(m)s months; a "
                 "second failure revokes it.") % {"m": center.call.center_rectification_months}
    if name == "revoke_after_second_failure":
        return _("A second failed evaluation in a row: the designation is revoked.")
    if name == "pass_rectification":
        return _("The rectification is passed: the center is “Active” again.")
    return _("The center stays “%(state)s”.") % {"state": center.get_state_display()}


def grade_thresholds(call) -> list[dict]:
    return [
        {"grade": Grade.EXCELLENT, "label": Grade.EXCELLENT.label, "rule": f"≥ {call.grade_excellent_from}"},
        {"grade": Grade.GOOD, "label": Grade.GOOD.label, "rule": f"≥ {call.grade_good_from}"},
        {"grade": Grade.PASS, "label": Grade.PASS.label, "rule": f"≥ {call.grade_pass_from}"},
        {"grade": Grade.FAIL, "label": Grade.FAIL.label, "rule": f"< {call.grade_pass_from}"},
    ]


def evaluation_context(evaluation, user, *, form=None, evidence_form=None, score_form=None, preview=None) -> dict:
    center = evaluation.center
    own = can(user, "change", evaluation)
    officer_view = officer.holds(user)
    editable = can(user, "edit", evaluation) and evaluation.state == EvaluationState.DRAFT
    missing = evaluation.missing_items() if evaluation.state == EvaluationState.DRAFT else []
    context = {
        "evaluation": evaluation, "center": center, "own": own, "officer_view": officer_view, "editable": editable,
        "missing": missing,
        "evidence": evaluation.evidence.select_related("uploaded_by").order_by("uploaded_at", "id"),
        "panel": outcome_panel(evaluation, user, known=missing, skip=("record_score",)),
        "timeline": history_selectors.timeline_of([(evaluation, "")], user),
        "thresholds": grade_thresholds(center.call),
        "show_identities": officer_view,
    }
    if editable:
        context["form"] = form or EvaluationForm(instance=evaluation)
        context["evidence_form"] = evidence_form or EvidenceForm(prefix="evidence")
    if can(user, "score", evaluation) and evaluation.state == EvaluationState.FILED:
        context["score_form"] = score_form or ScoreForm(prefix="score")
        context["on_pass"] = consequence_text(center, failed=False)
        context["on_fail"] = consequence_text(center, failed=True)
        context["preview"] = preview
    return context


@require_http_methods(["GET", "POST"])
@outcome_roles_required
def evaluation_detail(request, pk):
    """The evaluation: its data (a form while the institution's draft), evidence, checklist, steps, score."""
    evaluation = visible_evaluation(request, pk)
    form = None
    if request.method == "POST":
        allowed_or_403(request.user, "edit", evaluation)
        if evaluation.state != EvaluationState.DRAFT:
            messages.error(request, _("The evaluation data have been filed and can no longer be edited."))
            return redirect("evaluation-detail", pk)
        form = EvaluationForm(form_data(request), instance=evaluation)
        done = submit_form(request, form, lambda data: center_services.update_evaluation(
            request.user, AnnualEvaluation.objects.get(pk=pk), **data), success=_("Saved."),
            redirect_to=("evaluation-detail", pk))
        if done:
            return done
        messages.error(request, _("Please correct the errors below."))
        evaluation = visible_evaluation(request, pk)  # the form changed the instance it validated
    status = form_status(form) if form is not None else 200
    return render(request, "poc/centers/evaluation_detail.html", evaluation_context(evaluation, request.user, form=form),
                  status=status)


@require_POST
@outcome_roles_required
def evidence_add(request, pk):
    evaluation = visible_evaluation(request, pk)
    allowed_or_403(request.user, "edit", evaluation)
    form = EvidenceForm(request.POST, request.FILES, prefix="evidence")
    done = submit_form(request, form, lambda data: center_services.add_evidence(
        request.user, evaluation, data["title"], data["file"]), success=_("Uploaded."),
        redirect_to=("evaluation-detail", pk))
    return done or render(request, "poc/centers/evaluation_detail.html",
                          evaluation_context(evaluation, request.user, evidence_form=form), status=form_status(form))


@require_GET
@outcome_roles_required
def evidence_download(request, pk, evidence_pk):
    evaluation = visible_evaluation(request, pk)
    evidence = evaluation.evidence.filter(pk=evidence_pk).first()
    if evidence is None:
        raise Http404
    return serve_file(evidence.file, evidence.original_name, evidence.content_type)


@require_POST
@outcome_roles_required
def evaluation_step(request, pk, name):
    """File the data (institution) or return it for correction (officer); scoring has its own form."""
    evaluation = visible_evaluation(request, pk)
    return run_panel_step(request, evaluation, name, "evaluation-detail", pk, skip=("record_score",))


@require_POST
@officer_required
def evaluation_score(request, pk):
    """Score a filed evaluation (0–100): the grade follows the call's thresholds and the center moves.

    With ``preview`` the grade and its consequence are shown and nothing is saved."""
    evaluation = visible_evaluation(request, pk)
    form = ScoreForm(request.POST, prefix="score")
    if form.is_valid():
        score = form.cleaned_data["score"]
        if "preview" in request.POST:
            grade = AnnualEvaluation.grade_for(score, evaluation.center.call)
            preview = {"score": score, "grade": grade, "label": Grade(grade).label,
                       "consequence": consequence_text(evaluation.center, failed=grade == Grade.FAIL)}
            return render(request, "poc/centers/evaluation_detail.html",
                          evaluation_context(evaluation, request.user, score_form=form, preview=preview))
    done = submit_form(request, form, lambda data: center_services.score_evaluation(
        request.user, evaluation, data["score"], data["comment"]), success=_scored_message,
        redirect_to=("evaluation-detail", pk))
    return done or render(request, "poc/centers/evaluation_detail.html",
                          evaluation_context(evaluation, request.user, score_form=form), status=form_status(form))


def _scored_message(result) -> str:
    scored, center = result
    message = _("Scored %(score)s: %(grade)s. The center is “%(state)s”.") % {
        "score": scored.score, "grade": scored.get_grade_display(), "state": center.get_state_display()}
    if center.state == CenterState.RECTIFYING and center.rectification_due:
        message += " " + _("Rectify by %(date)s.") % {"date": center.rectification_due.isoformat()}
    return message
