"""Email copies: in the recipient's language (their preference), or none when they chose the inbox only."""
import pytest
from django.conf import settings
from django.core import mail

from poc.tasks import fan_out_notification
from poc.workflow import run_transition
from tests.factories import InstitutionFactory, applicant_of, make_application, officer
from tests.notifications.support import inbox, last_log, with_language

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned():
    """An application returned with a reason; returns a function that delivers the event."""
    institution = InstitutionFactory()
    members = {"zh": applicant_of(institution), "en": with_language(applicant_of(institution), "en"),
               "quiet": with_language(applicant_of(institution), "en", email=False)}
    app = make_application(institution=institution, created_by=members["zh"], state="submitted")
    app = run_transition(app, "return_for_revision", officer(), "预算明细不完整 / budget details missing")

    def deliver():
        fan_out_notification.apply(args=[last_log(app).pk], throw=True)

    return app, members, deliver


def email_to(user):
    [message] = [m for m in mail.outbox if m.to == [user.email]]
    return message


def test_the_email_is_in_chinese_by_default(returned):
    app, members, deliver = returned
    deliver()
    message = email_to(members["zh"])
    assert message.subject == f"【概念验证与中试服务平台】申报被退回修改：{app}"
    assert "您好" in message.body and "请于" in message.body and "理由：预算明细不完整" in message.body
    assert f"{getattr(settings, 'SITE_URL', '').rstrip('/')}/applications/{app.pk}/" in message.body
    assert "Dear" not in message.body


def test_the_email_and_the_notification_follow_an_english_preference(returned):
    app, members, deliver = returned
    deliver()
    message = email_to(members["en"])
    assert message.subject == f"[PoC Hub] Application returned for revision: {app}"
    assert message.body.startswith("Dear ") and "Reason: 预算明细不完整" in message.body
    assert "您好" not in message.body
    [note] = inbox(members["en"])
    assert note.language == "en" and note.title.startswith("Application returned for revision")


def test_inbox_only_users_get_no_email_but_the_notification(returned):
    app, members, deliver = returned
    deliver()
    assert [m for m in mail.outbox if m.to == [members["quiet"].email]] == []
    assert len(inbox(members["quiet"])) == 1
    assert len(mail.outbox) == 2


def test_an_email_body_is_plain_text_not_html_escaped(returned):
    app, members, deliver = returned
    from poc.models import Application

    Application.objects.filter(pk=app.pk).update(title="A & B <测试>")
    deliver()
    assert "A & B <测试>" in email_to(members["zh"]).subject
