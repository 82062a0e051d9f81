"""The browser tests: Debian's Chromium (headless, one per session) against Django's live server.

Every test gets a ``ui`` (a :class:`Browser` around one Playwright page in its own context) in the test's
language, and fails when the page logged a console error, a request failed or answered with an error
status the test did not expect, or the page asked for anything outside the live server. ``ui.audit()``
runs axe-core (vendored in ``vendor/``) and checks that the interface is in the page's language.

The tests need ``/usr/bin/chromium`` (``apt-get install chromium fonts-wqy-microhei``); without it they
are skipped with that reason. They never download a browser build.
"""
import os
import shutil
from pathlib import Path

import pytest

from tests.e2e.browser import Browser

CHROMIUM = "/usr/bin/chromium"
HERE = Path(__file__).parent
LANGUAGES = ["zh-hans", "en"]


def chromium_missing() -> str | None:
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        return f"the browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium fonts-wqy-microhei)"
    return None


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder ``e2e``, run them after the rest (their browser runs an event loop in the
    main thread for the rest of the session), and skip them with the reason when Chromium is missing."""
    reason = chromium_missing()
    mine, others = [], []
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))
            mine.append(item)
        else:
            others.append(item)
    items[:] = others + mine


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the tests still call the ORM synchronously
    # (factories, checks), which Django allows only with this switch.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(params=LANGUAGES)
def language(request):
    return request.param


@pytest.fixture
def ui(chromium, live_server, transactional_db, language, request):
    """A fresh browser context in ``language`` on the live server; fails the test on any browser-side error."""
    browser = Browser(chromium, live_server.url, language, name=request.node.name)
    yield browser
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        browser.shot("FAILED")
    problems = browser.close()
    if not hasattr(request.node, "rep_call") or request.node.rep_call.passed:
        assert not problems, "the browser saw problems:\n" + "\n".join(problems)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report
