"""Template helpers of the funding pages, and the funding app's hooks into poc's pages.

poc must not import funding (DESIGN §1). The application page (templates/poc/application_detail.html, a
project-level template) loads this library and calls ``{% funding_panel application %}``: the tag decides from
the viewer's role what of the funding decision to show (officers: the decision or the button to propose one;
the fund's managers: the decision; the applicant institution: its own decision, without the fund's internals)
and renders funding/_application_panel.html. A project page can do the same with
``{% funding_project_panel project %}`` (transfer obligation and technology contracts).
"""
from decimal import Decimal, InvalidOperation

from django import template

from poc.access import can, officer
from poc.models import ApplicationState

from .. import selectors
from ..models import ConversionState, DecisionState, RiskState, TrancheState, reaches_major_series

register = template.Library()


@register.inclusion_tag("funding/_application_panel.html", takes_context=True)
def funding_panel(context, application):
    request = context.get("request")
    user = getattr(request, "user", None)
    out = {"application": application, "show": False, "request": request}
    if user is None or not user.is_authenticated or not application.is_project:
        return out
    decision = selectors.decisions_visible_to(user).filter(application=application).first()
    by_officer = officer.holds(user)
    project = getattr(application, "project", None) if application.state == ApplicationState.APPROVED else None
    out.update({
        "decision": decision,
        "officer": by_officer,
        "staff": decision is not None and can(user, "manage", decision),
        "may_propose": by_officer and application.state == ApplicationState.REVIEWED
        and (decision is None or decision.state == DecisionState.REJECTED),
        "project": project if project is not None and (
            by_officer or selectors.obligation_projects_visible_to(user).filter(pk=project.pk).exists()) else None,
    })
    out["show"] = bool(decision or out["may_propose"] or out["project"])
    return out


@register.inclusion_tag("funding/_project_panel.html", takes_context=True)
def funding_project_panel(context, project):
    """Transfer obligation of a project: contracts, received, major-series flag (for a project page)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    visible = selectors.obligation_projects_visible_to(user).filter(pk=project.pk).first() if user else None
    if visible is None:
        return {"show": False}
    return {
        "show": True, "project": visible,
        "received": visible.total_received, "verified": visible.total_verified,
        "eligible": reaches_major_series(visible.total_verified),
        "overdue": selectors.obligation_overdue(visible),
    }


@register.simple_tag(takes_context=True)
def funding_nav_active(context, *names):
    """``is-active`` when the current URL is one of the funding app's ``names`` (namespaced "funding")."""
    match = getattr(context.get("request"), "resolver_match", None)
    return "is-active" if match is not None and match.namespace == "funding" and match.url_name in names else ""


@register.filter
def pct(value, places=4):
    """A percentage with ``places`` decimals: 10.0000%; a dash when empty."""
    if value is None or value == "":
        return "—"
    try:
        return f"{Decimal(str(value)):.{int(places)}f}%"
    except (InvalidOperation, ValueError, TypeError):
        return value


@register.filter
def moic(value):
    return "—" if value is None else f"{value:.2f}×"


@register.filter
def irr(value):
    """An annual rate (a float, 0.1234) as 12.34%."""
    return "—" if value is None else f"{value * 100:.2f}%"


DECISION_TONES = {DecisionState.PROPOSED: "info", DecisionState.APPROVED: "ok", DecisionState.REJECTED: "bad"}
TRANCHE_TONES = {TrancheState.PLANNED: "muted", TrancheState.RELEASED: "info", TrancheState.PAID: "ok"}
RISK_TONES = {RiskState.IDENTIFIED: "info", RiskState.ASSESSED: "accent", RiskState.WARNING: "bad",
              RiskState.DISPOSED: "muted"}
CONVERSION_TONES = {ConversionState.OUTSTANDING: "warn", ConversionState.WAITING_ON_CAP: "bad",
                    ConversionState.WAIVER_REQUESTED: "warn", ConversionState.CONVERTED: "ok",
                    ConversionState.LAPSED: "muted"}


@register.filter
def tone(state, kind="decision"):
    table = {"decision": DECISION_TONES, "tranche": TRANCHE_TONES, "risk": RISK_TONES,
             "conversion": CONVERSION_TONES}.get(kind, DECISION_TONES)
    return table.get(str(state), "muted")


@register.filter
def wan_amount(value):
    """The number of 万元 (ten thousands of yuan), two decimals, without the unit (the template adds it)."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value) / Decimal(10000):,.2f}"
