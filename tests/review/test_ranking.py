"""Ranking: by the call's aggregate, ties broken by the documented rule."""

import numpy as np
import pytest

from review.algorithms import TIE_RULE, ReviewTable, aggregate, calibrate, rank_applications, rank_call
from review.algorithms.aggregation import Aggregates


def make_aggregates(ids, score, median, spread, n):
    ids = np.asarray(ids)
    size = ids.size
    nan = np.full(size, np.nan)
    return Aggregates(
        application_ids=ids, n_reviews=np.asarray(n), mean=np.asarray(score, float), median=np.asarray(median, float),
        trimmed_mean=np.asarray(score, float), trimmed=np.zeros(size, bool), std=nan,
        spread=np.asarray(spread, float), min=nan, max=nan, divergent=np.zeros(size, bool),
        trim_min_reviews=5, divergence_threshold=None,
    )


def test_tie_rule_is_documented():
    assert TIE_RULE == ("aggregate desc", "median desc", "spread asc", "n_reviews desc", "application_id asc")


def test_ties_follow_the_rule_key_by_key():
    agg = make_aggregates(
        ids=[10, 11, 12, 13, 14, 15, 16],
        score=[80, 80, 80, 80, 80, 80, 90],
        median=[78, 79, 79, 79, 79, 79, 60],
        spread=[5, 10, 8, 8, 8, 8, 50],
        n=[5, 5, 5, 6, 6, 3, 5],
    )
    r = rank_applications(agg, "mean")
    # 16 wins on aggregate; among the 80s: median 79 beats 78; then spread 8 beats 10;
    # among spread 8: 6 reviews beat 5 and 3; 13 vs 14 (both 6): lower id first.
    assert r.application_ids.tolist() == [16, 13, 14, 12, 15, 11, 10]
    assert r.decided_by.tolist() == ["", "aggregate", "application_id", "n_reviews", "n_reviews", "spread", "median"]
    assert r.rank.tolist() == [1, 2, 3, 4, 5, 6, 7]
    assert r.shared_rank.tolist() == [1, 2, 2, 2, 2, 2, 2]
    assert r.rank_of()[13] == 2


def test_shared_rank_is_competition_ranking():
    agg = make_aggregates([1, 2, 3, 4], [90, 85, 85, 70], [1, 2, 3, 4], [0, 0, 0, 0], [5, 5, 5, 5])
    r = rank_applications(agg, "mean")
    assert r.application_ids.tolist() == [1, 3, 2, 4]  # 3 before 2: higher median
    assert r.shared_rank.tolist() == [1, 2, 2, 4]


def test_float_noise_does_not_decide():
    agg = make_aggregates([1, 2], [0.1 + 0.2, 0.3], [50, 50], [1, 1], [5, 5])
    r = rank_applications(agg, "mean")
    assert r.application_ids.tolist() == [1, 2]
    assert r.decided_by.tolist() == ["", "application_id"]


def test_applications_without_reviews_come_last():
    agg = aggregate(ReviewTable([1, 1, 2], [1, 2, 1], [60, 70, 90]), application_ids=[3, 1, 2])
    r = rank_applications(agg, "median")
    assert r.application_ids.tolist() == [2, 1, 3]
    assert np.isnan(r.score[-1])


def test_ranking_by_each_aggregate_differs_as_expected():
    # app 1: one outlier low review; app 2: consistent.
    reviews = ReviewTable([1] * 5 + [2] * 5, [1, 2, 3, 4, 5] * 2, [90, 90, 90, 90, 10, 75, 75, 76, 75, 75])
    assert rank_call(reviews, "mean").application_ids.tolist() == [2, 1]
    assert rank_call(reviews, "median").application_ids.tolist() == [1, 2]
    assert rank_call(reviews, "trimmed_mean").application_ids.tolist() == [1, 2]


def test_ranking_by_calibrated_mean():
    # Expert 1 is harsh: application 1 was reviewed by expert 1 only among its reviewers' overlap.
    reviews = ReviewTable(
        [1, 1, 1, 2, 2, 2, 3, 3, 3],
        [1, 2, 3, 2, 3, 4, 1, 3, 4],
        [60, 80, 80, 78, 78, 78, 61, 80, 80],
    )
    r = rank_call(reviews, "calibrated", min_reviews_for_calibration=2)
    assert r.calibration is not None and r.by == "calibrated"
    assert r.calibration.bias_of(1) < 0
    assert r.application_ids[0] in (1, 3)
    assert r.aggregates.calibrated_mean is not None


def test_bad_aggregate_names_are_refused():
    agg = aggregate(ReviewTable([1], [1], [50]))
    with pytest.raises(ValueError, match="unknown aggregate"):
        rank_applications(agg, "max")
    with pytest.raises(ValueError, match="calibrated_totals"):
        rank_applications(agg, "calibrated")


def test_vectorised_ranking_matches_python_sort():
    rng = np.random.default_rng(1)
    n = 500
    agg = make_aggregates(
        ids=rng.permutation(np.arange(1, n + 1)),
        score=rng.integers(60, 70, n).astype(float),
        median=rng.integers(60, 63, n).astype(float),
        spread=rng.integers(0, 3, n).astype(float),
        n=rng.integers(3, 6, n),
    )
    r = rank_applications(agg, "mean")
    expected = sorted(
        range(n),
        key=lambda i: (-agg.mean[i], -agg.median[i], agg.spread[i], -agg.n_reviews[i], agg.application_ids[i]),
    )
    assert r.application_ids.tolist() == agg.application_ids[expected].tolist()


def test_calibrate_and_rank_call_agree():
    reviews = ReviewTable([1, 1, 2, 2, 3, 3], [1, 2, 2, 3, 3, 1], [70, 75, 80, 70, 60, 65])
    cal = calibrate(reviews, min_reviews=1)
    agg = aggregate(reviews, calibrated_totals=cal.calibrated_scores)
    direct = rank_applications(agg, "calibrated")
    combined = rank_call(reviews, "calibrated", min_reviews_for_calibration=1)
    assert direct.application_ids.tolist() == combined.application_ids.tolist()
