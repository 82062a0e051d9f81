"""Words a page shows about an application: the next step for its applicant."""
from django.utils import formats
from django.utils.translation import gettext as _


def _date(value) -> str:
    return formats.date_format(value, "Y-m-d") if value else ""


def next_step(application) -> str:
    """What happens next, from the applicant's side."""
    state = application.state
    if state == "draft":
        return _("Complete the application and submit it before the call closes.")
    if state == "returned":
        if application.revision_due:
            return _("Revise the application and resubmit it by %(date)s.") % {"date": _date(application.revision_due)}
        return _("Revise the application and resubmit it.")
    if state == "submitted":
        return _("Waiting for the bureau's formal check.")
    if state == "under_review":
        return _("Expert review in progress.")
    if state == "reviewed":
        return _("Waiting for the bureau's decision.")
    if state == "public_notice":
        return _("Public notice until %(date)s.") % {"date": _date(application.notice_ends_on)}
    if state == "objection":
        return _("An objection received during the public notice is being examined.")
    if state == "approved":
        return _("Approved.")
    if state == "cultivation":
        return _("Placed in the cultivation pool.")
    if state == "rejected":
        return _("Not approved.")
    if state == "withdrawn":
        return _("Withdrawn.")
    return ""
