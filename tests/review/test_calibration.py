"""Reviewer calibration: additive bias model by least squares."""

import numpy as np
import pytest

from review.algorithms import ReviewTable, aggregate, calibrate, spearman
from review.algorithms.calibration import connected_groups


def synthetic_call(seed=0, n_apps=60, n_experts=10, per_app=4, harsh=-12.0, lenient=12.0, noise=2.0):
    rng = np.random.default_rng(seed)
    quality = rng.normal(70, 6, n_apps)
    bias = np.zeros(n_experts)
    bias[0], bias[1] = harsh, lenient  # expert 1 is harsh, expert 2 lenient
    experts = np.argsort(rng.random((n_apps, n_experts)), axis=1)[:, :per_app]
    a = np.repeat(np.arange(n_apps), per_app)
    e = experts.ravel()
    totals = quality[a] + bias[e] + rng.normal(0, noise, a.size)
    return quality, bias, ReviewTable(a + 1, e + 1, totals)


def lstsq_reference(reviews):
    """Dense least squares with the sum-to-zero row, for a connected review graph."""
    app_ids, a = np.unique(reviews.application_ids, return_inverse=True)
    exp_ids, e = np.unique(reviews.expert_ids, return_inverse=True)
    n_a, n_e, n = app_ids.size, exp_ids.size, a.size
    x = np.zeros((n + 1, n_a + n_e))
    x[np.arange(n), a] = 1
    x[np.arange(n), n_a + e] = 1
    x[n, n_a:] = 1
    y = np.r_[reviews.totals, 0.0]
    theta = np.linalg.lstsq(x, y, rcond=None)[0]
    return theta[:n_a], theta[n_a:]


def test_harsh_and_lenient_experts_are_found_and_calibration_improves_the_ranking():
    quality, bias, reviews = synthetic_call()
    cal = calibrate(reviews)
    assert cal.converged
    assert cal.bias_of(1) < -9 and cal.bias_of(2) > 9
    assert np.all(np.abs(cal.bias[2:]) < 3)
    agg = aggregate(reviews, calibrated_totals=cal.calibrated_scores)
    raw = spearman(agg.mean, quality)
    calibrated = spearman(agg.calibrated_mean, quality)
    assert calibrated > raw + 0.05
    assert calibrated > 0.95


def test_matches_dense_least_squares_with_sum_to_zero():
    rng = np.random.default_rng(3)
    a = np.repeat(np.arange(25), 3)
    e = np.concatenate([rng.choice(8, 3, replace=False) for _ in range(25)])
    totals = rng.uniform(40, 95, a.size)
    reviews = ReviewTable(a + 10, e + 200, totals)
    cal = calibrate(reviews, min_reviews=1, tol=1e-13)
    q_ref, b_ref = lstsq_reference(reviews)
    assert cal.bias.sum() == pytest.approx(0.0, abs=1e-9)
    assert np.allclose(cal.bias, b_ref, atol=1e-8)
    assert np.allclose(cal.quality, q_ref, atol=1e-8)
    agg = aggregate(reviews, calibrated_totals=cal.calibrated_scores)
    assert np.allclose(agg.calibrated_mean, cal.quality)


def test_raw_scores_are_kept_beside_calibrated_ones():
    _, _, reviews = synthetic_call(1)
    before = reviews.totals.copy()
    cal = calibrate(reviews)
    assert np.array_equal(reviews.totals, before)
    assert np.array_equal(cal.raw_scores, before)
    e_index = np.searchsorted(cal.expert_ids, reviews.expert_ids)
    assert np.allclose(cal.calibrated_scores, before - cal.bias[e_index])


def test_experts_with_too_few_reviews_are_flagged_and_not_calibrated():
    _, _, reviews = synthetic_call(2)
    # Expert 99 reviews two applications only, and is very harsh.
    extra = ReviewTable(
        np.r_[reviews.application_ids, [1, 2]],
        np.r_[reviews.expert_ids, [99, 99]],
        np.r_[reviews.totals, [10.0, 12.0]],
    )
    cal = calibrate(extra, min_reviews=3)
    idx = np.searchsorted(cal.expert_ids, 99)
    assert cal.too_few_reviews[idx] and cal.expert_reviews[idx] == 2
    assert cal.bias[idx] == 0.0 and cal.group[idx] == -1
    assert cal.calibrated_scores[-2:].tolist() == [10.0, 12.0]
    assert cal.too_few_reviews.sum() == 1
    # …and the threshold is configurable
    assert not calibrate(extra, min_reviews=2).too_few_reviews.any()


def test_application_reviewed_only_by_uncalibrated_experts_has_no_quality():
    reviews = ReviewTable([1, 1, 1, 2, 2, 2, 3], [1, 2, 3, 1, 2, 3, 4], [70, 72, 74, 60, 61, 65, 50])
    cal = calibrate(reviews, min_reviews=2)
    assert np.isnan(cal.quality[2])
    assert cal.calibrated_scores[-1] == 50


def test_disconnected_groups_each_sum_to_zero():
    # Experts 1-3 review applications 1-3; experts 4-5 review applications 4-6: no shared work.
    rng = np.random.default_rng(0)
    apps, experts = [], []
    for app in (1, 2, 3):
        for ex in (1, 2, 3):
            apps.append(app)
            experts.append(ex)
    for app in (4, 5, 6):
        for ex in (4, 5):
            apps.append(app)
            experts.append(ex)
    reviews = ReviewTable(apps, experts, rng.uniform(50, 90, len(apps)))
    cal = calibrate(reviews)
    assert cal.group.tolist() == [0, 0, 0, 3, 3]
    assert cal.bias[:3].sum() == pytest.approx(0, abs=1e-9)
    assert cal.bias[3:].sum() == pytest.approx(0, abs=1e-9)


def test_connected_groups_with_a_chain():
    # app0: e0,e1; app1: e1,e2; app2: e3 alone; e4 no reviews
    a = np.array([0, 0, 1, 1, 2])
    e = np.array([0, 1, 1, 2, 3])
    assert connected_groups(a, e, 3, 5).tolist() == [0, 0, 0, 3, 4]


def test_identical_scores_give_zero_biases():
    reviews = ReviewTable([1, 1, 2, 2, 3, 3], [1, 2, 2, 3, 3, 1], [80.0] * 6)
    cal = calibrate(reviews, min_reviews=1)
    assert np.allclose(cal.bias, 0) and cal.converged and cal.iterations == 0
