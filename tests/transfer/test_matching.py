"""Matching against hand-computed affinities: 0.6 × Jaccard(disciplines with parents) + 0.4 × cosine(keywords)."""
import math

import numpy as np
import pytest

from tests.factories import officer
from transfer.algorithms import Profile, affinity, top_matches, with_parents
from transfer.matching import centers_for_result, demands_for_result, profile, results_for_demand

from .factories import enterprise_user, make_demand, make_result

# Result R: ENG.MAT (+ENG), keywords {电池, 材料}
# Demand A: ENG.MAT (+ENG), keywords {电池}          → J = 2/2 = 1,   C = 1/√2     → 0.6 + 0.4/√2
# Demand B: ENG.ELEC (+ENG), keywords {电池, 储能}    → J = 1/3,       C = 1/2      → 0.2 + 0.2
# Demand C: LIFE.PHARMA (+LIFE), keywords {中药}      → J = 0,         C = 0        → 0
R = profile(["ENG.MAT"], "电池, 材料")
A = profile(["ENG.MAT"], "电池")
B = profile(["ENG.ELEC"], "电池、储能")
C = profile(["LIFE.PHARMA"], "中药")
EXPECTED = [0.6 + 0.4 / math.sqrt(2), 0.2 + 0.2, 0.0]


def test_profiles_count_parent_fields_and_normalise_keywords():
    assert with_parents(["ENG.MAT", "ICT"]) == {"ENG.MAT", "ENG", "ICT"}
    assert profile(["ENG.MAT"], "AI， 电池、 Battery").keywords == {"ai", "电池", "battery"}


def test_affinity_against_hand_computed_values():
    got = affinity([R], [A, B, C])[0]
    assert np.allclose(got, EXPECTED)


def test_top_matches_equals_the_full_ranking():
    indices, scores = top_matches([R, A], [A, B, C], k=2)
    assert indices[0].tolist() == [0, 1]
    assert np.allclose(scores[0], EXPECTED[:2])
    # C never matches: a zero score is no match (-1).
    indices, scores = top_matches([C], [A, B], k=2)
    assert indices.tolist() == [[-1, -1]] and scores.tolist() == [[0.0, 0.0]]


def test_top_matches_on_candidates_gives_the_full_scores():
    rng = np.random.default_rng(7)
    codes = ["ENG.MAT", "ENG.ELEC", "ICT.AI", "LIFE.PHARMA", "CONS.SHOES"]
    words = [f"w{i}" for i in range(30)]

    def random_profiles(n):
        return [Profile(with_parents(rng.choice(codes, size=2, replace=False)),
                        frozenset(rng.choice(words, size=3, replace=False))) for _ in range(n)]

    left, right = random_profiles(57), random_profiles(23)
    full = affinity(left, right)
    indices, scores = top_matches(left, right, k=5, block=10)
    assert np.allclose(scores, -np.sort(-full, axis=1)[:, :5])
    for i in range(len(left)):
        assert np.allclose(full[i, indices[i]], scores[i])


pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_match_lists_rank_with_reasons_and_only_what_the_caller_may_see():
    result = make_result(keywords="电池, 材料", codes=("ENG.MAT",))
    a = make_demand(keywords="电池", codes=("ENG.MAT",), title="需求A")
    b = make_demand(keywords="电池、储能", codes=("ENG.ELEC",), title="需求B")
    make_demand(keywords="中药", codes=("LIFE.PHARMA",), title="需求C")
    make_demand(keywords="电池", codes=("ENG.MAT",), title="草稿需求", state="draft")
    matches = demands_for_result(result.created_by, result)
    assert [m.obj.title for m in matches] == ["需求A", "需求B"]
    assert [m.score for m in matches] == [round(EXPECTED[0], 4), round(EXPECTED[1], 4)]
    assert any("电池" in r for r in matches[0].reasons)
    # Both sides: the demand's enterprise sees the (published) result.
    assert [m.obj.pk for m in results_for_demand(a.created_by, a)] == [result.pk]
    assert b.pk in [m.obj.pk for m in demands_for_result(officer(), result)]


@pytestmark_db
def test_enterprise_match_list_leaves_out_unpublished_results():
    make_result(published=False)
    demand = make_demand()
    assert results_for_demand(demand.created_by, demand) == []
    assert results_for_demand(enterprise_user(), demand) == []


@pytestmark_db
def test_centers_are_ranked_by_their_designation_profile():
    from tests.poc.after_approval_factories import make_center

    center = make_center()
    center.application.disciplines.set(center.application.disciplines.model.objects.filter(code="ENG.MAT"))
    result = make_result(codes=("ENG.MAT",))
    assert [m.obj.pk for m in centers_for_result(result)] == [center.pk]


def test_candidates_cover_pairs_without_shared_keywords():
    """Sparse keywords and profiles without any: the best are often chosen by disciplines alone."""
    rng = np.random.default_rng(11)
    codes = ["ENG.MAT", "ENG.ELEC", "ENG.PUMP", "ICT.AI", "ICT.SW", "LIFE.PHARMA"]
    words = [f"w{i}" for i in range(400)]

    def random_profiles(n):
        return [Profile(with_parents(rng.choice(codes, size=int(rng.integers(1, 3)), replace=False)),
                        frozenset(rng.choice(words, size=int(rng.integers(0, 3)), replace=False)))
                for _ in range(n)]

    left, right = random_profiles(120), random_profiles(80)
    full = affinity(left, right)
    for k in (1, 3, 10):
        indices, scores = top_matches(left, right, k=k, block=7)
        expected = -np.sort(-full, axis=1)[:, :k]
        assert np.allclose(scores, np.where(expected > 0, expected, 0.0))
        rows = np.arange(len(left))[:, None]
        assert np.allclose(np.where(indices >= 0, full[rows, np.maximum(indices, 0)], 0.0), scores)
