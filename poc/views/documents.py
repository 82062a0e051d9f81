"""Official documents: permission-checked downloads, and the public verification page."""
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from poc.applications.selectors import application_for, calls_visible_to
from poc.centers.selectors import evaluations_visible_to
from poc.documents import poc_documents
from poc.documents.issuing import validity_of
from poc.models import EvaluationState, IssuedDocument
from poc.projects.selectors import acceptances_visible_to
from poc.roles import is_officer


def pdf_response(document):
    response = FileResponse(document.file.open("rb"), as_attachment=False, filename=f"{document.title}.pdf",
                            content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def application_document(request, pk, kind):
    """申报书, 认定通知书/立项通知书 and 认定证书 of an application the user may see."""
    application = application_for(request.user, pk)
    if application is None:
        raise Http404
    if kind == "form":
        document = poc_documents.application_form(application, request.user)
    elif kind == "notice" and application.state == "approved":
        document = poc_documents.approval_notice(application, request.user)
    elif kind == "certificate" and application.state == "approved" and application.is_center:
        document = poc_documents.designation_certificate(application.center, request.user)
    else:
        raise Http404
    return pdf_response(document)


@login_required
def call_public_notice(request, pk):
    """公示 of a call's proposed approvals: officers (who publish it); 404 for everybody else, and when no
    application of the call is in public notice."""
    if not is_officer(request.user):
        raise Http404
    call = get_object_or_404(calls_visible_to(request.user), pk=pk)
    document = poc_documents.public_notice(call, request.user)
    if document is None:
        raise Http404
    return pdf_response(document)


@login_required
def evaluation_document(request, pk):
    """年度绩效评价结果 of a scored evaluation: the center's institution and officers."""
    evaluation = evaluations_visible_to(request.user).filter(pk=pk, state=EvaluationState.SCORED).first()
    if evaluation is None:
        raise Http404
    return pdf_response(poc_documents.evaluation_result(evaluation, request.user))


@login_required
def acceptance_document(request, pk):
    """验收意见 of an acceptance review: the project's institution and officers."""
    acceptance = acceptances_visible_to(request.user).select_related("project__application__call").filter(pk=pk).first()
    if acceptance is None:
        raise Http404
    return pdf_response(poc_documents.acceptance_opinion(acceptance, request.user))


def verify(request, code):
    """Public: anyone holding a document checks it. Shows type, title, date, validity; nothing private."""
    document = IssuedDocument.objects.filter(code=code.strip().upper()).first()
    if document is None:
        # A mistyped or forged code: say so plainly (404, so nothing treats it as a document).
        return render(request, "poc/verify_unknown.html", {"code": code}, status=404)
    type_name, valid, status = validity_of(document)
    return render(request, "poc/verify.html", {"document": document, "type_name": type_name, "valid": valid,
                                               "status": status})
