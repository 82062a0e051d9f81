"""What the review pages share: guards (the access policy's, poc/access/), the call and application look-ups
(404 for what the user may not view), step panels."""
from poc.access import expert, officer
from poc.access.pages import requires, visible_or_404
from poc.applications import selectors as poc_selectors
from poc.models import Application, Call
from poc.views.common import (  # noqa: F401  (re-exported for the review views)
    form_data,
    form_status,
    redirect_back,
    report_refusal,
    submit_form,
)
from poc.views.panel import transition_panel

from ..policies import aggregate_readers

# The page guards of the review, by who may open them (403 for other signed-in users).
officer_required = requires(officer)
expert_required = requires(expert)
expert_or_officer = requires(expert | officer)
# Rankings and aggregates: the readers review/policies.py declares.
officer_or_fund_manager = requires(aggregate_readers)


def visible_call(request, pk):
    return visible_or_404(request.user, Call, pk=pk)


def visible_application(request, pk):
    """The application if the user may view it; 404 otherwise (never reveal that it exists)."""
    return visible_or_404(request.user, Application.objects.select_related("call", "institution"), pk=pk)


def steps(obj, user, exclude=()) -> list[dict]:
    """The transition panel of an assignment or a review, built from the model's declared transitions (without the
    steps the system takes, such as voiding an assignment for a conflict found by rule)."""
    from poc.rules import describe

    return [entry for entry in transition_panel(obj, user) if entry["check"].name not in exclude
            and not describe(type(obj), entry["check"].name)["custom"].get("system")]


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
