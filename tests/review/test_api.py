"""The review API (DESIGN §3–§4) through real requests: the expert pool, assignments and their transitions,
conflicts, and what an expert may see."""
import pytest
from django.utils import translation

from poc.models import TransitionLog
from review.models import Assignment, Conflict, Expert, ExpertAffiliation
from tests.factories import InstitutionFactory, expert, make_application
from tests.review.factories import ExpertFactory, assign, review_call, under_review

from .api_support import api_client, make_scene, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def scene():
    return make_scene()


def ids(response):
    body = response.json()
    return [row["id"] for row in (body["results"] if isinstance(body, dict) else body)]


# ----------------------------------------------------------------- expert pool

def test_officer_adds_an_expert_with_disciplines_by_code_and_affiliations(scene):
    inst = InstitutionFactory(name="中国科学院宁波材料所")
    payload = {
        "username": "prof.zhao@example.org", "email": "prof.zhao@example.org", "name": "赵教授",
        "affiliation": "浙江大学", "title": "教授", "disciplines": ["ENG.MAT", "ENG.CHEM"],
        "keywords": "钙钛矿, 光伏", "max_load_per_call": 8, "pledge_signed_on": "2026-01-05",
        "affiliations": [{"institution": inst.pk, "started_on": "2015-09-01", "ended_on": "2024-06-30"}],
    }
    response = scene.client(scene.officer).post(url("experts"), payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "赵教授" and body["username"] == "prof.zhao@example.org"
    assert sorted(body["disciplines"]) == ["ENG.CHEM", "ENG.MAT"]
    assert body["qualified"] is True
    assert body["affiliations"][0]["institution_name"] == "中国科学院宁波材料所"
    created = Expert.objects.get(pk=body["id"])
    assert created.user.groups.filter(name="expert").exists()
    assert not created.user.has_usable_password()

    # Edit: the disciplines and affiliations given replace the old ones.
    response = scene.client(scene.officer).patch(url("experts", created), {
        "disciplines": ["ICT.AI"], "affiliations": [], "active": False}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["disciplines"] == ["ICT.AI"]
    assert response.json()["qualified"] is False
    assert not ExpertAffiliation.objects.filter(expert=created).exists()

    listed = scene.client(scene.officer).get(url("experts"), {"discipline": "ICT.AI"})
    assert ids(listed) == [created.pk]


def test_expert_pool_input_errors_are_400_naming_the_field(scene):
    client = scene.client(scene.officer)
    unknown = client.post(url("experts"), {"username": "x@example.org", "name": "X", "affiliation": "A",
                                           "disciplines": ["NOPE"]}, format="json")
    assert unknown.status_code == 400
    assert "disciplines" in unknown.json()["errors"]
    taken = client.post(url("experts"), {"username": scene.e1.user.username, "name": "X", "affiliation": "A",
                                         "disciplines": ["ENG.MAT"]}, format="json")
    assert taken.status_code == 400
    assert "already an expert" in taken.json()["detail"]
    backwards = client.post(url("experts"), {
        "username": "y@example.org", "name": "Y", "affiliation": "A", "disciplines": ["ENG.MAT"],
        "affiliations": [{"institution": scene.app1.institution_id, "started_on": "2020-01-01",
                          "ended_on": "2019-01-01"}]}, format="json")
    assert backwards.status_code == 400
    assert not Expert.objects.filter(name="Y").exists()
    too_many = client.patch(url("experts", scene.e1), {"max_load_per_call": 0}, format="json")
    assert too_many.status_code == 400
    assert "max_load_per_call" in too_many.json()["errors"]


def test_only_officers_read_the_pool_and_an_expert_reads_only_their_own_profile(scene):
    as_expert = scene.client(scene.e1)
    assert ids(as_expert.get(url("experts"))) == []
    assert as_expert.get(url("experts", scene.e2)).status_code == 404
    assert as_expert.get(url("experts", scene.e1)).status_code == 404  # the pool is not theirs to read
    me = as_expert.get(url("experts", "me"))
    assert me.status_code == 200
    assert me.json()["id"] == scene.e1.pk and me.json()["name"] == "刘教授"
    assert "孙研究员" not in me.content.decode()

    refused = as_expert.post(url("experts"), {"username": "z@example.org", "name": "Z", "affiliation": "A",
                                              "disciplines": ["ENG.MAT"]}, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only bureau officers can manage the expert pool."
    assert as_expert.patch(url("experts", scene.e1), {"name": "Me"}, format="json").status_code == 403

    officer_client = scene.client(scene.officer)
    assert set(ids(officer_client.get(url("experts")))) == {scene.e1.pk, scene.e2.pk, scene.e3.pk}
    assert officer_client.get(url("experts", "me")).status_code == 404  # an officer has no expert profile


# ----------------------------------------------------------------- assignments

def test_officer_assigns_by_hand_and_the_expert_gains_access(scene):
    client = scene.client(scene.officer)
    response = client.post(url("assignments"), {"application": scene.app2.pk, "expert": scene.e3.pk}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["application"]["number"] == scene.app2.number
    assert body["expert"] == {"id": scene.e3.pk, "name": "钱高工"}
    assert body["state"] == "active" and body["method"] == "manual"
    assert body["assigned_by"] == "Officer Wang"

    as_e3 = scene.client(scene.e3)
    assert as_e3.get(url("applications", scene.app2)).status_code == 200
    assert as_e3.get(url("reviews", body["review"])).status_code == 200
    assert TransitionLog.objects.filter(transition="create", object_id=body["id"]).exists()


def test_a_conflicted_expert_is_refused_with_400_naming_the_reason(scene):
    colleague = ExpertFactory(name="周教授", institution=scene.app1.institution)
    response = scene.client(scene.officer).post(url("assignments"), {"application": scene.app1.pk,
                                                                     "expert": colleague.pk}, format="json")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "周教授 has a conflict of interest" in detail
    assert "Works at 温州大学, the applicant." in detail
    assert not Assignment.objects.filter(expert=colleague).exists()


def test_assignment_refusals(scene):
    client = scene.client(scene.officer)
    again = client.post(url("assignments"), {"application": scene.app1.pk, "expert": scene.e1.pk}, format="json")
    assert again.status_code == 400
    assert "already assigned" in again.json()["detail"]
    draft = make_application(scene.call)
    not_now = client.post(url("assignments"), {"application": draft.pk, "expert": scene.e3.pk}, format="json")
    assert not_now.status_code == 409
    missing = client.post(url("assignments"), {"application": scene.app1.pk, "expert": 999999}, format="json")
    assert missing.status_code == 400
    assert "expert" in missing.json()["errors"]
    not_officer = scene.client(scene.e3).post(url("assignments"), {"application": scene.app2.pk,
                                                                   "expert": scene.e3.pk}, format="json")
    assert not_officer.status_code == 403
    assert not_officer.json()["detail"] == "Only bureau officers can assign experts."


def test_assignment_lists_officers_filter_experts_see_their_own(scene):
    client = scene.client(scene.officer)
    assert set(ids(client.get(url("assignments")))) == {scene.a11.pk, scene.a21.pk, scene.a22.pk}
    assert set(ids(client.get(url("assignments"), {"application": scene.app1.pk}))) == {scene.a11.pk, scene.a21.pk}
    other_call = review_call()
    assign(under_review(other_call), scene.e3, scene.officer)
    assert len(ids(client.get(url("assignments"), {"call": scene.call.pk}))) == 3
    assert ids(client.get(url("assignments"), {"state": "voided"})) == []

    as_e1 = scene.client(scene.e1)
    listed = as_e1.get(url("assignments"))
    assert ids(listed) == [scene.a11.pk]
    row = listed.json()["results"][0]
    assert row["expert"] == {"id": scene.e1.pk, "name": "刘教授"}
    assert row["affinity"] is None and row["assigned_by"] is None  # officer-only fields
    assert "孙研究员" not in listed.content.decode()
    assert as_e1.get(url("assignments", scene.a21)).status_code == 404


def test_expert_sees_only_assigned_applications_and_own_reviews(scene):
    as_e1 = scene.client(scene.e1)
    assert ids(as_e1.get(url("applications"))) == [scene.app1.pk]
    assert as_e1.get(url("applications", scene.app1)).status_code == 200
    assert as_e1.get(url("applications", scene.app2)).status_code == 404

    own = scene.a11.review
    listed = as_e1.get(url("reviews"))
    assert ids(listed) == [own.pk]
    assert as_e1.get(url("reviews", own)).status_code == 200
    others = as_e1.get(url("reviews", scene.a21.review))
    assert others.status_code == 404
    assert others.json() == {"detail": "Not found."}
    assert as_e1.get(url("reviews"), {"application": scene.app1.pk}).json()["count"] == 1
    # Another expert's review cannot be reached by any door: not edited, no transitions.
    assert as_e1.patch(url("reviews", scene.a21.review), {"overall_comment": "x"}, format="json").status_code == 404
    assert as_e1.get(url("reviews", scene.a21.review, "transitions")).status_code == 404
    assert as_e1.post(url("reviews", scene.a21.review, "transitions", "submit"), {}, format="json").status_code == 404

    # The officer sees every review, with the expert's name.
    officer_list = scene.client(scene.officer).get(url("reviews"))
    assert len(ids(officer_list)) == 3
    names = {row["expert"]["name"] for row in officer_list.json()["results"]}
    assert names == {"刘教授", "孙研究员"}


def test_declare_conflict_revokes_access_at_once(scene):
    as_e1 = scene.client(scene.e1)
    available = as_e1.get(url("assignments", scene.a11, "transitions"))
    assert available.status_code == 200
    assert [t["name"] for t in available.json()] == ["declare_conflict"]
    assert available.json()[0]["needs_comment"] is True

    no_reason = as_e1.post(url("assignments", scene.a11, "transitions", "declare_conflict"), {}, format="json")
    assert no_reason.status_code == 400
    assert "comment" in no_reason.json()["errors"]

    review_id = scene.a11.review.pk
    response = as_e1.post(url("assignments", scene.a11, "transitions", "declare_conflict"),
                          {"comment": "I co-authored with the applicant's team lead last year."}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "voided"

    assert as_e1.get(url("applications", scene.app1)).status_code == 404
    assert as_e1.get(url("reviews", review_id)).status_code == 404
    assert ids(as_e1.get(url("applications"))) == []
    assert ids(as_e1.get(url("reviews"))) == []
    assert as_e1.patch(url("reviews", review_id), {"overall_comment": "x"}, format="json").status_code == 404

    conflicts = scene.client(scene.officer).get(url("conflicts"), {"application": scene.app1.pk, "source": "declared"})
    assert conflicts.status_code == 200
    [row] = conflicts.json()["results"]
    assert row["expert"] == scene.e1.pk and row["reason"] == "I co-authored with the applicant's team lead last year."


def test_transition_refusals_on_assignments(scene):
    officer_client = scene.client(scene.officer)
    not_his = officer_client.post(url("assignments", scene.a11, "transitions", "declare_conflict"),
                                  {"comment": "x"}, format="json")
    assert not_his.status_code == 403
    assert not_his.json()["detail"] == "Only the assigned expert can declare a conflict of interest."
    by_expert = scene.client(scene.e1).post(url("assignments", scene.a11, "transitions", "unassign"),
                                           {"comment": "x"}, format="json")
    assert by_expert.status_code == 403
    unknown = officer_client.post(url("assignments", scene.a11, "transitions", "vanish"), {"comment": "x"},
                                  format="json")
    assert unknown.status_code == 400

    done = officer_client.post(url("assignments", scene.a11, "transitions", "unassign"),
                               {"comment": "Replaced for balance."}, format="json")
    assert done.status_code == 200
    assert done.json()["voided_reason"] == "Replaced for balance."
    again = officer_client.post(url("assignments", scene.a11, "transitions", "unassign"),
                                {"comment": "again"}, format="json")
    assert again.status_code == 409
    assert scene.client(scene.e1).get(url("applications", scene.app1)).status_code == 404
    # The expert still sees the voided assignment as theirs, without the officer's reason.
    own = scene.client(scene.e1).get(url("assignments", scene.a11))
    assert own.status_code == 200 and own.json()["state"] == "voided" and own.json()["voided_reason"] is None


# ------------------------------------------------------------------- conflicts

def test_officer_pins_a_conflict_which_voids_the_assignment(scene):
    client = scene.client(scene.officer)
    response = client.post(url("conflicts"), {"application": scene.app1.pk, "expert": scene.e1.pk,
                                              "reason": "Former doctoral supervisor of the team lead."},
                           format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["source"] == "pinned" and body["expert_name"] == "刘教授" and body["recorded_by"] == "Officer Wang"
    scene.a11.refresh_from_db()
    assert scene.a11.state == "voided"
    assert scene.client(scene.e1).get(url("applications", scene.app1)).status_code == 404

    twice = client.post(url("conflicts"), {"application": scene.app1.pk, "expert": scene.e1.pk, "reason": "again"},
                        format="json")
    assert twice.status_code == 400
    blank = client.post(url("conflicts"), {"application": scene.app1.pk, "expert": scene.e3.pk, "reason": ""},
                        format="json")
    assert blank.status_code == 400 and "reason" in blank.json()["errors"]

    assert ids(client.get(url("conflicts"), {"expert": scene.e1.pk})) == [body["id"]]
    assert ids(client.get(url("conflicts"), {"source": "declared"})) == []
    # Now the pinned conflict also refuses a manual assignment, with its reason.
    refused = client.post(url("assignments"), {"application": scene.app1.pk, "expert": scene.e1.pk}, format="json")
    assert refused.status_code == 400
    assert "Former doctoral supervisor of the team lead." in refused.json()["detail"]


def test_conflicts_are_for_officers_only(scene):
    Conflict.objects.create(expert=scene.e3, application=scene.app1, source="pinned", reason="Relative.")
    for who in (scene.e1, scene.e3, scene.applicant, scene.fund_manager):
        client = scene.client(who)
        assert ids(client.get(url("conflicts"))) == []
        pinned = client.post(url("conflicts"), {"application": scene.app2.pk, "expert": scene.e3.pk,
                                                "reason": "x"}, format="json")
        assert pinned.status_code == 403
    assert Conflict.objects.count() == 1


def test_anonymous_requests_get_401():
    for path in ("experts", "assignments", "conflicts", "reviews"):
        assert api_client(None).get(url(path)).status_code == 401


def test_an_expert_without_a_profile_sees_nothing():
    user = expert()
    client = api_client(user)
    assert client.get(url("experts", "me")).status_code == 404
    assert ids(client.get(url("assignments"))) == []
    assert ids(client.get(url("reviews"))) == []



def test_lists_take_a_constant_number_of_queries(scene):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts():
        out = {}
        for who, path in ((scene.officer, "reviews"), (scene.officer, "assignments"), (scene.officer, "experts"),
                          (scene.e2, "reviews"), (scene.e2, "assignments")):
            client = scene.client(who)
            client.get(url(path))  # the token is created on the first request
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url(path)).status_code == 200
            out[(who.pk, path)] = len(queries)
        return out

    before = counts()
    for _ in range(3):
        assign(under_review(scene.call), scene.e2, scene.officer)
        ExpertFactory()
    assert counts() == before
