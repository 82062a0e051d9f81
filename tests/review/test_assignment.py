"""Exact assignment: brute force agreement, constraints, infeasibility messages, determinism."""

import itertools

import numpy as np
import pytest

from review.algorithms import (
    Arcs,
    AssignmentInfeasible,
    AssignmentProblem,
    certify,
    greedy_assign,
    solve_assignment,
)
from review.algorithms.assignment import AFFINITY_SCALE


def brute_force(affinity, k, loads, conflicts):
    """Best total affinity over every feasible assignment (None if there is none)."""
    n_a, n_e = affinity.shape
    options = []
    for i in range(n_a):
        allowed = [j for j in range(n_e) if (i, j) not in conflicts and not np.isnan(affinity[i, j])]
        options.append(list(itertools.combinations(allowed, k)))
    best = None
    for choice in itertools.product(*options):
        load = np.zeros(n_e, int)
        for experts in choice:
            load[list(experts)] += 1
        if np.any(load > loads):
            continue
        total = sum(affinity[i, j] for i, experts in enumerate(choice) for j in experts)
        best = total if best is None else max(best, total)
    return best


def assert_valid(problem, result):
    app_ids = problem.application_ids.tolist()
    k = dict(zip(app_ids, problem.k.tolist(), strict=True))
    cap = dict(zip(problem.expert_ids.tolist(), problem.max_load.tolist(), strict=True))
    pairs = result.pairs
    assert len(set(pairs)) == len(pairs)
    for a in app_ids:
        assert len(result.experts_for(a)) == k[a]
    for e, n in result.loads().items():
        assert n <= cap[e]
    conflicts = set(map(tuple, problem.conflicts.tolist()))
    assert not conflicts & set(pairs)


