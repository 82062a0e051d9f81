"""Reads of calls and applications, always permission-filtered by the access policy (``poc.access``):
a list never shows what the detail forbids."""
from django.db.models import Count, Q

from poc.access import can, officer, visible
from poc.selectors import history_of

from .calls import RULE_CHANGE, Call
from .models import Application


def applications_visible_to(user):
    """Applications the user may view: officers all of them; the applicant institution's members theirs;
    and whom the higher apps let in (an assigned expert, the managers of the fund asked to invest)."""
    return visible(user, Application.objects.select_related("call", "institution"))


def application_for(user, pk):
    """One application the user may view, or None (the caller answers 404)."""
    return applications_visible_to(user).filter(pk=pk).first()


def calls_visible_to(user):
    """Officers all calls; anyone signed in the published ones."""
    return visible(user, Call)


def _rule_value(call, name: str, stored: str) -> str:
    """A rule's value from the audit trail, as the call page shows it."""
    from django.utils.translation import gettext as _

    field = Call._meta.get_field(name)
    if stored == "":
        return "—"
    if field.choices:
        return str(dict(field.choices).get(stored, stored))
    if stored in ("true", "false"):
        return _("Yes") if stored == "true" else _("No")
    return stored


def rule_changes(call) -> list[dict]:
    """The audited changes of the call's rules, oldest first: when, who, which rule, from, to."""
    from django.utils.text import capfirst

    from poc.models.audit import TransitionLog

    rows = TransitionLog.objects.for_object(call).filter(transition=RULE_CHANGE).select_related("actor")
    return [{"at": row.created_at, "actor": row.actor, "field": row.comment,
             "label": capfirst(Call._meta.get_field(row.comment).verbose_name),
             "source": _rule_value(call, row.comment, row.source), "target": _rule_value(call, row.comment, row.target)}
            for row in rows]


def inbox_counts(calls=None):
    """Officer inbox: number of applications per call and state."""
    qs = Application.objects.all()
    if calls is not None:
        qs = qs.filter(call__in=calls)
    return qs.values("call_id", "state").annotate(n=Count("id")).order_by()


def search_applications(qs, query: str):
    """Narrow an already permission-filtered queryset by number, title or institution name."""
    query = (query or "").strip()
    if not query:
        return qs
    return qs.filter(Q(number__icontains=query) | Q(title__icontains=query) | Q(institution__name__icontains=query))


def timeline_for(application, viewer):
    """The application's history as the viewer may see it.

    Officers see who did each step. Everyone else sees the names of the applicant's own people on
    applicant-facing steps only; every bureau step is shown as done by "Bureau officer", so the
    names of officers (and of experts) never reach applicants.
    """
    from django.utils.translation import gettext as _

    from poc.roles import ROLE_NAMES
    from poc.rules import describe

    from .models import ApplicationState

    state_labels = dict(ApplicationState.choices)
    officer_view = officer.holds(viewer)
    entries = []
    for log in history_of(application):
        if log.transition == "create":
            label, applicant_facing, custom = _("Created"), True, {}
        else:
            try:
                custom = describe(Application, log.transition)["custom"]
            except LookupError:
                custom = {}
            label, applicant_facing = str(custom.get("label", log.transition)), bool(custom.get("applicant_facing"))
        if log.actor is None:
            actor = _("System")
        elif officer_view or applicant_facing:
            actor = log.actor.get_full_name() or log.actor.username
        else:  # the role that takes the step: the bureau's officers, or the district's science bureau
            actor = str(ROLE_NAMES[custom.get("actor_role", "officer")])
        entries.append({
            "at": log.created_at, "transition": log.transition, "label": label, "actor": actor,
            "source": str(state_labels.get(log.source, log.source)) if log.source else "",
            "target": str(state_labels.get(log.target, log.target)), "comment": log.comment,
        })
    return entries


def excluded_experts_visible_to(user, application):
    """The experts the applicant asked to exclude (回避申请), for the applicant's members and officers only;
    ``None`` for everyone else (an expert must not learn whom the applicant asked to keep away)."""
    if officer.holds(user) or can(user, "change", application):
        return list(application.excluded_experts or [])
    return None


def objections_visible_to(user, application) -> list[dict]:
    """The objections recorded on ``application`` (which the caller may view): every one, accepted or not
    (不予受理, with why). Who objected and how to reach them are for officers only (``None`` for others):
    the bureau keeps the objector's identity confidential, as the public notice promises."""
    identities = officer.holds(user)
    return [{
        "id": o.pk, "received_on": o.received_on, "signed": o.signed, "accepted": o.accepted,
        "objector": o.objector if identities else None, "contact": o.contact if identities else None,
        "content": o.content, "resolution": o.resolution, "resolution_display": str(o.get_resolution_display()),
        "reason": o.resolution_comment,
    } for o in application.objections.all()]


def awaiting_recommendation(user):
    """The submitted applications of the district officer's district that wait for its recommendation (区县推荐),
    oldest first; everyone else: none that they may recommend."""
    from .states import ApplicationState

    return (applications_visible_to(user).filter(state=ApplicationState.SUBMITTED,
                                                 call__requires_district_recommendation=True)
            .order_by("submitted_at", "pk"))


def recommended_by_district(user):
    """The applications of the user's district that its science bureau has given an opinion on, latest first."""
    return (applications_visible_to(user).filter(district_recommendations__isnull=False).distinct()
            .order_by("-submitted_at", "-pk"))
