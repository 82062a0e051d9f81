"""Who may not see the review: applicants get 403 or 404 on every review endpoint (empty lists), fund managers
never see an individual review, an expert or a conflict; expert names never reach the applicant."""
import pytest
from django.utils import translation

from review.models import Conflict

from .api_support import FULL_SCORES, make_scene, url

pytestmark = pytest.mark.django_db

LISTS = ("experts", "assignments", "conflicts", "reviews")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def scene():
    s = make_scene()
    s.conflict = Conflict.objects.create(expert=s.e3, application=s.app1, source="pinned", reason="Relative.")
    return s


def requests_for(s):
    """(method, url, body) of every review endpoint, aimed at the applicant's own application where it can be."""
    review, assignment, call = s.a11.review, s.a11, s.call
    return [
        ("get", url("experts", s.e1), None),
        ("get", url("experts", "me"), None),
        ("post", url("experts"), {"username": "x@example.org", "name": "X", "affiliation": "A",
                                  "disciplines": ["ENG.MAT"]}),
        ("patch", url("experts", s.e1), {"name": "X"}),
        ("put", url("experts", s.e1), {"name": "X", "affiliation": "A", "disciplines": ["ENG.MAT"]}),
        ("get", url("assignments", assignment), None),
        ("get", url("assignments", assignment, "transitions"), None),
        ("post", url("assignments", assignment, "transitions", "unassign"), {"comment": "x"}),
        ("post", url("assignments", assignment, "transitions", "declare_conflict"), {"comment": "x"}),
        ("post", url("assignments"), {"application": s.app1.pk, "expert": s.e3.pk}),
        ("get", url("conflicts", s.conflict), None),
        ("post", url("conflicts"), {"application": s.app1.pk, "expert": s.e1.pk, "reason": "x"}),
        ("get", url("reviews", review), None),
        ("patch", url("reviews", review), {"scores": FULL_SCORES}),
        ("get", url("reviews", review, "transitions"), None),
        ("post", url("reviews", review, "transitions", "submit"), {}),
        ("post", url("reviews", review, "transitions", "reopen"), {"comment": "x"}),
        ("post", url("reviews", review, "extend-deadline"), {"until": "2030-01-01T00:00:00+08:00"}),
        ("get", url("calls", call, "review-plan"), None),
        ("patch", url("calls", call, "review-plan"), {"experts_per_application": 5}),
        ("put", url("calls", call, "review-plan"), {"criteria": [{"code": "x", "max_score": "10"}]}),
        ("get", url("calls", call, "ranking"), None),
        ("get", url("calls", call, "auto-assign"), None),
        ("post", url("calls", call, "auto-assign"), {"action": "commit", "digest": "0" * 16}),
        ("get", url("calls", call, "random-draw"), None),
        ("post", url("calls", call, "random-draw"), {"action": "commit", "digest": "0" * 16, "seed": 1}),
    ]


def test_applicant_gets_403_or_404_everywhere_and_empty_lists(scene):
    client = scene.client(scene.applicant)
    for path in LISTS:
        response = client.get(url(path), {"application": scene.app1.pk})
        assert response.status_code == 200 and response.json()["count"] == 0, path
    for method, target, body in requests_for(scene):
        response = getattr(client, method)(target, body, format="json") if body is not None else client.get(target)
        assert response.status_code in (403, 404), (method, target, response.status_code)
    scene.a11.refresh_from_db()
    assert scene.a11.state == "active" and scene.a11.review.state == "draft"
    assert Conflict.objects.count() == 1


def test_expert_names_never_reach_the_applicant(scene):
    client = scene.client(scene.applicant)
    texts = [client.get(url("applications", scene.app1)).content.decode(),
             client.get(url("applications", scene.app1, "history")).content.decode()]
    for name in ("刘教授", "孙研究员", "钱高工"):
        for text in texts:
            assert name not in text


def test_fund_manager_sees_no_individual_review_expert_or_conflict(scene):
    client = scene.client(scene.fund_manager)
    for path in LISTS:
        response = client.get(url(path))
        assert response.status_code == 200 and response.json()["count"] == 0, path
    for target in (url("reviews", scene.a11.review), url("assignments", scene.a11), url("experts", scene.e1),
                   url("conflicts", scene.conflict)):
        assert client.get(target).status_code == 404, target


def test_an_unassigned_expert_sees_nothing_of_the_call(scene):
    client = scene.client(scene.e3)
    for path in ("assignments", "reviews", "conflicts"):
        assert client.get(url(path)).json()["count"] == 0, path
    assert client.get(url("applications", scene.app1)).status_code == 404
    assert client.get(url("reviews", scene.a11.review)).status_code == 404
    assert client.get(url("calls", scene.call, "ranking")).status_code == 403
