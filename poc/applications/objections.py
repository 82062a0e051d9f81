"""公示异议: which objections the bureau accepts (受理), as the public notice itself announces them.

The notice says: an objection is made in writing under a real name (实名) with a way to reach its author, and
by the notice's last day (异议截止日期, inclusive); anonymous ones and late ones are not accepted (不予受理).
Every objection received is recorded; only an accepted one puts the application under examination
(``objection``). One that is not accepted is kept with its reasons and changes nothing else.
"""
from django.utils import formats
from django.utils.translation import gettext as _


def _date(value) -> str:
    return formats.date_format(value, "Y-m-d")


def not_accepted_reasons(application, *, signed: bool, contact: str, received_on) -> list[str]:
    """Why an objection received on ``received_on`` is not accepted (不予受理); empty when it is accepted."""
    reasons = []
    if not signed:
        reasons.append(_("it is anonymous: not signed with the objector's real name"))
    elif not (contact or "").strip():
        reasons.append(_("it gives no contact (phone or address) of the objector"))
    start, end = application.notice_starts_on, application.notice_ends_on
    if end is not None and received_on > end:
        reasons.append(_("it was received on %(received)s, after the notice ended on %(end)s") % {
            "received": _date(received_on), "end": _date(end)})
    elif start is not None and received_on < start:
        reasons.append(_("it was received on %(received)s, before the notice began on %(start)s") % {
            "received": _date(received_on), "start": _date(start)})
    return reasons


def outcome_message(objection) -> str:
    """What an officer reads after recording ``objection``."""
    if objection.accepted:
        return _("The objection is accepted: the application is now under examination.")
    return _("The objection is recorded as not accepted (不予受理) because %(reasons)s. The application's state "
             "is unchanged.") % {"reasons": objection.resolution_comment}
