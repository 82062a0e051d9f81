"""The min-cost flow behind the assignment and the draw (OR-Tools ``SimpleMinCostFlow`` built from numpy arrays),
its integer costs, and the shortlist first solve with its exact optimality proof (see :mod:`.assignment`)."""
from __future__ import annotations

import time
from typing import NamedTuple

import numpy as np
from ortools.graph.python import min_cost_flow

from .assignment_problem import _Canon

_TIE_LEVELS = 64
_COST_LIMIT = 2**62


class _Flow(NamedTuple):
    feasible: bool
    chosen: np.ndarray  # bool per pair arc
    app_flow: np.ndarray
    flow: int
    build_seconds: float
    solve_seconds: float


def arc_costs(n_nodes: int, weight: np.ndarray, demand: int, tie: np.ndarray | None) -> np.ndarray:
    """The flow's integer cost per pair arc: ``−w · B + t`` (see the module doc)."""
    max_w = int(weight.max()) if weight.size else 0
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
    return cost


def _solve_flow(n_a: int, n_e: int, ai: np.ndarray, ej: np.ndarray, weight: np.ndarray,
                k: np.ndarray, load: np.ndarray, tie: np.ndarray | None, cost: np.ndarray | None = None) -> _Flow:
    """Max-weight b-matching by min-cost flow. ``weight`` are non-negative int64 per arc;
    ``tie`` (uint64 hash per arc, or None) breaks ties among equal total weight; ``cost``: the arcs' costs
    when the caller computed them already."""
    t0 = time.perf_counter()
    demand = int(k.sum())
    m = ai.size
    if demand == 0:
        return _Flow(True, np.zeros(m, bool), np.zeros(n_a, np.int64), 0, 0.0, 0.0)
    n_nodes = n_a + n_e + 2
    if cost is None:
        cost = arc_costs(n_nodes, weight, demand, tie)
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


SHORTLISTS = (24, 96)  # arcs kept per application beyond its k (the cheapest), tried in turn before every arc
_DUAL_ROUNDS = 300


def _cheapest_first(ai: np.ndarray, cost: np.ndarray, n_a: int) -> np.ndarray:
    """Arc order by application, then cost, then expert (the arcs come sorted by application and expert): one
    stable sort of a packed key when it fits in 63 bits, else a lexsort."""
    low = int(cost.min())
    span = int(cost.max()) - low + 1
    bits = span.bit_length()
    if bits + max(n_a, 1).bit_length() < 63:
        return np.argsort((ai << bits) | (cost - low), kind="stable")
    return np.lexsort((np.arange(ai.size), cost, ai))


def solve_shortlisted(c: _Canon, weight: np.ndarray, cost: np.ndarray, extra: int) -> _Flow | None:
    """Solve on each application's ``k + extra`` cheapest arcs, and return that flow only if it is provably
    optimal for every arc; else None (the caller solves with every arc).

    The proof is LP duality, in exact integers. With profits ``p = −cost``, prices ``u_i`` (applications) and
    ``v_j ≥ 0`` (experts) give the upper bound ``Σ k_i u_i + Σ load_j v_j + Σ max(0, p_ij − u_i − v_j)`` on any
    assignment's total profit. The prices are found on the shortlist by the fixpoint of complementary slackness
    (``u_i = min over chosen (p_ij − v_j)``, ``v_j = max(0, max over unchosen (p_ij − u_i))``); the flow is
    accepted only when every arc left out has ``p_ij ≤ u_i + v_j`` and the bound equals the flow's profit, so
    no assignment, with or without the left-out arcs, is better. The result is then an optimum of the same
    costs as the full solve (the tie-break included), found on a fraction of the arcs.
    """
    n_a, n_e = c.app_ids.size, c.exp_ids.size
    m = c.ai.size
    if m == 0 or int(c.k.max(initial=0)) + extra >= n_e:
        return None
    order = _cheapest_first(c.ai, cost, n_a)
    group = c.ai[order]
    position = np.arange(m) - np.searchsorted(group, group, side="left")
    short = np.sort(order[position < c.k[group] + extra])
    flow = _solve_flow(n_a, n_e, c.ai[short], c.ej[short], weight[short], c.k, c.load, None, cost=cost[short])
    if not flow.feasible:
        return None
    chosen = np.zeros(m, bool)
    chosen[short[flow.chosen]] = True
    profit = -cost
    ch_a, ch_e, ch_p = c.ai[chosen], c.ej[chosen], profit[chosen]
    in_short = np.zeros(m, bool)
    in_short[short] = True
    un = in_short & ~chosen
    order_un = np.argsort(c.ej[un], kind="stable")
    un_a, un_e, un_p = c.ai[un][order_un], c.ej[un][order_un], profit[un][order_un]
    starts = np.flatnonzero(np.r_[True, un_e[1:] != un_e[:-1]]) if un_e.size else np.empty(0, np.int64)
    big = np.iinfo(np.int64).max // 4
    v = np.zeros(n_e, np.int64)
    for _round in range(_DUAL_ROUNDS):
        u = np.full(n_a, big, np.int64)
        np.minimum.at(u, ch_a, ch_p - v[ch_e])
        v_new = np.zeros(n_e, np.int64)
        if starts.size:
            v_new[un_e[starts]] = np.maximum(np.maximum.reduceat(un_p - u[un_a], starts), 0)
        if np.array_equal(v_new, v):
            break
        v = np.maximum(v, v_new)
    else:
        return None
    if np.any(u[c.k > 0] == big):
        return None
    u[c.k == 0] = big  # no demand: the price does not count, and no arc of theirs can beat it
    rest = ~chosen
    if np.any(profit[rest] > u[c.ai[rest]] + v[c.ej[rest]]):
        return None
    slack = np.maximum(ch_p - u[ch_a] - v[ch_e], 0)
    has = c.k > 0
    bound = int(c.k[has] @ u[has]) + int(c.load @ v) + int(slack.sum())
    if bound != int(ch_p.sum()):
        return None
    app_flow = np.bincount(c.ai[chosen], minlength=n_a).astype(np.int64)
    return _Flow(True, chosen, app_flow, int(app_flow.sum()), flow.build_seconds, flow.solve_seconds)