@pytest.mark.parametrize("seed", range(60))
def test_solver_equals_brute_force_3x5_k2(seed):
    rng = np.random.default_rng(seed)
    affinity = np.round(rng.random((3, 5)), 3)
    loads = rng.integers(1, 3, 5)
    idx = rng.choice(15, size=rng.integers(0, 4), replace=False)
    conflicts = {(int(i // 5), int(i % 5)) for i in idx}
    app_ids, exp_ids = np.array([30, 10, 20]), np.array([5, 3, 9, 1, 7])
    problem = AssignmentProblem(
        app_ids, exp_ids, affinity, k=2, max_load=loads,
        conflicts=[(app_ids[i], exp_ids[j]) for i, j in conflicts],
    )
    best = brute_force(affinity, 2, loads, conflicts)
    if best is None:
        with pytest.raises(AssignmentInfeasible):
            solve_assignment(problem)
        return
    result = solve_assignment(problem)
    assert result.optimal and result.status == "OPTIMAL"
    assert result.total_affinity == pytest.approx(best, abs=1e-9)
    assert result.total_affinity <= result.bound + 1e-12
    assert_valid(problem, result)


@pytest.mark.parametrize("seed", range(20))
def test_solver_equals_brute_force_4x4_mixed_k_with_ineligible(seed):
    rng = np.random.default_rng(1000 + seed)
    affinity = rng.random((4, 4))
    affinity[rng.random((4, 4)) < 0.15] = np.nan
    k = rng.integers(1, 3, 4)
    loads = rng.integers(1, 4, 4)
    problem = AssignmentProblem(np.arange(4), np.arange(4), affinity, k=k, max_load=loads)
    options = []
    for i in range(4):
        allowed = [j for j in range(4) if not np.isnan(affinity[i, j])]
        options.append(list(itertools.combinations(allowed, int(k[i]))))
    best = None
    for choice in itertools.product(*options):
        load = np.bincount([j for c in choice for j in c], minlength=4)
        if np.all(load <= loads):
            total = sum(affinity[i, j] for i, c in enumerate(choice) for j in c)
            best = total if best is None else max(best, total)
    if best is None:
        with pytest.raises(AssignmentInfeasible):
            solve_assignment(problem)
    else:
        result = solve_assignment(problem)
        assert result.total_affinity == pytest.approx(best, abs=1e-5)
        assert_valid(problem, result)


def random_problem(seed, n_a=40, n_e=25, k=3, load=6, conflict_rate=0.05):
    rng = np.random.default_rng(seed)
    affinity = rng.random((n_a, n_e)) ** 2
    app_ids = rng.permutation(np.arange(100, 100 + n_a))
    exp_ids = rng.permutation(np.arange(500, 500 + n_e))
    ci, cj = np.nonzero(rng.random((n_a, n_e)) < conflict_rate)
    conflicts = np.stack([app_ids[ci], exp_ids[cj]], axis=1)
    return AssignmentProblem(app_ids, exp_ids, affinity, k=k, max_load=load, conflicts=conflicts)


def test_constraints_hold_on_a_larger_instance():
    problem = random_problem(7, n_a=120, n_e=50, k=4, load=11)
    result = solve_assignment(problem)
    assert_valid(problem, result)
    assert len(result.pairs) == 120 * 4
    assert result.n_arcs == 120 * 50 - len(problem.conflicts)


def test_pairs_are_sorted_and_affinities_match():
    problem = random_problem(3)
    result = solve_assignment(problem)
    assert result.pairs == sorted(result.pairs)
    lookup = {(a, e): problem.affinity[i, j]
              for i, a in enumerate(problem.application_ids.tolist())
              for j, e in enumerate(problem.expert_ids.tolist())}
    assert np.allclose(result.affinity, [lookup[p] for p in result.pairs])
    assert result.total_affinity == pytest.approx(sum(lookup[p] for p in result.pairs))


def test_sparse_arcs_give_the_same_assignment_as_the_dense_matrix():
    problem = random_problem(11)
    ia, je = np.nonzero(np.ones(problem.affinity.shape, bool))
    order = np.random.default_rng(0).permutation(ia.size)  # arcs in any order
    arcs = Arcs(problem.application_ids[ia][order], problem.expert_ids[je][order],
                problem.affinity[ia, je][order])
    sparse = AssignmentProblem(problem.application_ids, problem.expert_ids, arcs, k=3, max_load=6,
                               conflicts=set(map(tuple, problem.conflicts.tolist())))
    assert solve_assignment(sparse).pairs == solve_assignment(problem).pairs
    # only listed pairs are eligible
    few = Arcs(np.array([1, 1, 2]), np.array([5, 6, 5]), np.array([0.2, 0.9, 0.4]))
    result = solve_assignment(AssignmentProblem([1, 2], [5, 6], few, k=1, max_load=1))
    assert result.pairs == [(1, 6), (2, 5)]


def test_arcs_are_validated():
    with pytest.raises(ValueError, match="not in the problem"):
        solve_assignment(AssignmentProblem([1], [5], Arcs(np.array([2]), np.array([5]), np.array([0.5]))))
    with pytest.raises(ValueError, match="twice"):
        solve_assignment(AssignmentProblem([1], [5], Arcs(np.array([1, 1]), np.array([5, 5]), np.array([0.5, 0.4]))))


def test_eligible_mask_and_nan_exclude_pairs():
    affinity = np.array([[0.9, 0.8, np.nan, 0.1], [0.9, 0.8, 0.7, 0.1]])
    eligible = np.array([[True, True, True, True], [False, True, True, True]])
    problem = AssignmentProblem([1, 2], [11, 12, 13, 14], affinity, k=2, max_load=2, eligible=eligible)
    result = solve_assignment(problem)
    assert result.experts_for(1) == [11, 12]
    assert result.experts_for(2) == [12, 13]


def test_conflict_forces_the_second_best_expert():
    affinity = np.array([[0.9, 0.5, 0.1]])
    problem = AssignmentProblem([1], [11, 12, 13], affinity, k=1, max_load=1, conflicts=[(1, 11), (99, 12)])
    assert solve_assignment(problem).pairs == [(1, 12)]


def test_loads_force_a_trade_off_that_greedy_misses():
    # Expert 11 is everyone's favourite but takes one application; optimal gives it to application 2.
    affinity = np.array([[0.9, 0.8], [0.9, 0.1]])
    problem = AssignmentProblem([1, 2], [11, 12], affinity, k=1, max_load=1)
    optimal = solve_assignment(problem)
    assert optimal.pairs == [(1, 12), (2, 11)]
    assert optimal.total_affinity == pytest.approx(1.7)
    greedy = greedy_assign(problem)
    assert greedy.pairs == [(1, 11), (2, 12)]
    assert greedy.total_affinity == pytest.approx(1.0)
    assert greedy.status == "COMPLETE" and not greedy.optimal


def test_greedy_never_beats_the_optimum():
    for seed in range(5):
        problem = random_problem(seed)
        greedy = greedy_assign(problem)
        if greedy.status == "COMPLETE":
            assert_valid(problem, greedy)
            assert greedy.total_affinity <= solve_assignment(problem).total_affinity + 1e-9


def test_certificate_confirms_optimality():
    problem = random_problem(5, n_a=80, n_e=30, k=3, load=9)
    result = solve_assignment(problem)
    cert = certify(problem, result)
    assert cert.converged
    assert cert.bound >= result.total_affinity - 1e-9
    assert cert.gap <= problem.demand / AFFINITY_SCALE
    assert result.bound >= result.total_affinity


def test_certificate_does_not_confirm_a_suboptimal_solution():
    affinity = np.array([[0.9, 0.8], [0.9, 0.1]])
    problem = AssignmentProblem([1, 2], [11, 12], affinity, k=1, max_load=1)
    greedy = greedy_assign(problem)
    cert = certify(problem, greedy, max_iter=50)
    assert not cert.converged
    assert cert.bound >= 1.7 - 1e-9  # still a valid bound on the optimum
    assert cert.gap > 0.5


def test_zero_demand_is_trivially_optimal():
    problem = AssignmentProblem([1, 2], [5], np.zeros((2, 1)), k=0, max_load=0)
    result = solve_assignment(problem)
    assert result.pairs == [] and result.optimal


# ------------------------------------------------------------------------------------ determinism


def test_same_input_gives_the_same_result():
    a = solve_assignment(random_problem(21))
    b = solve_assignment(random_problem(21))
    assert a.pairs == b.pairs
    assert a.total_affinity == b.total_affinity


def test_result_does_not_depend_on_input_order_even_with_ties():
    rng = np.random.default_rng(2)
    n_a, n_e = 30, 12
    affinity = rng.integers(0, 3, (n_a, n_e)) / 2.0  # many exact ties
    app_ids, exp_ids = np.arange(n_a) + 1, np.arange(n_e) + 101
    base = solve_assignment(AssignmentProblem(app_ids, exp_ids, affinity, k=2, max_load=6))
    for seed in range(5):
        r = np.random.default_rng(seed)
        pa, pe = r.permutation(n_a), r.permutation(n_e)
        shuffled = AssignmentProblem(app_ids[pa], exp_ids[pe], affinity[np.ix_(pa, pe)], k=2, max_load=6)
        assert solve_assignment(shuffled).pairs == base.pairs


def test_ties_are_broken_by_the_documented_pair_hash():
    from review.algorithms.assignment import _tie_hash

    checked = 0
    for offset in range(24):
        app_ids, exp_ids = np.array([1, 2, 3]) + offset, np.array([10, 20, 30, 40]) + offset
        ai, ej = np.nonzero(np.ones((3, 4), bool))
        t = (_tie_hash(app_ids, exp_ids, ai, ej) >> np.uint64(58)).astype(int).reshape(3, 4)
        options = sorted(
            (sum(t[i, p[i]] for i in range(3)), p) for p in itertools.permutations(range(4), 3)
        )
        if options[0][0] == options[1][0]:
            continue  # the hash itself ties: the canonical arc order decides
        best = options[0][1]
        problem = AssignmentProblem(app_ids, exp_ids, np.full((3, 4), 0.5), k=1, max_load=1)
        expected = [(int(app_ids[i]), int(exp_ids[best[i]])) for i in range(3)]
        assert solve_assignment(problem).pairs == expected
        checked += 1
    assert checked >= 5


def test_all_equal_affinities_still_spread_deterministically():
    problem = AssignmentProblem(np.arange(1, 11), np.arange(1, 6), np.full((10, 5), 0.5), k=2, max_load=4)
    first = solve_assignment(problem)
    assert_valid(problem, first)
    assert solve_assignment(problem).pairs == first.pairs


# ------------------------------------------------------------------------------------ infeasibility


def test_application_with_too_few_eligible_experts():
    affinity = np.full((2, 4), 0.5)
    problem = AssignmentProblem([10, 20], [1, 2, 3, 4], affinity, k=3, max_load=5,
                                conflicts=[(10, 1), (10, 2)])
    with pytest.raises(AssignmentInfeasible) as err:
        solve_assignment(problem)
    assert str(err.value) == "application 10 has only 2 eligible experts; needs 3"
    assert err.value.reasons == ["application 10 has only 2 eligible experts; needs 3"]


def test_singular_and_zero_eligible_wording_and_zero_load_experts_do_not_count():
    affinity = np.full((2, 3), 0.5)
    problem = AssignmentProblem([10, 20], [1, 2, 3], affinity, k=2, max_load=[0, 5, 5],
                                conflicts=[(10, 2), (20, 2), (20, 3)])
    with pytest.raises(AssignmentInfeasible) as err:
        solve_assignment(problem)
    assert err.value.reasons == [
        "total capacity 1 < demand 4",
        "application 10 has only 1 eligible expert; needs 2",
        "application 20 has no eligible expert; needs 2",
    ]


def test_total_capacity_below_demand():
    problem = AssignmentProblem(np.arange(1, 51), np.arange(1, 11), np.full((50, 10), 0.5), k=3, max_load=14)
    with pytest.raises(AssignmentInfeasible) as err:
        solve_assignment(problem)
    assert str(err.value) == "total capacity 140 < demand 150"
    assert (err.value.capacity, err.value.demand) == (140, 150)


def test_total_capacity_counts_an_expert_at_most_once_per_eligible_application():
    # Expert 3 may take 10 but is eligible for 2 applications only: capacity 1 + 1 + 2 = 4 < 6.
    affinity = np.full((3, 3), 0.5)
    affinity[2, 2] = np.nan
    problem = AssignmentProblem([1, 2, 3], [1, 2, 3], affinity, k=2, max_load=[1, 1, 10])
    with pytest.raises(AssignmentInfeasible) as err:
        solve_assignment(problem)
    assert str(err.value) == "total capacity 4 < demand 6"


def test_hall_type_shortage_reports_max_flow_and_the_short_applications():
    # Per application and in total the counts look fine, but applications 1 and 2 share two
    # experts with one slot each.
    affinity = np.full((4, 5), np.nan)
    affinity[:2, :2] = 0.5
    affinity[2:, 2:] = 0.7
    problem = AssignmentProblem([1, 2, 3, 4], [7, 8, 9, 10, 11], affinity, k=2, max_load=[1, 1, 2, 2, 2])
    with pytest.raises(AssignmentInfeasible) as err:
        solve_assignment(problem)
    e = err.value
    assert str(e) == (
        "max flow 6 < demand 8: applications 1, 2 need 4 reviews together but their eligible experts "
        "(7, 8) can give them at most 2; short in a maximum partial assignment: application 1 has 1 of 2, "
        "application 2 has 1 of 2"
    )
    assert e.max_flow == 6 and e.demand == 8
    assert e.short_applications == {1: (1, 2), 2: (1, 2)}
    assert e.bottleneck_applications == (1, 2)
    assert e.bottleneck_experts == (7, 8)


def test_hall_certificate_shortfall_equals_demand_minus_flow():
    rng = np.random.default_rng(4)
    for _ in range(30):
        affinity = rng.random((8, 6))
        affinity[rng.random((8, 6)) < 0.55] = np.nan
        problem = AssignmentProblem(np.arange(8), np.arange(6), affinity, k=2,
                                    max_load=rng.integers(1, 5, 6))
        try:
            solve_assignment(problem)
        except AssignmentInfeasible as e:
            if e.max_flow is None:
                continue  # a simple count already failed
            shortfall = sum(need - got for got, need in e.short_applications.values())
            assert shortfall == e.demand - e.max_flow
            assert set(e.short_applications) <= set(e.bottleneck_applications)


def test_many_short_applications_are_summarised():
    problem = AssignmentProblem(np.arange(1, 13), [1, 2], np.full((12, 2), 0.5), k=3, max_load=12)
    with pytest.raises(AssignmentInfeasible) as err:
        solve_assignment(problem)
    assert len(err.value.reasons) == 13
    assert err.value.reasons[0] == "total capacity 24 < demand 36"
    assert str(err.value).startswith("total capacity 24 < demand 36; application 1 has only 2 eligible")
    assert str(err.value).endswith("; … and 3 more")


# ------------------------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"affinity": np.full((2, 3), 1.5)}, "affinities must lie in [0, 1]"),
        ({"affinity": np.full((3, 2), 0.5)}, "affinity has shape"),
        ({"application_ids": [1, 1]}, "duplicate application ids"),
        ({"expert_ids": [1.5, 2, 3]}, "expert ids must be integers"),
        ({"k": -1}, "k must be non-negative"),
        ({"max_load": [1, 2]}, "max_load must be an integer or an array of length 3"),
        ({"conflicts": [(1, 2, 3)]}, "conflicts must be"),
    ],
)
def test_invalid_problems_are_refused(kwargs, message):
    args = {"application_ids": [1, 2], "expert_ids": [1, 2, 3], "affinity": np.full((2, 3), 0.5)}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        AssignmentProblem(**args)


def _every_arc(monkeypatch, problem):
    from review.algorithms import flow

    with monkeypatch.context() as patched:
        patched.setattr(flow, "SHORTLISTS", ())
        return solve_assignment(problem)


def _shortlist_used(monkeypatch):
    from review.algorithms import flow

    proven = []
    original = flow.solve_shortlisted

    def watching(*args, **kwargs):
        flow = original(*args, **kwargs)
        proven.append(flow is not None)
        return flow

    monkeypatch.setattr(flow, "solve_shortlisted", watching)
    return proven


@pytest.mark.parametrize("seed", range(4))
def test_a_shortlist_proven_optimal_gives_the_optimum_of_every_arc(monkeypatch, seed):
    """Large pools are solved on each application's cheapest arcs first; the answer is accepted only with a proof
    that no arc left out could improve it, so its value is the full solve's to the last unit of cost."""
    rng = np.random.default_rng(seed)
    n_a, n_e = 60, 120
    affinity = np.round(rng.random((n_a, n_e)), 3)
    affinity[rng.random((n_a, n_e)) < 0.2] = np.nan
    problem = AssignmentProblem(np.arange(n_a) + 1, np.arange(n_e) + 500, affinity, k=3, max_load=2)
    proven = _shortlist_used(monkeypatch)
    result = solve_assignment(problem)
    assert proven and proven[-1] is True
    full = _every_arc(monkeypatch, problem)
    assert_valid(problem, result)
    assert result.bound == full.bound  # the same integer objective: both are optima of the same costs
    assert certify(problem, result).converged


def test_a_shortlist_that_cannot_be_proven_gives_way_to_more_arcs(monkeypatch):
    """Every application prefers the same few experts, whose loads are small: the optimum lies far down each
    list, the first shortlist's flow is refused, and the answer is still the full solve's."""
    n_a, n_e = 40, 130
    affinity = np.full((n_a, n_e), 0.1)
    affinity[:, :30] = 0.9  # everyone's favourites, one review each
    affinity += np.arange(n_e)[None, :] * 1e-4
    problem = AssignmentProblem(np.arange(n_a) + 1, np.arange(n_e) + 1, np.clip(affinity, 0, 1), k=3,
                                max_load=np.r_[np.ones(30, int), np.full(n_e - 30, 3)])
    proven = _shortlist_used(monkeypatch)
    result = solve_assignment(problem)
    assert proven and proven[0] is False
    full = _every_arc(monkeypatch, problem)
    assert result.bound == full.bound
    assert_valid(problem, result)
