"""Background jobs: started from a page, run (eagerly here) through the outbox to done with progress 100 and a
downloadable XLSX; the progress partial; only the owner sees the job; a done job is not run again."""
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from funding.models import Investment
from poc.jobs import Progress, report
from poc.models import BackgroundJob, JobState, OutboxMessage
from review.tasks import export_expert_pool
from tests.factories import expert, officer
from tests.funding.factories import (
    FundFactory,
    approved_decision,
    investment,
    manager_of,
    project_application,
)
from tests.poc.pages_support import browser, text
from tests.review.factories import ExpertFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_and_fast")]


@pytest.fixture
def english_and_fast(settings):
    settings.LANGUAGE_CODE = "en"
    settings.CELERY_BROKER_URL = ""


def start(client, url, capture):
    with capture(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    return BackgroundJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def workbook(client, job):
    response = client.get(reverse("job-download", args=[job.pk]))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_the_expert_pool_export_runs_to_done_with_a_downloadable_xlsx(django_capture_on_commit_callbacks):
    staff = officer()
    for n in range(120):
        ExpertFactory(name=f"Expert {n:03d}")
    client = browser(staff)
    job = start(client, reverse("review:experts-export-background"), django_capture_on_commit_callbacks)
    assert (job.owner, job.kind, job.state, job.progress) == (staff, "expert-pool-export", JobState.DONE, 100)
    assert job.finished_at and job.result_name.endswith(".xlsx")
    assert OutboxMessage.objects.get(task_name="review.tasks.export_expert_pool").sent_at is not None
    rows = list(workbook(client, job).iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [f"Expert {n:03d}" for n in range(120)]

    page = client.get(reverse("job-detail", args=[job.pk]))
    assert page.status_code == 200 and reverse("job-download", args=[job.pk]) in text(page)
    assert "<progress" in text(page) and 'hx-trigger="every 1s"' not in text(page)  # done: no more polling


def test_the_investments_ledger_runs_in_the_background_for_the_funds_manager(django_capture_on_commit_callbacks):
    fund = FundFactory(name="Alpha angel sub-fund")
    manager = manager_of(fund)
    holding = investment(approved_decision(application=project_application(), fund=fund), amount="2000000.00",
                         invested_on=date(2026, 3, 1), pre_money="18000000.00")
    Investment.objects.filter(pk=holding.pk).update(investee_name="Alpha Spin-off Co.")
    client = browser(manager)
    assert reverse("funding:export-investments-background", args=[fund.pk]) in text(
        client.get(reverse("funding:fund", args=[fund.pk])))
    job = start(client, reverse("funding:export-investments-background", args=[fund.pk]),
                django_capture_on_commit_callbacks)
    assert (job.state, job.progress) == (JobState.DONE, 100)
    rows = [r for r in workbook(client, job).iter_rows(min_row=4, values_only=True) if any(r)]
    assert len(rows) == 1 and rows[0][2] == "Alpha Spin-off Co." and rows[0][5] == 2000000.0
    # the synchronous download still works and gives the same rows
    sync = load_workbook(io.BytesIO(client.get(reverse("funding:export-investments", args=[fund.pk])).content))
    assert [r for r in sync.active.iter_rows(min_row=4, values_only=True) if any(r)] == rows
    # another fund's manager may not start it
    other = browser(manager_of(FundFactory()))
    assert other.post(reverse("funding:export-investments-background", args=[fund.pk])).status_code == 404


def test_the_progress_partial_shows_the_percentage_and_keeps_polling_while_running():
    staff = officer()
    job = BackgroundJob.objects.create(owner=staff, kind="expert-pool-export")
    report(job.pk, 42, "50 of 120 rows written")
    response = browser(staff).get(reverse("job-progress", args=[job.pk]))
    body = text(response)
    assert response.status_code == 200 and "42%" in body and 'value="42"' in body and "50 of 120" in body
    assert 'hx-trigger="every 1s"' in body and reverse("job-progress", args=[job.pk]) in body
    assert reverse("job-download", args=[job.pk]) not in body
    assert browser(staff).get(reverse("job-download", args=[job.pk])).status_code == 404  # not done yet


def test_progress_reports_every_fifty_rows():
    job = BackgroundJob.objects.create(owner=officer(), kind="k")
    progress = Progress(job.pk, 120)
    seen = []
    for done in range(1, 121):
        progress(done)
        seen.append(BackgroundJob.objects.get(pk=job.pk).progress)
    assert sorted(set(seen)) == [0, 39, 79, 95]


def test_another_user_gets_404_on_the_page_the_partial_and_the_download(django_capture_on_commit_callbacks):
    staff = officer()
    ExpertFactory()
    job = start(browser(staff), reverse("review:experts-export-background"), django_capture_on_commit_callbacks)
    for who in (officer(), expert()):
        client = browser(who)
        for name in ("job-detail", "job-progress", "job-download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404
    anonymous = browser().get(reverse("job-detail", args=[job.pk]))
    assert anonymous.status_code == 302


def test_the_expert_pool_export_is_refused_to_non_officers():
    client = browser(expert())
    assert client.post(reverse("review:experts-export-background")).status_code == 403
    assert not BackgroundJob.objects.exists()
    # a job started by somebody who is no officer (any more) fails instead of writing the pool
    job = BackgroundJob.objects.create(owner=expert(), kind="expert-pool-export")
    export_expert_pool.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.state == JobState.FAILED and not job.result and "officers only" in job.error


def test_a_done_job_is_not_run_again(django_capture_on_commit_callbacks):
    staff = officer()
    ExpertFactory()
    job = start(browser(staff), reverse("review:experts-export-background"), django_capture_on_commit_callbacks)
    before = (job.result.name, job.finished_at)
    assert export_expert_pool.apply(args=[job.pk]).get() is False  # a second delivery
    job.refresh_from_db()
    assert (job.result.name, job.finished_at) == before and job.state == JobState.DONE
