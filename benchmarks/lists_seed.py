"""Seeding for the list-pages benchmark (benchmarks/lists.py): the tests' growing world (tests/lists/world.py)
for a few units, every kind of row, then the rows that the timed pages list copied in bulk up to ``rows`` each
(applications of the call, the expert's assignments with their reviews, decisions with an investment and a
tranche each, centers, projects, notifications, transfer results). Not timed."""
from __future__ import annotations

import copy
from datetime import timedelta


def clone(obj, n, **vary):
    """``n`` copies of ``obj`` (bulk_create), field ``k`` of copy ``i`` set to ``vary[k](i)``."""
    from django.db.models.base import ModelState

    rows = []
    for i in range(n):
        c = copy.copy(obj)
        c._state = ModelState()
        c._state.adding, c._state.db = True, None
        c.__dict__.pop("_prefetched_objects_cache", None)
        c.pk = None
        for key, value in vary.items():
            try:
                setattr(c, key, value(i))
            except AttributeError:  # a workflow state: set as the row's value, not by a transition
                c.__dict__[key] = value(i)
        rows.append(c)
    return type(obj).objects.bulk_create(rows, batch_size=500)


def seed(rows: int, units: int = 5):
    from django.apps import apps
    from django.utils import timezone

    from tests.lists.world import build, grow

    def model(label):
        return apps.get_model(label)

    w = grow(build(), units)
    extra = max(rows - units, 0)
    application = model("poc.Application")
    stamp = timezone.now()

    def apps_like(state, prefix, becoming=None):
        template = application.objects.filter(state=state, call=w.project_call).order_by("pk").first()
        return clone(template, extra, number=lambda i: f"{prefix}-{i:06d}", title=lambda i: f"{prefix} {i}",
                     created_at=lambda i: stamp - timedelta(minutes=i), state=lambda i: becoming or state)

    for state in ("draft", "submitted", "reviewed"):
        apps_like(state, f"B{state[:2].upper()}")
    # the expert's queue: applications under review, each with an active assignment and its review
    under = apps_like("under_review", "BUR")
    assignment_t = model("review.Assignment").objects.filter(expert=w.expert).order_by("pk").first()
    assignments = clone(assignment_t, extra, application=lambda i: under[i])
    review_t = model("review.Review").objects.filter(assignment=assignment_t).first()
    clone(review_t, extra, assignment=lambda i: assignments[i], state=lambda i: "draft" if i % 2 else "submitted")
    # funding: a decision per approved application, each with an investment and a tranche
    decided = apps_like("reviewed", "BAP", becoming="approved")
    decision_t = model("funding.FundingDecision").objects.filter(fund=w.fund).order_by("pk").first()
    decisions = clone(decision_t, extra, application=lambda i: decided[i], proposed_at=lambda i: stamp - timedelta(minutes=i))
    investment_t = model("funding.Investment").objects.order_by("pk").first()
    clone(investment_t, extra, decision=lambda i: decisions[i])
    tranche_t = model("funding.Tranche").objects.order_by("pk").first()
    clone(tranche_t, extra, decision=lambda i: decisions[i])
    # centers and projects, each on its own approved application
    center_t = model("poc.Center").objects.order_by("pk").first()
    center_apps = clone(center_t.application, extra, number=lambda i: f"BCE-{i:06d}", title=lambda i: f"BCE {i}")
    clone(center_t, extra, application=lambda i: center_apps[i], designation_number=lambda i: f"BC-{i:06d}",
          name=lambda i: f"Bench center {i}")
    project_t = model("poc.Project").objects.filter(state="in_progress").order_by("pk").first()
    project_apps = clone(project_t.application, extra, number=lambda i: f"BPR-{i:06d}", title=lambda i: f"BPR {i}")
    clone(project_t, extra, application=lambda i: project_apps[i], project_number=lambda i: f"BP-{i:06d}",
          title=lambda i: f"Bench project {i}")
    for user in w.users().values():
        if user is not None:
            template = model("poc.Notification").objects.filter(recipient=user).first()
            clone(template, extra, key=lambda i, u=user.pk: f"bench-{u}-{i}")
    result_t = model("transfer.Result").objects.order_by("pk").first()
    clone(result_t, extra, registration_number=lambda i: f"ZL-B-{i:06d}", title=lambda i: f"Bench result {i}")
    return w
