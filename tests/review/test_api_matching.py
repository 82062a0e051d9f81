"""Automatic assignment, random draw and the call's ranking over the API."""
import pytest
from django.utils import translation

from review.models import Assignment, Conflict
from tests.factories import InstitutionFactory, applicant_of, fund_manager, officer
from tests.review.factories import (
    ExpertFactory,
    assign,
    proposed_to_a_fund_of,
    review_call,
    submit_directly,
    under_review,
)

from .api_support import api_client, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def pool():
    """A call needing 2 experts per application, two applications under review, three eligible experts."""
    call = review_call(experts_per_application=2)
    inst = InstitutionFactory()
    apps = [under_review(call, inst, created_by=applicant_of(inst)), under_review(call)]
    experts = [ExpertFactory(name=n, keywords=k) for n, k in
               (("刘教授", "钙钛矿, 光伏"), ("孙研究员", "石墨烯"), ("钱高工", "测试"))]
    return call, apps, experts, officer()


def pairs_of(body):
    return {(p["application"], p["expert"]) for p in body["pairs"]}


def test_auto_assign_preview_then_commit_creates_assignments_and_grants_access(pool):
    call, apps, experts, off = pool
    client = api_client(off)
    preview = client.get(url("calls", call, "auto-assign"))
    assert preview.status_code == 200, preview.json()
    body = preview.json()
    assert body["method"] == "optimal" and body["seed"] is None and body["count"] == 4
    assert len(body["digest"]) == 16 and body["total_affinity"] > 0
    assert {p["application_number"] for p in body["pairs"]} == {a.number for a in apps}
    assert {p["expert_name"] for p in body["pairs"]} <= {"刘教授", "孙研究员", "钱高工"}
    assert not Assignment.objects.exists()  # a preview saves nothing
    assert client.post(url("calls", call, "auto-assign"), {"action": "preview"}, format="json").json() == body

    committed = client.post(url("calls", call, "auto-assign"), {"action": "commit", "digest": body["digest"]},
                            format="json")
    assert committed.status_code == 201, committed.json()
    assert committed.json()["created"] == 4
    assert {(a["application"]["id"], a["expert"]["id"]) for a in committed.json()["assignments"]} == pairs_of(body)
    assert {a["method"] for a in committed.json()["assignments"]} == {"optimal"}
    assert Assignment.objects.filter(state="active").count() == 4

    for app_id, expert_id in pairs_of(body):
        expert_user = next(e for e in experts if e.pk == expert_id).user
        as_expert = api_client(expert_user)
        assert as_expert.get(url("applications", app_id)).status_code == 200
        assert app_id in [r["application"]["id"] for r in as_expert.get(url("reviews")).json()["results"]]

    # Every application has its experts now: nothing left to assign.
    assert client.get(url("calls", call, "auto-assign")).status_code == 409


def test_commit_with_a_stale_digest_is_409_and_creates_nothing(pool):
    call, apps, experts, off = pool
    client = api_client(off)
    body = client.get(url("calls", call, "auto-assign")).json()
    app_id, expert_id = sorted(pairs_of(body))[0]
    pinned = client.post(url("conflicts"), {"application": app_id, "expert": expert_id, "reason": "Relative."},
                         format="json")
    assert pinned.status_code == 201
    stale = client.post(url("calls", call, "auto-assign"), {"action": "commit", "digest": body["digest"]},
                        format="json")
    assert stale.status_code == 409
    assert stale.json()["detail"] == ("The applications, experts or conflicts changed since the preview; "
                                      "preview again.")
    assert not Assignment.objects.exists()
    bogus = client.post(url("calls", call, "auto-assign"), {"action": "commit", "digest": "0" * 16}, format="json")
    assert bogus.status_code == 409
    no_digest = client.post(url("calls", call, "auto-assign"), {"action": "commit"}, format="json")
    assert no_digest.status_code == 400 and "digest" in no_digest.json()["errors"]
    unknown = client.post(url("calls", call, "auto-assign"), {"action": "guess"}, format="json")
    assert unknown.status_code == 400 and "action" in unknown.json()["errors"]


def test_infeasible_assignment_is_409_with_the_reasons(pool):
    call, apps, experts, off = pool
    Conflict.objects.create(expert=experts[0], application=apps[0], source="pinned", reason="Relative.")
    Conflict.objects.create(expert=experts[1], application=apps[0], source="pinned", reason="Competitor.")
    Conflict.objects.create(expert=experts[2], application=apps[1], source="pinned", reason="Co-author.")
    Conflict.objects.create(expert=experts[1], application=apps[1], source="pinned", reason="Supervisor.")
    client = api_client(off)
    response = client.get(url("calls", call, "auto-assign"))
    assert response.status_code == 409
    body = response.json()
    assert {f"application {apps[0].number} has only 1 eligible expert; needs 2",
            f"application {apps[1].number} has only 1 eligible expert; needs 2"} <= set(body["reasons"])
    assert body["detail"] == " ".join(body["reasons"])
    committed = client.post(url("calls", call, "auto-assign"), {"action": "commit", "digest": "0" * 16},
                            format="json")
    assert committed.status_code == 409 and apps[0].number in committed.json()["detail"]
    assert not Assignment.objects.exists()


