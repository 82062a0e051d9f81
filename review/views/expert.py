"""The expert's pages: "my reviews" (the expert's home) and the review form beside the application."""
from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from poc.access import officer
from poc.errors import DomainError
from poc.rules import check_transition, describe
from poc.selectors import history_of

from .. import selectors, services
from ..forms import ExtendDeadlineForm, ReviewForm
from ..models import ReviewState
from ..review_rules import score_problems
from .common import application_sections, expert_or_officer, expert_required, report_refusal, steps

QUEUE_PAGE = 50  # assignments a page of the queue shows (grouped by call, each call with its whole progress)


@expert_required
def queue(request):
    """The expert's active assignments per call, a page at a time, with progress (done / total) and what to open
    next."""
    user = request.user
    # One grouped count gives each call's progress, the whole queue's and the pager's length.
    progress = selectors.queue_progress(user)
    done, total = sum(d for d, _t in progress.values()), sum(t for _d, t in progress.values())
    paginator = Paginator(selectors.active_queue(user)
                          .select_related("application__call__review_plan", "application__institution"), QUEUE_PAGE)
    paginator.count = total
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "review/queue.html", {
        "expert": selectors.expert_of(user),
        "groups": selectors.queue_by_call(user, rows=page.object_list, progress=progress),
        "page": page,
        "done": done,
        "total": total,
        "next_review": selectors.next_unfinished_review(user),
    })


@require_http_methods(["GET", "POST"])
@expert_or_officer
def review_page(request, pk):
    """Officers read any review; the assigned expert fills in their own (404 for everyone else)."""
    review = selectors.review_for(request.user, pk)
    if review is None:
        raise Http404
    if officer.holds(request.user):
        if request.method == "POST":
            raise Http404
        return officer_review(request, review)
    return expert_review(request, review)


def _weighted_total(review, criteria):
    scores = {s.criterion_id: s.score for s in review.scores.all()}
    given = [c.weight * scores[c.pk] for c in criteria if c.pk in scores]
    return sum(given, Decimal("0")) if given else None


def expert_review(request, review):
    user = request.user
    application = review.assignment.application
    # review_for loaded the plan with the review; a call reviewed without one gets it created.
    plan = getattr(application.call, "review_plan", None) or services.ensure_plan(application.call)
    if request.method == "GET":
        # The form, the submit check, the total and the page all read the same scores and rubric: once each.
        # (Not on a POST: saving reads the rows it changes.)
        prefetch_related_objects([review], "scores")
        prefetch_related_objects([plan], "criteria")
    criteria = list(plan.criteria.all())
    form = ReviewForm(request.POST if request.method == "POST" else None, review=review, criteria=criteria)
    status = 200
    if request.method == "POST":
        if review.state != ReviewState.DRAFT:
            messages.error(request, _("The review has been submitted and can no longer be edited."))
            return redirect("review:review", review.pk)
        action = request.POST.get("action", "save")
        if form.is_valid():
            try:
                services.save_review(user, review, **form.service_kwargs())
            except DomainError as exc:
                form.attach_refusal(exc)
                status = 400
            else:
                return _after_save(request, review, action)
        else:
            status = 400
    check = check_transition(review, "submit", user) if review.state == ReviewState.DRAFT else None
    known = set(score_problems(review, criteria)) if check is not None else set()
    position = _queue_position(user, review)
    context = {
        **application_sections(application, user),
        "review": review,
        "plan": plan,
        "form": form,
        "criteria": criteria,
        "editable": review.state == ReviewState.DRAFT,
        "submit_check": check,
        # Reasons the review cannot be submitted now other than the scores still missing (deadline, voided…).
        "blocking": [r for r in check.reasons if r not in known] if check else [],
        "missing": [r for r in check.reasons if r in known] if check else [],
        "conflict_steps": steps(review.assignment, user),
        "total": _weighted_total(review, criteria),
        "max_total": plan.max_total,
        "scores": {s.criterion_id: s for s in review.scores.all()},
        **position,
    }
    return render(request, "review/review_form.html", context, status=status)


def _after_save(request, review, action):
    user = request.user
    if action == "submit":
        try:
            services.submit_review(user, review)
        except DomainError as exc:
            messages.warning(request, _("Your draft is saved, but the review was not submitted:"))
            report_refusal(request, exc)
            return redirect("review:review", review.pk)
        messages.success(request, _("Your review of %(number)s is submitted. Thank you.")
                         % {"number": review.assignment.application.number})
        following = selectors.next_unfinished_review(user, review)
        return redirect("review:review", following.pk) if following else redirect("review:queue")
    messages.success(request, _("Draft saved."))
    if action == "next":
        following = selectors.next_unfinished_review(user, review)
        if following is not None:
            return redirect("review:review", following.pk)
        messages.info(request, _("No other unfinished review is waiting in your queue."))
        return redirect("review:queue")
    return redirect("review:review", review.pk)


def _queue_position(user, review) -> dict:
    _qs, done, total = selectors.expert_queue(user)
    return {"queue_index": selectors.queue_position(user, review), "queue_total": total, "queue_done": done}


def officer_review(request, review):
    """A review as the bureau reads it: the expert, every score and comment, the confidential note."""
    user = request.user
    plan = services.ensure_plan(review.assignment.application.call)
    criteria = list(plan.criteria.all())
    scores = {s.criterion_id: s for s in review.scores.all()}
    return render(request, "review/review_officer.html", {
        "review": review,
        "assignment": review.assignment,
        "application": review.assignment.application,
        "plan": plan,
        "rows": [(c, scores.get(c.pk)) for c in criteria],
        "total": _weighted_total(review, criteria),
        "max_total": plan.max_total,
        "review_steps": steps(review, user),
        "extend_form": ExtendDeadlineForm(prefix="extend"),
        "history": _history(review),
    })


def _history(review) -> list[dict]:
    """The audit rows of the review and of its assignment, oldest first, with the transitions' labels."""
    entries = []
    for obj in (review, review.assignment):
        for log in history_of(obj):
            if log.transition == "create":
                label = _("Assigned") if obj is review.assignment else _("Created")
            else:
                try:
                    label = str(describe(type(obj), log.transition)["custom"].get("label", log.transition))
                except LookupError:
                    label = log.transition
            entries.append({"at": log.created_at, "label": label, "actor": log.actor, "comment": log.comment})
    return sorted(entries, key=lambda e: e["at"])
