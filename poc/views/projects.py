"""Funded projects (立项项目): the officer's overview, the project page with its task agreement, milestones,
change requests and acceptance (验收), and the applicant's own centers and projects."""
from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from poc import selectors as history_selectors
from poc.access import can, officer
from poc.access.pages import allowed_or_403, visible_or_404
from poc.access.policies import institution_member
from poc.centers import selectors as center_selectors
from poc.errors import DomainError
from poc.forms import attach_domain_error
from poc.forms.after_approval import (
    AcceptanceForm,
    AgreementForm,
    ChangeRequestForm,
    MilestoneReportForm,
    ProjectFilterForm,
)
from poc.models import Acceptance, ChangeRequest, ProjectState, judge_acceptance
from poc.projects import selectors as sel
from poc.projects import services as project_services
from poc.projects.obligation import obligation_status
from poc.projects.states import ChangeState

from .common import applicant_required, form_data, form_status, officer_required, submit_form
from .outcomes_common import outcome_panel, outcome_roles_required, run_panel_step, serve_file

EXECUTING = ProjectState.EXECUTING
CHANGEABLE = ProjectState.CHANGEABLE
UNDER_ACCEPTANCE = ProjectState.UNDER_ACCEPTANCE


def visible_project(request, pk):
    return visible_or_404(request.user, sel.projects_visible_to(request.user), pk=pk)


def _overdue_count(today):
    return Count("milestones", filter=Q(milestones__due_on__lt=today, milestones__reported_at__isnull=True,
                                        state__in=EXECUTING))


# ------------------------------------------------------------------ lists

@outcome_roles_required
def project_list(request):
    """Officers: every project by state, overdue milestones, conversion deadlines. Applicants: their own."""
    user = request.user
    today = timezone.localdate()
    visible = sel.projects_visible_to(user)
    form = ProjectFilterForm(request.GET or None)
    projects = form.narrow(visible.annotate(overdue=_overdue_count(today)).prefetch_related("acceptances")
                           .order_by("-approved_on", "project_number"))
    page = Paginator(projects, 25).get_page(request.GET.get("page"))
    for project in page:
        project.obligation_flag = sel.obligation_status(project, today)
    query = request.GET.copy()
    query.pop("page", None)
    counts = sel.project_state_counts(visible)
    return render(request, "poc/projects/project_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "officer_view": officer.holds(user),
        "state_chips": [{"value": v, "label": label, "n": counts.get(v, 0)} for v, label in ProjectState.choices],
        "overdue_milestones": sel.overdue_milestones(visible, today)[:50],
        "obligations_due_soon": sel.obligations_due_soon(visible, today),
        "obligations_overdue": sel.obligations_overdue(visible, today),
        "obligation_days": sel.OBLIGATION_WARNING_DAYS, "today": today,
    })


def outcomes_of(user, limit=None) -> dict:
    """The centers and projects the user may see, with their flags (the applicant's home and "mine" page); with
    ``limit``, only the latest ``limit`` of each (``outcomes_cut`` says whether some were left out)."""
    from .centers import validity_facts

    today = timezone.localdate()
    centers = center_selectors.with_latest_grade(center_selectors.centers_visible_to(user)).order_by(
        "-designated_on", "-pk")
    projects = (sel.projects_visible_to(user).annotate(overdue=_overdue_count(today))
                .prefetch_related("acceptances").order_by("-approved_on", "project_number"))
    if limit is not None:
        centers, projects = centers[:limit + 1], projects[:limit + 1]
    centers, projects = list(centers), list(projects)
    cut = limit is not None and (len(centers) > limit or len(projects) > limit)
    if cut:
        centers, projects = centers[:limit], projects[:limit]
    for center in centers:
        center.flags = validity_facts(center, today)
    for project in projects:
        project.obligation_flag = sel.obligation_status(project, today)
    return {"centers": centers, "projects": projects, "outcomes_cut": cut}


@applicant_required
def my_outcomes(request):
    """The applicant's designated centers and funded projects on one page."""
    return render(request, "poc/projects/my_outcomes.html", outcomes_of(request.user))


# ------------------------------------------------------------ project page

def milestone_rows(project, today=None):
    today = today or timezone.localdate()
    rows = []
    for milestone in project.milestones.all():
        milestone.days_overdue = (today - milestone.due_on).days if milestone.is_overdue else 0
        rows.append(milestone)
    return rows


