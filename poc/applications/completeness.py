"""What an application still lacks before it can be submitted.

The same list drives the editor's checklist and the ``submit``/``resubmit`` conditions, so the
page can never promise what the workflow then refuses. Each item is a :class:`Missing` text that also names
the editor section where it is filled in, so the checklist can link to it.
"""
from decimal import Decimal

from django.utils.translation import gettext as _


class Missing(str):
    """A missing item's text (compares and prints as the text), with the editor section that fixes it."""

    section: str

    def __new__(cls, text, section: str):
        item = super().__new__(cls, text)
        item.section = section
        return item


def _money(value) -> str:
    return f"{value:,.2f}"


def missing_items(application) -> list[Missing]:
    missing: list[str] = []
    if not (application.title or "").strip():
        missing.append(Missing(_("Title is missing."), "basics"))
    if not (application.summary or "").strip():
        missing.append(Missing(_("Summary is missing."), "basics"))
    if not application.disciplines.exists():
        missing.append(Missing(_("Choose at least one discipline (used to find the right experts)."), "review"))
    if application.is_center:
        missing.extend(_center_missing(application))
    else:
        missing.extend(_project_missing(application))

    present = set(application.attachments.values_list("attachment_type", flat=True))
    labels = dict(application.call.required_attachment_labels_by_type())
    for code in application.call.required_attachment_types:
        if code not in present:
            missing.append(Missing(_("Attachment missing: %(type)s.") % {"type": labels.get(code, code)}, "attachments"))

    if not application.integrity_pledged_at:
        missing.append(Missing(_("The research-integrity pledge has not been confirmed."), "pledges"))
    if not application.ip_pledged_at:
        missing.append(Missing(_("The IP-compliance statement has not been confirmed."), "pledges"))
    return missing


def _center_missing(application) -> list[Missing]:
    details = getattr(application, "center_details", None)
    if details is None:
        return [Missing(_("Center details are missing."), "details")]
    missing = []
    if not details.site_area_m2:
        missing.append(Missing(_("Site area is missing."), "details"))
    if details.equipment_value is None:
        missing.append(Missing(_("Equipment value is missing."), "details"))
    if not details.service_team_size:
        missing.append(Missing(_("Service team size is missing."), "details"))
    if not details.services:
        missing.append(Missing(_("Choose at least one service offered."), "details"))
    if details.audited_spend_last_year is None or details.audited_spend_year_before is None:
        missing.append(Missing(_("Audited PoC/pilot service spend of both of the last two years is required."), "details"))
    if not (details.advisory_panel or "").strip():
        missing.append(Missing(_("Advisory panel (academia, industry, investment) is missing."), "details"))
    if details.pipeline_size is None:
        missing.append(Missing(_("Project pipeline size is missing."), "details"))
    return missing


def _project_missing(application) -> list[Missing]:
    details = getattr(application, "project_details", None)
    if details is None:
        return [Missing(_("Project details are missing."), "details")]
    missing = []
    if details.trl_now is None or details.trl_target is None:
        missing.append(Missing(_("Current and target TRL are required."), "details"))
    elif details.trl_target <= details.trl_now:
        missing.append(Missing(_("Target TRL must be above the current TRL."), "details"))
    if not details.duration_months:
        missing.append(Missing(_("Duration is missing."), "details"))
    over = application.call.grant_over_ceiling(details.requested_grant, _("The requested grant"))
    if over:
        missing.append(Missing(over, "details"))
    if not (details.market_analysis or "").strip():
        missing.append(Missing(_("Market analysis is missing."), "details"))
    if not application.ip_items.exists():
        missing.append(Missing(_("List at least one IP item (priority to invention patents)."), "ip_items"))
    team = list(application.team_members.all())
    if not team:
        missing.append(Missing(_("List the team."), "team_members"))
    elif not any(m.is_lead for m in team):
        missing.append(Missing(_("Mark the project lead in the team."), "team_members"))
    lines = list(application.budget_lines.all())
    if not lines:
        missing.append(Missing(_("Add the budget lines."), "budget_lines"))
    else:
        missing.extend(_budget_sources_not_matching(lines, details))
    milestones = list(application.milestones.all())
    if not milestones:
        missing.append(Missing(_("Add at least one milestone with its deliverables and date."), "milestones"))
    elif details.duration_months:
        late = [m for m in milestones if m.month > details.duration_months]
        for m in late:
            missing.append(Missing(
                _("Milestone “%(title)s” is in month %(month)s, beyond the %(duration)s-month duration.")
                % {"title": m.title, "month": m.month, "duration": details.duration_months},
                "milestones"))
    return missing


def _budget_sources_not_matching(lines, details) -> list:
    """Each source's budget lines (page "Budget") must add up to what the details (page "Project details")
    request from it: the grant lines to the requested grant, and so on; a matching total is not enough."""
    from .details import BudgetLine

    texts = {
        BudgetLine.Source.GRANT: (details.requested_grant, _(
            "The budget lines paid by the grant add up to ¥%(lines)s, but the requested grant under Project "
            "details is ¥%(declared)s; the two must be equal.")),
        BudgetLine.Source.INVESTMENT: (details.requested_investment, _(
            "The budget lines paid by the investment add up to ¥%(lines)s, but the requested investment under "
            "Project details is ¥%(declared)s; the two must be equal.")),
        BudgetLine.Source.SELF: (details.self_funded, _(
            "The self-funded budget lines add up to ¥%(lines)s, but the self-funded amount under Project details "
            "is ¥%(declared)s; the two must be equal.")),
    }
    out = []
    for source, (declared, text) in texts.items():
        total = sum((line.amount for line in lines if line.source == source), Decimal("0"))
        if total != declared:
            out.append(Missing(text % {"lines": _money(total), "declared": _money(declared)}, "budget_lines"))
    return out
