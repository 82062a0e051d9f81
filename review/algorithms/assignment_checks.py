"""Checks of an assignment: a greedy baseline to compare with, and an independent optimality
certificate (an LP-dual bound computed from the solution itself)."""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .assignment import AFFINITY_SCALE, AssignmentResult
from .assignment_problem import AssignmentProblem, _canonical, _positions


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
