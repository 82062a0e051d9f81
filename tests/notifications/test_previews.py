"""Officers see every notification's email in both languages, and what was sent to whom and when; nobody else."""
import re

import pytest
from django.test import Client
from django.urls import reverse

from poc.models import Notification, OutboxMessage
from poc.notifications.messages import MESSAGES
from tests.factories import InstitutionFactory, applicant_of, expert, fund_manager, officer

pytestmark = pytest.mark.django_db


def page(user, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client.get(reverse("notification-previews"))


def test_every_kind_is_previewed_in_chinese_and_in_english():
    body = page(officer()).content.decode()
    for kind in MESSAGES:
        assert f"<code>{kind}</code>" in body
    assert body.count('<article lang="zh-hans"') == body.count('<article lang="en"') == len(MESSAGES)
    assert "您好" in body and "此邮件由概念验证与中试服务平台自动发送" in body  # the Chinese email template
    previews = body.split('id="templates"')[1].split('id="deliveries"')[0]
    assert "WZ-PP-2026-001" in previews and not re.search(r"\{[a-z_]+\}", previews)  # every placeholder filled


def test_the_deliveries_say_who_got_what_and_when_the_email_went():
    staff = officer()
    someone = applicant_of(InstitutionFactory())
    Notification.objects.create(recipient=someone, kind="application_returned", key="k1", title="申报被退回修改：X",
                                language="zh-hans")
    OutboxMessage.objects.create(task_name="poc.tasks.fan_out_notification", args=[1], attempts=2,
                                 last_error="ConnectionError: broker down")
    body = page(staff, "zh-hans").content.decode()
    assert "申报被退回修改：X" in body and "仅站内" in body
    assert "poc.tasks.fan_out_notification" in body and "ConnectionError: broker down" in body and "等待" in body


@pytest.mark.parametrize("who", ["applicant", "expert", "fund manager"])
def test_nobody_but_officers_sees_them(who):
    user = {"applicant": lambda: applicant_of(InstitutionFactory()), "expert": expert,
            "fund manager": fund_manager}[who]()
    response = page(user)
    assert response.status_code == 403
    assert "Email templates and deliveries" not in Client().get(reverse("notification-list")).content.decode()


def test_the_inbox_links_to_them_for_officers_only():
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(officer())
    assert reverse("notification-previews") in staff.get(reverse("notification-list")).content.decode()
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(applicant_of(InstitutionFactory()))
    assert reverse("notification-previews") not in other.get(reverse("notification-list")).content.decode()
