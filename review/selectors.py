"""Reads of the review, always filtered by the access policy (review/policies.py).

Experts see their own assignments and reviews only; officers see everything; applicants never see
an expert's name or an individual review (the policy gives them nothing here at all).
"""
from django.db.models import Count, Q

from poc.access import can, visible

from .models import Assignment, AssignmentState, Conflict, Expert, Review, ReviewPlan, ReviewState
from .states import IN_EXPERT_REVIEW


def expert_of(user):
    if not user.is_authenticated:
        return None
    return Expert.objects.filter(user=user).first()


def assignments_visible_to(user):
    """Officers: all. Experts: their own (active and voided). Others: none."""
    return visible(user, Assignment).select_related("application", "expert", "review")


def reviews_visible_to(user):
    """Officers: all. Experts: their own, while the assignment is active. Others: none."""
    return visible(user, Review).select_related("assignment__application", "assignment__expert")


def active_queue(user, call=None):
    """The expert's active assignments in queue order (an officer, who may see every assignment, gets them all)."""
    qs = assignments_visible_to(user).filter(state=AssignmentState.ACTIVE)
    if call is not None:
        qs = qs.filter(application__call=call)
    return qs.order_by("application__call_id", "application__number")


def expert_queue(user, call=None):
    """The expert's active assignments with their review state, and progress (done / total), counted in one
    query."""
    qs = active_queue(user, call)
    counts = qs.order_by().aggregate(total=Count("id"), done=Count("id", filter=Q(review__state=ReviewState.SUBMITTED)))
    return qs, counts["done"], counts["total"]


def experts_visible_to(user):
    """The expert pool: officers only (experts' identities are confidential)."""
    return visible(user, Expert).prefetch_related("disciplines")


def conflicts_visible_to(user):
    """Conflicts with their source and reason: officers only."""
    return visible(user, Conflict).select_related("expert", "application")


def call_progress(call):
    """Per application of the call: active assignments and submitted reviews."""
    return (call.applications.filter(state__in=IN_EXPERT_REVIEW)
            .annotate(assigned=Count("assignments", filter=Q(assignments__state=AssignmentState.ACTIVE)),
                      submitted=Count("assignments", filter=Q(assignments__state=AssignmentState.ACTIVE,
                                                              assignments__review__state=ReviewState.SUBMITTED)))
            .order_by("number"))


def may_see_aggregates(user) -> bool:
    """Officers see rankings and aggregates; fund managers see aggregates (DESIGN §3)."""
    return can(user, "view_aggregates", ReviewPlan)


# ------------------------------------------------------------ pages (server-rendered views)

def review_for(user, pk):
    """One review the user may see (officers: any; experts: their own while assigned), or None."""
    return (reviews_visible_to(user).filter(pk=pk)
            .select_related("assignment__application__call__review_plan", "assignment__application__institution",
                            "assignment__expert__user").first())


def queue_progress(user) -> dict:
    """{call id: (submitted, total)} of the expert's active assignments, counted by the database."""
    rows = (active_queue(user).order_by().values("application__call_id")
            .annotate(total=Count("id"), done=Count("id", filter=Q(review__state=ReviewState.SUBMITTED))))
    return {row["application__call_id"]: (row["done"], row["total"]) for row in rows}


def queue_by_call(user, rows=None, progress=None):
    """The expert's active assignments per call, in queue order: [{"call", "rows", "done", "total"}].

    ``rows``: only these assignments (a page of the queue), still grouped by call with each call's whole
    progress (``progress``: :func:`queue_progress`, when the caller has it already)."""
    if rows is None:
        rows = active_queue(user).select_related("application__call__review_plan", "application__institution")
    if progress is None:
        progress = queue_progress(user)
    groups: dict[int, dict] = {}
    for assignment in rows:
        call = assignment.application.call
        done, total = progress.get(call.pk, (0, 0))
        group = groups.setdefault(call.pk, {"call": call, "rows": [], "done": done, "total": total})
        group["rows"].append(assignment)
    return list(groups.values())


