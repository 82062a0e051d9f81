"""Over the API, one institution never sees another's objects: 404 on every detail, absent from every list.

Officers see everything. An expert with no assignment sees nothing.
"""
import pytest

from poc.models import Application, Attachment, IPItem, TransitionLog
from tests.factories import CallFactory, InstitutionFactory, applicant_of, expert, make_application, officer

from .api_support import API, api_client, app_url, multipart_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    a, b = InstitutionFactory(name="Institution A"), InstitutionFactory(name="Institution B")
    user_a, user_b = applicant_of(a), applicant_of(b)
    call = CallFactory()
    app_a = make_application(call, a, created_by=user_a)
    app_b = make_application(call, b, created_by=user_b)
    return {"a": a, "b": b, "user_a": user_a, "user_b": user_b, "call": call, "app_a": app_a, "app_b": app_b,
            "attachment_a": app_a.attachments.get(), "ip_item_a": app_a.ip_items.get()}


def detail_urls(w):
    app, att, ip = w["app_a"], w["attachment_a"], w["ip_item_a"]
    return [
        app_url(app),
        app_url(app, "attachments"),
        app_url(app, "attachments", att.pk),
        app_url(app, "attachments", att.pk, "download"),
        app_url(app, "history"),
        app_url(app, "transitions"),
        app_url(app, "ip-items"),
        app_url(app, "ip-items", ip.pk),
        app_url(app, "team-members"),
        app_url(app, "budget-lines"),
        app_url(app, "milestones"),
        f"{API}/institutions/{w['a'].pk}/",
    ]


def test_applicant_of_b_gets_404_on_everything_of_a(world):
    client = api_client(world["user_b"])
    for url in detail_urls(world):
        response = client.get(url)
        assert response.status_code == 404, url
        # The same answer as for an object that does not exist: nothing tells it is there.
        assert response.json() == {"detail": "Not found."}, url


def test_applicant_of_b_cannot_act_on_a_and_nothing_changes(world):
    client = api_client(world["user_b"])
    app = world["app_a"]
    att, ip = world["attachment_a"], world["ip_item_a"]
    attempts = [
        client.post(app_url(app, "transitions", "submit"), {}, format="json"),
        client.post(app_url(app, "transitions", "withdraw"), {}, format="json"),
        client.post(app_url(app, "transitions", "no_such_step"), {}, format="json"),
        client.patch(app_url(app), {"title": "Hijacked"}, format="json"),
        client.post(app_url(app, "pledges"), {"integrity": False, "ip_compliance": False}, format="json"),
        client.post(app_url(app, "ip-items"), {"number": "X", "title": "X", "ip_type": "other", "owner": "X",
                                               "status": "filed"}, format="json"),
        client.patch(app_url(app, "ip-items", ip.pk), {"title": "Hijacked"}, format="json"),
        client.delete(app_url(app, "ip-items", ip.pk)),
        client.delete(app_url(app, "attachments", att.pk)),
        client.patch(f"{API}/institutions/{world['a'].pk}/", {"name": "Hijacked"}, format="json"),
    ]
    body, content_type = multipart_body({"attachment_type": "other"}, filename="x.pdf",
                                        content=b"%PDF-1.4\n%%EOF\n")
    attempts.append(client.post(app_url(app, "attachments"), data=body, content_type=content_type))
    assert [r.status_code for r in attempts] == [404] * len(attempts)

    app.refresh_from_db()
    assert app.state == "draft" and app.title != "Hijacked" and app.integrity_pledged_at is not None
    assert IPItem.objects.get(pk=ip.pk).title == "A method"
    assert list(app.ip_items.values_list("pk", flat=True)) == [ip.pk]
    assert Attachment.objects.filter(application=app).count() == 1
    assert TransitionLog.objects.filter(object_id=app.pk).count() == 0
    world["a"].refresh_from_db()
    assert world["a"].name == "Institution A"


def test_lists_never_include_a_objects(world):
    client = api_client(world["user_b"])
    apps = client.get(f"{API}/applications/").json()["results"]
    assert [r["id"] for r in apps] == [world["app_b"].pk]
    assert client.get(f"{API}/applications/?institution={world['a'].pk}").json()["results"] == []
    assert client.get(f"{API}/applications/?call={world['call'].pk}").json()["count"] == 1
    assert [r["id"] for r in client.get(f"{API}/institutions/").json()["results"]] == [world["b"].pk]
    # B's own nested lists hold only B's rows.
    own_attachments = client.get(app_url(world["app_b"], "attachments")).json()
    assert {a["id"] for a in own_attachments} == set(world["app_b"].attachments.values_list("pk", flat=True))
    # An A row is not reachable under B's application either.
    assert client.get(app_url(world["app_b"], "ip-items", world["ip_item_a"].pk)).status_code == 404
    assert client.get(app_url(world["app_b"], "attachments", world["attachment_a"].pk, "download")).status_code == 404


def test_officers_see_everything(world):
    client = api_client(officer())
    ids = {r["id"] for r in client.get(f"{API}/applications/").json()["results"]}
    assert ids == {world["app_a"].pk, world["app_b"].pk}
    assert {r["id"] for r in client.get(f"{API}/institutions/").json()["results"]} == {world["a"].pk, world["b"].pk}
    for url in detail_urls(world):
        assert client.get(url).status_code == 200, url
    assert client.get(app_url(world["app_a"])).json()["institution"]["name"] == "Institution A"


def test_an_unassigned_expert_sees_nothing(world):
    client = api_client(expert())
    assert client.get(f"{API}/applications/").json()["results"] == []
    assert client.get(app_url(world["app_a"])).status_code == 404
    assert client.get(app_url(world["app_a"], "history")).status_code == 404
    assert client.get(f"{API}/institutions/").json()["results"] == []


def test_a_missing_application_is_404_like_a_forbidden_one(world):
    missing = Application.objects.order_by("-pk").first().pk + 100
    client = api_client(world["user_a"])
    assert client.get(app_url(missing)).status_code == 404
    assert client.get(app_url(missing, "transitions")).status_code == 404
    assert client.post(app_url(missing, "transitions", "submit"), {}, format="json").status_code == 404
