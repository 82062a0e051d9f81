"""Aggregation: weighted totals, mean/median/trimmed mean/std/spread on hand-computed numbers."""

import numpy as np
import pytest

from review.algorithms import ReviewTable, Rubric, aggregate, rankdata, spearman


def table(scores_by_app):
    apps, experts, totals = [], [], []
    for app, scores in scores_by_app.items():
        for j, s in enumerate(scores):
            apps.append(app)
            experts.append(100 + j)
            totals.append(s)
    return ReviewTable(apps, experts, totals)


def test_trimmed_mean_drops_one_highest_and_one_lowest_from_five():
    agg = aggregate(table({1: [90, 85, 80, 70, 40]}))
    assert round(float(agg.trimmed_mean[0]), 2) == 78.33
    assert agg.trimmed[0]
    assert agg.mean[0] == 73.0
    assert agg.median[0] == 80.0
    assert agg.spread[0] == 50.0
    assert (agg.min[0], agg.max[0]) == (40.0, 90.0)
    # sample standard deviation (ddof=1): squared deviations 289+144+49+9+1089 = 1580; /4 = 395
    assert agg.std[0] == pytest.approx(np.sqrt(395.0))


def test_below_the_threshold_the_trimmed_mean_is_the_mean():
    agg = aggregate(table({1: [90, 80, 70, 40]}))
    assert not agg.trimmed[0]
    assert agg.trimmed_mean[0] == agg.mean[0] == 70.0
    assert agg.median[0] == 75.0  # mean of the two middle values


def test_threshold_is_configurable_per_call():
    agg = aggregate(table({1: [90, 80, 70, 40]}), trim_min_reviews=4)
    assert agg.trimmed[0] and agg.trimmed_mean[0] == 75.0
    with pytest.raises(ValueError):
        aggregate(table({1: [1, 2]}), trim_min_reviews=2)


def test_only_one_of_tied_extremes_is_dropped():
    agg = aggregate(table({1: [90, 90, 80, 40, 40]}))
    assert agg.trimmed_mean[0] == pytest.approx((90 + 80 + 40) / 3)


def test_divergence_flag_is_strictly_above_the_threshold():
    t = table({1: [90, 60], 2: [90, 59], 3: [75]})
    agg = aggregate(t, divergence_threshold=30)
    assert agg.divergent.tolist() == [False, True, False]
    assert agg.spread.tolist() == [30.0, 31.0, 0.0]
    assert not aggregate(t).divergent.any()  # no threshold, no flag


def test_single_review_and_applications_without_reviews():
    agg = aggregate(table({5: [70]}), application_ids=[9, 5])
    assert agg.application_ids.tolist() == [9, 5]
    assert agg.n_reviews.tolist() == [0, 1]
    assert np.isnan(agg.mean[0]) and np.isnan(agg.median[0]) and np.isnan(agg.spread[0])
    assert agg.mean[1] == 70 and np.isnan(agg.std[1]) and agg.spread[1] == 0
    with pytest.raises(ValueError, match="not in application_ids"):
        aggregate(table({5: [70]}), application_ids=[9])


def test_rubric_weighted_totals():
    rubric = Rubric(np.array([0.4, 0.3, 0.3]), codes=("innovation", "team", "market"))
    scores = np.array([[90, 80, 70], [50, 60, 100]])
    assert rubric.totals(scores).tolist() == pytest.approx([81.0, 68.0])
    t = ReviewTable.from_criteria([1, 1], [7, 8], scores, rubric)
    assert aggregate(t).mean[0] == pytest.approx(74.5)
    with pytest.raises(ValueError):
        rubric.totals(np.ones((2, 4)))
    with pytest.raises(ValueError):
        Rubric(np.array([0.5, -0.1]))


def test_review_table_refuses_duplicates_and_bad_values():
    with pytest.raises(ValueError, match="at most once"):
        ReviewTable([1, 1], [7, 7], [80, 90])
    with pytest.raises(ValueError, match="finite"):
        ReviewTable([1], [7], [np.nan])
    with pytest.raises(ValueError, match="integers"):
        ReviewTable([1.5], [7], [80])


def test_vectorised_statistics_match_a_loop():
    rng = np.random.default_rng(0)
    n_apps = 200
    counts = rng.integers(1, 9, n_apps)
    apps = np.repeat(rng.permutation(np.arange(1000, 1000 + n_apps)), counts)
    experts = np.concatenate([rng.choice(50, c, replace=False) for c in counts])
    totals = np.round(rng.uniform(30, 100, apps.size), 1)
    order = rng.permutation(apps.size)  # reviews in any order
    agg = aggregate(ReviewTable(apps[order], experts[order], totals[order]), divergence_threshold=40)
    for i, app in enumerate(agg.application_ids.tolist()):
        x = np.sort(totals[apps == app])
        assert agg.n_reviews[i] == x.size
        assert agg.mean[i] == pytest.approx(x.mean())
        assert agg.median[i] == pytest.approx(np.median(x))
        expected_trim = x[1:-1].mean() if x.size >= 5 else x.mean()
        assert agg.trimmed_mean[i] == pytest.approx(expected_trim)
        if x.size >= 2:
            assert agg.std[i] == pytest.approx(np.std(x, ddof=1))
        assert agg.spread[i] == pytest.approx(x.max() - x.min())
        assert agg.divergent[i] == (x.max() - x.min() > 40)


def test_rankdata_averages_ties():
    assert rankdata([10, 20, 20, 5]).tolist() == [2.0, 3.5, 3.5, 1.0]
    assert rankdata([]).tolist() == []


def test_spearman():
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # by hand, average ranks: x → 1,2,3,4,5; y → 2,1,4,4,4; centred: (-2,-1,0,1,2), (-1,-2,1,1,1);
    # covariance 7, norms² 10 and 8 → r = 7 / sqrt(80)
    assert spearman([1, 2, 3, 4, 5], [2, 1, 5, 5, 5]) == pytest.approx(7 / np.sqrt(80))
    assert np.isnan(spearman([1, 1, 1], [1, 2, 3]))
