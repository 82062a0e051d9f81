"""Use cases of calls and applications: one function per use case, each in a transaction.

Views and API endpoints are thin: they parse input, call one of these and render the result.
Workflow transitions go through :func:`poc.workflow.run_transition`, which views call directly.
"""
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poc.access import require
from poc.attachment_checks import check_upload
from poc.centers.states import CenterState
from poc.errors import BadInput, NotNow, validate
from poc.institutions.selectors import institution_of
from poc.models.audit import TransitionLog
from poc.workflow import record_creation

from .attachments import Attachment
from .calls import RULE_CHANGE, RULE_FIELDS, Call
from .details import BudgetLine, CenterDetails, IPItem, PlannedMilestone, ProjectDetails, TeamMember
from .models import Application, SiteVisit
from .states import ApplicationState

# --------------------------------------------------------------------- calls


def _audit_value(value) -> str:
    """A rule's value as the audit trail keeps it: "" for none, "true"/"false", numbers as typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@transaction.atomic
def save_call(user, call: Call | None = None, **fields) -> Call:
    """Create or edit a call. Its rules (:data:`RULE_FIELDS`) change only until the first application of the call
    reaches review; each change of a rule is audited (who, when, which rule, from, to)."""
    require(user, "save", call or Call)
    if call is None:
        call = Call(created_by=user)
    else:
        call = Call.objects.select_for_update().get(pk=call.pk)
        if "kind" in fields and fields["kind"] != call.kind and call.applications.exists():
            raise NotNow(_("The kind of a call cannot change once applications exist."))
    changed = [(name, getattr(call, name), fields[name]) for name in RULE_FIELDS
               if call.pk and name in fields and getattr(call, name) != fields[name]]
    if changed:
        frozen = call.rules_frozen_reason()
        if frozen:
            raise NotNow(frozen, field_errors={name: [frozen] for name, _old, _new in changed})
    if (call.pk and "requires_district_recommendation" in fields
            and bool(fields["requires_district_recommendation"]) != call.requires_district_recommendation
            and call.applications.exclude(state=ApplicationState.DRAFT).exists()):
        raise NotNow(_("Whether the call asks for a district recommendation cannot change once applications have "
                       "been submitted to it."))
    for key, value in fields.items():
        setattr(call, key, value)
    validate(call)
    call.save()
    for name, old, _new in changed:
        TransitionLog.objects.create(subject=call, transition=RULE_CHANGE, source=_audit_value(old),
                                     target=_audit_value(getattr(call, name)), actor=user, comment=name)
    return call


@transaction.atomic
def publish_call(user, call: Call, published: bool = True) -> Call:
    require(user, "publish", call)
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
    require(user, "start", Application)
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
                record_creation(application, user)
                return application
        except IntegrityError:
            continue  # a concurrent start took the number; take the next one
    raise NotNow(_("Could not number the application; please try again."))


def assert_editable(user, application: Application) -> None:
    """Only members of the applicant institution, and only in draft or returned."""
    require(user, "edit", application)
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
    assert_editable(user, application)
    details = application.details
    detail_fields = CENTER_FIELDS if application.is_center else PROJECT_FIELDS
    unknown = set(fields) - set(APPLICATION_FIELDS) - set(detail_fields)
    if unknown:
        raise BadInput(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for key, value in fields.items():
        setattr(details if key in detail_fields else application, key, value)
    if application.is_center and "services" in fields:
        from .details import ServiceOffered

        bad = [s for s in fields["services"] or [] if s not in ServiceOffered.values]
        if bad:
            raise BadInput(_("Unknown services: %(s)s") % {"s": ", ".join(map(str, bad))},
                           field_errors={"services": [_("Unknown value.")]})
    if not application.is_center:
        if (details.trl_now and details.trl_target and details.trl_target <= details.trl_now):
            raise BadInput(_("Target TRL must be above the current TRL."),
                           field_errors={"trl_target": [_("Must be above the current TRL.")]})
        over = application.call.grant_over_ceiling(details.requested_grant, _("The requested grant"))
        if over:
            raise BadInput(over, field_errors={"requested_grant": [over]})
        if details.hosting_center_id and details.hosting_center.state != CenterState.ACTIVE:
            raise BadInput(_("The hosting center must be an active designated center."),
                           field_errors={"hosting_center": [_("Not active.")]})
    # ``state`` is excluded: full_clean would re-assign the protected FSM field.
    validate(application, exclude=["state", "created_by", "integrity_pledged_by", "ip_pledged_by"])
    validate(details, exclude=["application"])
    application.save()
    details.save()
    return application


@transaction.atomic
def confirm_pledges(user, application: Application, *, integrity: bool, ip_compliance: bool) -> Application:
    """Explicit confirmations of the research-integrity pledge and the IP-compliance statement."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    assert_editable(user, application)
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
    assert_editable(user, application)
    if application.is_center:
        raise BadInput(_("Center applications have no %(kind)s.") % {"kind": kind})
    model = ROW_MODELS[kind]
    row = model(application=application, **fields)
    validate(row, exclude=["application"])
    row.save()
    _team_changed(row, user)
    return row


