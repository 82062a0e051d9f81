"""The officer's review console per call: progress, assignment (manual, optimal, random draw), conflicts,
workflow steps of assignments and reviews, and deadline extensions."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from poc.access import officer
from poc.access.pages import visible_or_404
from poc.errors import DomainError, NotNow
from poc.forms import TransitionForm

from .. import matching, selectors, services
from ..forms import AssignForm, CommitForm, DrawForm, ExtendDeadlineForm, PinConflictForm
from ..models import AssignmentState
from ..states import IN_EXPERT_REVIEW
from .common import (
    expert_or_officer,
    form_data,
    form_status,
    officer_required,
    redirect_back,
    report_refusal,
    steps,
    submit_form,
    visible_application,
    visible_call,
)


@officer_required
def calls(request):
    return render(request, "review/calls.html", {"rows": selectors.calls_in_review(request.user)})


@officer_required
def console(request, pk):
    call = visible_call(request, pk)
    plan = services.ensure_plan(call)
    progress = list(selectors.call_progress(call).select_related("institution"))
    needed = plan.experts_per_application
    for application in progress:
        application.short = max(needed - application.assigned, 0)
    return render(request, "review/console.html", {
        "call": call,
        "plan": plan,
        "progress": progress,
        "needed": needed,
        "assigned": sum(a.assigned for a in progress),
        "submitted": sum(a.submitted for a in progress),
        "short": sum(a.short for a in progress),
        "frozen": plan.frozen,
    })


@officer_required
def application_page(request, pk):
    """One application's experts: assigned, their reviews, the pool to pick from, its conflicts."""
    user = request.user
    application = visible_application(request, pk)
    plan = services.ensure_plan(application.call)
    assignments = list(selectors.assignments_visible_to(user).filter(application=application)
                       .select_related("review", "expert__user").order_by("state", "assigned_at"))
    active = [a for a in assignments if a.state == AssignmentState.ACTIVE]
    for assignment in active:
        assignment.steps = steps(assignment, user)
        review = getattr(assignment, "review", None)
        assignment.review_steps = steps(review, user) if review is not None else []
    return render(request, "review/application.html", {
        "application": application,
        "call": application.call,
        "plan": plan,
        "active": active,
        "voided": [a for a in assignments if a.state != AssignmentState.ACTIVE],
        "candidates": selectors.assignment_candidates(user, application),
        "extend_form": ExtendDeadlineForm(prefix="extend"),
        "needed": plan.experts_per_application,
    })


@require_POST
@officer_required
def assign(request, pk):
    user = request.user
    application = visible_application(request, pk)
    form = AssignForm(request.POST, experts=selectors.experts_visible_to(user))
    if not form.is_valid():
        messages.error(request, _("Choose an expert from the pool."))
        return redirect("review:application", application.pk)
    expert = form.cleaned_data["expert"]
    try:
        services.assign_manually(user, application, expert)
    except DomainError as exc:
        report_refusal(request, exc)
    else:
        messages.success(request, _("%(name)s is assigned to %(number)s.") % {"name": expert.name,
                                                                              "number": application.number})
    return redirect("review:application", application.pk)


ASSIGNMENT_STEPS = {"unassign": services.unassign, "declare_conflict": services.declare_conflict}
REVIEW_STEPS = {"reopen": services.reopen_review}


def _comment(request, name) -> str:
    form = TransitionForm(request.POST, prefix=name)
    return form.cleaned_data["comment"] if form.is_valid() else ""


@require_POST
@expert_or_officer
def assignment_step(request, pk, name):
    """Unassign (officers) or declare a conflict of interest (the assigned expert); both need a reason."""
    user = request.user
    assignment = visible_or_404(user, selectors.assignments_visible_to(user).select_related("review"), pk=pk)
    action = ASSIGNMENT_STEPS.get(name)
    if action is None:
        raise Http404
    try:
        action(user, assignment, _comment(request, name))
    except DomainError as exc:
        report_refusal(request, exc)
        if officer.holds(user):
            return redirect_back(request, "review:application", assignment.application_id)
        return redirect_back(request, "review:queue")
    if name == "declare_conflict":
        messages.success(request, _("Your conflict of interest is recorded. The assignment is void and the "
                                    "application is no longer open to you."))
        return redirect("review:queue")
    messages.success(request, _("%(name)s is unassigned from %(number)s.")
                     % {"name": assignment.expert.name, "number": assignment.application.number})
    return redirect("review:application", assignment.application_id)


@require_POST
@officer_required
def review_step(request, pk, name):
    """Reopen a submitted review (with a reason)."""
    user = request.user
    review = selectors.review_for(user, pk)
    action = REVIEW_STEPS.get(name)
    if review is None or action is None:
        raise Http404
    try:
        action(user, review, _comment(request, name))
    except DomainError as exc:
        report_refusal(request, exc)
    else:
        messages.success(request, _("The review is reopened; the expert can edit and submit it again."))
    return redirect_back(request, "review:review", review.pk)