def next_unfinished_review(user, current=None):
    """The next draft review in the user's queue after ``current`` (wrapping round), or None: at most two
    queries of one row each, whatever the queue's length."""
    qs = active_queue(user)
    drafts = qs.filter(review__state=ReviewState.DRAFT)
    if current is not None:
        here = (qs.filter(review=current).values_list("application__call_id", "application__number").first())
        if here is not None:
            call_id, number = here
            later = drafts.filter(Q(application__call_id__gt=call_id)
                                  | Q(application__call_id=call_id, application__number__gt=number)).first()
            if later is not None:
                return later.review
            drafts = drafts.exclude(review=current)
    first = drafts.first()
    return first.review if first is not None else None


def queue_position(user, review) -> int | None:
    """Where ``review`` stands in the user's queue (1-based), counted by the database."""
    qs = active_queue(user)
    here = qs.filter(review=review).values_list("application__call_id", "application__number").first()
    if here is None:
        return None
    call_id, number = here
    return qs.filter(Q(application__call_id__lt=call_id)
                     | Q(application__call_id=call_id, application__number__lt=number)).count() + 1


def loads_in_call(call) -> dict[int, int]:
    """{expert id: active assignments in ``call``}."""
    rows = (Assignment.objects.filter(application__call=call, state=AssignmentState.ACTIVE)
            .values("expert_id").annotate(n=Count("id")).order_by())
    return {row["expert_id"]: row["n"] for row in rows}


def assignment_candidates(user, application) -> list[dict]:
    """The pool for a manual assignment (officers only): each expert with their fields, current load in the
    call, affinity with the application and any conflict of interest (source label and reason).

    Best matches first: no conflict, then higher affinity, then lower load.
    """
    import numpy as np

    from .algorithms import build_affinity
    from .conflicts import conflicts_of
    from .matching import _keywords, _with_parents
    from .models import ConflictSource

    if not can(user, "create", Assignment):
        return []
    experts = list(Expert.objects.prefetch_related("disciplines", "affiliations").select_related("user")
                   .order_by("name", "pk"))
    if not experts:
        return []
    loads = loads_in_call(application.call)
    assigned = set(Assignment.objects.filter(application=application, state=AssignmentState.ACTIVE)
                   .values_list("expert_id", flat=True))
    conflicts = conflicts_of(application, experts)
    app_fields = _with_parents([d.code for d in application.disciplines.all()])
    exp_fields = [_with_parents([d.code for d in e.disciplines.all()]) for e in experts]
    affinity = build_affinity([app_fields], [_keywords(application.keywords)], exp_fields,
                              [_keywords(e.keywords) for e in experts])
    labels = dict(ConflictSource.choices)
    rows = []
    for j, expert in enumerate(experts):
        rows.append({
            "expert": expert,
            "load": loads.get(expert.pk, 0),
            "affinity": round(float(np.asarray(affinity)[0, j]), 3),
            "shares_field": bool(app_fields & exp_fields[j]),
            "assigned": expert.pk in assigned,
            "conflicts": [(str(labels.get(source, source)), reason) for source, reason in conflicts.get(expert.pk, [])],
        })
    rows.sort(key=lambda r: (r["assigned"], bool(r["conflicts"]), not r["expert"].qualified, -r["affinity"],
                             r["load"], r["expert"].name))
    return rows


def call_conflicts(user, call) -> list[dict]:
    """Every conflict of interest of the call's reviewed applications (officers only): those stored (declared,
    pinned, or recorded when an assignment was tried) and those the automatic rules find now."""
    from .conflicts import automatic_conflicts
    from .models import ConflictSource

    if not can(user, "view", Conflict):
        return []
    labels = dict(ConflictSource.choices)
    rows = {}
    for c in conflicts_visible_to(user).filter(application__call=call).select_related("recorded_by"):
        rows[(c.application_id, c.expert_id, c.source)] = {
            "application": c.application, "expert": c.expert, "source": c.source,
            "source_label": labels.get(c.source, c.source), "reason": c.reason, "stored": True,
            "recorded_by": c.recorded_by, "created_at": c.created_at}
    applications = list(call.applications.filter(state__in=IN_EXPERT_REVIEW)
                        .select_related("institution").prefetch_related("team_members"))
    experts = list(Expert.objects.prefetch_related("affiliations"))
    by_pk = {e.pk: e for e in experts}
    for application in applications:
        for expert_id, items in automatic_conflicts(application, experts).items():
            for source, reason in items:
                rows.setdefault((application.pk, expert_id, source), {
                    "application": application, "expert": by_pk[expert_id], "source": source,
                    "source_label": labels.get(source, source), "reason": reason, "stored": False,
                    "recorded_by": None, "created_at": None})
    return sorted(rows.values(), key=lambda r: (r["application"].number, r["expert"].name, r["source"]))


