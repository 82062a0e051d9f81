"""Reads, always permission-filtered: a list can never show what the detail page forbids."""
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from guardian.shortcuts import get_objects_for_user

from .models import Application, Call, Institution, Membership, TransitionLog
from .roles import is_officer


def applications_visible_to(user):
    """Applications the user may view: officers all of them; others by object permission."""
    if not user.is_authenticated:
        return Application.objects.none()
    qs = get_objects_for_user(
        user, "poc.view_application", klass=Application, accept_global_perms=True, with_superuser=True
    )
    return qs.select_related("call", "institution")


def application_for(user, pk):
    """One application the user may view, or None (the caller answers 404)."""
    return applications_visible_to(user).filter(pk=pk).first()


def calls_visible_to(user):
    if is_officer(user):
        return Call.objects.all()
    if not user.is_authenticated:
        return Call.objects.none()
    return Call.objects.published()


def institution_of(user):
    """The institution the user is an active member of, or None."""
    if not user.is_authenticated:
        return None
    membership = (
        Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).select_related("institution").first()
    )
    return membership.institution if membership else None


def institutions_visible_to(user):
    if is_officer(user):
        return Institution.objects.all()
    if not user.is_authenticated:
        return Institution.objects.none()
    return Institution.objects.filter(memberships__user=user, memberships__status=Membership.Status.ACTIVE)


def history_of(obj):
    return (
        TransitionLog.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
        .select_related("actor")
        .order_by("created_at", "id")
    )


def inbox_counts(calls=None):
    """Officer inbox: number of applications per call and state."""
    qs = Application.objects.all()
    if calls is not None:
        qs = qs.filter(call__in=calls)
    return qs.values("call_id", "state").annotate(n=Count("id")).order_by()


def pending_memberships_for(user):
    """Join requests the user may decide: officers all; institution admins their institution's."""
    pending = Membership.objects.filter(status=Membership.Status.PENDING).select_related("user", "institution")
    if is_officer(user):
        return pending
    admin_of = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE, is_admin=True).values(
        "institution_id"
    )
    return pending.filter(Q(institution_id__in=admin_of))


# ------------------------------------------------------------ pages (server-rendered views)

def membership_requests_of(user):
    """The user's own join requests that are not active (pending or declined), newest first."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (Membership.objects.filter(user=user).exclude(status=Membership.Status.ACTIVE)
            .select_related("institution").order_by("-created_at"))


def institutions_matching(query: str, limit: int = 20):
    """Institutions an applicant may ask to join: by part of the name (2+ characters) or the exact credit code.

    Only what a join request needs is public: name, type, district.
    """
    query = (query or "").strip()
    if len(query) < 2:
        return Institution.objects.none()
    code = "".join(query.split()).upper()
    return Institution.objects.filter(Q(name__icontains=query) | Q(credit_code=code)).order_by("name")[:limit]


def members_of(institution):
    """Active members of an institution (the caller has already checked it may see the institution)."""
    return (Membership.objects.filter(institution=institution, status=Membership.Status.ACTIVE)
            .select_related("user").order_by("-is_admin", "user__username"))


def administered_institutions(user):
    """Institutions the user administers (an active membership with the admin flag)."""
    if not user.is_authenticated:
        return Institution.objects.none()
    return Institution.objects.filter(memberships__user=user, memberships__status=Membership.Status.ACTIVE,
                                      memberships__is_admin=True)


def active_centers():
    """Designated centers that can host a project (public facts)."""
    from .models import Center, CenterState

    return Center.objects.filter(state=CenterState.ACTIVE).order_by("name")


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

    from .models import ApplicationState
    from .roles import ROLE_NAMES
    from .rules import describe

    state_labels = dict(ApplicationState.choices)
    officer_view = is_officer(viewer)
    entries = []
    for log in history_of(application):
        if log.transition == "create":
            label, applicant_facing = _("Created"), True
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
        else:
            actor = str(ROLE_NAMES["officer"])
        entries.append({
            "at": log.created_at, "transition": log.transition, "label": label, "actor": actor,
            "source": str(state_labels.get(log.source, log.source)) if log.source else "",
            "target": str(state_labels.get(log.target, log.target)), "comment": log.comment,
        })
    return entries


# ------------------------------------------------------------------------ API

def institution_to_join(user, *, pk=None, credit_code=None):
    """The institution an applicant asks to join, by id or exact credit code, or None.

    Any signed-in user may name an institution to join (its name, type and district are public
    facts, see :func:`institutions_matching`); what it may *see* of it stays
    :func:`institutions_visible_to`.
    """
    if not user.is_authenticated or (pk is None and not credit_code):
        return None
    qs = Institution.objects.all()
    if pk is not None:
        qs = qs.filter(pk=pk)
    if credit_code:
        qs = qs.filter(credit_code="".join(str(credit_code).split()).upper())
    return qs.first()


def disciplines():
    """The taxonomy of disciplines and industries (学科/产业领域): public reference data."""
    from .models import Discipline

    return Discipline.objects.select_related("parent").order_by("code")


def excluded_experts_visible_to(user, application):
    """The experts the applicant asked to exclude (回避申请), for the applicant's members and officers only;
    ``None`` for everyone else (an expert must not learn whom the applicant asked to keep away)."""
    from .application_rules import is_applicant_member

    if is_officer(user) or is_applicant_member(application, user):
        return list(application.excluded_experts or [])
    return None
