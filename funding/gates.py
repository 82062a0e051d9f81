"""The funding app's answers to poc's gates: propose/approve of projects, and the transfer records (registered
technology contracts) that fulfil a project's conversion obligation."""
from django.utils.translation import gettext as _


def funding_proposed(application):
    from .models import DecisionState

    decision = getattr(application, "funding_decision", None)
    if decision is None:
        return _("A project can only be proposed with a funding decision proposal, and none exists yet.")
    if decision.state == DecisionState.REJECTED:
        return _("The funding decision was rejected: %(reason)s") % {"reason": decision.rejected_reason or "—"}
    return None


def funding_approved(application):
    from .models import DecisionState

    decision = getattr(application, "funding_decision", None)
    if decision is None:
        return _("A project can only be approved once its funding decision is approved, and none exists yet.")
    if decision.state != DecisionState.APPROVED:
        missing = []
        if decision.has_grant_part and not decision.grant_approved_at:
            missing.append(_("the grant part (bureau)"))
        if decision.has_equity_part and not decision.equity_approved_at:
            missing.append(_("the equity part (fund manager)"))
        return _("The funding decision is “%(state)s”; still to approve: %(parts)s.") % {
            "state": decision.get_state_display(), "parts": "、".join(str(m) for m in missing) or "—"}
    return None


def registered_contracts(project):
    """A registered technology contract (技术合同认定登记) is a transfer record, dated on its registration."""
    from poc.gates import TransferRecord

    from .models import ContractState

    return [TransferRecord(kind=_("Registered technology contract"), reference=c.registration_number,
                           dated_on=c.registered_on)
            for c in project.tech_contracts.filter(state=ContractState.REGISTERED).order_by("registered_on", "id")]
