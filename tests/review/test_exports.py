"""Exports of the review (registered by review with poc's export framework): the reviews with the score per
criterion, and the ranking with every aggregate and the calibrated mean.

Expert names are for officers only, the confidential note to the officers is never exported, an expert
exports only their own reviews, fund managers read the ranking of the applications they may view, applicants
are refused both, and a call the user may not see answers 404.
"""
from decimal import Decimal

import pytest
from django.urls import reverse

from poc.models import BackgroundJob, Call, JobState
from review import services
from review.models import Review
from tests.factories import consider_for_fund, expert
from tests.poc.export_support import as_dicts, csv_rows, download, export_url, sheet_rows, xlsx_sheet
from tests.poc.pages_support import browser, text
from tests.review.factories import submit_directly
from tests.review.test_pages import make_scene

pytestmark = pytest.mark.django_db

SECRET = "Confidential: the team lead is my former student."


@pytest.fixture
def scene(settings):
    settings.CELERY_BROKER_URL = ""
    scene = make_scene()
    submit_directly(scene.r11, 80, comment="Alpha sound work.")
    submit_directly(scene.r21, 70, comment="Beta sound work.")
    submit_directly(Review.objects.get(assignment=scene.a22), 60)
    Review.objects.filter(assignment__application__call=scene.call).update(confidential_note=SECRET)
    return scene


def criteria_headers(call):
    return [f"{c.name} ({c.weight}×)" for c in services.ensure_plan(call).criteria.order_by("position", "id")]


def test_the_officer_exports_every_review_with_the_expert_and_the_score_per_criterion(scene):
    response = download(browser(scene.officer), "reviews", "csv", call=scene.call.pk)
    rows = csv_rows(response)
    criteria = criteria_headers(scene.call)
    assert rows[0] == ["Application", "Title", "Institution", "Expert", "Submitted on", *criteria,
                       "Weighted total", "Overall recommendation", "Overall comment"]
    reviews = as_dicts(rows)
    assert sorted((r["Title"], r["Expert"], r["Weighted total"]) for r in reviews) == [
        ("Alpha battery project", "Prof. Alpha Reviewer", "80.00"),
        ("Alpha battery project", "Prof. Beta Reviewer", "70.00"),
        ("Beta sensor project", "Prof. Beta Reviewer", "60.00"),
    ]
    first = next(r for r in reviews if r["Expert"] == "Prof. Alpha Reviewer")
    assert sum(Decimal(first[c]) for c in criteria) == Decimal("80")
    assert first["Overall recommendation"] == "Support" and first["Overall comment"] == "Alpha sound work."
    assert SECRET.encode() not in response.content
    assert SECRET.encode() not in download(browser(scene.officer), "reviews", "xlsx", call=scene.call.pk).content


def test_an_expert_exports_only_their_own_reviews_without_any_name(scene):
    client = browser(scene.e1.user)
    for fmt in ("csv", "xlsx"):
        response = download(client, "reviews", fmt, call=scene.call.pk)
        rows = csv_rows(response) if fmt == "csv" else sheet_rows(xlsx_sheet(response))
        assert "Expert" not in rows[0] and "Institution" not in rows[0]
        assert [r[1] for r in rows[1:]] == ["Alpha battery project"]
        for secret in (b"Prof. Beta Reviewer", b"Beta sound work", b"Beta sensor project", SECRET.encode()):
            assert secret not in response.content
    # an expert of no assignment in the call exports nothing
    assert len(csv_rows(download(browser(expert()), "reviews", "csv", call=scene.call.pk))) == 1


def test_applicants_and_fund_managers_are_refused_the_reviews(scene):
    for user in (scene.applicant, scene.fund_manager):
        refused = download(browser(user), "reviews", "csv", call=scene.call.pk)
        assert refused.status_code == 403 and "can export its reviews" in text(refused)
        assert browser(user).post(export_url("reviews", "xlsx", call=scene.call.pk)).status_code == 403
    assert not BackgroundJob.objects.exists()


