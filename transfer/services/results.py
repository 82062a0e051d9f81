"""Use cases on results (科技成果): add, edit, publish, grant detail, validate, evidence landing, shelve.

Every function takes the acting user first, checks with the access policy (``require``) and runs its writes in
one transaction; state changes go through :func:`poc.workflow.run_transition` (audit row included).
"""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poc.access import require
from poc.errors import BadInput, NotNow
from poc.institutions.selectors import institution_of
from poc.models import PROJECT_KINDS, Application, Center, CenterState, IPItem
from poc.validators import validate_credit_code
from poc.workflow import record_creation, run_transition

from ..models import (
    OPEN_STAGES,
    DetailRequest,
    EvidenceKind,
    LandingEvidence,
    LegalStatus,
    Result,
    ResultType,
    Stage,
    TransferMode,
)
from ..notify import members_of, notify
from ..relations import enterprise_of_user
from .common import disciplines_from, validate

RESULT_FIELDS = ("title", "result_type", "registration_number", "legal_status", "filed_on", "granted_on",
                 "last_transaction_on", "team", "keywords", "trl", "transfer_modes", "asking_terms", "asking_price",
                 "public_summary", "confidential_detail")


def _check_modes(modes) -> None:
    bad = [m for m in modes or [] if m not in TransferMode.values]
    if bad:
        raise BadInput(_("Unknown transfer modes: %(modes)s.") % {"modes": ", ".join(map(str, bad))},
                       field_errors={"transfer_modes": [_("Unknown value.")]})


