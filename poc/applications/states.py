"""The states of an application, and the named sets of them the rules, pages and reminders share.

Compare states with these (``ApplicationState.EDITABLE``), never with a string literal.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RECOMMENDED = "recommended", _("Recommended by the district")
    RETURNED = "returned", _("Returned for revision")
    UNDER_REVIEW = "under_review", _("Under expert review")
    REVIEWED = "reviewed", _("Reviewed")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    OBJECTION = "objection", _("Objection under examination")
    APPROVED = "approved", _("Approved")
    CULTIVATION = "cultivation", _("Cultivation pool")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = ApplicationState
# The applicant may still edit the application.
S.EDITABLE = (S.DRAFT, S.RETURNED)
# Reached expert review: under review or a later step of the procedure (a rejection may come before review).
S.REVIEW_OR_BEYOND = (S.UNDER_REVIEW, S.REVIEWED, S.PUBLIC_NOTICE, S.OBJECTION, S.APPROVED, S.CULTIVATION)
# The procedure is over.
S.FINAL = (S.APPROVED, S.CULTIVATION, S.REJECTED, S.WITHDRAWN)
# Waiting for the bureau's formal check (形式审查): submitted, or recommended by the district where the call asks.
S.AWAITING_FORMAL_CHECK = (S.SUBMITTED, S.RECOMMENDED)
# Not counted against the one-application-per-call (per-round) limits: never submitted, or given up.
S.NOT_COUNTED = (S.DRAFT, S.WITHDRAWN, S.REJECTED)
