"""Random draw (随机抽取): reproducible from its seed, never conflicted, loads respected."""

import numpy as np
import pytest

from review.algorithms import AssignmentInfeasible, draw_experts, field_overlap, make_seed
from review.algorithms.draw import tickets


def pool(seed=0, n_a=20, n_e=30):
    rng = np.random.default_rng(seed)
    app_ids = np.arange(1, n_a + 1) * 7
    exp_ids = np.arange(1, n_e + 1) * 3
    eligible = rng.random((n_a, n_e)) < 0.6
    ci, cj = np.nonzero(rng.random((n_a, n_e)) < 0.1)
    conflicts = np.stack([app_ids[ci], exp_ids[cj]], axis=1)
    return app_ids, exp_ids, eligible, conflicts


def test_the_same_seed_reproduces_the_draw_exactly():
    app_ids, exp_ids, eligible, conflicts = pool()
    seed = make_seed()
    first = draw_experts(app_ids, exp_ids, k=3, seed=seed, eligible=eligible, conflicts=conflicts, max_load=4)
    again = draw_experts(app_ids, exp_ids, k=3, seed=first.seed, eligible=eligible, conflicts=conflicts,
                         max_load=4)
    assert again.pairs == first.pairs
    assert first.seed == seed


def test_a_recorded_seed_gives_a_known_draw():
    # Pinned so a change of algorithm cannot go unnoticed (a recorded draw must stay reproducible).
    result = draw_experts([1, 2], [10, 11, 12, 13, 14], k=2, seed=20251125)
    assert result.pairs == [(1, 10), (1, 12), (2, 12), (2, 14)]


def test_tickets_follow_the_documented_formula():
    mask = 2**64 - 1
    phi = 0x9E3779B97F4A7C15

    def mix(x):
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & mask
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & mask
        return x ^ (x >> 31)

    def ticket(seed, a, e):
        return mix((((mix(((seed + phi) & mask) ^ a)) + phi) & mask) ^ e)

    for seed, a, e in [(0, 1, 2), (20251125, 7, 3), (2**63 + 5, 123456, 654321)]:
        assert int(tickets(seed, [a], [e])[0]) == ticket(seed, a, e)


def test_different_seeds_give_different_draws():
    app_ids, exp_ids, eligible, conflicts = pool()
    draws = {tuple(draw_experts(app_ids, exp_ids, k=3, seed=s, eligible=eligible,
                                conflicts=conflicts).pairs) for s in range(5)}
    assert len(draws) == 5


def test_input_order_does_not_change_the_draw():
    app_ids, exp_ids, eligible, conflicts = pool(1)
    base = draw_experts(app_ids, exp_ids, k=2, seed=42, eligible=eligible, conflicts=conflicts, max_load=3)
    rng = np.random.default_rng(5)
    pa, pe = rng.permutation(app_ids.size), rng.permutation(exp_ids.size)
    shuffled = draw_experts(app_ids[pa], exp_ids[pe], k=2, seed=42, eligible=eligible[np.ix_(pa, pe)],
                            conflicts=conflicts[::-1], max_load=3)
    assert shuffled.pairs == base.pairs


@pytest.mark.parametrize("seed", range(10))
def test_never_conflicted_never_ineligible_exactly_k_and_loads_respected(seed):
    app_ids, exp_ids, eligible, conflicts = pool(seed)
    result = draw_experts(app_ids, exp_ids, k=3, seed=seed, eligible=eligible, conflicts=conflicts, max_load=3)
    conflict_set = set(map(tuple, conflicts.tolist()))
    row = {a: i for i, a in enumerate(app_ids.tolist())}
    col = {e: j for j, e in enumerate(exp_ids.tolist())}
    for a, e in result.pairs:
        assert (a, e) not in conflict_set
        assert eligible[row[a], col[e]]
    for a in app_ids.tolist():
        assert len(result.experts_for(a)) == 3
    assert max(np.unique(result.expert_ids, return_counts=True)[1]) <= 3


def test_without_binding_loads_each_application_takes_its_best_tickets():
    app_ids, exp_ids = np.array([5, 6, 7]), np.arange(100, 110)
    result = draw_experts(app_ids, exp_ids, k=3, seed=99)
    for a in app_ids.tolist():
        t = tickets(99, np.full(exp_ids.size, a), exp_ids)
        best = sorted(exp_ids[np.argsort(-t.astype(np.float64), kind="stable")][:3].tolist())
        assert result.experts_for(a) == best
    assert set(result.ticket_rank.tolist()) == {1, 2, 3}


def test_binding_loads_still_find_a_draw():
    # 6 applications × 2 experts = 12 = 4 experts × load 3: every expert must be used fully.
    result = draw_experts(np.arange(6), np.arange(4), k=2, seed=3, max_load=3)
    assert np.all(np.unique(result.expert_ids, return_counts=True)[1] == 3)


def test_draw_is_roughly_uniform_over_seeds():
    counts = np.zeros(6)
    for seed in range(3000):
        counts[draw_experts([1], np.arange(6), k=2, seed=seed).expert_ids] += 1
    assert np.all(np.abs(counts / 3000 - 1 / 3) < 0.04)


def test_too_few_qualified_experts_is_a_clear_error():
    eligible = field_overlap([{"AI"}, {"bio"}], [{"ai"}, {"ai"}, {"bio"}, {"ai", "bio"}])
    with pytest.raises(AssignmentInfeasible) as err:
        draw_experts([1, 2], [10, 11, 12, 13], k=3, seed=1, eligible=eligible, conflicts=[(1, 13)])
    assert err.value.reasons == [
        "total capacity 4 < demand 6",
        "application 1 has only 2 eligible experts; needs 3",
        "application 2 has only 2 eligible experts; needs 3",
    ]


def test_seed_must_be_a_non_negative_integer():
    for bad in (-1, 2**64, 1.5, "7", True):
        with pytest.raises(ValueError):
            draw_experts([1], [1, 2], k=1, seed=bad)
    assert 0 <= make_seed() < 2**63


@pytest.mark.parametrize("max_load", [None, 4, [0, 3, 4] * 10])
@pytest.mark.parametrize("seed", [3, 11])
def test_the_best_tickets_checked_without_the_solver_are_the_draw_the_solver_finds(monkeypatch, seed, max_load):
    """Where no load binds the draw is read off the tickets directly; it must be exactly the flow's draw."""
    from review.algorithms import draw as draw_module

    app_ids, exp_ids, eligible, conflicts = pool(seed)
    loads = None if max_load is None else np.asarray(max_load)
    def draw():
        return draw_experts(app_ids, exp_ids, k=3, seed=seed, eligible=eligible, conflicts=conflicts,
                            max_load=loads)

    direct = draw()  # a partial selection per application
    monkeypatch.setattr(draw_module, "_top_tickets_without_sorting", lambda c, ticket: None)
    sorted_ = draw()  # every pair sorted by ticket
    monkeypatch.setattr(draw_module, "_best_tickets_within_loads", lambda c, order: None)
    solved = draw()  # the min-cost flow
    assert direct.pairs == sorted_.pairs == solved.pairs
    assert direct.ticket_rank.tolist() == sorted_.ticket_rank.tolist() == solved.ticket_rank.tolist()