def test_the_ranking_export_has_every_aggregate_and_the_calibrated_mean(scene):
    client = browser(scene.officer)
    rows = csv_rows(download(client, "ranking", "csv", call=scene.call.pk))
    assert rows[0] == ["Rank", "Tied rank", "Application", "Title", "Institution", "Reviews", "Mean", "Median",
                       "Trimmed mean", "Highest and lowest dropped", "Std. dev.", "Spread",
                       "To discuss (divergent)", "Calibrated mean", "Ranking score"]
    first, second = as_dicts(rows)
    assert (first["Rank"], first["Title"], first["Reviews"], first["Mean"], first["Median"]) == (
        "1", "Alpha battery project", "2", "75.00", "75.00")
    assert (first["Highest and lowest dropped"], first["To discuss (divergent)"]) == ("no", "no")
    assert first["Calibrated mean"] != "" and (second["Rank"], second["Mean"]) == ("2", "60.00")
    for name in (b"Prof. Alpha Reviewer", b"Prof. Beta Reviewer"):
        assert name not in download(client, "ranking", "csv", call=scene.call.pk).content

    sheet = xlsx_sheet(download(client, "ranking", "xlsx", call=scene.call.pk))
    header = [c.value for c in sheet[1]]
    mean = sheet.cell(row=2, column=header.index("Mean") + 1)
    assert mean.data_type == "n" and mean.value == 75 and mean.number_format == "0.00"


def test_the_ranking_page_shows_both_exports_in_both_formats(scene):
    body = text(browser(scene.officer).get(reverse("review:ranking", args=[scene.call.pk])))
    for name in ("ranking", "reviews"):
        for fmt in ("csv", "xlsx"):
            assert export_url(name, fmt, call=scene.call.pk) in body


def test_a_fund_manager_exports_the_ranking_rows_of_the_applications_it_may_view(scene):
    client = browser(scene.fund_manager)
    assert len(csv_rows(download(client, "ranking", "csv", call=scene.call.pk))) == 1  # no application yet
    consider_for_fund(scene.fund_manager, scene.app2)
    rows = as_dicts(csv_rows(download(client, "ranking", "csv", call=scene.call.pk)))
    assert [(r["Rank"], r["Title"]) for r in rows] == [("2", "Beta sensor project")]  # ranked in the whole call


def test_a_fund_manager_reads_the_ranking_page_like_the_export_and_no_expert(scene):
    """The ranking page, the API and the export have the same readers and show the same rows."""
    client = browser(scene.fund_manager)
    page = reverse("review:ranking", args=[scene.call.pk])
    assert "Beta sensor project" not in text(client.get(page))
    consider_for_fund(scene.fund_manager, scene.app2)
    response = client.get(page)
    body = text(response)
    assert response.status_code == 200
    assert "Beta sensor project" in body and "Alpha battery project" not in body
    assert export_url("ranking", "csv", call=scene.call.pk) in body
    assert export_url("reviews", "csv", call=scene.call.pk) not in body  # the reviews export is refused to them
    assert "Prof. Alpha Reviewer" not in body and "Prof. Beta Reviewer" not in body and "Calibration" not in body
    assert reverse("review:aggregates", args=[scene.app2.pk]) in body
    for user in (scene.applicant, scene.e1.user):
        assert browser(user).get(page).status_code == 403


def test_applicants_and_experts_are_refused_the_ranking_and_unseen_calls_are_not_found(scene):
    for user in (scene.applicant, scene.e1.user):
        refused = download(browser(user), "ranking", "xlsx", call=scene.call.pk)
        assert refused.status_code == 403 and "Only bureau officers and fund managers" in text(refused)
    Call.objects.filter(pk=scene.call.pk).update(published=False)
    assert download(browser(scene.fund_manager), "ranking", "csv", call=scene.call.pk).status_code == 404
    for params in ({}, {"call": "x"}, {"call": 999999}):
        assert download(browser(scene.officer), "ranking", "csv", **params).status_code == 404


def test_the_ranking_in_the_background_is_the_same_file(scene, django_capture_on_commit_callbacks):
    client = browser(scene.officer)
    at_once = download(client, "ranking", "csv", call=scene.call.pk).content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(export_url("ranking", "csv", call=scene.call.pk))
    job = BackgroundJob.objects.get()
    assert response["Location"] == reverse("job-detail", args=[job.pk])
    assert (job.kind, job.state, job.progress) == ("export:ranking", JobState.DONE, 100)
    file = client.get(reverse("job-download", args=[job.pk]))
    assert b"".join(file.streaming_content) == at_once