def calls_in_review(user) -> list[dict]:
    """Officers: each call with applications in (or past) the expert review, and its review progress."""
    from poc.models import ApplicationState, Call

    if not can(user, "create", Assignment):  # the assigning officer's console
        return []
    calls = (visible(user, Call).annotate(
        in_review=Count("applications", filter=Q(applications__state=ApplicationState.UNDER_REVIEW), distinct=True),
        reviewed=Count("applications", filter=Q(applications__state=ApplicationState.REVIEWED), distinct=True))
        .select_related("review_plan").order_by("-opens_at"))
    submitted = dict(Review.objects.filter(state=ReviewState.SUBMITTED, assignment__state=AssignmentState.ACTIVE)
                     .values("assignment__application__call_id").annotate(n=Count("id"))
                     .values_list("assignment__application__call_id", "n"))
    assigned = dict(Assignment.objects.filter(state=AssignmentState.ACTIVE).values("application__call_id")
                    .annotate(n=Count("id")).values_list("application__call_id", "n"))
    return [{"call": call, "in_review": call.in_review, "reviewed": call.reviewed,
             "assigned": assigned.get(call.pk, 0), "submitted": submitted.get(call.pk, 0)} for call in calls]


def filter_experts(qs, *, q="", discipline=None, active="", pledge=""):
    """Narrow an already permission-filtered expert queryset (the pool page's filters)."""
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(affiliation__icontains=q) | Q(keywords__icontains=q)
                       | Q(title__icontains=q))
    if discipline is not None:
        qs = qs.filter(Q(disciplines=discipline) | Q(disciplines__parent=discipline)).distinct()
    if active in ("yes", "no"):
        qs = qs.filter(active=active == "yes")
    if pledge in ("yes", "no"):
        qs = qs.filter(pledge_signed_on__isnull=pledge == "no")
    return qs


def review_summary(user, application) -> dict | None:
    """Aggregates of one application without any expert's name or review (officers and fund managers):
    the statistics of the weighted totals, the mean score per criterion and the recommendation counts."""
    from django.db.models import Avg

    from .models import Criterion, CriterionScore, Recommendation
    from .ranking import application_aggregates
    from .services import ensure_plan

    if not may_see_aggregates(user):
        return None
    plan = ensure_plan(application.call)
    counted = Review.objects.filter(assignment__application=application, assignment__state=AssignmentState.ACTIVE,
                                    state=ReviewState.SUBMITTED)
    means = dict(CriterionScore.objects.filter(review__in=counted).values("criterion_id")
                 .annotate(m=Avg("score")).values_list("criterion_id", "m"))
    criteria = [{"criterion": c, "mean": means.get(c.pk)} for c in Criterion.objects.filter(plan=plan)]
    counts = dict(counted.values("recommendation").annotate(n=Count("id")).values_list("recommendation", "n"))
    recommendations = [{"value": v, "label": label, "n": counts.get(v, 0)} for v, label in Recommendation.choices]
    return {"plan": plan, "aggregates": application_aggregates(application), "criteria": criteria,
            "recommendations": recommendations, "n_submitted": counted.count()}


def may_see_plan(user, call) -> bool:
    """A call's review plan and rubric: officers, fund managers (the rules behind the aggregates they see)
    and experts assigned in the call (they score against it). Never applicants."""
    return can(user, "view", plan_of(call))


def plan_of(call) -> ReviewPlan:
    """The call's review plan, or an unsaved one to ask the access policy about (nothing is created)."""
    return ReviewPlan.objects.filter(call=call).first() or ReviewPlan(call=call)


def ranking_rows_visible_to(user, rows):
    """The rows of a call's ranking (review.ranking.call_ranking) the user may see.

    Officers: every row. Fund managers: the rows of applications they may view (DESIGN §3: those with a
    proposal for their fund), through the same permission source as the application's own page, so the
    ranking never names an application its detail would hide. Ranks stay the call-wide ones. Others: none.
    """
    from poc.models import Application

    if not may_see_aggregates(user):
        return []
    shown = set(visible(user, Application).filter(pk__in=[r.application.pk for r in rows])
                .values_list("pk", flat=True))
    return [r for r in rows if r.application.pk in shown]
