"""What an application still lacks before it can be submitted.

The same list drives the editor's checklist and the ``submit``/``resubmit`` conditions, so the
page can never promise what the workflow then refuses.
"""
from decimal import Decimal

from django.utils.translation import gettext as _


def _money(value) -> str:
    return f"{value:,.2f}"


def missing_items(application) -> list[str]:
    missing: list[str] = []
    if not (application.title or "").strip():
        missing.append(_("Title is missing."))
    if not (application.summary or "").strip():
        missing.append(_("Summary is missing."))
    if not application.disciplines.exists():
        missing.append(_("Choose at least one discipline (used to find the right experts)."))
    if application.is_center:
        missing.extend(_center_missing(application))
    else:
        missing.extend(_project_missing(application))

    present = set(application.attachments.values_list("attachment_type", flat=True))
    labels = dict(application.call.required_attachment_labels_by_type())
    for code in application.call.required_attachment_types:
        if code not in present:
            missing.append(_("Attachment missing: %(type)s.") % {"type": labels.get(code, code)})

    if not application.integrity_pledged_at:
        missing.append(_("The research-integrity pledge has not been confirmed."))
    if not application.ip_pledged_at:
        missing.append(_("The IP-compliance statement has not been confirmed."))
    return missing


def _center_missing(application) -> list[str]:
    details = getattr(application, "center_details", None)
    if details is None:
        return [_("Center details are missing.")]
    missing = []
    if not details.site_area_m2:
        missing.append(_("Site area is missing."))
    if details.equipment_value is None:
        missing.append(_("Equipment value is missing."))
    if not details.service_team_size:
        missing.append(_("Service team size is missing."))
    if not details.services:
        missing.append(_("Choose at least one service offered."))
    if details.audited_spend_last_year is None or details.audited_spend_year_before is None:
        missing.append(_("Audited PoC/pilot service spend of both of the last two years is required."))
    if not (details.advisory_panel or "").strip():
        missing.append(_("Advisory panel (academia, industry, investment) is missing."))
    if details.pipeline_size is None:
        missing.append(_("Project pipeline size is missing."))
    return missing


def _project_missing(application) -> list[str]:
    details = getattr(application, "project_details", None)
    if details is None:
        return [_("Project details are missing.")]
    missing = []
    if details.trl_now is None or details.trl_target is None:
        missing.append(_("Current and target TRL are required."))
    elif details.trl_target <= details.trl_now:
        missing.append(_("Target TRL must be above the current TRL."))
    if not details.duration_months:
        missing.append(_("Duration is missing."))
    if not (details.market_analysis or "").strip():
        missing.append(_("Market analysis is missing."))
    if not application.ip_items.exists():
        missing.append(_("List at least one IP item (priority to invention patents)."))
    team = list(application.team_members.all())
    if not team:
        missing.append(_("List the team."))
    elif not any(m.is_lead for m in team):
        missing.append(_("Mark the project lead in the team."))
    lines = list(application.budget_lines.all())
    if not lines:
        missing.append(_("Add the budget lines."))
    else:
        total = sum((line.amount for line in lines), Decimal("0"))
        declared = details.total_budget
        if total != declared:
            missing.append(
                _("Budget lines add up to ¥%(lines)s, but requested grant + requested investment + self-funded "
                  "amount is ¥%(declared)s.") % {"lines": _money(total), "declared": _money(declared)}
            )
    milestones = list(application.milestones.all())
    if not milestones:
        missing.append(_("Add at least one milestone with its deliverables and date."))
    elif details.duration_months:
        late = [m for m in milestones if m.month > details.duration_months]
        for m in late:
            missing.append(
                _("Milestone “%(title)s” is in month %(month)s, beyond the %(duration)s-month duration.")
                % {"title": m.title, "month": m.month, "duration": details.duration_months}
            )
    return missing
