"""Section: the officer's whole assignment path on a real database, not only the solver.

Seeds a call of N applications under review and M experts (disciplines, keywords, affiliations, team
members and exclusion requests that make about 1 % of the pairs conflicts), then times what the
officer waits for: ``review.matching.preview_optimal`` (gather + conflicts + solve), ``commit``
(gather again, write the kept plan when its input is unchanged, else solve again and compare the digest;
write every assignment, its review and its audit row; the notifications follow after the commit), the
random draw (preview and commit on a second call of the same size), the set-based conflict finder
alone, and, as the reference measured in the same run, the bare solver on the gathered input.
Query counts are taken with a connection wrapper: they must not grow with the number of assignments.

The database is PostgreSQL when ``DATABASE_URL`` points to one (a throwaway database is created on
that server and dropped afterwards), otherwise a temporary SQLite file. Seeding is not timed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from benchmarks.support import throwaway_postgres

TITLE = "Assignment end to end: preview, commit and draw on the database"
ROOT = Path(__file__).resolve().parent.parent
GOALS = {"preview": 3.0, "commit": 3.0, "draw": 1.0, "conflicts": 0.5}
SIZES_FULL = [(2_000, 800), (4_000, 1_600)]
SIZES_SMALL = [(60, 24)]
K = 5


def run(small: bool = False) -> str:
    sizes = SIZES_SMALL if small else SIZES_FULL
    rows, meta = [], {}
    for n_apps, n_experts in sizes:
        result = _run_child(n_apps, n_experts)
        meta = result
        rows.append(result)
    lines = [
        f"Database: **{meta['database']}**; load average before the run: {meta['load']}. "
        f"Each figure is one run (other work on the machine slows it: compare with the load); the reference is the "
        f"bare solver on the same gathered input, in the same run. "
        f"k = {K} experts per application, load cap {meta['max_load']} per expert.",
        "",
        "| size | step | seconds | reference (bare solver) | ratio | goal | queries | result |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        size = f"{r['applications']:,} × {r['experts']:,}"
        solver = r["solver_seconds"]
        for step, key in (("preview (gather + solve)", "preview"), ("commit (gather, check, write)", "commit"),
                          ("random draw: preview + commit", "draw"), ("conflicts of the call (set-based, queries included)", "conflicts")):
            seconds = r[f"{key}_seconds"]
            goal = GOALS[key]
            verdict = "meets the goal" if seconds <= goal else "**misses the goal**"
            ratio = f"{seconds / solver:.1f}×" if key in ("preview", "commit") and solver else "—"
            ref = f"{solver:.3f} s" if key in ("preview", "commit") else "—"
            queries = r.get(f"{key}_queries", "—")
            lines.append(f"| {size} | {step} | {seconds:.3f} | {ref} | {ratio} | ≤ {goal:g} s | {queries} | {verdict} |")
        slower = r["commit_seconds"] > r["preview_seconds"]
        verdict = "**misses the goal**: slower than its preview" if slower else "meets the goal"
        lines.append(f"| {size} | commit against its preview | {r['commit_seconds']:.3f} | "
                     f"{r['preview_seconds']:.3f} s (preview) | {r['commit_seconds'] / r['preview_seconds']:.2f}× | "
                     f"≤ 1× | | {verdict} |")
        lines.append(f"| {size} | notifications after the commit (outbox task: one per expert) | "
                     f"{r['fan_out_seconds']:.3f} | | | | {r['fan_out_queries']} | {r['notified']:,} experts told "
                     "once (no goal: the officer does not wait for it) |")
        lines.append(f"| {size} | assignments written / conflict pairs | {r['assignments']:,} / "
                     f"{r['conflict_pairs']:,} | | | | | digest equal to the preview: {r['digest_equal']} |")
    lines += ["", "Seeding (not timed above): " + "; ".join(
        f"{r['applications']:,} × {r['experts']:,} in {r['seed_seconds']:.1f} s" for r in rows) + "."]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------- the child process

def _run_child(n_apps: int, n_experts: int) -> dict:
    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="pochub-bench-") as tmp:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0",
               "SECRET_KEY": "benchmark-throwaway-key", "CELERY_BROKER_URL": "", "EMAIL_URL": "dummymail://",
               "PRIVATE_MEDIA_ROOT": str(Path(tmp) / "media")}
        dropper = None
        if url.startswith(("postgres://", "postgresql://")):
            env["DATABASE_URL"], dropper = throwaway_postgres(url)
        else:
            env["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'assignment.sqlite3'}"
        try:
            done = subprocess.run([sys.executable, "-m", "benchmarks.assignment_e2e", "--worker", str(n_apps),
                                   str(n_experts)], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        finally:
            if dropper:
                dropper()
    if done.returncode != 0:
        raise RuntimeError(f"the end-to-end assignment benchmark failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextmanager
def counting_queries():
    from django.db import connection

    box = {"n": 0}

    def count(execute, sql, params, many, context):
        box["n"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield box


def _timed(fn):
    with counting_queries() as q:
        t0 = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - t0
    return value, seconds, q["n"]


def _seed(n_apps: int, n_experts: int):
    import random
    from datetime import timedelta
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from poc.models import (
        Application,
        ApplicationKind,
        ApplicationState,
        Call,
        Discipline,
        Institution,
        InstitutionType,
        TeamMember,
    )
    from review.models import Expert, ExpertAffiliation

    rng = random.Random(20261203)
    User = get_user_model()
    officer = User.objects.create(username="bench-officer")
    officer.groups.add(Group.objects.get(name="officer"))
    leaves = list(Discipline.objects.filter(parent__isnull=False).values_list("pk", flat=True))
    words = [f"关键词{i}" for i in range(400)]
    n_inst = max(20, n_apps // 8)
    groups = Group.objects.bulk_create([Group(name=f"bench-institution-{i}") for i in range(n_inst)])
    institutions = Institution.objects.bulk_create([
        Institution(name=f"基准机构{i:04d}", credit_code=f"B{i:017d}", type=InstitutionType.UNIVERSITY,
                    district="鹿城区", verified=True, group=g) for i, g in enumerate(groups)])
    now = timezone.now()
    calls = [Call.objects.create(kind=ApplicationKind.POC_PROJECT, round="2026", title=f"基准批次{c}",
                                 guideline="-", opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=1),
                                 budget=Decimal("100000000.00"), published=True,
                                 eligible_institution_types=[t.value for t in InstitutionType],
                                 required_attachment_types=[], max_applications_per_institution=1000)
             for c in ("optimal", "draw")]
    users = User.objects.bulk_create([User(username=f"bench-expert-{j}") for j in range(n_experts)])
    expert_group = Group.objects.get(name="expert")
    expert_group.user_set.add(*users)
    experts = Expert.objects.bulk_create([
        Expert(user=u, name=f"专家{j:05d}", institution=rng.choice(institutions), affiliation="-",
               keywords=",".join(rng.sample(words, 5)), max_load_per_call=2 * K * n_apps // n_experts + 2,
               active=True, pledge_signed_on=now.date()) for j, u in enumerate(users)])
    through = Expert.disciplines.through
    through.objects.bulk_create([through(expert_id=e.pk, discipline_id=d) for e in experts
                                 for d in rng.sample(leaves, 3)])
    ExpertAffiliation.objects.bulk_create([
        ExpertAffiliation(expert=e, institution=rng.choice(institutions), ended_on=now.date() - timedelta(days=400))
        for e in experts if rng.random() < 0.3])
    applications = []
    for call in calls:
        applications += Application.objects.bulk_create([
            Application(call=call, institution=rng.choice(institutions), kind=call.kind,
                        number=f"BENCH-{call.pk}-{i:05d}", title=f"基准项目{i}", keywords=",".join(rng.sample(words, 5)),
                        state=ApplicationState.UNDER_REVIEW, created_by=officer,
                        excluded_experts=[rng.choice(experts).name] if rng.random() < 0.2 else [])
            for i in range(n_apps)])
    through = Application.disciplines.through
    through.objects.bulk_create([through(application_id=a.pk, discipline_id=d) for a in applications
                                 for d in rng.sample(leaves, 2)])
    TeamMember.objects.bulk_create([
        TeamMember(application=a, name=rng.choice(experts).name if rng.random() < 0.05 else f"成员{a.pk}-{t}",
                   role="成员") for a in applications for t in range(3)])
    return officer, calls


def _worker(n_apps: int, n_experts: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    from django.urls import reverse

    reverse("review:queue")  # the URL conf, as in any running worker: its first import is not the fan-out's cost
    t0 = time.perf_counter()
    officer, (call, draw_call) = _seed(n_apps, n_experts)
    seed_seconds = time.perf_counter() - t0

    from poc.models import Notification
    from review import matching
    from review.algorithms import AssignmentProblem, solve_assignment
    from review.conflicts import automatic_conflict_set
    from review.models import Assignment, Expert
    from review.services import ensure_plan

    for c in (call, draw_call):
        plan = ensure_plan(c)
        plan.experts_per_application = K
        plan.save()

    plan, preview_seconds, preview_queries = _timed(lambda: matching.preview_optimal(officer, call))
    # The reference: the bare solver on the same gathered input, in this run.
    data = matching.gather(call)
    keep = data.need > 0
    import numpy as np

    problem = AssignmentProblem(np.array(data.application_ids)[keep], data.expert_ids, data.affinity[keep],
                                k=data.need[keep], max_load=data.room, conflicts=data.conflicts)
    t0 = time.perf_counter()
    solve_assignment(problem)
    solver_seconds = time.perf_counter() - t0
    from poc.models import Application
    from review.states import ASSIGNABLE_STATES

    in_call = Application.objects.filter(call=call, state__in=ASSIGNABLE_STATES)
    pool = Expert.objects.filter(active=True, pledge_signed_on__isnull=False)
    # What gather() runs: the conflict pairs of the whole call, its queries included.
    _c, conflicts_seconds, conflicts_queries = _timed(lambda: automatic_conflict_set(in_call, pool))
    # The officer's request is the commit's transaction; the notifications are the outbox task's work after
    # it (in the worker; in-process in the embedded mode): timed apart, from the outer block's exit.
    from django.db import transaction

    with counting_queries() as fan_out_queries:
        with transaction.atomic():
            created, commit_seconds, commit_queries = _timed(
                lambda: matching.commit(officer, call, "optimal", plan.digest))
            t0 = time.perf_counter()
        fan_out_seconds = time.perf_counter() - t0
    fan_out_queries = fan_out_queries["n"] - commit_queries
    notified = Notification.objects.filter(kind="assignments_created").count()
    written = Assignment.objects.filter(application__call=call).count()
    committed_pairs = sorted(Assignment.objects.filter(application__call=call).values_list("application_id",
                                                                                        "expert_id"))
    digest_equal = matching._digest("optimal", committed_pairs) == plan.digest

    def draw():
        preview = matching.preview_draw(officer, draw_call, seed=7)
        return matching.commit(officer, draw_call, "draw", preview.digest, seed=7)

    with transaction.atomic():
        _d, draw_seconds, draw_queries = _timed(draw)
    return {
        "database": f"{connection.vendor} {connection.Database.__name__}",
        "load": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "applications": n_apps, "experts": n_experts, "max_load": Expert.objects.first().max_load_per_call,
        "seed_seconds": seed_seconds, "preview_seconds": preview_seconds, "preview_queries": preview_queries,
        "solver_seconds": solver_seconds, "conflicts_seconds": conflicts_seconds,
        "conflicts_queries": conflicts_queries,
        "conflict_pairs": len(_c), "commit_seconds": commit_seconds, "commit_queries": commit_queries,
        "assignments": written, "digest_equal": digest_equal,
        "draw_seconds": draw_seconds, "draw_queries": draw_queries,
        "fan_out_seconds": fan_out_seconds, "fan_out_queries": fan_out_queries,
        "notified": notified,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", nargs=2, type=int, required=True)
    args = parser.parse_args()
    print(json.dumps(_worker(*args.worker)))
