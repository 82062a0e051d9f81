"""Every write a user causes in poc: one function per use case, each in a transaction.

Views and API endpoints are thin: they parse input, call one of these and render the result.
Workflow transitions go through :func:`poc.workflow.run_transition`.
"""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions, roles
from .application_rules import is_applicant_member
from .attachment_checks import check_upload
from .errors import BadInput, NotAllowed, NotNow
from .models import (
    Application,
    Attachment,
    BudgetLine,
    Call,
    CenterDetails,
    Institution,
    IPItem,
    Membership,
    PlannedMilestone,
    ProjectDetails,
    SiteVisit,
    TeamMember,
)
from .selectors import institution_of
from .workflow import record_creation, run_transition

User = get_user_model()


def _validate(instance, exclude=None):
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise BadInput(*[m for msgs in exc.message_dict.values() for m in msgs],
                       field_errors=exc.message_dict) from None


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
    user.groups.add(Group.objects.get(name=roles.APPLICANT))
    return user


# What an applicant may set on their institution; verification and its group are the bureau's and the system's.
INSTITUTION_FIELDS = ("name", "credit_code", "type", "district", "address", "contact_name", "contact_phone",
                      "contact_email")


def _only_institution_fields(fields) -> None:
    unknown = set(fields) - set(INSTITUTION_FIELDS)
    if unknown:
        raise BadInput(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))},
                       field_errors={k: [_("Cannot be set here.")] for k in sorted(unknown)})


@transaction.atomic
def register_institution(user, **fields) -> Institution:
    """An applicant registers their institution and becomes its first member and administrator."""
    _only_institution_fields(fields)
    if not roles.has_role(user, roles.APPLICANT):
        raise NotAllowed(_("Only applicants can register an institution."))
    if institution_of(user) is not None:
        raise NotNow(_("You already belong to an institution."))
    code = (fields.get("credit_code") or "").strip()
    if Institution.objects.filter(credit_code=code).exists():
        raise BadInput(_("An institution with this unified social credit code is already registered; ask to join it."),
                       field_errors={"credit_code": [_("Already registered.")]})
    institution = Institution(**fields)
    institution.credit_code = code
    _validate(institution, exclude=["group"])
    institution.group = Group.objects.create(name=Institution.group_name_for(code))
    institution.save()
    Membership.objects.create(user=user, institution=institution, status=Membership.Status.ACTIVE, is_admin=True,
                              decided_at=timezone.now())
    user.groups.add(institution.group)
    return institution


@transaction.atomic
def request_membership(user, institution: Institution) -> Membership:
    if not roles.has_role(user, roles.APPLICANT):
        raise NotAllowed(_("Only applicants can join an institution."))
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


def _may_decide_membership(user, membership) -> bool:
    if roles.is_officer(user):
        return True
    return Membership.objects.filter(user=user, institution=membership.institution, status=Membership.Status.ACTIVE,
                                     is_admin=True).exists()


@transaction.atomic
def decide_membership(user, membership: Membership, *, accept: bool) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not _may_decide_membership(user, membership):
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
    if not roles.is_officer(user):
        raise NotAllowed(_("Only bureau officers can verify an institution."))
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
    member_admin = Membership.objects.filter(user=user, institution=institution, status=Membership.Status.ACTIVE,
                                             is_admin=True).exists()
    if not (member_admin or roles.is_officer(user)):
        raise NotAllowed(_("Only an administrator of the institution or a bureau officer can edit it."))
    _only_institution_fields(fields)
    if "credit_code" in fields and fields["credit_code"] != institution.credit_code:
        raise BadInput(_("The unified social credit code cannot be changed; register the new legal entity instead."),
                       field_errors={"credit_code": [_("Cannot be changed.")]})
    for key, value in fields.items():
        setattr(institution, key, value)
    _validate(institution, exclude=["group"])
    institution.save()
    return institution


# --------------------------------------------------------------------- calls

def _require_officer(user, message):
    if not roles.is_officer(user):
        raise NotAllowed(message)


@transaction.atomic
def save_call(user, call: Call | None = None, **fields) -> Call:
    _require_officer(user, _("Only bureau officers can create or edit calls."))
    if call is None:
        call = Call(created_by=user)
    elif "kind" in fields and fields["kind"] != call.kind and call.applications.exists():
        raise NotNow(_("The kind of a call cannot change once applications exist."))
    for key, value in fields.items():
        setattr(call, key, value)
    _validate(call)
    call.save()
    return call


