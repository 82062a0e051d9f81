"""Reads of institutions and memberships, permission-filtered by the access policy (poc.access.policies)."""
from django.db.models import Q

from poc.access import visible

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
    """Officers all institutions; an applicant the institution whose member it is."""
    return visible(user, Institution)


def pending_memberships_for(user):
    """Join requests the user may decide: officers all; institution admins their institution's."""
    pending = Membership.objects.filter(status=Membership.Status.PENDING).select_related("user", "institution")
    return visible(user, pending, "decide")


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
