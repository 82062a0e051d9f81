"""The inbox pages: a user sees, reads and follows only their own notifications; the header counts the unread."""
import pytest

from poc.models import Notification, NotificationPreference
from tests.factories import PASSWORD, UserFactory, officer

pytestmark = pytest.mark.django_db


def note(user, n=1, **fields):
    values = {"kind": "application_submitted", "key": f"test:{user.pk}:{n}", "title": f"通知 {n} of {user.pk}",
              "body": "正文", "link": "/applications/", **fields}
    return Notification.objects.create(recipient=user, **values)


@pytest.fixture
def alice(client):
    user = officer()
    client.login(username=user.username, password=PASSWORD)
    return user


@pytest.fixture
def bob():
    return officer()


def test_the_list_shows_only_the_users_own_notifications_and_the_header_counts_the_unread(client, alice, bob):
    mine = [note(alice, 1), note(alice, 2, read_at="2026-01-01T00:00Z"), note(alice, 3)]
    theirs = note(bob, 1, title="Bob's secret")

    page = client.get("/notifications/")

    assert page.status_code == 200
    html = page.content.decode()
    assert all(n.title in html for n in mine) and theirs.title not in html
    assert page.context["unread_notifications"] == 2
    assert '<span class="count warn" title=' in html  # the count in the header
    unread_only = client.get("/notifications/?unread=1").content.decode()
    assert mine[0].title in unread_only and mine[1].title not in unread_only


def test_the_count_appears_in_the_header_of_any_page(client, alice):
    note(alice, 1)
    html = client.get("/").content.decode()
    assert 'href="/notifications/"' in html and '<span class="count warn"' in html


def test_marking_read_and_all_read(client, alice, bob):
    first, second, third = note(alice, 1), note(alice, 2), note(alice, 3)
    other = note(bob, 1)

    response = client.post(f"/notifications/{first.pk}/read/")
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None

    client.post("/notifications/read-all/")
    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).count() == 0
    other.refresh_from_db()
    assert other.read_at is None  # "all" is all of mine
    assert {second.pk, third.pk} <= set(Notification.objects.filter(read_at__isnull=False).values_list("pk", flat=True))


def test_another_users_notification_answers_404_and_stays_unread(client, alice, bob):
    other = note(bob, 1)
    assert client.post(f"/notifications/{other.pk}/read/").status_code == 404
    assert client.get(f"/notifications/{other.pk}/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_marking_read_needs_a_post(client, alice):
    mine = note(alice, 1)
    assert client.get(f"/notifications/{mine.pk}/read/").status_code == 405


def test_opening_a_notification_marks_it_read_and_goes_to_its_subject(client, alice):
    mine = note(alice, 1, link="/applications/12/")
    response = client.get(f"/notifications/{mine.pk}/")
    assert response.status_code == 302 and response["Location"] == "/applications/12/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_a_link_elsewhere_is_never_followed(client, alice):
    mine = note(alice, 1, link="https://evil.example.com/")
    assert client.get(f"/notifications/{mine.pk}/")["Location"] == "/notifications/"


def test_the_pages_need_a_signed_in_user(client):
    for url in ("/notifications/", "/notifications/settings/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_settings_page_saves_email_off_and_the_language(client, alice):
    assert client.get("/notifications/settings/").status_code == 200
    response = client.post("/notifications/settings/", {"language": "en"})  # the email box left unticked
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=alice)
    assert (preference.email_enabled, preference.language) == (False, "en")

    client.post("/notifications/settings/", {"language": "zh-hans", "email_enabled": "on"})
    preference.refresh_from_db()
    assert (preference.email_enabled, preference.language) == (True, "zh-hans")


def test_an_unknown_language_is_refused(client, alice):
    response = client.post("/notifications/settings/", {"language": "fr", "email_enabled": "on"})
    assert response.status_code == 200 and not NotificationPreference.objects.filter(user=alice).exists()


def test_a_user_without_roles_has_an_inbox_too(client):
    user = UserFactory()
    client.login(username=user.username, password=PASSWORD)
    note(user, 1)
    assert client.get("/notifications/").status_code == 200
