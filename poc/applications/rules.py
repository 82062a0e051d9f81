"""Who may run each application transition, and when (DESIGN §2–3).

These rules are referenced by the transitions declared on :class:`poc.models.Application`; that
declaration is the single source of truth. Each rule can say why it fails (see :mod:`poc.rules`).
"""
from datetime import timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from poc import gates
from poc.rules import condition

from .completeness import missing_items
from .states import ApplicationState


def _date(value) -> str:
    return formats.date_format(timezone.localtime(value) if hasattr(value, "tzinfo") and value.tzinfo else value,
                               "Y-m-d")


# ---------------------------------------------------------------- permissions
# Transitions declare their permission with the access policy's relations (poc.access):
# ``officer.refusing(...)`` and ``institution_member.refusing(...)``.


# ----------------------------------------------------------------- conditions

@condition
def call_is_open(application):
    """The call is published and inside its window."""
    call = application.call
    now = timezone.now()
    if not call.published:
        return _("The call “%(call)s” is not published.") % {"call": call.title}
    if now < call.opens_at:
        return _("The call “%(call)s” opens on %(date)s.") % {"call": call.title, "date": _date(call.opens_at)}
    if now > call.closes_at:
        return _("The call “%(call)s” closed on %(date)s.") % {"call": call.title, "date": _date(call.closes_at)}
    return None


@condition
def application_complete(application):
    """Every required field, row, attachment and pledge is present."""
    return missing_items(application)


@condition
def institution_eligible(application):
    """The institution is verified and of a type the call admits."""
    institution, call = application.institution, application.call
    reasons = []
    if not institution.verified:
        reasons.append(_("The institution “%(name)s” has not been verified by the bureau yet.") % {"name": institution.name})
    if institution.type not in call.eligible_institution_types:
        reasons.append(
            _("This call admits %(types)s; “%(name)s” is a %(type)s.")
            % {
                "types": "、".join(call.eligible_type_labels()),
                "name": institution.name,
                "type": institution.get_type_display(),
            }
        )
    return reasons


@condition
def one_application_per_call(application):
    """One application per legal entity per call (a project call may admit more: its quota per institution)."""
    quota = application.call.max_applications_per_institution
    others = list(
        type(application).objects.filter(call=application.call, institution=application.institution)
        .exclude(pk=application.pk)
        .exclude(state__in=ApplicationState.NOT_COUNTED)
        .order_by("number")
        .values_list("number", flat=True)
    )
    if len(others) < quota:
        return None
    if quota == 1:
        return _("“%(name)s” already has an application in this call (No. %(number)s); one application per "
                 "institution per call.") % {"name": application.institution.name, "number": others[0]}
    return _("“%(name)s” already has %(n)s applications in this call (No. %(numbers)s); the call admits %(quota)s "
             "per institution.") % {"name": application.institution.name, "n": len(others),
                                    "numbers": ", ".join(others), "quota": quota}


@condition
def one_center_application_per_round(application):
    """One center application per legal entity per round (DOMAIN §1), across the round's calls."""
    from .calls import CENTER_KINDS

    if application.kind not in CENTER_KINDS:
        return None
    other = (
        type(application).objects.filter(institution=application.institution, kind=application.kind,
                                          call__round=application.call.round)
        .exclude(call=application.call)
        .exclude(pk=application.pk)
        .exclude(state__in=ApplicationState.NOT_COUNTED)
        .first()
    )
    if other:
        return _("“%(name)s” already applied for %(kind)s status in round %(round)s (No. %(number)s); one "
                 "application per institution per round.") % {
            "name": application.institution.name, "kind": other.get_kind_display(),
            "round": application.call.round, "number": other.number}
    return None


@condition
def not_both_center_types(application):
    """An entity may not apply for both center types in the same round."""
    from .calls import CENTER_KINDS

    if application.kind not in CENTER_KINDS:
        return None
    other_kind = [k for k in CENTER_KINDS if k != application.kind][0]
    clash = (
        type(application).objects.filter(
            institution=application.institution, kind=other_kind, call__round=application.call.round
        )
        .exclude(state__in=ApplicationState.NOT_COUNTED)
        .first()
    )
    if clash:
        return _("“%(name)s” already applied for %(kind)s status in round %(round)s (No. %(number)s); an "
                 "institution may not apply for both center types in one round.") % {
            "name": application.institution.name,
            "kind": clash.get_kind_display(),
            "round": application.call.round,
            "number": clash.number,
        }
    return None


@condition
def call_asks_for_district_recommendation(application):
    """Only a call that asks for it has a district recommendation (区县推荐)."""
    if not application.call.requires_district_recommendation:
        return _("The call “%(call)s” does not ask for a district recommendation.") % {"call": application.call.title}
    return None


@condition
def district_recommendation_given(application):
    """Where the call asks for it, the formal check follows the district's recommendation (a submitted application
    waits for it; a recommended one has it)."""
    if application.state == ApplicationState.SUBMITTED and application.call.requires_district_recommendation:
        return _("The call asks for a district recommendation: the formal check follows the recommendation of the "
                 "science bureau of %(district)s, which has not given it yet.") % {
            "district": application.institution.district}
    return None


@condition
def revision_window_open(application):
    """A returned application can be resubmitted until its revision deadline (inclusive)."""
    if application.revision_due and timezone.localdate() > application.revision_due:
        return _("The deadline for revising this application was %(date)s.") % {"date": _date(application.revision_due)}
    return None


@condition
def reviews_complete(application):
    """Every active assignment has a submitted review, and at least the call's minimum (review app)."""
    return gates.reviews_complete(application)


@condition
def site_visit_recorded(application):
    """A call that requires a site visit refuses to propose a center before one is recorded."""
    if application.is_center and application.call.site_visit_required and not application.site_visits.exists():
        return _("This call requires a site visit before the proposal; none has been recorded.")
    return None


@condition
def funding_decision_proposed(application):
    """A project is proposed with a funding decision proposal (funding app)."""
    if application.is_project:
        return gates.funding_proposed(application)
    return None


@condition
def funding_decision_approved(application):
    """A project is approved only with its funding decision approved (funding app)."""
    if application.is_project:
        return gates.funding_approved(application)
    return None


@condition
def is_center_application(application):
    if not application.is_center:
        return _("Only PoC-center and pilot-base applications can be placed in the cultivation pool.")
    return None


@condition
def notice_period_over(application):
    """The public notice has run its days (its last day inclusive)."""
    end = application.notice_ends_on
    if end is None:
        return _("The public notice has no end date.")
    if timezone.localdate() <= end:
        return _("The public notice runs until %(end)s (inclusive); approval is possible from %(next)s.") % {
            "end": _date(end),
            "next": _date(end + timedelta(days=1)),
        }
    return None


@condition
def notice_end_known(application):
    """The notice starting today has an end date: its working days reach no year whose holidays nobody knows."""
    from .holidays import UnknownCalendarYear

    try:
        application.call.notice_end(timezone.localdate())
    except UnknownCalendarYear as unknown:
        return unknown.messages
    return None
