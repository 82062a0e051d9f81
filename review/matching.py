"""Putting a whole call's applications in front of the right experts: optimal assignment and random draw.

Affinity (documented in review/algorithms/affinity.py): 0.6 × Jaccard of the disciplines + 0.4 × cosine of the
keyword sets. Disciplines count with their parent field (ENG.MAT also counts as ENG), so experts of the same
broad field get partial credit. An expert is *eligible* for an application when they share at least one
discipline or parent field, are qualified (active, pledge signed), have no conflict and have load left in the
call. Preview first, commit on confirmation, and the commit refuses if the input changed meanwhile.

The preview keeps its plan (in the cache, under the call, the method and the digest) with a fingerprint of the
input it solved. The commit gathers the input again under the call's lock: when the fingerprint is the same,
the kept plan is the one the solver would find again, and it is written without solving a second time (so the
commit costs the gathering and the writes, not another solve). When the plan is not kept (another cache, or
it expired) the commit solves again and compares digests, as before.
"""
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

import numpy as np
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poc.access import require
from poc.bulk import insert_rows
from poc.errors import NotNow
from poc.models import Application
from poc.workflow import record_creations

from .algorithms import (
    AssignmentInfeasible,
    AssignmentProblem,
    build_affinity,
    draw_experts,
    make_seed,
    solve_assignment,
)
from .conflicts import automatic_conflict_set
from .infeasibility import explain
from .models import Assignment, AssignmentMethod, AssignmentState, Conflict, Expert, Review, ReviewState
from .services import ensure_plan, lock_call_assignments
from .states import ASSIGNABLE_STATES


def _with_parents(codes):
    out = set(codes)
    for code in codes:
        if "." in code:
            out.add(code.split(".", 1)[0])
    return out


def _keywords(text):
    return {k.strip().lower() for k in (text or "").replace("，", ",").replace("、", ",").split(",") if k.strip()}


@dataclass
class MatchingInput:
    """What the solver and the draw read. The affinities and the eligibility are derived from the fields and the
    keywords only when asked for: a commit whose kept plan is still valid never computes them."""

    applications: list
    experts: list
    need: np.ndarray  # experts still needed per application
    room: np.ndarray  # load left per expert
    conflicts: list = field(default_factory=list)
    app_fields: list = field(default_factory=list)  # per application: its discipline codes with their parents
    app_keywords: list = field(default_factory=list)
    exp_fields: list = field(default_factory=list)
    exp_keywords: list = field(default_factory=list)

    @cached_property
    def eligible(self) -> np.ndarray:
        """Whether each application and expert share a field (parents included)."""
        return _field_overlap(self.app_fields, self.exp_fields)

    @cached_property
    def affinity(self) -> np.ndarray:
        """Affinity per application and expert, NaN where not eligible."""
        if not (self.applications and self.experts):
            return np.zeros((len(self.applications), len(self.experts)))
        affinity = build_affinity(self.app_fields, self.app_keywords, self.exp_fields, self.exp_keywords)
        return np.where(self.eligible, affinity, np.nan)

    @property
    def application_ids(self):
        return [a.pk for a in self.applications]

    @property
    def expert_ids(self):
        return [e.pk for e in self.experts]


@dataclass
class MatchingPlan:
    method: str
    rows: list  # dicts: application, expert, affinity
    total_affinity: float
    digest: str
    seed: int | None = None
    seconds: float = 0.0


KEPT_FOR = 60 * 60  # seconds a previewed plan waits for its commit


def fingerprint(data: MatchingInput) -> str:
    """What the solver's result depends on: who needs how many experts, who has room, the fields and keywords the
    affinities and the eligibility are computed from (deterministically), the conflicts. Equal fingerprints give
    the same plan (the solver and the draw are deterministic), without computing the affinities again."""
    digest = hashlib.sha256()
    for part in (np.asarray(data.application_ids, dtype=np.int64), np.asarray(data.expert_ids, dtype=np.int64),
                 data.need, data.room, np.asarray(data.conflicts, dtype=np.int64)):
        digest.update(np.ascontiguousarray(part).tobytes())
        digest.update(b"|")
    for sets in (data.app_fields, data.app_keywords, data.exp_fields, data.exp_keywords):
        digest.update("\x1e".join("\x1f".join(sorted(items)) for items in sets).encode())
        digest.update(b"|")
    return digest.hexdigest()


def _plan_key(call, method: str, digest: str, seed=None) -> str:
    return f"review:assignment-plan:{call.pk}:{method}:{seed}:{digest}"


def _keep(call, plan: "MatchingPlan", data: MatchingInput, pairs) -> None:
    affinities = [row["affinity"] for row in plan.rows]
    try:  # arrays: a whole call's plan pickles in one piece, not as 10,000 small lists
        cache.set(_plan_key(call, plan.method, plan.digest, plan.seed),
                  {"input": fingerprint(data), "pairs": np.asarray(pairs, dtype=np.int64).reshape(-1, 2),
                   "affinities": affinities, "total": plan.total_affinity}, KEPT_FOR)
    except Exception:  # noqa: BLE001 - a cache that fails only costs the commit a second solve
        pass


