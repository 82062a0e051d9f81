"""Words a page shows about an application: the next step for its applicant."""
from django.utils import formats
from django.utils.translation import gettext as _

from poc.applications.states import ApplicationState as S


def _date(value) -> str:
    return formats.date_format(value, "Y-m-d") if value else ""


def next_step(application) -> str:
    """What happens next, from the applicant's side."""
    state = application.state
    if state == S.DRAFT:
        return _("Complete the application and submit it before the call closes.")
    if state == S.RETURNED:
        if application.revision_due:
            return _("Revise the application and resubmit it by %(date)s.") % {"date": _date(application.revision_due)}
        return _("Revise the application and resubmit it.")
    if state == S.SUBMITTED:
        if application.call.requires_district_recommendation:
            return _("Waiting for the recommendation of the science bureau of %(district)s.") % {
                "district": application.institution.district}
        return _("Waiting for the bureau's formal check.")
    if state == S.RECOMMENDED:
        return _("Recommended by the district; waiting for the bureau's formal check.")
    if state == S.UNDER_REVIEW:
        return _("Expert review in progress.")
    if state == S.REVIEWED:
        return _("Waiting for the bureau's decision.")
    if state == S.PUBLIC_NOTICE:
        return _("Public notice until %(date)s.") % {"date": _date(application.notice_ends_on)}
    if state == S.OBJECTION:
        return _("An objection received during the public notice is being examined.")
    if state == S.APPROVED:
        return _("Approved.")
    if state == S.CULTIVATION:
        return _("Placed in the cultivation pool.")
    if state == S.REJECTED:
        return _("Not approved.")
    if state == S.WITHDRAWN:
        return _("Withdrawn.")
    return ""
