"""Exports of poc's tables (applications as filtered, center evaluations, projects, milestones) in CSV and XLSX.

The rules: each row comes from the same permission-filtered selector as the page (an applicant exports its own
institution's rows and nothing of another's; the institution column is the officers'), CSV is UTF-8 with a BOM,
headers follow the interface language, dates read YYYY-MM-DD, money is a number (a typed cell in XLSX, never
text), a large export runs as a background job that gives the same file, and a refusal starts nothing.
"""
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from poc.models import Acceptance, Application, BackgroundJob, JobState
from tests.factories import UserFactory, expert, fund_manager, officer
from tests.poc.after_approval_factories import make_center, make_evaluation, make_project, scores_totalling
from tests.poc.export_support import (
    as_dicts,
    csv_rows,
    download,
    export_url,
    sheet_rows,
    workbook_sheet,
    xlsx_sheet,
)
from tests.poc.pages_support import TwoInstitutions, browser, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("inline_tasks")]


@pytest.fixture
def inline_tasks(settings):
    settings.CELERY_BROKER_URL = ""


@pytest.fixture
def world():
    scene = TwoInstitutions(state="submitted")
    from tests.factories import make_application

    scene.app_b = make_application(scene.call, scene.inst_b, created_by=scene.applicant_b, state="draft",
                                   title="Beta private project")
    Application.objects.filter(pk=scene.app_a.pk).update(submitted_at=datetime(2026, 3, 9, 10, 30).astimezone())
    scene.officer = officer()
    return scene


# ------------------------------------------------------------------------------------------ applications

def test_the_officer_exports_every_application_as_csv_with_a_bom_dates_and_money(world):
    rows = csv_rows(download(browser(world.officer), "applications", "csv"))
    assert rows[0] == ["Number", "Title", "Kind", "Institution", "Call", "State", "Submitted on", "Decided on",
                       "Requested grant (yuan)", "Requested investment (yuan)", "Self-funded amount (yuan)"]
    by_title = {row["Title"]: row for row in as_dicts(rows)}
    assert set(by_title) == {"Alpha secret project", "Beta private project"}
    alpha = by_title["Alpha secret project"]
    assert alpha["Institution"] == "Alpha University" and alpha["State"] == "Submitted"
    assert alpha["Submitted on"] == "2026-03-09" and alpha["Decided on"] == ""
    assert alpha["Requested grant (yuan)"] == "500000.00" and alpha["Self-funded amount (yuan)"] == "100000.00"


def test_an_applicant_exports_only_its_own_institutions_applications_without_the_institution_column(world):
    for fmt in ("csv", "xlsx"):
        response = download(browser(world.applicant_a), "applications", fmt)
        rows = csv_rows(response) if fmt == "csv" else sheet_rows(xlsx_sheet(response))
        assert "Institution" not in rows[0]
        assert [row[1] for row in rows[1:]] == ["Alpha secret project"]
        assert b"Beta" not in response.content
    assert [r[1] for r in csv_rows(download(browser(world.applicant_b), "applications", "csv"))[1:]] == [
        "Beta private project"]


def test_the_export_is_the_list_as_filtered(world):
    client = browser(world.officer)
    assert [r[1] for r in csv_rows(download(client, "applications", "csv", state="submitted"))[1:]] == [
        "Alpha secret project"]
    assert [r[1] for r in csv_rows(download(client, "applications", "csv", q="Beta"))[1:]] == [
        "Beta private project"]
    # the list page links to the export with the same filters, in both formats
    page = text(client.get(reverse("application-list") + "?state=submitted&page=1"))
    assert export_url("applications", "csv") + "?state=submitted" in page
    assert export_url("applications", "xlsx") + "?state=submitted" in page


def test_the_xlsx_has_typed_money_and_date_cells(world):
    sheet = xlsx_sheet(download(browser(world.officer), "applications", "xlsx"))
    header = [c.value for c in sheet[1]]
    alpha = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "Alpha secret project")
    grant = alpha[header.index("Requested grant (yuan)")]
    assert grant.data_type == "n" and grant.value == 500000 and grant.number_format == "#,##0.00"
    submitted = alpha[header.index("Submitted on")]
    assert submitted.is_date and submitted.value.date() == date(2026, 3, 9)
    assert submitted.number_format == "yyyy-mm-dd"
    assert sheet.freeze_panes == "A2" and sheet[1][0].font.bold


