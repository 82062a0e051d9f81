"""The states of a funded project, with the named sets of them the services, pages and reminders share.

Compare states with these (``ProjectState.EXECUTING``), never with a string literal.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectState(models.TextChoices):
    CONTRACTING = "contracting", _("Contracting")
    IN_PROGRESS = "in_progress", _("In progress")
    ACCEPTANCE = "acceptance", _("Acceptance")
    RECTIFYING = "rectifying", _("Rectifying")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")
    TERMINATED = "terminated", _("Terminated")


P = ProjectState
# Not finished: the project may still be terminated, and its obligations are watched.
P.ACTIVE = (P.CONTRACTING, P.IN_PROGRESS, P.ACCEPTANCE, P.RECTIFYING)
# Work under way: milestones are reported.
P.EXECUTING = (P.IN_PROGRESS, P.RECTIFYING)
# A change (deadline, target) may be requested.
P.CHANGEABLE = (P.CONTRACTING, P.IN_PROGRESS, P.RECTIFYING)
# An acceptance is being held or repeated.
P.UNDER_ACCEPTANCE = (P.ACCEPTANCE, P.RECTIFYING)
del P


class ChangeState(models.TextChoices):
    """The states of a change request."""

    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# Not (or not yet) approved: a target change in one of these makes an acceptance "unapproved change".
ChangeState.UNAPPROVED = (ChangeState.PENDING, ChangeState.REJECTED)