@transaction.atomic
def publish_call(user, call: Call, published: bool = True) -> Call:
    _require_officer(user, _("Only bureau officers can publish calls."))
    call.published = published
    call.save(update_fields=["published"])
    return call


# -------------------------------------------------------------- applications

KIND_CODES = {"poc_center": "PC", "pilot_base": "PB", "poc_project": "PP", "pilot_project": "PM"}


def _next_application_number(call: Call) -> str:
    prefix = f"{timezone.localdate().year}-{KIND_CODES[call.kind]}-"
    last = (Application.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def start_application(user, call: Call, title: str) -> Application:
    """An applicant starts a draft application to a published, open call for their institution."""
    if not roles.has_role(user, roles.APPLICANT):
        raise NotAllowed(_("Only applicants can start an application."))
    institution = institution_of(user)
    if institution is None:
        raise NotNow(_("Register your institution, or join one, before applying."))
    if not call.is_open():
        raise NotNow(_("The call “%(call)s” is not open for applications.") % {"call": call.title})
    title = (title or "").strip()
    if not title:
        raise BadInput(_("A title is required."), field_errors={"title": [_("Required.")]})
    if len(title) > 200:
        raise BadInput(_("The title is too long (at most 200 characters)."), field_errors={"title": [_("Too long.")]})
    for _attempt in range(5):
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    call=call, institution=institution, kind=call.kind, title=title, created_by=user,
                    number=_next_application_number(call),
                )
                if application.is_center:
                    CenterDetails.objects.create(application=application)
                else:
                    ProjectDetails.objects.create(application=application)
                permissions.grant_institution_access(application)
                record_creation(application, user)
                return application
        except IntegrityError:
            continue  # a concurrent start took the number; take the next one
    raise NotNow(_("Could not number the application; please try again."))


def assert_editable(application: Application, user) -> None:
    """Only members of the applicant institution, and only in draft or returned."""
    if not is_applicant_member(application, user):
        raise NotAllowed(_("Only members of the applicant institution can edit this application."))
    if not application.is_editable:
        raise NotNow(_("The application can no longer be edited: it is “%(state)s”.")
                     % {"state": application.get_state_display()})


APPLICATION_FIELDS = ("title", "summary", "keywords")
CENTER_FIELDS = ("site_area_m2", "equipment_value", "service_team_size", "services", "audited_spend_last_year",
                 "audited_spend_year_before", "advisory_panel", "pipeline_size")
PROJECT_FIELDS = ("trl_now", "trl_target", "duration_months", "requested_grant", "requested_investment",
                  "self_funded", "market_analysis", "hosting_center")


