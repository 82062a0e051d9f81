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