def test_random_draw_preview_returns_the_seed_and_commit_reproduces_it(pool):
    call, apps, experts, off = pool
    client = api_client(off)
    fresh = client.get(url("calls", call, "random-draw"))
    assert fresh.status_code == 200 and isinstance(fresh.json()["seed"], int)
    seeded = client.get(url("calls", call, "random-draw"), {"seed": 20260512})
    assert seeded.status_code == 200
    body = seeded.json()
    assert body["method"] == "draw" and body["seed"] == 20260512 and body["count"] == 4
    again = client.post(url("calls", call, "random-draw"), {"action": "preview", "seed": 20260512}, format="json")
    assert again.json() == body  # the same seed draws the same experts

    no_seed = client.post(url("calls", call, "random-draw"), {"action": "commit", "digest": body["digest"]},
                          format="json")
    assert no_seed.status_code == 400 and "seed" in no_seed.json()["errors"]
    wrong_seed = client.post(url("calls", call, "random-draw"),
                             {"action": "commit", "digest": body["digest"], "seed": 7}, format="json")
    assert wrong_seed.status_code == 409
    committed = client.post(url("calls", call, "random-draw"),
                            {"action": "commit", "digest": body["digest"], "seed": 20260512}, format="json")
    assert committed.status_code == 201, committed.json()
    rows = committed.json()["assignments"]
    assert {(a["application"]["id"], a["expert"]["id"]) for a in rows} == pairs_of(body)
    assert {(a["method"], a["draw_seed"]) for a in rows} == {("draw", 20260512)}
    assert client.get(url("calls", call, "random-draw"), {"seed": -1}).status_code == 400


def test_matching_is_for_officers(pool):
    call, apps, experts, off = pool
    applicant = apps[0].created_by
    for who in (experts[0].user, applicant, fund_manager()):
        client = api_client(who)
        for name in ("auto-assign", "random-draw"):
            assert client.get(url("calls", call, name)).status_code == 403
            assert client.post(url("calls", call, name), {"action": "commit", "digest": "0" * 16, "seed": 1},
                               format="json").status_code == 403
    assert not Assignment.objects.exists()
    assert api_client(off).get(url("calls", 999999, "auto-assign")).status_code == 404


# ---------------------------------------------------------------------- ranking

@pytest.fixture
def ranked():
    """Three applications, each reviewed by the same three experts: every expert has 3 reviews (calibrated)."""
    call = review_call(experts_per_application=3)
    off = officer()
    apps = [under_review(call) for _ in range(3)]
    experts = [ExpertFactory(name=n) for n in ("刘教授", "孙研究员", "钱高工")]
    totals = [[90, 80, 70], [85, 60, 75], [88, 72, 64]]  # rows: experts; columns: applications
    for i, expert_obj in enumerate(experts):
        for j, app in enumerate(apps):
            submit_directly(assign(app, expert_obj, off).review, totals[i][j])
    return call, apps, experts, off


def test_officer_ranking_has_aggregates_and_calibration_with_names(ranked):
    call, apps, experts, off = ranked
    response = api_client(off).get(url("calls", call, "ranking"))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["aggregate"] == "trimmed_mean" and body["max_total"] == "100.00"
    assert [r["rank"] for r in body["rows"]] == [1, 2, 3]
    first = body["rows"][0]
    assert first["application"]["id"] == apps[0].pk  # means 87.67, 70.67, 69.67
    assert first["n_reviews"] == 3 and first["mean"] == pytest.approx(87.67)
    assert first["calibrated_mean"] is not None and first["score"] is not None
    calibration = body["calibration"]
    assert calibration["converged"] is True
    assert {row["name"] for row in calibration["experts"]} == {"刘教授", "孙研究员", "钱高工"}
    assert all(row["reviews"] == 3 and row["too_few_reviews"] is False for row in calibration["experts"])
    lenient = max(calibration["experts"], key=lambda row: row["bias"])
    assert lenient["name"] == "刘教授"


def test_fund_manager_gets_the_ranking_without_expert_identities(ranked):
    call, apps, experts, off = ranked
    manager = fund_manager()
    proposed_to_a_fund_of(manager, apps[1])  # its managers view the application, and its row in the ranking
    response = api_client(manager).get(url("calls", call, "ranking"))
    assert response.status_code == 200
    body = response.json()
    assert [r["application"]["id"] for r in body["rows"]] == [apps[1].pk]
    assert body["rows"][0]["rank"] == 2 and body["rows"][0]["mean"] is not None  # the call-wide rank
    assert body["calibration"]["experts"] is None
    text = response.content.decode()
    for expert_obj in experts:
        assert expert_obj.name not in text
    # Aggregates only: no individual review.
    assert api_client(manager).get(url("reviews")).json()["count"] == 0
    assert api_client(manager).get(url("reviews", apps[1].assignments.first().review)).status_code == 404


def test_ranking_is_refused_to_experts_and_applicants(ranked):
    call, apps, experts, off = ranked
    assert api_client(experts[0].user).get(url("calls", call, "ranking")).status_code == 403
    assert api_client(apps[0].created_by).get(url("calls", call, "ranking")).status_code == 403


def test_an_empty_call_ranks_nothing():
    call = review_call()
    body = api_client(officer()).get(url("calls", call, "ranking")).json()
    assert body["rows"] == [] and body["calibration"] is None
