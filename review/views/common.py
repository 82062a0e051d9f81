"""What the review pages share: guards (reused from poc), the call and application lookups, step panels."""
from django.shortcuts import get_object_or_404

from poc.applications import selectors as poc_selectors
from poc.views.common import (  # noqa: F401  (re-exported for the review views)
    form_data,
    officer_required,
    redirect_back,
    report_refusal,
    role_required,
    visible_application,
)
from poc.views.panel import transition_panel

expert_required = role_required("expert")
expert_or_officer = role_required("expert", "officer")


def visible_call(request, pk):
    return get_object_or_404(poc_selectors.calls_visible_to(request.user), pk=pk)


def steps(obj, user, exclude=()) -> list[dict]:
    """The transition panel of an assignment or a review, built from the model's declared transitions."""
    return [entry for entry in transition_panel(obj, user) if entry["check"].name not in exclude]


def application_sections(application, user) -> dict:
    """What templates/poc/_sections.html needs to show an application read-only."""
    context = {
        "application": application,
        "details": application.details,
        "attachments": application.attachments.all(),
        "disciplines": application.disciplines.all(),
        # Whom the applicant asked to exclude stays with the applicant and the bureau (never an expert).
        "show_exclusions": poc_selectors.excluded_experts_visible_to(user, application) is not None,
    }
    if application.is_project:
        context.update({
            "ip_items": application.ip_items.all(),
            "team_members": application.team_members.all(),
            "budget_lines": application.budget_lines.all(),
            "milestones": application.milestones.all(),
        })
    return context