def _kept(call, method: str, digest: str, seed, data: MatchingInput) -> "MatchingPlan | None":
    """The previewed plan, if it is kept and the input is still the one it was solved from."""
    try:
        kept = cache.get(_plan_key(call, method, digest, seed))
    except Exception:  # noqa: BLE001
        return None
    if not kept or kept["input"] != fingerprint(data):
        return None
    rows = _rows(data, [tuple(p) for p in np.asarray(kept["pairs"]).tolist()])
    for row, affinity in zip(rows, kept["affinities"], strict=True):
        row["affinity"] = affinity
    return MatchingPlan(method, rows, kept["total"], digest, seed=seed)


def gather(call) -> MatchingInput:
    """The call's applications under review that still need experts, and the experts with load left.

    Set-based: the applications and experts are loaded once; their disciplines, keywords and the conflicts are
    read as plain ids and codes (no per-object related manager), whatever the size of the call.
    """
    plan = ensure_plan(call)
    k = plan.experts_per_application
    in_call = Application.objects.filter(call=call, state__in=ASSIGNABLE_STATES)
    pool = Expert.objects.filter(active=True, pledge_signed_on__isnull=False)
    applications = list(in_call.order_by("pk"))
    experts = list(pool.order_by("pk"))
    active = Assignment.objects.filter(application__call=call, state=AssignmentState.ACTIVE)
    have = dict.fromkeys([a.pk for a in applications], 0)
    load = dict.fromkeys([e.pk for e in experts], 0)
    assigned_pairs = set()
    for app_id, exp_id in active.values_list("application_id", "expert_id"):
        if app_id in have:
            have[app_id] += 1
        if exp_id in load:
            load[exp_id] += 1
        assigned_pairs.add((app_id, exp_id))
    need = np.array([max(k - have[a.pk], 0) for a in applications], dtype=np.int64)
    room = np.array([max(e.max_load_per_call - load[e.pk], 0) for e in experts], dtype=np.int64)
    app_codes = _codes(Application.disciplines.through.objects.filter(application__in=in_call)
                       .values_list("application_id", "discipline__code"))
    exp_codes = _codes(Expert.disciplines.through.objects.filter(expert__in=pool)
                       .values_list("expert_id", "discipline__code"))
    conflicts = set(assigned_pairs)  # an expert already on an application cannot be added again
    stored = Conflict.objects.filter(application__in=in_call).values_list("application_id", "expert_id")
    conflicts.update(stored)
    conflicts.update(automatic_conflict_set(in_call, pool))
    return MatchingInput(applications, experts, need, room, sorted(conflicts),
                         app_fields=[_with_parents(app_codes.get(a.pk, ())) for a in applications],
                         app_keywords=[_keywords(a.keywords) for a in applications],
                         exp_fields=[_with_parents(exp_codes.get(e.pk, ())) for e in experts],
                         exp_keywords=[_keywords(e.keywords) for e in experts])


def _codes(rows) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for owner, code in rows:
        out.setdefault(owner, []).append(code)
    return out


def _field_overlap(app_fields, exp_fields):
    """Whether each application and expert share a field: one small matrix product over the fields in use."""
    vocabulary = {f: i for i, f in enumerate(sorted({f for fields in app_fields for f in fields}))}
    apps = np.zeros((len(app_fields), len(vocabulary)), dtype=np.float32)
    exps = np.zeros((len(exp_fields), len(vocabulary)), dtype=np.float32)
    for i, fields in enumerate(app_fields):
        apps[i, [vocabulary[f] for f in fields]] = 1.0
    for j, fields in enumerate(exp_fields):
        exps[j, [vocabulary[f] for f in fields if f in vocabulary]] = 1.0
    return (apps @ exps.T) > 0


def _digest(method, pairs, seed=None):
    text = f"{method}|{seed}|" + ";".join(f"{a}:{e}" for a, e in sorted(pairs))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _explain(exc: AssignmentInfeasible, data: MatchingInput) -> list[str]:
    # The solver speaks in database ids; officers read application numbers and expert names, in their language.
    return explain(exc, {a.pk: a.number for a in data.applications}, {e.pk: e.name for e in data.experts})


def _rows(data: MatchingInput, pairs, affinities=None):
    apps = {a.pk: a for a in data.applications}
    exps = {e.pk: e for e in data.experts}
    rows = []
    for idx, (a, e) in enumerate(pairs):
        rows.append({"application": apps[a], "expert": exps[e],
                     "affinity": None if affinities is None else round(float(affinities[idx]), 4)})
    return rows


