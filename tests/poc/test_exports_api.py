"""The exports through the API (/api/v1/exports/): the same file as the page, the same refusals, JSON errors."""
import pytest
from django.test import override_settings

from tests.factories import expert
from tests.poc.api_support import API, api_client
from tests.poc.export_support import as_dicts, csv_rows, download, sheet_rows, xlsx_sheet
from tests.poc.pages_support import TwoInstitutions, browser

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    from tests.factories import officer

    scene = TwoInstitutions(state="submitted")
    scene.officer = officer()
    return scene


def test_the_list_names_the_exports_the_caller_may_use(world):
    names = {e["name"] for e in api_client(world.officer).get(f"{API}/exports/").json()}
    assert {"applications", "center-evaluations", "projects", "project-milestones", "ranking", "reviews",
            "tech-contracts"} <= names
    mine = {e["name"]: e for e in api_client(expert()).get(f"{API}/exports/").json()}
    assert "applications" in mine and "reviews" in mine and "projects" not in mine and "ranking" not in mine
    assert mine["reviews"]["params"] == ["call"] and mine["reviews"]["formats"] == ["csv", "xlsx"]


def test_the_api_gives_the_pages_file_with_the_same_rows(world):
    api = api_client(world.applicant_b).get(f"{API}/exports/applications/?file=csv", HTTP_ACCEPT="application/json")
    assert api.content == download(browser(world.applicant_b), "applications", "csv").content
    assert [r["Title"] for r in as_dicts(csv_rows(api))] == []  # B has no application: nothing of A's
    officer_rows = sheet_rows(xlsx_sheet(api_client(world.officer).get(f"{API}/exports/applications/?file=xlsx")))
    assert [r[1] for r in officer_rows[1:]] == ["Alpha secret project"]


def test_refusals_unknown_exports_and_large_ones_answer_in_json(world):
    refused = api_client(expert()).get(f"{API}/exports/projects/?file=csv")
    assert refused.status_code == 403 and "applicant institutions" in refused.json()["detail"]
    assert api_client(world.officer).get(f"{API}/exports/nothing/").status_code == 404
    assert api_client(world.officer).get(f"{API}/exports/applications/?file=pdf").status_code == 404
    assert api_client(world.officer).get(f"{API}/exports/ranking/?call=abc").status_code == 404
    assert api_client().get(f"{API}/exports/applications/").status_code == 401
    with override_settings(EXPORT_INLINE_ROWS=0):
        large = api_client(world.officer).get(f"{API}/exports/applications/?file=csv")
    assert large.status_code == 409 and "in the background" in large.json()["detail"]
