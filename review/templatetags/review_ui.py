"""Template helpers of the review, and its hook into poc's application page.

poc must not import review (DESIGN §1), and Django has no optional ``{% include %}``. So the application
page (templates/poc/application_detail.html, a project-level template) loads this library and calls
``{% review_panel application %}``: the tag decides, from the viewer's role, what of the review to show
(officers: progress and the console; the assigned expert: their review; fund managers: the aggregates;
applicants: nothing at all, so no expert's name can reach them) and renders review/_application_panel.html.
poc's Python never learns that review exists.
"""
from django import template

from poc.access import officer

from .. import selectors
from ..models import AssignmentState, ReviewState
from ..states import REVIEW_REACHED

register = template.Library()


@register.inclusion_tag("review/_application_panel.html", takes_context=True)
def review_panel(context, application):
    request = context.get("request")
    user = getattr(request, "user", None)
    out = {"application": application, "show": False}
    if user is None or not user.is_authenticated:
        return out
    if officer.holds(user):
        active = application.assignments.filter(state=AssignmentState.ACTIVE)
        if application.state not in REVIEW_REACHED and not active.exists():
            return out
        plan = getattr(application.call, "review_plan", None)
        out.update({
            "show": True, "role": "officer",
            "assigned": active.count(),
            "submitted": active.filter(review__state=ReviewState.SUBMITTED).count(),
            "needed": plan.experts_per_application if plan else application.call.min_reviews,
        })
        return out
    expert = selectors.expert_of(user)
    if expert is not None:
        assignment = (selectors.assignments_visible_to(user)
                      .filter(application=application, state=AssignmentState.ACTIVE).first())
        if assignment is not None:
            out.update({"show": True, "role": "expert", "review": getattr(assignment, "review", None)})
            return out
    if selectors.may_see_aggregates(user) and application.state in REVIEW_REACHED:
        out.update({"show": True, "role": "fund_manager"})
    return out


@register.filter
def points(value):
    """A score or weight without trailing zeros: 25.00 → 25, 7.50 → 7.5; a dash when empty."""
    if value is None or value == "":
        return "—"
    try:
        from decimal import Decimal

        return format(Decimal(str(value)).normalize(), "f")
    except Exception:  # noqa: BLE001  (display only)
        return value


@register.filter
def stat(value):
    """A statistic to two decimals; a dash when there is none."""
    if value is None:
        return "—"
    return f"{value:.2f}"


@register.simple_tag(takes_context=True)
def review_nav_active(context, *names):
    """``is-active`` when the current URL is one of the review's ``names`` (namespaced, so no clash with poc)."""
    match = getattr(context.get("request"), "resolver_match", None)
    return "is-active" if match is not None and match.namespace == "review" and match.url_name in names else ""


@register.filter
def get_score(scores, criterion_id):
    """``scores`` maps criterion id → CriterionScore; the one for ``criterion_id`` or None."""
    return scores.get(criterion_id) if scores else None
