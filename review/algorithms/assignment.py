"""Exact assignment of experts to the applications of a call (自动分配评审专家).

Problem. Applications i (each needs exactly ``k_i`` reviews), experts j (each takes at most
``max_load_j``), eligible pairs (i, j) with affinity ``a_ij`` in [0, 1]; a pair is eligible unless it
is a conflict of interest (回避), marked not eligible, or has a NaN affinity. Choose pairs maximising
the total affinity ``Σ a_ij`` subject to exactly ``k_i`` experts per application, at most
``max_load_j`` applications per expert and at most one review per pair.

Method. This is a b-matching, solved exactly as a min-cost flow (OR-Tools ``SimpleMinCostFlow``,
built from numpy arrays with ``add_arcs_with_capacity_and_unit_cost``)::

    source ─(cap k_i, cost 0)─▶ application i ─(cap 1, cost c_ij)─▶ expert j ─(cap max_load_j, cost 0)─▶ sink

with supply ``D = Σ k_i`` at the source. The flow polytope is integral, so an OPTIMAL flow is an
optimal assignment: no rounding, no heuristic.

Shortlist first. Most arcs cannot be in an optimum (an application takes its k experts from the few that suit it
best, loads permitting), so the flow is solved first on each application's ``k + 24`` cheapest arcs, then the
result is proven optimal for *every* arc by LP duality in exact integers (prices found on the shortlist; each
arc left out is checked against them and the dual bound must equal the flow's cost, see
:func:`.flow.solve_shortlisted`). Without that proof a longer shortlist is tried, then every arc. The answer is an
optimum of exactly the same costs, the tie-break included, in a fraction of the time.

Integer costs. Affinities are scaled to integers ``w_ij = round(a_ij × 10^6)``
(:data:`AFFINITY_SCALE`), so the objective is exact to 10^-6 per pair. Ties are broken
deterministically: ``c_ij = −w_ij · B + t_ij`` where ``t_ij`` in [0, T) is a fixed hash of the
(application id, expert id) pair (the top 6 bits of a multiplicative hash of the splitmix64-mixed
ids, T = 64) and ``B = (T − 1) · D + 1``, so the tie term
can never outweigh one unit of affinity. Among assignments with the same scaled affinity, the one
with the smallest ``Σ t_ij`` wins: the result depends only on the ids and the affinities, not on the
order of the input. (T is lowered automatically if the costs would leave OR-Tools' int64 range.)

Bound. With status OPTIMAL, ``result.bound = Σ w_ij / 10^6 + D · 0.5 · 10^-6`` over the chosen pairs
is an upper bound on the best achievable float total affinity (rounding moves each pair by at most
0.5 · 10^-6). :func:`~review.algorithms.assignment_checks.certify` computes an independent LP-dual bound from the solution itself.

Infeasibility. :class:`AssignmentInfeasible` says what is short. Two counts are checked first and
reported together: "total capacity C < demand D" with C = Σ_j min(max_load_j, number of
applications j is eligible for), listed first; and "application X has only m eligible experts;
needs k" for each such application (experts with a zero load do not count). When both pass but the
maximum flow F is still below D (a Hall-type shortage), the message names the unique smallest set
of applications whose demand exceeds what their eligible experts can give
(Σ_j min(max_load_j, |eligible applications of j in the set|)), and which applications are short in
one maximum partial assignment.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from . import flow as _flows
from .assignment_problem import AssignmentProblem, _Canon, _canonical
from .flow import _Flow, _solve_flow

__all__ = [
    "AFFINITY_SCALE",
    "AssignmentInfeasible",
    "AssignmentResult",
    "solve_assignment",
]

AFFINITY_SCALE = 1_000_000


@dataclass(frozen=True, eq=False)
class AssignmentResult:
    """Chosen pairs, sorted by (application id, expert id), with their affinities."""

    application_ids: np.ndarray
    expert_ids: np.ndarray
    affinity: np.ndarray
    total_affinity: float
    bound: float
    optimal: bool
    status: str
    solve_seconds: float
    build_seconds: float
    method: str
    n_arcs: int

    @property
    def pairs(self) -> list[tuple[int, int]]:
        return list(zip(self.application_ids.tolist(), self.expert_ids.tolist(), strict=True))

    def experts_for(self, application_id: int) -> list[int]:
        return self.expert_ids[self.application_ids == application_id].tolist()

    def loads(self) -> dict[int, int]:
        ids, counts = np.unique(self.expert_ids, return_counts=True)
        return dict(zip(ids.tolist(), counts.tolist(), strict=True))


def _fmt_ids(ids, limit: int = 20) -> str:
    ids = [int(x) for x in ids]
    text = ", ".join(str(x) for x in ids[:limit])
    if len(ids) > limit:
        text += f", … (+{len(ids) - limit} more)"
    return text


def _experts_phrase(m: int) -> str:
    if m == 0:
        return "no eligible expert"
    return f"only {m} eligible expert" + ("" if m == 1 else "s")


class AssignmentInfeasible(ValueError):
    """No assignment satisfies the constraints; ``reasons`` says what is short.

    Attributes: ``reasons`` (all of them; the message shows the first 10), ``demand``, ``capacity``
    (set by the total check), ``max_flow``, ``short_applications`` ({application id: (assigned,
    needed)} in one maximum partial assignment), ``bottleneck_applications`` and
    ``bottleneck_experts`` (the Hall-type certificate). ``findings``: the same reasons as data, one dict per
    reason with its ``code`` (``capacity``, ``short_application``, ``bottleneck``, ``short_in_partial``) and
    numbers, for callers that word them in the user's language.
    """

    def __init__(self, reasons: list[str], *, demand: int, capacity: int | None = None,
                 max_flow: int | None = None, short_applications: dict | None = None,
                 bottleneck_applications: tuple = (), bottleneck_experts: tuple = (),
                 findings: list[dict] | None = None):
        self.reasons = list(reasons)
        self.findings = list(findings or [])
        self.demand = demand
        self.capacity = capacity
        self.max_flow = max_flow
        self.short_applications = short_applications or {}
        self.bottleneck_applications = tuple(bottleneck_applications)
        self.bottleneck_experts = tuple(bottleneck_experts)
        shown = self.reasons[:10]
        if len(self.reasons) > 10:
            shown.append(f"… and {len(self.reasons) - 10} more")
        super().__init__("; ".join(shown))


def _pair_hash(a_ids: np.ndarray, e_ids: np.ndarray, salt: int = 0) -> np.ndarray:
    """splitmix64-style mix of (salt, application id, expert id) → uint64; pure integer arithmetic."""
    with np.errstate(over="ignore"):
        x = np.uint64(salt & 0xFFFFFFFFFFFFFFFF) + np.uint64(0x9E3779B97F4A7C15)
        x = _mix64(np.full(a_ids.shape, x, dtype=np.uint64) ^ a_ids.astype(np.uint64))
        x = _mix64(x + np.uint64(0x9E3779B97F4A7C15) ^ e_ids.astype(np.uint64))
    return x


def _tie_hash(app_ids: np.ndarray, exp_ids: np.ndarray, ai: np.ndarray, ej: np.ndarray) -> np.ndarray:
    """Tie-break hash per arc: the ids are mixed once each (splitmix64), and an arc's hash is the
    golden-ratio product of the sum of its two mixed ids (one multiply per arc)."""
    ha = _mix64(app_ids.astype(np.uint64))
    he = _mix64(_mix64(exp_ids.astype(np.uint64)))
    with np.errstate(over="ignore"):
        return (ha[ai] + he[ej]) * np.uint64(0x9E3779B97F4A7C15)


def _mix64(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def _precheck(c: _Canon) -> None:
    """Raise for per-application shortages and for total capacity below demand."""
    demand = int(c.k.sum())
    n_a, n_e = c.app_ids.size, c.exp_ids.size
    usable = c.load[c.ej] > 0
    deg_a = np.bincount(c.ai[usable], minlength=n_a)
    short = np.flatnonzero(deg_a < c.k)
    reasons = [
        f"application {c.app_ids[i]} has {_experts_phrase(int(deg_a[i]))}; needs {c.k[i]}"
        for i in short.tolist()
    ]
    findings = [{"code": "short_application", "application": int(c.app_ids[i]), "eligible": int(deg_a[i]),
                 "needs": int(c.k[i])} for i in short.tolist()]
    wanted = c.k[c.ai] > 0
    deg_e = np.bincount(c.ej[wanted], minlength=n_e)
    capacity = int(np.minimum(c.load, deg_e).sum())
    if capacity < demand:  # first, so a long list of applications cannot hide it
        reasons.insert(0, f"total capacity {capacity} < demand {demand}")
        findings.insert(0, {"code": "capacity", "capacity": capacity, "demand": demand})
    if reasons:
        raise AssignmentInfeasible(reasons, demand=demand, capacity=capacity, findings=findings)


def _hall_report(c: _Canon, flow: _Flow) -> AssignmentInfeasible:
    """Explain a maximum flow below demand with the smallest deficient set of applications.

    The applications reachable from the source in the residual graph of any maximum flow form the
    source side of the (unique) minimal minimum cut; their demand exceeds what their eligible
    experts can give them by exactly D − F.
    """
    n_e = c.exp_ids.size
    demand = int(c.k.sum())
    reach_a = flow.app_flow < c.k
    reach_e = np.zeros(n_e, bool)
    while True:
        new_e = reach_e.copy()
        new_e[c.ej[reach_a[c.ai] & ~flow.chosen]] = True
        new_a = reach_a.copy()
        new_a[c.ai[new_e[c.ej] & flow.chosen]] = True
        if np.array_equal(new_a, reach_a) and np.array_equal(new_e, reach_e):
            break
        reach_a, reach_e = new_a, new_e
    in_set = reach_a[c.ai]
    deg_in = np.bincount(c.ej[in_set], minlength=n_e)
    experts = np.flatnonzero((deg_in > 0) & (c.load > 0))
    give = int(np.minimum(c.load, deg_in).sum())
    need = int(c.k[reach_a].sum())
    apps = np.flatnonzero(reach_a)
    short = np.flatnonzero(flow.app_flow < c.k)
    reasons = [
        f"max flow {flow.flow} < demand {demand}: applications {_fmt_ids(c.app_ids[apps])} need {need} "
        f"reviews together but their eligible experts ({_fmt_ids(c.exp_ids[experts])}) can give them "
        f"at most {give}",
        "short in a maximum partial assignment: " + ", ".join(
            f"application {c.app_ids[i]} has {flow.app_flow[i]} of {c.k[i]}" for i in short[:20].tolist()
        ) + (f", … (+{short.size - 20} more)" if short.size > 20 else ""),
    ]
    findings = [
        {"code": "bottleneck", "max_flow": int(flow.flow), "demand": demand,
         "applications": [int(x) for x in c.app_ids[apps]], "need": need,
         "experts": [int(x) for x in c.exp_ids[experts]], "give": give},
        {"code": "short_in_partial", "rows": [(int(c.app_ids[i]), int(flow.app_flow[i]), int(c.k[i]))
                                              for i in short[:20].tolist()], "more": max(int(short.size) - 20, 0)},
    ]
    return AssignmentInfeasible(
        reasons, demand=demand, max_flow=flow.flow, findings=findings,
        short_applications={int(c.app_ids[i]): (int(flow.app_flow[i]), int(c.k[i])) for i in short},
        bottleneck_applications=tuple(c.app_ids[apps].tolist()),
        bottleneck_experts=tuple(c.exp_ids[experts].tolist()),
    )


def solve_assignment(problem: AssignmentProblem) -> AssignmentResult:
    """Optimal assignment (maximum total affinity); raises :class:`AssignmentInfeasible`."""
    t0 = time.perf_counter()
    c = _canonical(problem)
    _precheck(c)
    weight = np.rint(c.aff * AFFINITY_SCALE).astype(np.int64)
    tie = _tie_hash(c.app_ids, c.exp_ids, c.ai, c.ej)
    n_a, n_e = c.app_ids.size, c.exp_ids.size
    cost = _flows.arc_costs(n_a + n_e + 2, weight, int(c.k.sum()), tie)
    t1 = time.perf_counter()
    flow = None
    for extra in _flows.SHORTLISTS:
        flow = _flows.solve_shortlisted(c, weight, cost, extra)
        if flow is not None:
            break
    if flow is None:  # no shortlist could be proven optimal: every arc
        flow = _solve_flow(n_a, n_e, c.ai, c.ej, weight, c.k, c.load, tie, cost=cost)
    if not flow.feasible:
        raise _hall_report(c, flow)
    sel = flow.chosen
    demand = int(c.k.sum())
    return AssignmentResult(
        application_ids=c.app_ids[c.ai[sel]],
        expert_ids=c.exp_ids[c.ej[sel]],
        affinity=c.aff[sel],
        total_affinity=float(c.aff[sel].sum()),
        bound=(int(weight[sel].sum()) + 0.5 * demand) / AFFINITY_SCALE,
        optimal=True,
        status="OPTIMAL",
        solve_seconds=flow.solve_seconds,
        build_seconds=(t1 - t0) + flow.build_seconds,
        method="min-cost flow (OR-Tools), affinity × 1e6, pair-hash tie-break",
        n_arcs=int(c.ai.size),
    )
