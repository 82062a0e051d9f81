"""Affinity builder: the documented formula, vectorised paths agree with a plain loop."""

import math

import numpy as np
import pytest

from review.algorithms import AffinityWeights, build_affinity, field_overlap
from review.algorithms.affinity import intersection_counts


def reference(af, ak, ef, ek, wf=0.6, wk=0.4):
    norm = lambda s: {str(t).strip().casefold() for t in s}  # noqa: E731
    out = np.zeros((len(af), len(ef)))
    for i in range(len(af)):
        for j in range(len(ef)):
            f1, f2, k1, k2 = norm(af[i]), norm(ef[j]), norm(ak[i]), norm(ek[j])
            jac = len(f1 & f2) / len(f1 | f2) if f1 | f2 else 0.0
            cos = len(k1 & k2) / math.sqrt(len(k1) * len(k2)) if k1 and k2 else 0.0
            out[i, j] = wf * jac + wk * cos
    return out


def random_sets(rng, n, vocab, lo, hi):
    return [set(rng.choice(vocab, size=rng.integers(lo, hi + 1), replace=False).tolist()) for _ in range(n)]


def test_hand_computed_affinity():
    # Fields {AI, robotics} vs {AI}: Jaccard 1/2. Keywords {a, b, c, d} vs {c, d}: cosine 2/sqrt(8).
    aff = build_affinity([{"AI", "Robotics"}], [{"a", "b", "c", "d"}], [{"ai"}], [{"C ", "d"}])
    assert aff[0, 0] == pytest.approx(0.6 * 0.5 + 0.4 * 2 / math.sqrt(8))


def test_empty_sets_give_zero_not_nan():
    aff = build_affinity([set(), {"x"}], [set(), set()], [set()], [{"k"}])
    assert np.array_equal(aff, np.zeros((2, 1)))


def test_weights_are_normalised_and_validated():
    af, ak, ef, ek = [{"x"}], [{"k"}], [{"x"}], [{"z"}]
    assert build_affinity(af, ak, ef, ek, weights=AffinityWeights(3, 1))[0, 0] == pytest.approx(0.75)
    assert build_affinity(af, ak, ef, ek, weights=AffinityWeights(0, 1))[0, 0] == 0.0
    with pytest.raises(ValueError):
        build_affinity(af, ak, ef, ek, weights=AffinityWeights(0, 0))


@pytest.mark.parametrize("seed", range(5))
def test_matches_the_pairwise_loop(seed):
    rng = np.random.default_rng(seed)
    fields = [f"F{i}" for i in range(8)]
    words = [f"w{i}" for i in range(60)]
    af, ak = random_sets(rng, 30, fields, 0, 3), random_sets(rng, 30, words, 0, 8)
    ef, ek = random_sets(rng, 17, fields, 1, 3), random_sets(rng, 17, words, 2, 12)
    expected = reference(af, ak, ef, ek)
    for method in ("auto", "sparse", "dense"):
        got = build_affinity(af, ak, ef, ek, method=method)
        assert got.shape == (30, 17)
        assert np.allclose(got, expected, atol=1e-12)
        assert got.min() >= 0 and got.max() <= 1


def test_sparse_and_dense_counts_agree_with_integer_tokens():
    rng = np.random.default_rng(9)
    left = random_sets(rng, 50, np.arange(200), 0, 20)
    right = random_sets(rng, 40, np.arange(150, 400), 0, 20)
    sparse, ls, rs = intersection_counts(left, right, method="sparse", normalize=False)
    dense, _, _ = intersection_counts(left, right, method="dense", normalize=False)
    assert np.array_equal(sparse, dense)
    assert sparse[3, 5] == len(left[3] & right[5])
    assert ls.tolist() == [len(s) for s in left]


def test_field_overlap():
    overlap = field_overlap([{"AI"}, {"bio", "chem"}], [{"ai", "x"}, {"Chem"}, set()])
    assert overlap.tolist() == [[True, False, False], [False, True, False]]


def test_length_mismatch_is_refused():
    with pytest.raises(ValueError):
        build_affinity([{"a"}], [], [{"a"}], [{"b"}])
