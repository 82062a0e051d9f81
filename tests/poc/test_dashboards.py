"""The officer's dashboards (per call, programme) and the public centers' chart: who may open them, and the figures
of each chart's data table against the data the test made (exact), in both languages, served from the project."""
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from poc.charts import CALL, PROGRAMME, charts_for
from poc.models import Application, Center, ProjectMilestone
from review.models import ReviewPlan
from tests.factories import (
    CallFactory,
    InstitutionFactory,
    applicant_of,
    expert,
    fund_manager,
    make_application,
    officer,
)
from tests.review.factories import local_moment

from .after_approval_factories import make_center, make_evaluation, make_project
from .charts_support import chart_tables, external_urls, table_of
from .pages_support import browser, text

pytestmark = pytest.mark.django_db


def submitted_on(application, moment):
    Application.objects.filter(pk=application.pk).update(submitted_at=moment)


@pytest.fixture
def call_world():
    """A call closing 2026-03-31 with four applications of two institutions: a draft, two submitted on
    2026-03-01 (one of them now under review) and one submitted on 2026-03-03."""
    call = CallFactory(title="Call with a dashboard", opens_at=local_moment(2026, 2, 1),
                       closes_at=local_moment(2026, 3, 31, 17))
    alpha, beta = InstitutionFactory(name="Alpha University"), InstitutionFactory(name="Beta Institute")
    make_application(call, alpha, state="draft")
    a1 = make_application(call, alpha, state="submitted")
    a2 = make_application(call, beta, state="under_review")
    a3 = make_application(call, beta, state="submitted")
    submitted_on(a1, local_moment(2026, 3, 1, 9))
    submitted_on(a2, local_moment(2026, 3, 1, 23, 30))  # late evening, Beijing time: still 1 March
    submitted_on(a3, local_moment(2026, 3, 3, 8))
    return {"call": call, "alpha": alpha, "beta": beta}


class TestWhoMayOpenThem:
    def test_officers_open_the_call_and_the_programme_dashboards(self, call_world):
        client = browser(officer())
        assert client.get(reverse("call-dashboard", args=[call_world["call"].pk])).status_code == 200
        assert client.get(reverse("programme-dashboard")).status_code == 200

    @pytest.mark.parametrize("make_user", [lambda w: applicant_of(w["alpha"]), lambda w: expert(),
                                           lambda w: fund_manager()], ids=["applicant", "expert", "fund_manager"])
    def test_every_other_role_is_refused(self, call_world, make_user):
        client = browser(make_user(call_world))
        assert client.get(reverse("call-dashboard", args=[call_world["call"].pk])).status_code == 403
        assert client.get(reverse("programme-dashboard")).status_code == 403

    def test_a_visitor_is_sent_to_sign_in(self, call_world):
        response = browser().get(reverse("programme-dashboard"))
        assert response.status_code == 302 and reverse("login") in response["Location"]

    def test_an_unknown_call_is_not_found(self):
        assert browser(officer()).get(reverse("call-dashboard", args=[999999])).status_code == 404

    def test_the_officer_finds_them_from_the_inbox_and_the_call(self, call_world):
        client = browser(officer())
        inbox = text(client.get(reverse("home")))
        assert reverse("programme-dashboard") in inbox
        assert reverse("call-dashboard", args=[call_world["call"].pk]) in inbox
        assert reverse("call-dashboard", args=[call_world["call"].pk]) in text(
            client.get(reverse("call-detail", args=[call_world["call"].pk])))


