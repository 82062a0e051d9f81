"""Official documents: permission-checked downloads, and the public verification page."""
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from poc.documents import poc_documents
from poc.documents.issuing import validity_of
from poc.models import IssuedDocument
from poc.selectors import application_for


def _pdf_response(document):
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
    return _pdf_response(document)


def verify(request, code):
    """Public: anyone holding a document checks it. Shows type, title, date, validity; nothing private."""
    document = get_object_or_404(IssuedDocument, code=code.strip().upper())
    type_name, valid, status = validity_of(document)
    return render(request, "poc/verify.html", {"document": document, "type_name": type_name, "valid": valid,
                                               "status": status})
