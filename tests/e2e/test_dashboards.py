"""The dashboards in a real browser: each chart is drawn by the vendored ECharts from the figures the page
embeds, its data table beside it, with no request outside the live server and nothing axe finds serious.

The officer's call and programme dashboards, the fund manager's dashboard and the public centers chart."""
from datetime import date

from tests.factories import InstitutionFactory, make_application, officer
from tests.funding.factories import approved_decision, investment, manager_of
from tests.review.factories import ExpertFactory, assign, review_call, submit_directly, under_review


def assert_charts_drawn(ui, at_least: int) -> None:
    """Every chart area holds ECharts' drawing, and every chart has its data table with a caption."""
    ui.page.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart]')].every(e => e.querySelector('canvas, svg'))")
    charts = ui.page.locator("figure.chart")
    assert charts.count() >= at_least, charts.count()
    for i in range(charts.count()):
        figure = charts.nth(i)
        assert figure.locator("[data-chart] canvas, [data-chart] svg").count(), figure.inner_text()[:80]
        assert figure.locator("table.chart-table caption").count() == 1
    ui.audit()


def test_officer_reads_the_call_and_programme_dashboards(ui):
    staff = officer()
    call = review_call(title="2026年度概念验证项目（第一批）", min_reviews=2)
    for title, state in (("固态电池隔膜", "submitted"), ("海洋防污涂层", "draft")):
        make_application(call, InstitutionFactory(), state=state, title=title)
    experts = [ExpertFactory(name=name) for name in ("王建国", "李秀英", "陈志强")]
    for title, totals in (("眼视光器械", (82, 75, 60)), ("柔性传感器", (90, 88, None))):
        application = under_review(call, title=title)
        for expert, total in zip(experts, totals, strict=True):
            review = assign(application, expert, staff).review
            if total is not None:
                submit_directly(review, total)

    ui.login(staff)
    ui.goto(f"/calls/{call.pk}/dashboard/", audit=False)
    assert_charts_drawn(ui, at_least=5)  # funnel, submissions per day, progress per expert, spread, calibration
    funnel = ui.page.locator("figure.chart").first.locator("table.chart-table")
    assert ui.tr("Submitted") in funnel.inner_text()
    ui.shot("call-dashboard")

    ui.goto("/dashboard/", audit=False)
    assert_charts_drawn(ui, at_least=3)
    ui.shot("programme-dashboard")


def test_fund_manager_reads_the_fund_dashboard(ui):
    decision = approved_decision()
    manager = manager_of(decision.fund)
    investment(decision, amount="2000000.00", invested_on=date(2026, 3, 1))

    ui.login(manager)
    ui.goto("/funding/dashboard/", audit=False)
    assert_charts_drawn(ui, at_least=3)
    assert decision.fund.name in ui.text()
    ui.shot("fund-dashboard")