class TestTheCallDashboard:
    def test_applications_by_state_in_workflow_order(self, call_world):
        html = text(browser(officer()).get(reverse("call-dashboard", args=[call_world["call"].pk])))
        rows = table_of(html, "states")
        assert rows[0] == ["State", "Number of applications"]
        assert rows[1:5] == [["Draft", "1"], ["Submitted", "2"], ["Returned for revision", "0"],
                             ["Under expert review", "1"]]
        assert [row[1] for row in rows[5:]] == ["0"] * 7

    def test_submissions_per_day_against_the_deadline(self, call_world):
        html = text(browser(officer()).get(reverse("call-dashboard", args=[call_world["call"].pk])))
        assert table_of(html, "submissions") == [
            ["Day", "Submitted that day", "Submitted in all"],
            ["2026-03-01", "2", "2"],
            ["2026-03-03", "1", "3"],
        ]
        assert "Deadline: 2026-03-31." in chart_tables(html)["submissions"]["caption"]

    def test_the_charts_read_the_permission_filtered_applications(self, call_world):
        """Built for an applicant (whom the page refuses), the same charts count only its own institution's."""
        charts = {c.key: c for c in charts_for(CALL, applicant_of(call_world["alpha"]), call=call_world["call"])}
        states = dict(zip(charts["states"].categories, charts["states"].series[0].values, strict=True))
        assert sum(states.values()) == 2 and states["Draft"] == 1 and states["Submitted"] == 1
        assert charts["submissions"].series[0].values == [1]

    def test_the_page_is_drawn_from_the_project_with_no_inline_script(self, call_world):
        html = text(browser(officer()).get(reverse("call-dashboard", args=[call_world["call"].pk])))
        assert external_urls(html) == []
        assert "/static/vendor/echarts/echarts.min.js" in html and "/static/js/charts.js" in html
        assert '<script id="chart-data-states" type="application/json">' in html
        assert 'data-chart="chart-data-states" aria-hidden="true"' in html
        # every <script> either loads a file or carries JSON: nothing to execute inline
        scripts = re.findall(r"<script[^>]*>", html)
        assert scripts and all(" src=" in tag or 'type="application/json"' in tag for tag in scripts), scripts

    def test_in_chinese(self, call_world):
        html = text(browser(officer(), "zh-hans").get(reverse("call-dashboard", args=[call_world["call"].pk])))
        assert "申报状态分布" in html and "每日提交数" in html and "数据表" in html
        assert table_of(html, "states")[2] == ["已提交", "2"]


class TestTheProgrammeDashboard:
    @pytest.fixture
    def programme(self):
        """Three centers: designated 2023 (active, graded good for 2024 and excellent for 2025), 2023 (revoked,
        failed for 2024), 2024 (active, no evaluation). Projects: one in progress with two milestones (one
        reported, one overdue), one completed, one contracting."""
        c1 = make_center(designated_on=date(2023, 3, 1))
        c2 = make_center(designated_on=date(2023, 6, 1), state="revoked")
        make_center(designated_on=date(2024, 5, 1))
        make_evaluation(c1, 2024, state="scored", score=85, grade="good")
        make_evaluation(c1, 2025, state="scored", score=95, grade="excellent")
        make_evaluation(c2, 2024, state="scored", score=50, grade="fail")
        make_evaluation(c2, 2025, state="filed")  # filed, not scored: not counted
        running = make_project(state="in_progress", milestones=[(1, "Prototype"), (2, "Pilot run")],
                               signed_on=date(2025, 1, 15))
        ProjectMilestone.objects.filter(project=running, month=1).update(reported_at=timezone.now())
        make_project(state="completed")
        make_project(state="contracting")
        return running

    def test_centers_by_grade_and_by_state_over_the_years(self, programme):
        html = text(browser(officer()).get(reverse("programme-dashboard")))
        assert table_of(html, "grades") == [
            ["Data year", "Excellent", "Good", "Pass", "Fail"],
            ["2024", "0", "1", "0", "1"],
            ["2025", "1", "0", "0", "0"],
        ]
        assert table_of(html, "center-states") == [
            ["Designated in", "Active", "Rectifying", "Revoked", "Expired"],
            ["2023", "1", "0", "1", "0"],
            ["2024", "1", "0", "0", "0"],
        ]

    def test_projects_by_state_and_overdue_milestones(self, programme):
        html = text(browser(officer()).get(reverse("programme-dashboard")))
        projects = dict(table_of(html, "projects")[1:])
        assert projects["Contracting"] == "1" and projects["In progress"] == "1" and projects["Completed"] == "1"
        assert projects["Failed"] == "0"
        assert table_of(html, "milestones") == [
            ["Month", "Reported", "Overdue", "Not yet due"],
            ["2025-02", "1", "0", "0"],
            ["2025-03", "0", "1", "0"],
        ]

    def test_in_chinese(self, programme):
        html = text(browser(officer(), "zh-hans").get(reverse("programme-dashboard")))
        assert "项目总览看板" in html and "立项项目状态分布" in html
        assert external_urls(html) == []

    def test_built_for_an_applicant_the_charts_hold_only_its_institution(self, programme):
        own = programme.institution
        charts = {c.key: c for c in charts_for(PROGRAMME, applicant_of(own))}
        assert sum(sum(s.values) for s in charts["projects"].series) == 1
        assert sum(sum(s.values) for s in charts["center-states"].series) == 0


