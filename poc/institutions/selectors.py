"""Reads of institutions and memberships, permission-filtered, and the institution-ownership filter
every aggregate after approval shares (officers see all; an applicant its own institution's; others nothing)."""
from django.db.models import Q

from poc.roles import APPLICANT, has_role, is_officer

from .models import Institution, Membership


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


def pending_memberships_for(user):
    """Join requests the user may decide: officers all; institution admins their institution's."""
    pending = Membership.objects.filter(status=Membership.Status.PENDING).select_related("user", "institution")
    if is_officer(user):
        return pending
    admin_of = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE, is_admin=True).values(
        "institution_id"
    )
    return pending.filter(Q(institution_id__in=admin_of))


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


def own_institutions(user):
    """The institutions whose members the user is (as an applicant), or None for officers (all)."""
    if is_officer(user):
        return None
    if not (user and user.is_authenticated and has_role(user, APPLICANT)):
        return Institution.objects.none()
    return Institution.objects.filter(group__user=user)


def visible_through_institution(qs, user, path: str):
    """Narrow ``qs`` to rows whose institution (at ``path``) the user may see."""
    own = own_institutions(user)
    if own is None:
        return qs
    return qs.filter(**{f"{path}__in": own.values("pk")})
