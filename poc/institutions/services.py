"""Use cases of accounts and institutions: registering, joining an institution, verifying it.

Each write runs in a transaction and raises a :class:`poc.errors.DomainError` a user can read.
"""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poc.access import can, require
from poc.errors import BadInput, NotAllowed, NotNow, validate
from poc.roles import APPLICANT

from .models import Institution, Membership
from .selectors import institution_of

User = get_user_model()


# ------------------------------------------------------------------ accounts

@transaction.atomic
def register_applicant(*, email: str, password: str, name: str = "") -> "User":
    email = (email or "").strip().lower()
    if not email:
        raise BadInput(_("An email address is required."), field_errors={"email": [_("Required.")]})
    if User.objects.filter(username__iexact=email).exists() or User.objects.filter(email__iexact=email).exists():
        raise BadInput(_("An account with this email address already exists."),
                       field_errors={"email": [_("Already registered.")]})
    from django.contrib.auth.password_validation import validate_password

    user = User(username=email, email=email, first_name=name[:150])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise BadInput(*exc.messages, field_errors={"password": exc.messages}) from None
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=APPLICANT))
    return user


# What an applicant may set on their institution; verification and its group are the bureau's and the system's.
INSTITUTION_FIELDS = ("name", "credit_code", "type", "district", "address", "contact_name", "contact_phone",
                      "contact_email", "founded_on", "registered_capital", "paid_in_capital")


def _only_institution_fields(fields) -> None:
    unknown = set(fields) - set(INSTITUTION_FIELDS)
    if unknown:
        raise BadInput(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))},
                       field_errors={k: [_("Cannot be set here.")] for k in sorted(unknown)})


@transaction.atomic
def register_institution(user, **fields) -> Institution:
    """An applicant registers their institution and becomes its first member and administrator."""
    _only_institution_fields(fields)
    require(user, "register", Institution)
    if institution_of(user) is not None:
        raise NotNow(_("You already belong to an institution."))
    code = (fields.get("credit_code") or "").strip()
    if Institution.objects.filter(credit_code=code).exists():
        raise BadInput(_("An institution with this unified social credit code is already registered; ask to join it."),
                       field_errors={"credit_code": [_("Already registered.")]})
    institution = Institution(**fields)
    institution.credit_code = code
    validate(institution, exclude=["group"])
    institution.group = Group.objects.create(name=Institution.group_name_for(code))
    institution.save()
    Membership.objects.create(user=user, institution=institution, status=Membership.Status.ACTIVE, is_admin=True,
                              decided_at=timezone.now())
    user.groups.add(institution.group)
    return institution


@transaction.atomic
def request_membership(user, institution: Institution) -> Membership:
    require(user, "join", institution)
    if institution_of(user) is not None:
        raise NotNow(_("You already belong to an institution."))
    membership, created = Membership.objects.get_or_create(user=user, institution=institution)
    if not created and membership.status == Membership.Status.PENDING:
        raise NotNow(_("Your request to join “%(name)s” is already waiting for a decision.") % {"name": institution.name})
    if not created:
        membership.status = Membership.Status.PENDING
        membership.decided_at = None
        membership.decided_by = None
        membership.save()
    return membership


@transaction.atomic
def decide_membership(user, membership: Membership, *, accept: bool) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not can(user, "decide", membership):
        raise NotAllowed(_("Only an administrator of “%(name)s” or a bureau officer can decide this request.")
                         % {"name": membership.institution.name})
    if membership.status != Membership.Status.PENDING:
        raise NotNow(_("This request has already been decided."))
    if accept and Membership.objects.filter(user=membership.user, status=Membership.Status.ACTIVE).exists():
        raise NotNow(_("This user already belongs to another institution."))
    membership.status = Membership.Status.ACTIVE if accept else Membership.Status.DECLINED
    membership.decided_at = timezone.now()
    membership.decided_by = user
    membership.save()
    if accept:
        membership.user.groups.add(membership.institution.group)
    return membership


@transaction.atomic
def verify_institution(user, institution: Institution) -> Institution:
    require(user, "verify", institution)
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if institution.verified:
        raise NotNow(_("“%(name)s” is already verified.") % {"name": institution.name})
    institution.verified = True
    institution.verified_at = timezone.now()
    institution.verified_by = user
    institution.save(update_fields=["verified", "verified_at", "verified_by"])
    return institution


@transaction.atomic
def update_institution(user, institution: Institution, **fields) -> Institution:
    require(user, "edit", institution)
    _only_institution_fields(fields)
    if "credit_code" in fields and fields["credit_code"] != institution.credit_code:
        raise BadInput(_("The unified social credit code cannot be changed; register the new legal entity instead."),
                       field_errors={"credit_code": [_("Cannot be changed.")]})
    for key, value in fields.items():
        setattr(institution, key, value)
    validate(institution, exclude=["group"])
    institution.save()
    return institution


# ------------------------------------------------------------------ districts (区县科技局)

@transaction.atomic
def register_district(name: str, *, code: str = "", bureau: str = ""):
    """A district of the city and its science bureau, with the group its officers join (administrators'
    set-up, also used by the demo). Registering it again updates its code and bureau."""
    from .models import District

    name = (name or "").strip()
    if not name:
        raise BadInput(_("A district needs a name."), field_errors={"name": [_("Required.")]})
    district = District.objects.filter(name=name).first()
    if district is None:
        group, _created = Group.objects.get_or_create(name=District.group_name_for(name))
        district = District(name=name, group=group)
    district.code, district.bureau = code, bureau
    validate(district)
    district.save()
    return district


@transaction.atomic
def add_district_officer(district, user) -> None:
    """``user`` serves the science bureau of ``district``: the district-officer role and the district's group."""
    from poc.access.relations import forget_roles
    from poc.roles import DISTRICT_OFFICER

    user.groups.add(Group.objects.get(name=DISTRICT_OFFICER), district.group)
    forget_roles(user)