def preview_optimal(user, call) -> MatchingPlan:
    """The optimal assignment of the call's applications that still need experts (nothing is saved)."""
    require(user, "create", Assignment)
    return _solve_optimal(call, gather(call))


def _solve_optimal(call, data: MatchingInput) -> MatchingPlan:
    if not data.applications or int(data.need.sum()) == 0:
        raise NotNow(_("No application of this call under review needs more experts."))
    keep = data.need > 0
    problem = AssignmentProblem(
        np.array(data.application_ids)[keep], data.expert_ids, data.affinity[keep],
        k=data.need[keep], max_load=data.room, conflicts=data.conflicts)
    try:
        result = solve_assignment(problem)
    except AssignmentInfeasible as exc:
        raise NotNow(*_explain(exc, data)) from None
    pairs = result.pairs
    plan = MatchingPlan("optimal", _rows(data, pairs, result.affinity), float(result.total_affinity),
                        _digest("optimal", pairs), seconds=result.solve_seconds)
    _keep(call, plan, data, pairs)
    return plan


def preview_draw(user, call, seed=None) -> MatchingPlan:
    """A random draw (随机抽取) among the eligible experts, reproducible from its seed."""
    require(user, "draw", Assignment)
    return _draw(call, gather(call), seed)


def _draw(call, data: MatchingInput, seed=None) -> MatchingPlan:
    if not data.applications or int(data.need.sum()) == 0:
        raise NotNow(_("No application of this call under review needs more experts."))
    seed = make_seed() if seed is None else int(seed)
    keep = data.need > 0
    eligible = data.eligible[keep]  # the draw needs who is eligible, not how well they fit
    try:
        result = draw_experts(np.array(data.application_ids)[keep], data.expert_ids, k=data.need[keep], seed=seed,
                              eligible=eligible, conflicts=data.conflicts, max_load=data.room)
    except AssignmentInfeasible as exc:
        raise NotNow(*_explain(exc, data)) from None
    pairs = result.pairs
    plan = MatchingPlan("draw", _rows(data, pairs), 0.0, _digest("draw", pairs, seed), seed=seed)
    _keep(call, plan, data, pairs)
    return plan


@transaction.atomic
def commit(user, call, method: str, digest: str, seed=None):
    """Save the previewed plan, if the input is still the one it was solved from (else refuse: preview again)."""
    require(user, "create", Assignment)
    if method == "draw":
        require(user, "draw", Assignment)
    lock_call_assignments(call)  # nobody else assigns in this call until this transaction ends
    seed = None if method == "optimal" or seed is None else int(seed)
    data = gather(call)
    plan = _kept(call, method, digest, seed, data)
    if plan is None:  # not kept here: solve again; the same input gives the same digest
        plan = _solve_optimal(call, data) if method == "optimal" else _draw(call, data, seed)
    if plan.digest != digest:
        raise NotNow(_("The applications, experts or conflicts changed since the preview; preview again."))
    # No planned pair is a conflict: gather() handed every known and automatic conflict to the solver.
    return create_assignments(user, plan)


def create_assignments(user, plan: MatchingPlan):
    """Write a plan's assignments, their reviews and audit rows in a few statements, whatever its size; return
    the new assignments (a query: 10,000 of them are not loaded unless the caller reads them).

    No per-assignment grant: the assignment row itself lets the expert see the application (the access
    policy, review/policies.py). Each expert is notified once for the whole plan (review/notifications.py).
    """
    method = AssignmentMethod.DRAW if plan.method == "draw" else AssignmentMethod.OPTIMAL
    now = timezone.now()
    insert_rows(Assignment, ["application", "expert", "state", "method", "draw_seed", "affinity", "assigned_by",
                             "assigned_at", "voided_reason"],
                ((row["application"].pk, row["expert"].pk, AssignmentState.ACTIVE, method, plan.seed,
                  None if row["affinity"] is None else Decimal(str(row["affinity"])), user.pk, now, "")
                 for row in plan.rows))
    created = Assignment.objects.filter(assigned_by=user, assigned_at=now, method=method,
                                        state=AssignmentState.ACTIVE).order_by("application_id", "id")
    ids = dict(((a, e), pk) for pk, a, e in created.values_list("pk", "application_id", "expert_id"))
    pks = [ids[(row["application"].pk, row["expert"].pk)] for row in plan.rows]
    insert_rows(Review, ["assignment", "state", "recommendation", "overall_comment", "confidential_note",
                         "updated_at"], ((pk, ReviewState.DRAFT, "", "", "", now) for pk in pks))
    if plan.method == "draw":
        comments = [_("Random draw, seed %(seed)s") % {"seed": plan.seed}] * len(pks)
    else:
        text = _("Optimal assignment, affinity %(a)s")
        comments = [text % {"a": row["affinity"]} for row in plan.rows]
    record_creations(Assignment, pks, AssignmentState.ACTIVE, user, comments)
    return created
