"""A call's ranking from the database (review.ranking.call_ranking), on hand-computed reviews.

Totals are weighted sums of the criterion scores of submitted reviews of active assignments. The plan's
defaults: rank by the trimmed mean (drop the highest and the lowest from 5 reviews), divergence flagged
when the spread is above 20 points, experts calibrated from 3 reviews in the call.
"""
from decimal import Decimal

import pytest
from django.utils import translation

from poc.models import Application
from review import services
from review.models import Assignment, CriterionScore, Review
from review.ranking import application_aggregates, call_ranking
from tests.factories import make_application, officer
from tests.review.factories import (
    ExpertFactory,
    assign,
    fill_review,
    review_call,
    submit_directly,
    under_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def off():
    return officer()


@pytest.fixture
def experts():
    return [ExpertFactory(name=f"Expert {i}") for i in range(6)]


def reviewed(app, totals, experts, off, *, state=None):
    """``app`` with one submitted review per total, by ``experts`` in order; then put in ``state``."""
    for total, expert in zip(totals, experts, strict=False):
        submit_directly(assign(app, expert, off).review, total)
    if state:
        Application.objects.filter(pk=app.pk).update(state=state)
    return app


def row_of(rows, app):
    return next(r for r in rows if r.application.pk == app.pk)


def test_five_reviews_hand_computed(off, experts):
    call = review_call()
    app = reviewed(under_review(call), [90, 85, 80, 70, 40], experts, off)
    rows, calibration = call_ranking(call)
    row = row_of(rows, app)
    assert row.n_reviews == 5
    assert row.mean == 73.0
    assert row.median == 80.0
    assert row.trimmed and row.trimmed_mean == 78.33  # (85 + 80 + 70) / 3
    assert row.spread == 50.0
    assert row.std == 19.87  # sample standard deviation: sqrt(1580 / 4)
    assert row.divergent  # 50 > 20
    assert row.score == 78.33  # ranked by the trimmed mean
    assert (row.rank, row.shared_rank) == (1, 1)
    assert application_aggregates(app) == row


def test_below_five_reviews_the_plain_mean(off, experts):
    call = review_call()
    app = reviewed(under_review(call), [90, 85, 80, 40], experts, off)
    row = row_of(call_ranking(call)[0], app)
    assert not row.trimmed
    assert row.trimmed_mean == row.mean == row.score == 73.75
    assert row.median == 82.5  # mean of the two middle values


@pytest.mark.parametrize(("threshold", "divergent"), [("49.99", True), ("50", False), ("60", False)])
def test_divergence_is_strictly_above_the_threshold(off, experts, threshold, divergent):
    call = review_call()
    plan = services.ensure_plan(call)
    plan.divergence_threshold = Decimal(threshold)
    plan.save()
    app = reviewed(under_review(call), [90, 85, 80, 70, 40], experts, off)
    assert row_of(call_ranking(call)[0], app).divergent is divergent


def test_totals_use_the_criterion_weights(off, experts):
    call = review_call()
    plan = services.ensure_plan(call)
    services.replace_rubric(off, plan, [{"code": "quality", "max_score": 10, "weight": "6"},
                                        {"code": "impact", "max_score": 10, "weight": "4"}])
    app = under_review(call)
    review = assign(app, experts[0], off).review
    criteria = {c.code: c for c in plan.criteria.all()}
    CriterionScore.objects.create(review=review, criterion=criteria["quality"], score=9)
    CriterionScore.objects.create(review=review, criterion=criteria["impact"], score=5)
    Review.objects.filter(pk=review.pk).update(state="submitted", recommendation="support")
    assert row_of(call_ranking(call)[0], app).mean == 74.0  # 9 × 6 + 5 × 4


def test_ties_follow_the_documented_rule(off, experts):
    """Higher aggregate, then higher median, then lower spread, then more reviews, then lower id.

    Every application below has a mean (= aggregate, fewer than 5 reviews) of exactly 80.
    """
    call = review_call()
    b = reviewed(under_review(call), [80, 80, 80], experts, off)  # median 80, spread 0, 3 reviews
    c = reviewed(under_review(call), [70, 80, 90], experts, off)  # median 80, spread 20
    d = reviewed(under_review(call), [75, 75, 90], experts, off)  # median 75
    e = reviewed(under_review(call), [80, 80, 80, 80], experts, off)  # as b, with 4 reviews
    f = reviewed(under_review(call), [80, 80, 80], experts, off)  # as b, created after it (higher id)
    top = reviewed(under_review(call), [81, 81, 81], experts, off)  # a higher aggregate beats everything
    rows, _cal = call_ranking(call)
    assert [r.application for r in rows] == [top, e, b, f, c, d]
    assert [r.rank for r in rows] == [1, 2, 3, 4, 5, 6]
    assert [r.shared_rank for r in rows] == [1, 2, 2, 2, 2, 2]  # the tie stays visible
    assert b.pk < f.pk


def test_only_applications_that_reached_the_review_are_ranked(off, experts):
    call = review_call()
    ranked = reviewed(under_review(call), [80, 80, 80], experts, off)
    closed = reviewed(under_review(call), [70, 70, 70], experts, off, state="reviewed")
    rejected_after_review = reviewed(under_review(call), [50, 50, 50], experts, off, state="rejected")
    waiting = under_review(call)  # under review, no review yet: ranked last, without aggregates
    not_ranked = [make_application(call, state=s) for s in ("rejected", "submitted", "returned", "withdrawn", "draft")]
    rows, _cal = call_ranking(call)
    assert [r.application for r in rows] == [ranked, closed, rejected_after_review, waiting]
    last = rows[-1]
    assert (last.n_reviews, last.mean, last.median, last.trimmed_mean, last.score) == (0, None, None, None, None)
    assert not {a.pk for a in not_ranked} & {r.application.pk for r in rows}


def test_a_call_without_applications_in_review_has_no_ranking(off):
    call = review_call()
    make_application(call, state="rejected")
    assert call_ranking(call) == ([], None)


def test_drafts_and_voided_assignments_do_not_count(off, experts):
    call = review_call()
    app = reviewed(under_review(call), [80, 60], experts, off)
    fill_review(assign(app, experts[2], off).review, 10)  # a draft
    gone = submit_directly(assign(app, experts[3], off).review, 0)
    Assignment.objects.filter(pk=gone.assignment_id).update(state="voided")  # e.g. voided by a pinned conflict
    row = row_of(call_ranking(call)[0], app)
    assert (row.n_reviews, row.mean) == (2, 70.0)


def test_calibration_flags_experts_with_too_few_reviews(off):
    """Three experts review all three applications: L is 6 points lenient, H 6 points harsh, N neutral.
    S reviews only two applications (fewer than 3): not calibrated, flagged, bias 0."""
    call = review_call()
    lenient, harsh, neutral, sparse = (ExpertFactory(name=n) for n in ("L", "H", "N", "S"))
    quality = [70, 80, 60]
    apps = [under_review(call) for _ in quality]
    for app, q in zip(apps, quality, strict=True):
        reviewed(app, [q + 6, q - 6, q], [lenient, harsh, neutral], off)
    for app in apps[:2]:
        reviewed(app, [90], [sparse], off)
    rows, cal = call_ranking(call)
    flags = dict(zip(cal.expert_ids.tolist(), cal.too_few_reviews.tolist(), strict=True))
    assert flags == {lenient.pk: False, harsh.pk: False, neutral.pk: False, sparse.pk: True}
    assert cal.bias_of(lenient.pk) == pytest.approx(6.0)
    assert cal.bias_of(harsh.pk) == pytest.approx(-6.0)
    assert cal.bias_of(neutral.pk) == pytest.approx(0.0, abs=1e-9)
    assert cal.bias_of(sparse.pk) == 0.0
    # Calibrated means: the third application, without S, gets its quality back exactly.
    assert row_of(rows, apps[2]).calibrated_mean == 60.0
    assert row_of(rows, apps[0]).calibrated_mean == 75.0  # (70 + 70 + 70 + 90 raw) / 4


def test_ranking_by_the_calibrated_mean(off):
    """L is 6 points lenient, H 6 points harsh, N neutral; A met the harsh expert, B the lenient one.

    Raw means put B (81) before A (77); with the experts' bias removed A (80) comes before B (78).
    """
    call = review_call()
    lenient, harsh, neutral = (ExpertFactory() for _ in range(3))
    a = reviewed(under_review(call), [74, 80], [harsh, neutral], off)  # quality 80
    b = reviewed(under_review(call), [84, 78], [lenient, neutral], off)  # quality 78
    c = reviewed(under_review(call), [76, 64, 70], [lenient, harsh, neutral], off)  # quality 70
    d = reviewed(under_review(call), [66, 54, 60], [lenient, harsh, neutral], off)  # quality 60
    rows, _cal = call_ranking(call)
    assert [r.application for r in rows] == [b, a, c, d]  # the default: the (trimmed) mean
    assert [r.score for r in rows] == [81.0, 77.0, 70.0, 60.0]

    plan = services.ensure_plan(call)
    plan.ranking_aggregate = "calibrated"
    plan.save()
    rows, cal = call_ranking(call)
    assert [r.application for r in rows] == [a, b, c, d]
    assert [r.score for r in rows] == [80.0, 78.0, 70.0, 60.0]
    assert [r.mean for r in rows] == [77.0, 81.0, 70.0, 60.0]  # the raw figures stay beside the calibrated ones
    assert cal.bias_of(lenient.pk) == pytest.approx(6.0)
    assert cal.bias_of(harsh.pk) == pytest.approx(-6.0)
