"""Every page a role reaches from its menu, and the first record each of those pages lists, on the demo's data:
axe finds nothing serious or critical, a Chinese page's interface is in Chinese, and the browser sees no
console error, failed request or request outside the site. In both languages, for every role with a login."""
import io
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core.management import call_command

from poc.demo import DEMO_USERS

ROLES = ("officer", "applicant", "expert", "fund_manager", "district_officer")
# Links that leave the page's purpose: signing out, the admin site, files to download, the API's own pages.
SKIPPED_PREFIXES = ("/accounts/logout", "/admin/", "/api/", "/static/", "/media/")


def _same_site_paths(ui, selector: str) -> list[str]:
    hrefs = ui.page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    paths = []
    for href in hrefs:
        if not href or not href.startswith("/") or href.startswith("//"):
            continue
        path = urlsplit(href).path
        if path.startswith(SKIPPED_PREFIXES) or path.endswith((".pdf", ".csv", ".xlsx")) or "/exports/" in path:
            continue
        if path not in paths:
            paths.append(path)
    return paths


def test_every_menu_page_and_its_first_record_as_every_role(ui):
    call_command("seed_demo", stdout=io.StringIO())
    logins = {role: (username, password) for username, password, role, *_rest in DEMO_USERS if role in ROLES}
    assert set(logins) == set(ROLES)
    audited = {}
    for role in ROLES:
        username, password = logins[role]
        ui.context.clear_cookies()
        ui.context.add_cookies([{"name": "django_language", "value": ui.language, "url": ui.base_url}])
        ui.login(get_user_model().objects.get(username=username), password)
        ui.audit()
        menu = _same_site_paths(ui, "nav.main-nav a[href]")
        assert menu, f"{role}: no menu"
        seen = set()
        for path in menu:
            ui.goto(path)
            seen.add(path)
            first_records = [p for p in _same_site_paths(ui, "main table a[href], main .record a[href]")
                             if p not in seen and p not in menu][:1]
            for record in first_records:
                ui.goto(record)
                seen.add(record)
        audited[role] = sorted(seen)
    ui.shot("last-page")
    assert all(len(pages) >= 3 for pages in audited.values()), audited
