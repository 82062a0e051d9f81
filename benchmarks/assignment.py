"""Section 1: automatic assignment of a whole call.

2,000 applications × 800 experts, k = 5 per application, load cap 15, 1 % random conflicts;
affinities from synthetic field/keyword sets through review.algorithms.affinity.build_affinity.
Optimal min-cost flow against the greedy baseline, checked by an LP-dual certificate.
"""

from __future__ import annotations

import time

import numpy as np

from review.algorithms import AssignmentProblem, build_affinity, certify, greedy_assign, solve_assignment

TITLE = "1. Automatic assignment (min-cost flow)"

N_FIELDS = 40
FIELD_KEYWORDS = 40
GENERAL_KEYWORDS = 100
TARGET_SECONDS = 3.0


def synthetic_profiles(rng: np.random.Generator, n: int, n_fields: tuple[int, int],
                       n_keywords: tuple[int, int]) -> tuple[list[set], list[set]]:
    """Field sets and keyword sets; keywords drawn mostly (80 %) from the pools of the own fields."""
    fields, keywords = [], []
    for _ in range(n):
        f = rng.choice(N_FIELDS, size=rng.integers(n_fields[0], n_fields[1] + 1), replace=False)
        count = int(rng.integers(n_keywords[0], n_keywords[1] + 1))
        own = rng.random(count) < 0.8
        pool_field = rng.choice(f, size=count)
        words = np.where(own, pool_field * FIELD_KEYWORDS + rng.integers(0, FIELD_KEYWORDS, count),
                         N_FIELDS * FIELD_KEYWORDS + rng.integers(0, GENERAL_KEYWORDS, count))
        fields.append({f"F{x:02d}" for x in f.tolist()})
        keywords.append({f"kw{x}" for x in words.tolist()})
    return fields, keywords


def check(problem: AssignmentProblem, result) -> str:
    """Verify the constraints on a result; returns "ok" or what failed."""
    per_app = np.bincount(np.searchsorted(np.sort(problem.application_ids), result.application_ids),
                          minlength=problem.application_ids.size)
    if not np.all(per_app == problem.k[np.argsort(problem.application_ids)]):
        return "wrong number of experts on some application"
    load = np.bincount(np.searchsorted(np.sort(problem.expert_ids), result.expert_ids),
                       minlength=problem.expert_ids.size)
    if np.any(load > problem.max_load[np.argsort(problem.expert_ids)]):
        return "a load cap exceeded"
    conflict_keys = set(map(tuple, problem.conflicts.tolist()))
    if any(p in conflict_keys for p in result.pairs):
        return "a conflicted pair assigned"
    return "ok"


def run(small: bool = False) -> str:
    n_apps, n_experts, k, cap = (60, 30, 3, 8) if small else (2000, 800, 5, 15)
    rng = np.random.default_rng(20251125)
    app_fields, app_keywords = synthetic_profiles(rng, n_apps, (1, 2), (6, 10))
    exp_fields, exp_keywords = synthetic_profiles(rng, n_experts, (1, 3), (8, 15))
    app_ids = np.arange(1, n_apps + 1) * 10
    exp_ids = np.arange(1, n_experts + 1) * 10 + 5
    mask = rng.random((n_apps, n_experts)) < 0.01
    ci, cj = np.nonzero(mask)
    conflicts = np.stack([app_ids[ci], exp_ids[cj]], axis=1)

    cpu0 = time.process_time()
    t0 = time.perf_counter()
    affinity = build_affinity(app_fields, app_keywords, exp_fields, exp_keywords)
    t_aff = time.perf_counter() - t0
    problem = AssignmentProblem(app_ids, exp_ids, affinity, k=k, max_load=cap, conflicts=conflicts)

    t0 = time.perf_counter()
    opt = solve_assignment(problem)
    t_opt = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    t0 = time.perf_counter()
    greedy = greedy_assign(problem)
    t_greedy = time.perf_counter() - t0
    cert = certify(problem, opt)

    total = t_aff + t_opt
    demand = problem.demand
    nonzero = float((affinity > 0).mean())
    lines = [
        f"Instance: {n_apps:,} applications × {n_experts:,} experts, k = {k}, load cap {cap}, "
        f"{len(conflicts):,} conflicts ({len(conflicts) / (n_apps * n_experts):.2%}), "
        f"{opt.n_arcs:,} eligible pairs; {demand:,} reviews to assign. Affinity > 0 on {nonzero:.1%} of "
        f"pairs (mean {affinity.mean():.3f}). Seed 20251125.",
        "",
        "| step | seconds |",
        "|---|---:|",
        f"| build affinities (field Jaccard + keyword cosine, vectorised) | {t_aff:.3f} |",
        f"| min-cost flow: arrays + graph | {opt.build_seconds:.3f} |",
        f"| min-cost flow: solve | {opt.solve_seconds:.3f} |",
        f"| **affinities + optimal assignment** | **{total:.3f}** "
        f"({'within' if total <= TARGET_SECONDS else 'over'} the {TARGET_SECONDS:.0f} s target; "
        f"CPU time {cpu:.3f} s) |",
        f"| greedy baseline (sort + Python loop) | {t_greedy:.3f} |",
        f"| LP-dual certificate of the optimum (not part of the solve) | {cert.seconds:.3f} |",
        "",
        "| method | status | total affinity | mean per review | constraints |",
        "|---|---|---:|---:|---|",
        f"| min-cost flow | {opt.status} | {opt.total_affinity:,.4f} | {opt.total_affinity / demand:.4f} "
        f"| {check(problem, opt)} |",
        f"| greedy best-first | {greedy.status} | {greedy.total_affinity:,.4f} | "
        f"{greedy.total_affinity / max(len(greedy.pairs), 1):.4f} | "
        f"{check(problem, greedy) if greedy.status == 'COMPLETE' else 'incomplete'} |",
        "",
        f"- Optimal vs greedy: +{opt.total_affinity - greedy.total_affinity:,.4f} total affinity "
        f"({(opt.total_affinity / greedy.total_affinity - 1) * 100:+.3f} %); greedy reaches "
        f"{greedy.total_affinity / opt.total_affinity:.4%} of the optimum.",
        f"- Rounding bound from the flow (affinity × 10^6, status OPTIMAL): optimum ≤ {opt.bound:,.6f}.",
        f"- LP-dual certificate: bound {cert.bound:,.6f}, gap to the flow's solution {cert.gap:.2e} "
        f"({'prices converged' if cert.converged else 'NOT converged'} after {cert.iterations} iterations): "
        f"no assignment can beat the flow's by more than float rounding.",
        f"- Time ratios: solve / affinities = {opt.solve_seconds / max(t_aff, 1e-9):.1f}; "
        f"optimal (graph + solve) / greedy = {(opt.build_seconds + opt.solve_seconds) / max(t_greedy, 1e-9):.2f}.",
    ]
    return "\n".join(lines)
