"""The review's charts on the officer's call dashboard: progress per expert (overdue drafts), the score spread with
the divergence flag, calibrated beside raw means; each figure from the same rows as the console and the ranking."""
import pytest
from django.urls import reverse
from django.utils import timezone

from poc.charts import CALL, charts_for
from review.models import ReviewPlan
from review.ranking import call_ranking
from tests.factories import officer
from tests.poc.charts_support import chart_tables, table_of
from tests.poc.pages_support import browser, text
from tests.review.factories import (
    ExpertFactory,
    assign,
    days,
    proposed_to_a_fund_of,
    review_call,
    submit_directly,
    under_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed_call():
    """Application A scored 90, 60 and 80 (spread 30: divergent); B scored 70 and 75, its third review still a
    draft after the deadline (overdue)."""
    off = officer()
    call = review_call()
    experts = [ExpertFactory(name=f"Expert {i}") for i in range(3)]
    a, b = under_review(call), under_review(call)
    for expert, total in zip(experts, [90, 60, 80], strict=True):
        submit_directly(assign(a, expert, off).review, total)
    for expert, total in zip(experts, [70, 75, None], strict=True):
        review = assign(b, expert, off).review
        if total is not None:
            submit_directly(review, total)
    ReviewPlan.objects.filter(call=call).update(deadline=timezone.now() - days(1))
    return {"call": call, "a": a, "b": b, "experts": experts, "officer": off}


def dashboard(world, language="en"):
    return text(browser(world["officer"], language).get(reverse("call-dashboard", args=[world["call"].pk])))


def test_review_progress_per_expert_with_the_overdue_draft(reviewed_call):
    assert table_of(dashboard(reviewed_call), "experts") == [
        ["Expert", "Assigned", "Submitted", "Overdue"],
        ["Expert 0", "2", "2", "0"],
        ["Expert 1", "2", "2", "0"],
        ["Expert 2", "2", "1", "1"],
    ]


def test_score_distribution_and_spread_with_the_divergence_flag(reviewed_call):
    a, b = reviewed_call["a"], reviewed_call["b"]
    assert table_of(dashboard(reviewed_call), "scores") == [
        ["Application", "Lowest", "Highest", "Mean", "Spread", "Number of reviews", "Divergent"],
        [a.number, "60.00", "90.00", "76.67", "30.00", "3", "Yes"],
        [b.number, "70.00", "75.00", "72.50", "5.00", "2", "No"],
    ]


def test_calibrated_beside_raw_means_in_ranking_order(reviewed_call):
    rows, _calibration = call_ranking(reviewed_call["call"])
    calibrated = {r.application.pk: "—" if r.calibrated_mean is None else f"{r.calibrated_mean:.2f}" for r in rows}
    a, b = reviewed_call["a"], reviewed_call["b"]
    assert table_of(dashboard(reviewed_call), "calibration") == [
        ["Application", "Raw mean", "Calibrated mean", "Rank"],
        [a.number, "76.67", calibrated[a.pk], "1"],
        [b.number, "72.50", calibrated[b.pk], "2"],
    ]


def test_the_call_dashboard_holds_poc_s_charts_and_the_review_s(reviewed_call):
    assert list(chart_tables(dashboard(reviewed_call))) == ["states", "submissions", "experts", "scores",
                                                           "calibration"]


def test_in_chinese(reviewed_call):
    html = dashboard(reviewed_call, "zh-hans")
    assert "各专家评审进度" in html and "各申报评分分布" in html and "原始平均分与校准平均分（按排名顺序）" in html
    assert table_of(html, "scores")[1][-1] == "是"


def test_a_fund_manager_gets_only_the_rows_of_the_application_before_its_fund(reviewed_call):
    """Built for a fund manager (the page refuses them), the ranking charts keep to what the ranking shows them."""
    from tests.factories import fund_manager

    manager = fund_manager()
    proposed_to_a_fund_of(manager, reviewed_call["b"])
    charts = {c.key: c for c in charts_for(CALL, manager, call=reviewed_call["call"])}
    assert charts["scores"].categories == [reviewed_call["b"].number]
    assert charts["calibration"].categories == [reviewed_call["b"].number]
    assert "experts" not in charts  # no expert's name or load


def test_an_expert_sees_only_their_own_progress_and_no_scores(reviewed_call):
    charts = {c.key: c for c in charts_for(CALL, reviewed_call["experts"][2].user, call=reviewed_call["call"])}
    assert charts["experts"].categories == ["Expert 2"]
    assert "scores" not in charts and "calibration" not in charts