@transaction.atomic
def update_application(user, application: Application, **fields) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    assert_editable(application, user)
    details = application.details
    detail_fields = CENTER_FIELDS if application.is_center else PROJECT_FIELDS
    unknown = set(fields) - set(APPLICATION_FIELDS) - set(detail_fields)
    if unknown:
        raise BadInput(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for key, value in fields.items():
        setattr(details if key in detail_fields else application, key, value)
    if application.is_center and "services" in fields:
        from .models import ServiceOffered

        bad = [s for s in fields["services"] or [] if s not in ServiceOffered.values]
        if bad:
            raise BadInput(_("Unknown services: %(s)s") % {"s": ", ".join(map(str, bad))},
                           field_errors={"services": [_("Unknown value.")]})
    if not application.is_center:
        if (details.trl_now and details.trl_target and details.trl_target <= details.trl_now):
            raise BadInput(_("Target TRL must be above the current TRL."),
                           field_errors={"trl_target": [_("Must be above the current TRL.")]})
        if details.hosting_center_id and details.hosting_center.state != "active":
            raise BadInput(_("The hosting center must be an active designated center."),
                           field_errors={"hosting_center": [_("Not active.")]})
    # ``state`` is excluded: full_clean would re-assign the protected FSM field.
    _validate(application, exclude=["state", "created_by", "integrity_pledged_by", "ip_pledged_by"])
    _validate(details, exclude=["application"])
    application.save()
    details.save()
    return application


@transaction.atomic
def confirm_pledges(user, application: Application, *, integrity: bool, ip_compliance: bool) -> Application:
    """Explicit confirmations of the research-integrity pledge and the IP-compliance statement."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    assert_editable(application, user)
    now = timezone.now()
    application.integrity_pledged_at = now if integrity else None
    application.integrity_pledged_by = user if integrity else None
    application.ip_pledged_at = now if ip_compliance else None
    application.ip_pledged_by = user if ip_compliance else None
    application.save()
    return application


ROW_MODELS = {
    "ip_items": IPItem,
    "team_members": TeamMember,
    "budget_lines": BudgetLine,
    "milestones": PlannedMilestone,
}


@transaction.atomic
def add_row(user, application: Application, kind: str, **fields):
    """Add an IP item, team member, budget line or milestone to a project application."""
    assert_editable(application, user)
    if application.is_center:
        raise BadInput(_("Center applications have no %(kind)s.") % {"kind": kind})
    model = ROW_MODELS[kind]
    row = model(application=application, **fields)
    _validate(row, exclude=["application"])
    row.save()
    return row


@transaction.atomic
def update_row(user, row, **fields):
    assert_editable(row.application, user)
    for key, value in fields.items():
        setattr(row, key, value)
    _validate(row, exclude=["application"])
    row.save()
    return row


@transaction.atomic
def delete_row(user, row) -> None:
    assert_editable(row.application, user)
    row.delete()


def add_attachment(user, application: Application, attachment_type: str, uploaded) -> Attachment:
    """Check the file (name, size, type by content), then store it privately. Nothing is stored on refusal."""
    from .models import AttachmentType

    assert_editable(application, user)
    if attachment_type not in AttachmentType.values:
        raise BadInput(_("Unknown attachment type “%(type)s”.") % {"type": attachment_type},
                       field_errors={"attachment_type": [_("Unknown value.")]})
    checked = check_upload(uploaded)
    with transaction.atomic():
        attachment = Attachment(
            application=application, attachment_type=attachment_type, original_name=checked.name,
            extension=checked.extension, content_type=checked.content_type, size=checked.size,
            sha256=checked.sha256, uploaded_by=user,
        )
        attachment.file.save("upload", ContentFile(checked.content), save=False)
        try:
            attachment.save()
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


def delete_attachment(user, attachment: Attachment) -> None:
    assert_editable(attachment.application, user)
    with transaction.atomic():
        name = attachment.file.name
        storage = attachment.file.storage
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))


# ---------------------------------------------------------- officer records

@transaction.atomic
def record_site_visit(user, application: Application, **fields) -> SiteVisit:
    _require_officer(user, _("Only bureau officers can record site visits."))
    if not application.is_center:
        raise BadInput(_("Site visits are recorded for center applications."))
    if application.state != "reviewed":
        raise NotNow(_("Site visits are recorded while the application is “reviewed”."))
    visit = SiteVisit(application=application, recorded_by=user, **fields)
    _validate(visit, exclude=["application", "recorded_by"])
    visit.save()
    return visit


def transition_application(user, application: Application, name: str, comment: str = "", **details):
    return run_transition(application, name, user, comment, **details)


# ------------------------------------------------------------ pages (server-rendered views)

MAX_EXCLUDED_EXPERTS = 3


@transaction.atomic
def set_review_preferences(user, application: Application, *, disciplines, excluded_experts=()) -> Application:
    """The applicant chooses the application's disciplines (学科/产业领域, to find fitting experts) and may
    name up to three experts to exclude from the review (回避申请)."""
    from .models import Discipline

    application = Application.objects.select_for_update().get(pk=application.pk)
    assert_editable(application, user)
    chosen = list(disciplines or [])
    if any(not isinstance(d, Discipline) for d in chosen):
        raise BadInput(_("Unknown discipline."), field_errors={"disciplines": [_("Unknown value.")]})
    names = []
    for name in excluded_experts or ():
        name = " ".join(str(name).split())
        if name and name not in names:
            names.append(name)
    if len(names) > MAX_EXCLUDED_EXPERTS:
        raise BadInput(_("You may ask to exclude at most %(n)s experts; you named %(given)s.")
                       % {"n": MAX_EXCLUDED_EXPERTS, "given": len(names)},
                       field_errors={"excluded_experts": [_("Too many names.")]})
    if any(len(name) > 100 for name in names):
        raise BadInput(_("An expert's name is at most 100 characters."),
                       field_errors={"excluded_experts": [_("Too long.")]})
    application.excluded_experts = names
    application.save(update_fields=["excluded_experts", "updated_at"])
    application.disciplines.set(chosen)
    return application
