"""/verify/<code>/ (public): an unknown code gets a friendly page in both languages (404); addresses are
rate-limited so codes cannot be tried at speed."""
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_unknown_code_says_so_in_english_and_chinese():
    english = Client().get("/verify/ZZZZ-9999/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 404
    page = english.content.decode()
    assert "There is no document with this code." in page and "call the bureau" in page and "ZZZZ-9999" in page

    chinese = Client().get("/verify/ZZZZ-9999/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 404
    assert "没有与该核验码对应的文件" in chinese.content.decode() and "致电科技局" in chinese.content.decode()


def test_each_address_is_rate_limited(settings):
    settings.VERIFY_RATE = "5/minute"
    codes = [Client().get(f"/verify/CODE-{n}/", REMOTE_ADDR="10.2.0.1").status_code for n in range(6)]
    assert codes == [404] * 5 + [429]
    assert Client().get("/verify/CODE-7/", REMOTE_ADDR="10.2.0.2").status_code == 404  # another address


def test_a_cache_that_fails_lets_the_page_through(settings, monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(cache, "incr", lambda *a, **k: (_ for _ in ()).throw(ConnectionError("cache down")))
    assert Client().get("/verify/CODE-1/").status_code == 404
