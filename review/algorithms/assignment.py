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
0.5 · 10^-6). :func:`certify` computes an independent LP-dual bound from the solution itself.

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
from typing import NamedTuple

import numpy as np
from ortools.graph.python import min_cost_flow

__all__ = [
    "AFFINITY_SCALE",
    "Arcs",
    "AssignmentInfeasible",
    "AssignmentProblem",
    "AssignmentResult",
    "Certificate",
    "certify",
    "greedy_assign",
    "solve_assignment",
]

AFFINITY_SCALE = 1_000_000
_TIE_LEVELS = 64
_COST_LIMIT = 2**62


# --------------------------------------------------------------------------------------------- inputs


class Arcs(NamedTuple):
    """Sparse affinities: one entry per eligible (application id, expert id) pair."""

    application_ids: np.ndarray
    expert_ids: np.ndarray
    affinity: np.ndarray


def _as_ids(values, what: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{what} ids must be one-dimensional")
    if arr.size == 0:
        return arr.astype(np.int64)
    if not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{what} ids must be integers")
    arr = arr.astype(np.int64)
    if np.unique(arr).size != arr.size:
        raise ValueError(f"duplicate {what} ids")
    return arr


def _as_counts(value, n: int, what: str) -> np.ndarray:
    arr = np.asarray(value)
    if arr.ndim == 0:
        arr = np.full(n, arr)
    if arr.shape != (n,):
        raise ValueError(f"{what} must be an integer or an array of length {n}")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        if not np.all(np.equal(np.mod(arr, 1), 0)):
            raise ValueError(f"{what} must be whole numbers")
    arr = arr.astype(np.int64)
    if arr.size and arr.min() < 0:
        raise ValueError(f"{what} must be non-negative")
    return arr


def _as_pairs(pairs) -> np.ndarray:
    if isinstance(pairs, set | frozenset):
        pairs = sorted(pairs)
    arr = np.asarray(pairs if len(pairs) else np.empty((0, 2)), dtype=np.int64)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError("conflicts must be (application_id, expert_id) pairs")
    return arr


@dataclass(frozen=True, eq=False)
class AssignmentProblem:
    """One call's assignment problem.

    ``affinity`` is either a dense float array of shape (n_applications, n_experts) in the order of
    ``application_ids`` × ``expert_ids`` (NaN = not eligible) or :class:`Arcs` (sparse: only the
    listed pairs are eligible). ``k`` and ``max_load`` are an int or one value per application /
    expert (e.g. the remaining load after earlier assignments). ``conflicts`` lists
    (application_id, expert_id) pairs that must never be assigned; pairs naming ids outside the
    problem are ignored. ``eligible`` (dense only) is a boolean mask of qualified pairs.
    """

    application_ids: np.ndarray
    expert_ids: np.ndarray
    affinity: np.ndarray | Arcs
    k: int | np.ndarray = 3
    max_load: int | np.ndarray = 10
    conflicts: np.ndarray | list = ()
    eligible: np.ndarray | None = None

    def __post_init__(self):
        app_ids = _as_ids(self.application_ids, "application")
        exp_ids = _as_ids(self.expert_ids, "expert")
        set_ = object.__setattr__
        set_(self, "application_ids", app_ids)
        set_(self, "expert_ids", exp_ids)
        set_(self, "k", _as_counts(self.k, app_ids.size, "k"))
        set_(self, "max_load", _as_counts(self.max_load, exp_ids.size, "max_load"))
        set_(self, "conflicts", _as_pairs(self.conflicts))
        if isinstance(self.affinity, Arcs):
            a_ids = np.asarray(self.affinity.application_ids, dtype=np.int64)
            e_ids = np.asarray(self.affinity.expert_ids, dtype=np.int64)
            aff = np.asarray(self.affinity.affinity, dtype=np.float64)
            if not (a_ids.shape == e_ids.shape == aff.shape) or aff.ndim != 1:
                raise ValueError("Arcs arrays must be one-dimensional and of equal length")
            if self.eligible is not None:
                raise ValueError("eligible applies to a dense affinity matrix only")
            set_(self, "affinity", Arcs(a_ids, e_ids, aff))
        else:
            aff = np.asarray(self.affinity, dtype=np.float64)
            if aff.shape != (app_ids.size, exp_ids.size):
                raise ValueError(
                    f"affinity has shape {aff.shape}; expected ({app_ids.size}, {exp_ids.size})"
                )
            set_(self, "affinity", aff)
            if self.eligible is not None:
                elig = np.asarray(self.eligible, dtype=bool)
                if elig.shape != aff.shape:
                    raise ValueError("eligible must have the affinity's shape")
                set_(self, "eligible", elig)
        finite = aff[~np.isnan(aff)]
        if finite.size and (finite.min() < 0.0 or finite.max() > 1.0):
            raise ValueError("affinities must lie in [0, 1] (NaN marks a pair that is not eligible)")

    @property
    def demand(self) -> int:
        """Total number of reviews to assign (Σ k)."""
        return int(self.k.sum())


class _Canon(NamedTuple):
    """A problem in canonical form: ids sorted ascending, eligible arcs sorted by (application, expert)."""

    app_ids: np.ndarray
    exp_ids: np.ndarray
    ai: np.ndarray
    ej: np.ndarray
    aff: np.ndarray
    k: np.ndarray
    load: np.ndarray


def _positions(sorted_ids: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``ids`` in ``sorted_ids`` and a mask of those found."""
    if sorted_ids.size == 0:
        return np.zeros(ids.shape, np.int64), np.zeros(ids.shape, bool)
    pos = np.searchsorted(sorted_ids, ids)
    pos = np.minimum(pos, sorted_ids.size - 1)
    return pos, sorted_ids[pos] == ids


def _canonical(problem: AssignmentProblem) -> _Canon:
    oa = np.argsort(problem.application_ids, kind="stable")
    oe = np.argsort(problem.expert_ids, kind="stable")
    app_ids, exp_ids = problem.application_ids[oa], problem.expert_ids[oe]
    n_e = exp_ids.size
    ca, found_a = _positions(app_ids, problem.conflicts[:, 0])
    ce, found_e = _positions(exp_ids, problem.conflicts[:, 1])
    found = found_a & found_e
    ca, ce = ca[found], ce[found]
    if isinstance(problem.affinity, Arcs):
        arcs = problem.affinity
        pa, fa = _positions(app_ids, arcs.application_ids)
        pe, fe = _positions(exp_ids, arcs.expert_ids)
        if not (fa.all() and fe.all()):
            raise ValueError("Arcs name an application or expert id that is not in the problem")
        keys = pa * n_e + pe
        order = np.argsort(keys, kind="stable")
        keys, aff = keys[order], arcs.affinity[order]
        if keys.size > 1 and np.any(keys[1:] == keys[:-1]):
            raise ValueError("Arcs list the same (application, expert) pair twice")
        keep = ~np.isnan(aff)
        if ca.size:
            keep &= ~np.isin(keys, ca * n_e + ce)
        keys, aff = keys[keep], aff[keep]
        ai, ej = keys // max(n_e, 1), keys % max(n_e, 1)
    else:
        a = problem.affinity
        in_order = bool(np.all(oa[1:] > oa[:-1])) and bool(np.all(oe[1:] > oe[:-1]))
        if not in_order:  # ids not ascending: reorder rows and columns (a copy)
            a = a[np.ix_(oa, oe)]
        mask = ~np.isnan(a)
        if problem.eligible is not None:
            mask &= problem.eligible if in_order else problem.eligible[np.ix_(oa, oe)]
        mask[ca, ce] = False
        flat = np.flatnonzero(mask)
        ai, ej = np.divmod(flat, max(n_e, 1))
        aff = a.ravel()[flat]
    return _Canon(app_ids, exp_ids, ai.astype(np.int64), ej.astype(np.int64), aff,
                  problem.k[oa], problem.max_load[oe])


# --------------------------------------------------------------------------------------------- outputs


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
    ``bottleneck_experts`` (the Hall-type certificate).
    """

    def __init__(self, reasons: list[str], *, demand: int, capacity: int | None = None,
                 max_flow: int | None = None, short_applications: dict | None = None,
                 bottleneck_applications: tuple = (), bottleneck_experts: tuple = ()):
        self.reasons = list(reasons)
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


# --------------------------------------------------------------------------------------------- solver


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


class _Flow(NamedTuple):
    feasible: bool
    chosen: np.ndarray  # bool per pair arc
    app_flow: np.ndarray
    flow: int
    build_seconds: float
    solve_seconds: float


def _solve_flow(n_a: int, n_e: int, ai: np.ndarray, ej: np.ndarray, weight: np.ndarray,
                k: np.ndarray, load: np.ndarray, tie: np.ndarray | None) -> _Flow:
    """Max-weight b-matching by min-cost flow. ``weight`` are non-negative int64 per arc;
    ``tie`` (uint64 hash per arc, or None) breaks ties among equal total weight."""
    t0 = time.perf_counter()
    demand = int(k.sum())
    m = ai.size
    if demand == 0:
        return _Flow(True, np.zeros(m, bool), np.zeros(n_a, np.int64), 0, 0.0, 0.0)
    max_w = int(weight.max()) if m else 0
    n_nodes = n_a + n_e + 2
    levels = _TIE_LEVELS if tie is not None else 1
    while True:
        mult = (levels - 1) * demand + 1
        if (n_nodes + 1) * (max_w * mult + levels) < _COST_LIMIT or levels == 1:
            break
        levels //= 2
    if (n_nodes + 1) * (max_w * mult + levels) >= _COST_LIMIT:
        raise ValueError("problem too large for int64 costs at this affinity scale")
    cost = -weight * mult
    if levels > 1:
        bits = int(levels).bit_length() - 1  # levels is a power of two: keep the hash's top bits
        cost += (tie >> np.uint64(64 - bits)).astype(np.int64)
    src, snk = n_a + n_e, n_a + n_e + 1
    tails = np.concatenate([np.full(n_a, src), ai, n_a + np.arange(n_e)]).astype(np.int32)
    heads = np.concatenate([np.arange(n_a), n_a + ej, np.full(n_e, snk)]).astype(np.int32)
    caps = np.concatenate([k, np.ones(m, np.int64), load])
    costs = np.concatenate([np.zeros(n_a, np.int64), cost, np.zeros(n_e, np.int64)])
    mcf = min_cost_flow.SimpleMinCostFlow()
    arcs = mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(n_nodes, np.int64)
    supplies[src], supplies[snk] = demand, -demand
    mcf.set_nodes_supplies(np.arange(n_nodes, dtype=np.int32), supplies)
    t1 = time.perf_counter()
    status = mcf.solve()
    feasible = status == mcf.OPTIMAL
    if not feasible:
        if status != mcf.INFEASIBLE:
            raise RuntimeError(f"min-cost flow failed with status {status}")
        status = mcf.solve_max_flow_with_min_cost()
        if status != mcf.OPTIMAL:
            raise RuntimeError(f"max-flow analysis failed with status {status}")
    t2 = time.perf_counter()
    flows = mcf.flows(arcs)
    app_flow = flows[:n_a].astype(np.int64)
    chosen = flows[n_a:n_a + m] > 0
    return _Flow(feasible, chosen, app_flow, int(app_flow.sum()), t1 - t0, t2 - t1)


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
    wanted = c.k[c.ai] > 0
    deg_e = np.bincount(c.ej[wanted], minlength=n_e)
    capacity = int(np.minimum(c.load, deg_e).sum())
    if capacity < demand:  # first, so a long list of applications cannot hide it
        reasons.insert(0, f"total capacity {capacity} < demand {demand}")
    if reasons:
        raise AssignmentInfeasible(reasons, demand=demand, capacity=capacity)


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
    return AssignmentInfeasible(
        reasons, demand=demand, max_flow=flow.flow,
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
    t1 = time.perf_counter()
    flow = _solve_flow(c.app_ids.size, c.exp_ids.size, c.ai, c.ej, weight, c.k, c.load, tie)
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


# --------------------------------------------------------------------------------------------- baseline


def greedy_assign(problem: AssignmentProblem) -> AssignmentResult:
    """Baseline only: best-affinity-first with loads (ties: application id, then expert id).

    Status is "COMPLETE" when every application got its k experts, else "INCOMPLETE" (greedy can
    get stuck on instances that are feasible). ``optimal`` is False and ``bound`` is NaN.
    """
    t0 = time.perf_counter()
    c = _canonical(problem)
    order = np.lexsort((c.ej, c.ai, -c.aff))
    t1 = time.perf_counter()
    need = c.k.tolist()
    cap = c.load.tolist()
    remaining = sum(need)
    chosen: list[int] = []
    for arc, i, j in zip(order.tolist(), c.ai[order].tolist(), c.ej[order].tolist(), strict=True):
        if need[i] and cap[j]:
            need[i] -= 1
            cap[j] -= 1
            chosen.append(arc)
            remaining -= 1
            if not remaining:
                break
    t2 = time.perf_counter()
    sel = np.sort(np.asarray(chosen, dtype=np.int64))
    return AssignmentResult(
        application_ids=c.app_ids[c.ai[sel]],
        expert_ids=c.exp_ids[c.ej[sel]],
        affinity=c.aff[sel],
        total_affinity=float(c.aff[sel].sum()),
        bound=float("nan"),
        optimal=False,
        status="COMPLETE" if remaining == 0 else "INCOMPLETE",
        solve_seconds=t2 - t1,
        build_seconds=t1 - t0,
        method="greedy best-affinity-first",
        n_arcs=int(c.ai.size),
    )


# --------------------------------------------------------------------------------------------- certificate


@dataclass(frozen=True)
class Certificate:
    """An LP-dual upper bound on the best total affinity, computed from a solution.

    ``bound`` is valid for any dual prices; ``converged`` means the prices reached the fixpoint of
    complementary slackness, in which case ``gap = bound − total_affinity`` is only float rounding
    (a non-zero gap after convergence would mean the solution is not optimal).
    """

    bound: float
    total_affinity: float
    gap: float
    iterations: int
    converged: bool
    seconds: float


def certify(problem: AssignmentProblem, result: AssignmentResult, *, max_iter: int = 1000) -> Certificate:
    """Compute the dual bound ``Σ k_i u_i + Σ max_load_j v_j + Σ max(0, a_ij − u_i − v_j)``.

    LP dual of the assignment: prices ``v_j ≥ 0`` on experts, ``u_i`` on applications. Prices are
    found by a Bellman–Ford-style fixpoint on the integer-scaled affinities starting at v = 0:
    ``u_i = min over chosen (w_ij − v_j)``, ``v_j = max(0, max over unchosen (w_ij − u_i))``.
    For an optimal solution it converges with ``v_j = 0`` on experts below their load, and the bound
    then equals the solution's value.
    """
    t0 = time.perf_counter()
    c = _canonical(problem)
    n_a, n_e = c.app_ids.size, c.exp_ids.size
    keys = c.ai * n_e + c.ej
    ra, _ = _positions(c.app_ids, result.application_ids)
    re_, _ = _positions(c.exp_ids, result.expert_ids)
    chosen = np.isin(keys, ra * n_e + re_)
    w = np.rint(c.aff * AFFINITY_SCALE).astype(np.int64)
    ch_a, ch_e, ch_w = c.ai[chosen], c.ej[chosen], w[chosen]
    un = ~chosen
    order = np.argsort(c.ej[un], kind="stable")
    un_a, un_e, un_w = c.ai[un][order], c.ej[un][order], w[un][order]
    starts = np.flatnonzero(np.r_[True, un_e[1:] != un_e[:-1]]) if un_e.size else np.empty(0, np.int64)
    big = np.iinfo(np.int64).max // 4
    v = np.zeros(n_e, np.int64)
    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 (it is reported)
        u = np.full(n_a, big, np.int64)
        np.minimum.at(u, ch_a, ch_w - v[ch_e])
        u[u == big] = 0  # applications with k = 0: any u works (their coefficient is 0)
        v_new = np.zeros(n_e, np.int64)
        if starts.size:
            v_new[un_e[starts]] = np.maximum(np.maximum.reduceat(un_w - u[un_a], starts), 0)
        if np.array_equal(v_new, v):
            converged = True
            break
        v = np.maximum(v, v_new)
    vf = v / AFFINITY_SCALE
    uf = np.full(n_a, np.inf)
    np.minimum.at(uf, ch_a, c.aff[chosen] - vf[ch_e])
    uf[np.isinf(uf)] = 0.0
    slack = np.maximum(c.aff - uf[c.ai] - vf[c.ej], 0.0)
    bound = float(c.k @ uf + c.load @ vf + slack.sum())
    return Certificate(bound=bound, total_affinity=result.total_affinity,
                       gap=bound - result.total_affinity, iterations=it,
                       converged=converged, seconds=time.perf_counter() - t0)
