"""The funding decision document (PDF): officers, the managers of the decision's fund and the applicant
institution (``selectors.decisions_visible_to``); 404 for everybody else and before the decision is approved."""
from django.contrib.auth.decorators import login_required
from django.http import Http404

from poc.views.documents import pdf_response

from .. import documents, selectors
from ..models import DecisionState


@login_required
def decision_document(request, pk):
    decision = (selectors.decisions_visible_to(request.user).select_related("application__call")
                .filter(pk=pk, state=DecisionState.APPROVED).first())
    if decision is None:
        raise Http404
    return pdf_response(documents.funding_decision(decision, request.user))