@require_POST
@officer_required
def extend(request, pk):
    user = request.user
    review = selectors.review_for(user, pk)
    if review is None:
        raise Http404
    form = ExtendDeadlineForm(request.POST, prefix="extend")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, _("New deadline: %(error)s") % {"error": error})
        return redirect_back(request, "review:review", review.pk)
    try:
        services.extend_deadline(user, review, form.cleaned_data["until"])
    except DomainError as exc:
        report_refusal(request, exc)
    else:
        messages.success(request, _("The deadline of %(name)s's review is extended.")
                         % {"name": review.assignment.expert.name})
    return redirect_back(request, "review:review", review.pk)


# ------------------------------------------------------------------ automatic assignment and draw

def _preview(request, call, method, seed=None):
    """(plan, refusal messages): the solver's proposal, or why there is none."""
    try:
        if method == "optimal":
            return matching.preview_optimal(request.user, call), []
        return matching.preview_draw(request.user, call, seed), []
    except DomainError as exc:
        return None, exc.messages


def _matching_page(request, call, method, *, status=200, seed=None, draw_form=None):
    plan, problems = _preview(request, call, method, seed)
    form = CommitForm(initial={"digest": plan.digest, "seed": plan.seed}) if plan else None
    if method == "draw" and plan is not None and (draw_form is None or not draw_form.is_bound):
        draw_form = DrawForm(initial={"seed": plan.seed})  # shown, so the same draw can be repeated
    return render(request, "review/matching.html", {
        "call": call, "method": method, "plan": plan, "problems": problems, "commit_form": form,
        "draw_form": draw_form, "review_plan": services.ensure_plan(call),
        "applications": len({row["application"].pk for row in plan.rows}) if plan else 0,
    }, status=status)


def _commit(request, call, method):
    form = CommitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The preview is missing; preview again."))
        return None, 400
    try:
        created = matching.commit(request.user, call, method, form.cleaned_data["digest"],
                                  form.cleaned_data["seed"])
    except NotNow as exc:
        report_refusal(request, exc)
        return None, 409
    except DomainError as exc:
        report_refusal(request, exc)
        return None, exc.status
    count = created.count()
    messages.success(request, ngettext("%(n)s assignment created.", "%(n)s assignments created.", count)
                     % {"n": count})
    return created, 200


@require_http_methods(["GET", "POST"])
@officer_required
def auto_assign(request, pk):
    """The optimal assignment: preview (nothing saved), then confirm; refused if it changed meanwhile."""
    call = visible_call(request, pk)
    if request.method == "POST":
        created, status = _commit(request, call, "optimal")
        if created is not None:
            return redirect("review:console", call.pk)
        return _matching_page(request, call, "optimal", status=status)
    return _matching_page(request, call, "optimal")


@require_http_methods(["GET", "POST"])
@officer_required
def draw(request, pk):
    """The random draw (随机抽取): preview with its seed, then confirm the same seed."""
    call = visible_call(request, pk)
    if request.method == "POST":
        created, status = _commit(request, call, "draw")
        if created is not None:
            return redirect("review:console", call.pk)
        seed = request.POST.get("seed")
        seed = int(seed) if seed and seed.isdigit() else None
        return _matching_page(request, call, "draw", status=status, seed=seed, draw_form=DrawForm())
    draw_form = DrawForm(request.GET or None)
    seed = draw_form.cleaned_data["seed"] if draw_form.is_bound and draw_form.is_valid() else None
    return _matching_page(request, call, "draw", seed=seed, draw_form=draw_form)


# ----------------------------------------------------------------------------- conflicts

@require_http_methods(["GET", "POST"])
@officer_required
def conflicts(request, pk):
    """Every conflict of the call with its source and reason; pin one no rule finds."""
    user = request.user
    call = visible_call(request, pk)
    applications = call.applications.filter(state__in=IN_EXPERT_REVIEW).order_by("number")
    initial = {"application": request.GET.get("application")} if request.GET.get("application") else None
    form = PinConflictForm(form_data(request), initial=initial, applications=applications,
                           experts=selectors.experts_visible_to(user))
    done = submit_form(
        request, form, lambda data: services.pin_conflict(user, data["application"], data["expert"], data["reason"]),
        success=lambda conflict: _("The conflict of %(name)s with %(number)s is pinned.")
        % {"name": conflict.expert.name, "number": conflict.application.number},
        redirect_to=("review:conflicts", call.pk))
    if done is not None:
        return done
    return render(request, "review/conflicts.html", {
        "call": call, "rows": selectors.call_conflicts(user, call), "form": form,
    }, status=form_status(form))