@transaction.atomic
def update_row(user, row, **fields):
    assert_editable(user, row.application)
    for key, value in fields.items():
        setattr(row, key, value)
    validate(row, exclude=["application"])
    row.save()
    _team_changed(row, user)
    return row


@transaction.atomic
def delete_row(user, row) -> None:
    assert_editable(user, row.application)
    row.delete()
    _team_changed(row, user)


def _team_changed(row, user) -> None:
    """A team member added, edited or removed: the automatic conflicts of the application may change."""
    if isinstance(row, TeamMember):
        conflict_facts_changed_for([row.application_id], user, _("the application's team changed"))


def conflict_facts_changed_for(application_ids, user, cause) -> None:
    """Announce that the facts the conflict-of-interest rules read changed on these applications (whoever
    listens, e.g. the expert review, re-checks their active assignments in this transaction)."""
    from poc.signals import conflict_facts_changed

    conflict_facts_changed.send(sender=Application, application_ids=list(application_ids), actor=user,
                                cause=str(cause))


def add_attachment(user, application: Application, attachment_type: str, uploaded) -> Attachment:
    """Check the file (name, size, type by content), then store it privately. Nothing is stored on refusal."""
    from .calls import AttachmentType

    assert_editable(user, application)
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
    assert_editable(user, attachment.application)
    with transaction.atomic():
        name = attachment.file.name
        storage = attachment.file.storage
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))


# ---------------------------------------------------------- officer records

def check_site_visit(user, application: Application) -> None:
    """Raise unless ``user`` may record a site visit now (the page asks the same before offering the form)."""
    require(user, "record_site_visit", application)
    if not application.is_center:
        raise BadInput(_("Site visits are recorded for center applications."))
    if application.state != ApplicationState.REVIEWED:
        raise NotNow(_("Site visits are recorded while the application is “reviewed”."))


@transaction.atomic
def record_site_visit(user, application: Application, **fields) -> SiteVisit:
    check_site_visit(user, application)
    visit = SiteVisit(application=application, recorded_by=user, **fields)
    validate(visit, exclude=["application", "recorded_by"])
    visit.save()
    return visit


# ------------------------------------------------------------ pages (server-rendered views)

MAX_EXCLUDED_EXPERTS = 3


@transaction.atomic
def set_review_preferences(user, application: Application, *, disciplines, excluded_experts=()) -> Application:
    """The applicant chooses the application's disciplines (学科/产业领域, to find fitting experts) and may
    name up to three experts to exclude from the review (回避申请)."""
    from poc.models import Discipline

    application = Application.objects.select_for_update().get(pk=application.pk)
    assert_editable(user, application)
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
    changed = names != list(application.excluded_experts or [])
    application.excluded_experts = names
    application.save(update_fields=["excluded_experts", "updated_at"])
    application.disciplines.set(chosen)
    if changed:
        conflict_facts_changed_for([application.pk], user, _("the experts the applicant asked to exclude changed"))
    return application