class TestThePublicCentersChart:
    def test_centers_in_force_per_district_and_type_no_private_data(self):
        lucheng = InstitutionFactory(district="鹿城区", contact_name="张老师")
        ouhai = InstitutionFactory(district="瓯海区")
        make_center(institution=lucheng)
        make_center(institution=lucheng, kind="pilot_base")
        make_center(institution=ouhai, state="rectifying")
        make_center(institution=ouhai, state="revoked")  # no longer designated: not listed, not counted
        response = browser().get(reverse("public-center-list"))
        html = text(response)
        assert response.status_code == 200
        assert table_of(html, "districts") == [
            ["District", str(Center.CenterType.POC_CENTER.label), str(Center.CenterType.PILOT_BASE.label)],
            ["瓯海区", "1", "0"],
            ["鹿城区", "1", "1"],
        ]
        assert "张老师" not in html and external_urls(html) == []

    def test_in_chinese(self):
        make_center()
        html = text(browser(None, "zh-hans").get(reverse("public-center-list")))
        assert "各区（县、市）已认定中心数（按类型）" in html


class TestOneQueryPerChartNotPerRow:
    def count(self, dashboard, user, **context):
        """Queries of one page's charts (after a first look: the user's roles are then known)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        charts_for(dashboard, user, **context)
        with CaptureQueriesContext(connection) as queries:
            charts = charts_for(dashboard, user, **context)
        return len(queries), charts

    def test_the_programme_s_queries_do_not_grow_with_its_rows(self, call_world):
        user = officer()
        make_center(designated_on=date(2023, 3, 1))
        make_project(state="in_progress", milestones=[(1, "Prototype")], signed_on=date(2025, 1, 15))
        before, charts = self.count(PROGRAMME, user)
        assert before == len(charts) + 1  # the contracts chart reads contracts and payments: two queries
        for year in (2022, 2024, 2025):
            center = make_center(designated_on=date(year, 3, 1), state="expired" if year == 2022 else "active")
            make_evaluation(center, year, state="scored", score=75)
        make_project(state="in_progress", milestones=[(3, "Pilot"), (5, "Scale-up")], signed_on=date(2024, 7, 1))
        make_project(state="completed")
        after, _charts = self.count(PROGRAMME, user)
        assert after == before

    def test_the_call_s_queries_do_not_grow_with_its_applications(self, call_world):
        user = officer()
        before, _charts = self.count(CALL, user, call=call_world["call"])
        assert before == 4  # states, days, the review plan, progress (no plan yet: nothing reviewed to rank)
        assert not ReviewPlan.objects.exists()  # looking creates nothing
        for _ in range(3):
            submitted_on(make_application(call_world["call"], call_world["beta"], state="submitted"),
                         local_moment(2026, 3, 4, 10))
        after, _charts = self.count(CALL, user, call=call_world["call"])
        assert after == before