def change_rows(project, user):
    rows = []
    for change in sel.change_requests_of(project):
        panel = outcome_panel(change, user)
        for entry in panel:
            if entry["form"] is not None:
                entry["form"].auto_id = f"id_change{change.pk}_%s"
        rows.append({"change": change, "panel": panel,
                     "reason": history_selectors.last_comment(change, ["approve", "reject"]) if change.state != ChangeState.PENDING else ""})
    return rows


def project_context(project, user, *, agreement_form=None, change_form=None) -> dict:
    today = timezone.localdate()
    own = institution_member.holds(user, project)
    officer_view = officer.holds(user)
    changes = list(sel.change_requests_of(project))
    context = {
        "project": project, "own": own, "officer_view": officer_view, "show_identities": officer_view,
        "today": today,
        "obligation_flag": sel.obligation_status(project, today),
        "deadline": project.approved_deadline,
        # Lateness is the project's: counted to the day acceptance was requested, or to today while executing.
        "days_late": (project.days_late(project_services.acceptance_requested_on(project))
                      if project.state in UNDER_ACCEPTANCE else
                      project.days_late(today) if project.state == ProjectState.IN_PROGRESS else 0),
        "milestones": milestone_rows(project, today),
        "can_report": own and project.state in EXECUTING,
        "changes": change_rows(project, user),
        "acceptances": project.acceptances.select_related("reviewed_by").order_by("attempt"),
        "can_review": can(user, "record_acceptance", project) and project.state in UNDER_ACCEPTANCE,
        "panel": outcome_panel(project, user),
        "timeline": history_selectors.timeline_of([(project, "")] + [
            (c, _("Change request (%(kind)s): ") % {"kind": c.get_kind_display()}) for c in changes], user),
    }
    if can(user, "upload_agreement", project) and project.state == ProjectState.CONTRACTING:
        context["agreement_form"] = agreement_form or AgreementForm(prefix="agreement")
    if can(user, "request_change", project) and project.state in CHANGEABLE:
        context["change_form"] = change_form or ChangeRequestForm(prefix="change")
    return context


@outcome_roles_required
def project_detail(request, pk):
    project = visible_project(request, pk)
    return render(request, "poc/projects/project_detail.html", project_context(project, request.user))


@require_POST
@outcome_roles_required
def project_step(request, pk, name):
    """Confirm the signed agreement, request acceptance, terminate; the acceptance outcomes are not buttons."""
    project = visible_project(request, pk)
    return run_panel_step(request, project, name, "project-detail", pk)


@require_POST
@outcome_roles_required
def agreement_upload(request, pk):
    project = visible_project(request, pk)
    form = AgreementForm(request.POST, request.FILES, prefix="agreement")
    done = submit_form(request, form, lambda data: project_services.upload_agreement(request.user, project, data["file"]),
                       success=_("The signed task agreement is uploaded."), redirect_to=("project-detail", pk))
    return done or render(request, "poc/projects/project_detail.html",
                          project_context(project, request.user, agreement_form=form), status=form_status(form))


@require_GET
@outcome_roles_required
def agreement_download(request, pk):
    project = visible_project(request, pk)
    return serve_file(project.agreement, f"{project.project_number}-agreement.pdf", "application/pdf")


def _milestone(request, pk, milestone_pk):
    project = visible_project(request, pk)
    milestone = project.milestones.filter(pk=milestone_pk).first()
    if milestone is None:
        raise Http404
    return project, milestone


@require_http_methods(["GET", "POST"])
@outcome_roles_required
def milestone_report(request, pk, milestone_pk):
    """The institution reports progress on one milestone, with optional evidence."""
    project, milestone = _milestone(request, pk, milestone_pk)
    allowed_or_403(request.user, "report", milestone)
    form = MilestoneReportForm(form_data(request), request.FILES if request.method == "POST" else None,
                               initial={"report": milestone.report})
    done = submit_form(request, form, lambda data: project_services.report_milestone(
        request.user, milestone, data["report"], data["evidence"]),
        success=_("The progress report on “%(title)s” is saved.") % {"title": milestone.title},
        redirect_to=("project-detail", pk))
    return done or render(request, "poc/projects/milestone_report.html", {
        "project": project, "milestone": milestone, "form": form, "open": project.state in EXECUTING,
    }, status=form_status(form))