def test_headers_and_values_follow_the_interface_language(world):
    rows = csv_rows(browser(world.officer, language="zh-hans").get(export_url("applications", "csv")))
    assert rows[0][:2] == ["编号", "名称"] and "申请资助金额（元）" in rows[0]
    alpha = next(row for row in rows[1:] if row[1] == "Alpha secret project")
    assert "已提交" in alpha


def test_a_title_that_looks_like_a_formula_stays_text(world):
    Application.objects.filter(pk=world.app_a.pk).update(title='=HYPERLINK("http://evil.example","x")')
    client = browser(world.officer)
    assert any(r[1] == "'=HYPERLINK(\"http://evil.example\",\"x\")" for r in csv_rows(
        download(client, "applications", "csv")))
    sheet = xlsx_sheet(download(client, "applications", "xlsx"))
    cell = next(row[1] for row in sheet.iter_rows(min_row=2) if str(row[1].value).startswith("=HYPER"))
    assert cell.data_type == "s"


# ------------------------------------------------------------------------------------ background jobs

def start_in_background(client, url, capture):
    with capture(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    return BackgroundJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def job_file(client, job) -> bytes:
    response = client.get(reverse("job-download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_large_export_is_offered_as_a_background_job_that_gives_the_same_file(
        world, settings, django_capture_on_commit_callbacks):
    client = browser(world.officer)
    at_once = {fmt: download(client, "applications", fmt, state="submitted") for fmt in ("csv", "xlsx")}
    settings.EXPORT_INLINE_ROWS = 0
    offer = download(client, "applications", "csv", state="submitted")
    assert offer.status_code == 200 and offer["Content-Type"].startswith("text/html")
    assert "in the background" in text(offer) and 'method="post"' in text(offer)
    assert not BackgroundJob.objects.exists()  # a GET starts nothing

    for fmt in ("csv", "xlsx"):
        job = start_in_background(client, export_url("applications", fmt, state="submitted"),
                                  django_capture_on_commit_callbacks)
        assert (job.owner, job.kind, job.state, job.progress) == (world.officer, "export:applications",
                                                                   JobState.DONE, 100)
        assert job.result_name.endswith(f".{fmt}")
        content = job_file(client, job)
        if fmt == "csv":
            assert content == at_once["csv"].content
        else:
            assert sheet_rows(workbook_sheet(content)) == sheet_rows(xlsx_sheet(at_once["xlsx"]))
        page = text(client.get(reverse("job-detail", args=[job.pk])))
        assert "Export: Applications" in page and "<progress" in page


def test_the_background_job_reads_the_rows_as_its_owner(world, django_capture_on_commit_callbacks):
    client = browser(world.applicant_a)
    job = start_in_background(client, export_url("applications", "csv"), django_capture_on_commit_callbacks)
    content = job_file(client, job)
    assert b"Alpha secret project" in content and b"Beta" not in content


# ------------------------------------------------------------------------------------------- refusals

@pytest.mark.parametrize("name", ["center-evaluations", "projects", "project-milestones"])
def test_experts_and_fund_managers_are_refused_the_outcome_exports_and_nothing_starts(name):
    for user in (expert(), fund_manager()):
        client = browser(user)
        for fmt in ("csv", "xlsx"):
            refused = download(client, name, fmt)
            assert refused.status_code == 403
            assert "Only bureau officers and applicant institutions" in text(refused)
            assert client.post(export_url(name, fmt)).status_code == 403
    assert not BackgroundJob.objects.exists()


def test_unknown_exports_and_formats_are_not_found_and_anonymous_users_sign_in_first(world):
    client = browser(world.officer)
    assert client.get(reverse("export", args=["nothing", "csv"])).status_code == 404
    assert client.get(reverse("export", args=["applications", "pdf"])).status_code == 404
    anonymous = browser().get(export_url("applications", "csv"))
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]


# ------------------------------------------------------------------------------- centers and projects

def test_center_evaluations_for_the_officer_and_for_each_institution(world):
    center_a = make_center(institution=world.inst_a, name="甲概念验证中心")
    center_b = make_center(institution=world.inst_b, name="乙概念验证中心")
    make_evaluation(center_a, 2025, state="scored", score=86)
    make_evaluation(center_b, 2025, state="filed")

    everything = as_dicts(csv_rows(download(browser(world.officer), "center-evaluations", "csv")))
    assert {row["Center"] for row in everything} == {center_a.name, center_b.name}
    scored = next(row for row in everything if row["Center"] == center_a.name)
    assert scored["Data year"] == "2025" and scored["Score"] == "86.00" and scored["Grade"] == "Good"
    assert scored["Follow-on financing raised (yuan)"] == "8000000.00"

    sheet = xlsx_sheet(download(browser(world.applicant_a), "center-evaluations", "xlsx"))
    rows = as_dicts(sheet_rows(sheet))
    assert [row["Center"] for row in rows] == [center_a.name]
    header = [c.value for c in sheet[1]]
    money = sheet.cell(row=2, column=header.index("Service revenue (yuan)") + 1)
    assert money.data_type == "n" and money.value == 600000 and money.number_format == "#,##0.00"
    assert center_b.name.encode() not in download(browser(world.applicant_a), "center-evaluations", "csv").content


def test_projects_with_their_milestones_and_acceptance(world):
    mine = make_project(institution=world.inst_a, state="in_progress", title="甲项目",
                        milestones=[(3, "原型"), (6, "中试")], signed_on=date(2025, 1, 10))
    theirs = make_project(institution=world.inst_b, state="in_progress", title="乙项目")
    Acceptance.objects.create(project=mine, opinion="通过", reviewed_by=world.officer, reviewed_on=date(2026, 2, 1),
                              outcome=Acceptance.Outcome.PASSED, total=Decimal("88.00"),
                              tasks_done_percent=Decimal("100"), **scores_totalling(88))

    rows = as_dicts(csv_rows(download(browser(world.officer), "projects", "csv")))
    assert {row["Title"] for row in rows} == {"甲项目", "乙项目"}
    row = next(r for r in rows if r["Title"] == "甲项目")
    assert (row["Milestones"], row["Milestones reported"], row["Milestones overdue"]) == ("2", "0", "2")
    assert row["Signed on"] == "2025-01-10"
    assert (row["Acceptance reviewed on"], row["Acceptance total"], row["Acceptance outcome"]) == (
        "2026-02-01", "88.00", "Passed")
    assert [r["Title"] for r in as_dicts(csv_rows(download(browser(world.officer), "projects", "csv",
                                                            q=theirs.project_number)))] == ["乙项目"]

    own = as_dicts(csv_rows(download(browser(world.applicant_a), "project-milestones", "csv")))
    assert [(r["Project"], r["Milestone"], r["Overdue"]) for r in own] == [("甲项目", "原型", "yes"),
                                                                           ("甲项目", "中试", "yes")]
    assert "乙项目".encode() not in download(browser(world.applicant_a), "projects", "xlsx").content
    page = text(browser(world.applicant_a).get(reverse("project-list")))
    assert export_url("projects", "xlsx") in page and export_url("project-milestones", "csv") in page


def test_an_applicant_without_an_institution_exports_the_header_only():
    lone = UserFactory(roles=["applicant"])
    for name in ("applications", "projects", "center-evaluations"):
        assert len(csv_rows(download(browser(lone), name, "csv"))) == 1


def test_a_job_whose_owner_lost_the_right_meanwhile_fails_without_a_file(world, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Group

    client = browser(world.applicant_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(export_url("center-evaluations", "csv"))
    job = BackgroundJob.objects.get()
    assert response["Location"] == reverse("job-detail", args=[job.pk]) and job.state == JobState.QUEUED
    world.applicant_a.groups.remove(Group.objects.get(name="applicant"))  # no longer an applicant
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and not job.result and "PermissionError" in job.error
    assert client.get(reverse("job-download", args=[job.pk])).status_code == 404
