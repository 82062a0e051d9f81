"""One user's browser in the e2e tests: a Playwright page in its own context, and what it saw go wrong.

``Browser`` records console errors, page errors, failed requests, error responses the test did not announce
with :meth:`Browser.expect_status`, and every request to a host other than the live server (which it
blocks). ``audit()`` runs axe-core on the current page and fails on any serious or critical violation; on a
Chinese page it also checks that the main navigation and the buttons are in Chinese.
"""
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from tests.factories import PASSWORD

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
SHOTS = Path(os.environ.get("E2E_SHOTS", "/tmp/e2e-shots"))
CJK = re.compile(r"[\u4e00-\u9fff]")
# Words of the interface that must not stay in English on a Chinese page.
ENGLISH_UI_WORDS = ("Submit", "Cancel", "Save", "Applications", "Log out", "Home", "Calls", "Delete", "Back")
LOCALES = {"zh-hans": "zh-CN", "en": "en-GB"}
# Names the interface gives itself in both languages (brand, language switch): not a translation gap.
BILINGUAL = {"中文", "English", "PoC"}


class Browser:
    def __init__(self, chromium, base_url: str, language: str, *, name: str = "test"):
        self.base_url = base_url.rstrip("/")
        self.language = language
        self.name = re.sub(r"[^\w.-]+", "_", name)
        self.problems: list[str] = []
        self.expected: list[tuple[str, int]] = []
        self.audited: list[str] = []
        host = urlsplit(self.base_url).netloc
        self.context = chromium.new_context(
            locale=LOCALES[language], extra_http_headers={"Accept-Language": language},
            accept_downloads=True, bypass_csp=True, viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(15_000)
        self.context.add_cookies([{"name": "django_language", "value": language, "url": self.base_url}])

        def route(route):
            url = route.request.url
            if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != host:
                self.problems.append(f"request outside the live server: {url}")
                return route.abort()
            return route.continue_()

        self.context.route("**/*", route)
        # axe-core is in every page from the start (cheaper than sending it over for each audit).
        self.context.add_init_script(script=AXE)
        self._seen: set[tuple[str, int]] = set()
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)

    # ------------------------------------------------------------ what went wrong
    def _console(self, message):
        if message.type == "error":
            text = message.text
            if "Failed to load resource" in text and self._announced(message.location.get("url", "")):
                return
            self.problems.append(f"console error on {self.page.url}: {text}")

    def _failed(self, request):
        failure = request.failure or ""
        if urlsplit(request.url).netloc != urlsplit(self.base_url).netloc:
            return  # an outside request: the route recorded and blocked it
        if "net::ERR_ABORTED" in failure:
            return  # a download handed over to the browser, or a navigation that replaced the page
        self.problems.append(f"request failed: {request.method} {request.url} ({failure})")

    def _announced(self, url: str, status: int | None = None) -> bool:
        return any(part in url and (status is None or status == code) for part, code in self.expected)

    def _response(self, response):
        if response.status >= 400 and not self._announced(response.url, response.status):
            self.problems.append(f"HTTP {response.status} for {response.request.method} {response.url}")

    def expect_status(self, url_part: str, status: int) -> None:
        """The test expects ``status`` for a URL containing ``url_part`` (an error page it looks at)."""
        self.expected.append((url_part, status))

    def close(self) -> list[str]:
        self.context.close()
        if self.audited:  # what axe looked at, for the record
            SHOTS.mkdir(parents=True, exist_ok=True)
            with open(SHOTS / "axe-audited.txt", "a", encoding="utf-8") as log:
                log.writelines(f"{self.name}\t{urlsplit(url).path}\n" for url in self.audited)
        return self.problems

    # ------------------------------------------------------------ moving around
    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str, *, audit: bool = True):
        response = self.page.goto(self.url(path))
        if audit:
            self.audit()
        return response

    def login(self, user, password: str = PASSWORD) -> None:
        """Sign in through the real login form."""
        self.page.goto(self.url("/accounts/login/"))
        self.page.locator("input[name=username]").fill(user.username)
        self.page.locator("input[name=password]").fill(password)
        self.page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
        self.page.wait_for_load_state()
        assert "/accounts/login/" not in self.page.url, self.text("main")

    def switch_user(self, user) -> None:
        """Forget the signed-in user (as a fresh browser would) and sign in as ``user``."""
        self.context.clear_cookies()
        self.context.add_cookies([{"name": "django_language", "value": self.language, "url": self.base_url}])
        self.login(user)

    def text(self, selector: str = "main") -> str:
        return self.page.locator(selector).first.inner_text()

    def t(self, zh: str, en: str) -> str:
        """The text the interface shows in the test's language."""
        return zh if self.language == "zh-hans" else en

    def tr(self, msgid: str) -> str:
        """An interface string as the page shows it in the test's language (the catalogue's translation)."""
        from django.utils import translation

        with translation.override(self.language):
            return translation.gettext(msgid)

    def click(self, name: str, *, within: str = "main"):
        """Click the button (or link) of that visible name, then wait for the page that follows."""
        scope = self.page.locator(within)
        target = scope.get_by_role("button", name=name, exact=True)
        if not target.count():
            target = scope.get_by_role("link", name=name, exact=True)
        target.first.click()
        self.page.wait_for_load_state()

    def shot(self, label: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{self.name}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    # ------------------------------------------------------------ checks
    def audit(self) -> None:
        """axe-core: no serious or critical violation; a Chinese page's chrome is in Chinese."""
        self.page.wait_for_load_state()
        assert self.page.locator("html").get_attribute("lang") == self.language, self.page.url
        # A page already audited in this test, unchanged (same address, same markup size), is not audited again.
        key = (urlsplit(self.page.url).path, self.page.evaluate("() => document.body.innerHTML.length"))
        if key in self._seen:
            return
        self._seen.add(key)
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(content=AXE)
        result = self.page.evaluate(
            "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({"
            "id: v.id, impact: v.impact, help: v.help,"
            "nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.html.slice(0, 160))})))")
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        self.audited.append(self.page.url)
        assert not bad, f"axe on {self.page.url}:\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:8]) for v in bad)
        if self.language == "zh-hans":
            self._chrome_is_chinese()

    def _chrome_is_chinese(self) -> None:
        labels = self.page.evaluate(
            "() => Array.from(document.querySelectorAll('nav a, nav button, main button, main input[type=submit],"
            " main a.button, h1, label, th')).filter(e => e.offsetParent !== null)"
            ".map(e => (e.innerText || e.value || '').trim()).filter(Boolean)")
        english = [label for label in labels if label not in BILINGUAL and not CJK.search(label)
                   and any(re.search(rf"\b{re.escape(word)}\b", label) for word in ENGLISH_UI_WORDS)]
        assert not english, f"untranslated interface strings on {self.page.url}: {english}"
        nav = self.page.locator("nav.main-nav")
        if nav.count():
            assert CJK.search(nav.inner_text()), f"the main navigation is not in Chinese on {self.page.url}"