def _apply(result: Result, fields: dict) -> list:
    unknown = set(fields) - set(RESULT_FIELDS) - {"disciplines"}
    if unknown:
        raise BadInput(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    disciplines = fields.pop("disciplines", None)
    _check_modes(fields.get("transfer_modes"))
    for key, value in fields.items():
        setattr(result, key, value)
    validate(result, exclude=["stage", "institution", "created_by", "validation_application", "disciplines"])
    return disciplines_from(disciplines) if disciplines is not None else None


@transaction.atomic
def create_result(actor, **fields) -> Result:
    """An institution's member adds a result to its library; it starts collected (征集)."""
    require(actor, "create", Result())
    institution = institution_of(actor)
    if institution is None:
        raise NotNow(_("Register your institution, or join one, before adding results."))
    fields.setdefault("result_type", ResultType.INVENTION_PATENT)
    result = Result(institution=institution, created_by=actor)
    disciplines = _apply(result, dict(fields))
    result.save()
    if disciplines is not None:
        result.disciplines.set(disciplines)
    record_creation(result, actor)
    return result


@transaction.atomic
def update_result(actor, result: Result, **fields) -> Result:
    result = Result.objects.select_for_update().get(pk=result.pk)
    require(actor, "change", result)
    if result.stage in (Stage.LANDED, Stage.SHELVED):
        raise NotNow(_("A result that is “%(stage)s” can no longer be edited.") % {"stage": result.get_stage_display()})
    disciplines = _apply(result, dict(fields))
    result.save()
    if disciplines is not None:
        result.disciplines.set(disciplines)
    return result


@transaction.atomic
def publish_result(actor, result: Result, published: bool = True) -> Result:
    """Clear a result for the public catalogue and the enterprises' library (or withdraw it)."""
    require(actor, "publish", result)
    if published and not result.public_summary.strip():
        raise NotNow(_("Write a public summary before publishing the result."))
    if published and result.stage == Stage.SHELVED:
        raise NotNow(_("A shelved result cannot be published."))
    Result.objects.filter(pk=result.pk).update(published=published)
    result.refresh_from_db()
    return result


def transition_result(actor, result: Result, name: str, comment: str = "", **details) -> Result:
    """Run one of the result's declared pipeline steps (the model's transitions decide who and when)."""
    return run_transition(result, name, actor, comment, **details)


# ---------------------------------------------------------------------------------- confidential detail

@transaction.atomic
def request_detail(actor, result: Result, purpose: str = "") -> DetailRequest:
    """A verified enterprise asks the owner for the result's confidential detail."""
    require(actor, "request_detail", result)
    enterprise = enterprise_of_user(actor)
    request, created = DetailRequest.objects.get_or_create(
        result=result, enterprise=enterprise, defaults={"requested_by": actor, "purpose": (purpose or "").strip()})
    if created:
        notify(members_of(result.institution), kind="transfer_detail_requested", key=f"transfer:detail:{request.pk}",
               about=result, link=f"/transfer/results/{result.pk}/",
               title=lambda: _("%(enterprise)s asks for the detail of “%(result)s”")
               % {"enterprise": enterprise.name, "result": result.title},
               body=lambda: request.purpose)
    return request


@transaction.atomic
def decide_detail(actor, detail_request: DetailRequest, *, grant: bool) -> DetailRequest:
    detail_request = DetailRequest.objects.select_for_update().get(pk=detail_request.pk)
    require(actor, "decide", detail_request)
    detail_request.status = DetailRequest.Status.GRANTED if grant else DetailRequest.Status.REFUSED
    detail_request.decided_by, detail_request.decided_at = actor, timezone.now()
    detail_request.save()
    result = detail_request.result
    notify([detail_request.requested_by], kind="transfer_detail_decided",
           key=f"transfer:detail:{detail_request.pk}:{detail_request.status}", about=result,
           link=f"/transfer/results/{result.pk}/",
           title=lambda: (_("Detail of “%(result)s” granted") if grant else _("Detail of “%(result)s” refused"))
           % {"result": result.title}, body=lambda: "")
    return detail_request


# ---------------------------------------------------------------------------------- validation (验证)

@transaction.atomic
def start_validation(actor, result: Result, *, call, center: Center | None = None, comment: str = "") -> Application:
    """Send a result to validation: a PoC or pilot project application at the chosen center, pre-filled from the
    result (title, summary, keywords, disciplines, TRL, the patent as an IP item), linked to the result."""
    from poc.applications import services as poc_services

    result = Result.objects.select_for_update().get(pk=result.pk)
    require(actor, "change", result)
    if result.stage not in (Stage.COLLECTED, Stage.ROADSHOWED):
        raise NotNow(_("Only a collected or road-showed result can go to validation."))
    if call.kind not in PROJECT_KINDS:
        raise BadInput(_("Validation runs as a PoC or pilot project: choose a project call."),
                       field_errors={"call": [_("Not a project call.")]})
    if center is not None and center.state != CenterState.ACTIVE:
        raise BadInput(_("The hosting center must be an active designated center."),
                       field_errors={"center": [_("Not active.")]})
    application = poc_services.start_application(actor, call, result.title)
    fields = {"summary": result.public_summary, "keywords": result.keywords[:200], "hosting_center": center}
    if result.trl:
        fields["trl_now"] = result.trl
    poc_services.update_application(actor, application, **fields)
    application.disciplines.set(result.disciplines.all())
    if result.registration_number:
        ip_type = result.result_type if result.result_type in IPItem.IPType.values else IPItem.IPType.OTHER
        status = IPItem.IPStatus.GRANTED if result.legal_status == LegalStatus.GRANTED else IPItem.IPStatus.FILED
        poc_services.add_row(actor, application, "ip_items", number=result.registration_number, title=result.title,
                             ip_type=ip_type, owner=result.institution.name, status=status)
    Result.objects.filter(pk=result.pk).update(validation_application=application)
    run_transition(result, "start_validation", actor, comment)
    return application


# ---------------------------------------------------------------------------------- landing (落地)

EVIDENCE_NEEDS = {
    EvidenceKind.TECH_CONTRACT: ("reference", "amount"),
    EvidenceKind.LICENCE: ("reference",),
    EvidenceKind.INVESTMENT: ("amount",),
    EvidenceKind.COMPANY: ("reference",),
}


@transaction.atomic
def record_evidence(actor, result: Result, *, kind: str, reference: str = "", counterparty: str, dated_on,
                    amount=None, investment=None, licence=None, land: bool = True) -> LandingEvidence:
    """Record what shows the result landed; with ``land`` the result then moves to landed (落地)."""
    require(actor, "record_evidence", result)
    if kind not in EvidenceKind.values:
        raise BadInput(_("Unknown kind of evidence."), field_errors={"kind": [_("Unknown value.")]})
    reference = (reference or "").strip() or (str(investment.pk) if investment is not None else "")
    values = {"reference": reference, "amount": amount}
    errors = {f: [_("Required for this kind of evidence.")] for f in EVIDENCE_NEEDS[kind] if not values[f]}
    if amount is not None and amount <= 0:
        errors["amount"] = [_("The amount must be above zero.")]
    if kind == EvidenceKind.COMPANY and reference:
        try:
            validate_credit_code(reference)
        except Exception:
            errors["reference"] = [_("A company is evidenced by its valid unified social credit code.")]
    if errors:
        raise BadInput(_("The evidence is incomplete."), field_errors=errors)
    evidence = LandingEvidence(result=result, kind=kind, reference=reference, counterparty=counterparty,
                               amount=amount, dated_on=dated_on, investment=investment, licence=licence,
                               recorded_by=actor if getattr(actor, "pk", None) else None)
    validate(evidence, exclude=["result", "licence", "investment", "recorded_by"])
    evidence.save()
    if kind in (EvidenceKind.TECH_CONTRACT, EvidenceKind.LICENCE):
        Result.objects.filter(pk=result.pk).update(last_transaction_on=dated_on)
    result.refresh_from_db()
    if land and result.stage in OPEN_STAGES:
        run_transition(result, "land", actor, _("Evidence: %(evidence)s") % {"evidence": evidence})
    return evidence

