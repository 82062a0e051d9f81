"""poc knows review and funding only by what they register with it (DESIGN §1): no string in poc names them.

A dotted name (``"review.Review"``, ``"funding.documents"``, ``f"review.{x}"``), a template path
(``"review/…"``) or an ``apps.get_model(...)`` lookup in poc would break at run time, not at import, when the app
above renames something. The scan reads every string literal (docstrings and f-strings included) of poc's
Python sources, migrations excepted.
"""
import io
import re
import tokenize
from pathlib import Path

import pytest

POC = Path(__file__).resolve().parents[2] / "poc"
HIGHER_APP = re.compile(r"\b(review|funding)[./][\w{]", re.IGNORECASE)
URL_NAMESPACE = re.compile(r"\b(review|funding):\w", re.IGNORECASE)
# URL names of a higher app's pages that poc still redirects to by name; each is a debt, none may be added.
URL_NAMES_KNOWN = {"poc/views/home.py"}


def sources():
    return sorted(path for path in POC.rglob("*.py") if "migrations" not in path.parts)


def strings(path: Path):
    """(line, literal) of every string token in ``path``."""
    for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if token.type == tokenize.STRING:
            yield token.start[0], token.string


def where(path: Path) -> str:
    return str(path.relative_to(POC.parent))


def test_the_scan_sees_poc():
    assert len(sources()) > 50 and (POC / "notifications" / "registry.py") in sources()


def test_the_patterns_catch_what_they_are_for():
    for text in ('"review.Review"', "'funding.documents'", 'f"review.{name}"', '"review/queue.html"',
                 '"""reached through funding.TechContract"""'):
        assert HIGHER_APP.search(text), text
    for text in ('"reviewed"', '"review_submitted"', '"funding_proposed"', '"review"', '"poc.review_due"'):
        assert not HIGHER_APP.search(text), text


@pytest.mark.parametrize("path", sources(), ids=where)
def test_no_string_in_poc_names_a_higher_app(path):
    found = [f"{where(path)}:{line}: {match.group(0)}…" for line, text in strings(path)
             for match in HIGHER_APP.finditer(text)]
    assert found == [], "poc names a higher app; let the app register it instead (poc.notifications.registry)"


@pytest.mark.parametrize("path", sources(), ids=where)
def test_poc_looks_up_no_model_by_name(path):
    assert "get_model(" not in path.read_text(encoding="utf-8"), f"{where(path)} looks a model up by its name"


def test_no_new_url_name_of_a_higher_app_in_poc():
    naming = {where(path) for path in sources() if any(URL_NAMESPACE.search(text) for _, text in strings(path))}
    assert naming <= URL_NAMES_KNOWN