@require_GET
@outcome_roles_required
def milestone_evidence(request, pk, milestone_pk):
    _project, milestone = _milestone(request, pk, milestone_pk)
    return serve_file(milestone.evidence, milestone.evidence_name or milestone.evidence.name.rsplit("/", 1)[-1])


@require_POST
@outcome_roles_required
def change_add(request, pk):
    project = visible_project(request, pk)
    allowed_or_403(request.user, "request_change", project)
    form = ChangeRequestForm(request.POST, prefix="change")
    done = submit_form(request, form, lambda data: project_services.request_change(
        request.user, project, data["kind"], data["description"], data["new_due_on"]),
        success=_("The change request is sent to the bureau."), redirect_to=("project-detail", pk))
    return done or render(request, "poc/projects/project_detail.html",
                          project_context(project, request.user, change_form=form), status=form_status(form))


@require_POST
@outcome_roles_required
def change_step(request, pk, name):
    """Approve or reject a change request (officers); back to its project."""
    change = (ChangeRequest.objects.filter(project__in=sel.projects_visible_to(request.user), pk=pk)
              .select_related("project").first())
    if change is None:
        raise Http404
    return run_panel_step(request, change, name, "project-detail", change.project_id)


# -------------------------------------------------------------- acceptance

def unapproved_target_changes(project):
    return [c for c in project.change_requests.filter(kind=ChangeRequest.Kind.TARGET,
                                                      state__in=ChangeState.UNAPPROVED)]


@require_http_methods(["GET", "POST"])
@officer_required
def acceptance_review(request, pk):
    """The officer's acceptance form (100 points, automatic-fail rules). ``preview`` shows the result
    without saving; recording it moves the project (completed, rectifying once, or failed)."""
    project = visible_project(request, pk)
    if project.state not in UNDER_ACCEPTANCE:
        messages.error(request, _("Acceptance is reviewed once the institution has requested it."))
        return redirect("project-detail", pk)
    pending_changes = unapproved_target_changes(project)
    requested_on = project_services.acceptance_requested_on(project)  # lateness counts to the request
    initial = {"unapproved_change": bool(pending_changes)}
    form = AcceptanceForm(form_data(request), initial=initial)
    obligation = obligation_status(project)  # derived from the transfer records, shown before the scores
    preview = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                total, outcome, reasons, late = judge_acceptance(
                    project, scores=form.scores(), tasks_done_percent=data["tasks_done_percent"],
                    false_data=data["false_data"], unapproved_change=data["unapproved_change"],
                    on=requested_on, obligation=obligation)
                preview = {"total": total.quantize(Decimal("0.01")), "outcome": outcome, "label": Acceptance.Outcome(outcome).label,
                           "reasons": reasons, "days_late": late}
            else:
                try:
                    acceptance = project_services.record_acceptance(
                        request.user, project, scores=form.scores(), tasks_done_percent=data["tasks_done_percent"],
                        false_data=data["false_data"], unapproved_change=data["unapproved_change"],
                        opinion=data["opinion"])
                except DomainError as exc:
                    attach_domain_error(form, exc)
                else:
                    project.refresh_from_db()
                    message = _("Acceptance recorded: %(total)s points, %(outcome)s. The project is “%(state)s”.") % {
                        "total": Decimal(acceptance.total).quantize(Decimal("0.01")),
                        "outcome": acceptance.get_outcome_display(),
                        "state": project.get_state_display()}
                    (messages.success if acceptance.outcome == Acceptance.Outcome.PASSED else messages.warning)(
                        request, message)
                    return redirect(reverse("project-detail", args=[pk]) + "#acceptance")
        if not form.is_valid() or form.errors:
            status = 400
    return render(request, "poc/projects/acceptance_form.html", {
        "project": project, "form": form, "preview": preview, "pending_changes": pending_changes,
        "previous": project.acceptances.order_by("attempt"),
        "second_attempt": project.state == ProjectState.RECTIFYING,
        "call": project.call, "days_late": project.days_late(requested_on), "requested_on": requested_on,
        "too_late": project.late_beyond_tolerance(requested_on),
        "obligation_flag": sel.obligation_status(project),
        "deadline": project.approved_deadline, "obligation": obligation,
    }, status=status)
