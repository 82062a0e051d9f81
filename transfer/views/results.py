"""Pages of the results library (科技成果库): list, add, edit, import, one result with its pipeline and matches."""
import base64

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poc.access import SIGNED_IN, applicant, can, visible
from poc.access.pages import allowed_or_403, requires, visible_or_404
from poc.errors import DomainError
from poc.institutions.selectors import institution_of
from poc.views.common import form_status, submit_form

from .. import importing, matching, selectors
from ..forms import EvidenceForm, ImportForm, LicenceForm, ResultForm, ValidationForm
from ..models import DetailRequest, Result, Stage
from ..services import licences as licence_services
from ..services import results as services
from .common import steps

FIELDS = ResultForm.Meta.fields


@requires(SIGNED_IN)
def result_list(request):
    stage = request.GET.get("stage", "")
    dormant = request.GET.get("dormant") == "1"
    query = request.GET.get("q", "")
    results = selectors.results_for(request.user, stage=stage, dormant=dormant, query=query, disciplines=False)
    page = Paginator(results.order_by("-created_at", "-id"), 25).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "transfer/result_list.html", {
        "page": page, "rows": page.object_list, "query": params.urlencode(), "stages": Stage.choices, "stage": stage,
        "dormant": dormant, "q": query, "may_add": applicant.holds(request.user)})


@requires(applicant)
def result_create(request):
    form = ResultForm(request.POST or None)
    done = submit_form(request, form, lambda data: services.create_result(request.user, **_fields(data)),
                       success=_("The result is in your library."), redirect_to=lambda r: ("transfer:result", r.pk))
    return done or render(request, "transfer/result_form.html", {"form": form}, status=form_status(form))


def _fields(data):
    return {k: v for k, v in data.items() if k in FIELDS}


@requires(SIGNED_IN)
def result_edit(request, pk):
    result = visible_or_404(request.user, Result, pk=pk)
    allowed_or_403(request.user, "change", result)
    form = ResultForm(request.POST) if request.method == "POST" else ResultForm(instance=result)
    done = submit_form(request, form, lambda data: services.update_result(request.user, result, **_fields(data)),
                       success=_("Saved."), redirect_to=("transfer:result", result.pk))
    return done or render(request, "transfer/result_form.html", {"form": form, "result": result},
                          status=form_status(form))


@requires(SIGNED_IN)
def result_detail(request, pk):
    result = visible_or_404(request.user, Result.objects.select_related("institution", "validation_application"), pk=pk)
    user = request.user
    owner_or_officer = can(user, "record_evidence", result)
    context = {
        "result": result,
        "show_detail": can(user, "view_detail", result),
        "steps": steps(result, user),
        "may_edit": can(user, "change", result) and result.stage not in (Stage.LANDED, Stage.SHELVED),
        "may_publish": can(user, "publish", result),
        "may_request": can(user, "request_detail", result),
        "owner_or_officer": owner_or_officer,
        "evidence": visible(user, result.evidence.all()),
        "detail_requests": visible(user, DetailRequest.objects.filter(result=result)).select_related("enterprise"),
        "may_decide": can(user, "change", result),
        "demand_matches": matching.demands_for_result(user, result),
        "center_matches": matching.centers_for_result(result) if owner_or_officer else [],
        "evidence_form": EvidenceForm(), "validation_form": ValidationForm(), "licence_form": LicenceForm(),
        "dormant": result.is_dormant(),
        "conversations": visible(user, result.conversations.select_related("demand")),
    }
    return render(request, "transfer/result_detail.html", context)


def _run(request, use_case, success):
    try:
        use_case()
    except DomainError as exc:
        for message in exc.messages:
            messages.error(request, message)
        for errors in exc.field_errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, success)


@require_POST
@requires(SIGNED_IN)
def result_publish(request, pk):
    result = visible_or_404(request.user, Result, pk=pk)
    published = request.POST.get("published") == "1"
    _run(request, lambda: services.publish_result(request.user, result, published),
         _("Published in the catalogue.") if published else _("Withdrawn from the catalogue."))
    return redirect("transfer:result", pk)


@require_POST
@requires(SIGNED_IN)
def result_request_detail(request, pk):
    result = visible_or_404(request.user, Result, pk=pk)
    _run(request, lambda: services.request_detail(request.user, result, request.POST.get("purpose", "")),
         _("Your request was sent to the owner."))
    return redirect("transfer:result", pk)


@require_POST
@requires(SIGNED_IN)
def detail_decide(request, pk):
    detail_request = visible_or_404(request.user, DetailRequest, pk=pk)
    grant = request.POST.get("grant") == "1"
    _run(request, lambda: services.decide_detail(request.user, detail_request, grant=grant),
         _("Granted.") if grant else _("Refused."))
    return redirect("transfer:result", detail_request.result_id)


@require_POST
@requires(SIGNED_IN)
def result_evidence(request, pk):
    result = visible_or_404(request.user, Result, pk=pk)
    form = EvidenceForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.record_evidence(request.user, result, **form.cleaned_data),
             _("Evidence recorded."))
    else:
        messages.error(request, _("The evidence is incomplete."))
    return redirect("transfer:result", pk)


@require_POST
@requires(SIGNED_IN)
def result_validation(request, pk):
    result = visible_or_404(request.user, Result, pk=pk)
    form = ValidationForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.start_validation(request.user, result, **form.cleaned_data),
             _("A pre-filled project application was created; complete and submit it."))
    else:
        messages.error(request, _("Choose a project call."))
    return redirect("transfer:result", pk)


@require_POST
@requires(SIGNED_IN)
def result_licence(request, pk):
    result = visible_or_404(request.user, Result, pk=pk)
    form = LicenceForm(request.POST)
    if form.is_valid():
        _run(request, lambda: licence_services.grant_licence(request.user, result, **form.cleaned_data),
             _("The trial licence is granted."))
    else:
        messages.error(request, _("The licence is incomplete."))
    return redirect("transfer:result", pk)


SESSION_KEY = "transfer_import"


@requires(applicant)
def result_import(request):
    """Preview the uploaded patent list (nothing is written); a clean preview is kept in the session and imported,
    all rows or none, when confirmed."""
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    institution = institution_of(request.user)
    if request.method == "POST" and request.POST.get("confirm") == "1":
        kept = request.session.get(SESSION_KEY)
        if kept:
            upload = ContentFile(base64.b64decode(kept["data"]), name=kept["name"])
            preview = importing.parse_result_file(upload, institution)
            try:
                created = importing.import_results(request.user, preview)
            except DomainError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                del request.session[SESSION_KEY]
                messages.success(request, _("%(n)s results imported.") % {"n": len(created)})
                return redirect("transfer:results")
        form = ImportForm()
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        preview = importing.parse_result_file(upload, institution)
        if preview.clean:
            upload.seek(0)
            request.session[SESSION_KEY] = {"name": upload.name,
                                            "data": base64.b64encode(upload.read()).decode("ascii")}
        else:
            request.session.pop(SESSION_KEY, None)
    if preview is not None:
        status = 400 if preview.errors else 200
    else:
        status = 400 if form.is_bound and form.errors else 200
    return render(request, "transfer/result_import.html", {"form": form, "preview": preview}, status=status)
