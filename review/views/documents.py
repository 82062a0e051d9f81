"""The review's official documents (PDF), for bureau officers: 404 for everybody else (experts and
applicants never learn what exists), except that an expert gets the score sheet of a review they submitted.

- 评审打分表: one expert's submitted review of one application, with the expert's name (officers; and the
  expert who wrote it, for their own records).
- 评审汇总表: a call's ranking and statistics, without expert names; ``?signed=1`` adds the panel list with a
  signature column (the version the panel signs).
"""
from django.contrib.auth.decorators import login_required
from django.http import Http404

from poc.access import can, officer
from poc.access.pages import visible_or_404
from poc.models import Call
from poc.views.documents import pdf_response

from .. import documents, selectors
from ..models import ReviewState


def _officer_or_404(user) -> None:
    if not officer.holds(user):
        raise Http404


@login_required
def score_sheet(request, pk):
    review = selectors.review_for(request.user, pk)
    if review is None or review.state != ReviewState.SUBMITTED:
        raise Http404
    if not can(request.user, "download_score_sheet", review):
        raise Http404
    return pdf_response(documents.score_sheet(review, request.user))


@login_required
def summary(request, pk):
    _officer_or_404(request.user)
    call = visible_or_404(request.user, Call, pk=pk)
    signed = request.GET.get("signed") == "1"
    return pdf_response(documents.review_summary(call, request.user, signed=signed))
