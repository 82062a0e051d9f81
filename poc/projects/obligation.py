"""The conversion obligation (转化义务) as acceptance sees it, derived, never ticked by hand.

Fixed at approval (``Project.obligation_due_on``), moved only by an approved change request of the kind
"conversion deadline" (an approved extension). It is met by a transfer record (a registered technology
contract, a converted licence, other landing evidence) dated on or before the deadline (inclusive). poc keeps
none of those records: the apps that do answer through :data:`poc.gates.transfer_records`.

At acceptance an obligation that is unmet and overdue (the deadline passed before the review day) fails the
project automatically; unmet but not yet due (an approved extension runs on) does not.
"""
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from poc.gates import TransferRecord, transfer_records


@dataclass(frozen=True)
class ObligationStatus:
    due_on: date | None
    fixed_due_on: date | None  # as fixed at approval
    on: date
    records: list[TransferRecord] = field(default_factory=list)  # all, in time or not
    in_time: list[TransferRecord] = field(default_factory=list)  # dated on or before the deadline

    @property
    def extended(self) -> bool:
        return self.due_on != self.fixed_due_on

    @property
    def applies(self) -> bool:
        return self.due_on is not None

    @property
    def met(self) -> bool:
        return bool(self.in_time)

    @property
    def overdue(self) -> bool:
        """Unmet and past the deadline (the deadline's own day is still in time)."""
        return self.applies and not self.met and self.on > self.due_on

    @property
    def summary(self) -> str:
        if not self.applies:
            return _("No conversion obligation.")
        if self.met:
            first = self.in_time[0]
            return _("Met: %(kind)s %(ref)s dated %(d)s (due by %(due)s).") % {
                "kind": first.kind, "ref": first.reference, "d": first.dated_on, "due": self.due_on}
        if self.overdue:
            return self.failure
        return _("Not met yet; due by %(due)s.") % {"due": self.due_on}

    @property
    def failure(self) -> str:
        return _("The conversion obligation fell due on %(due)s and no registered technology contract, licence or "
                 "other transfer record is dated by then, without an approved extension.") % {"due": self.due_on}


def obligation_status(project, on: date | None = None) -> ObligationStatus:
    """The project's conversion obligation on ``on`` (default today, the bureau's local date)."""
    due = project.obligation_deadline
    records = transfer_records(project) if due is not None else []
    return ObligationStatus(due_on=due, fixed_due_on=project.obligation_due_on, on=on or timezone.localdate(),
                            records=records, in_time=[r for r in records if r.dated_on <= due])
