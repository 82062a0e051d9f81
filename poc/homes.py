"""Where each role lands after signing in: a registry the higher apps fill from their ``AppConfig.ready()``.

poc serves the officer's and the applicant's home pages itself. The expert's and the fund manager's pages
belong to higher apps, which poc never names; each registers its page's URL name here with
``register_home(<role code>, <URL name>)``.

A role with no registered page (or a page that does not resolve) falls back to poc's plain list.
"""
from django.urls import NoReverseMatch, reverse

_HOMES: dict[str, str] = {}


def register_home(role_code: str, url_name: str) -> None:
    """``url_name`` is the landing page of users holding ``role_code`` (called again: the last one wins)."""
    _HOMES[role_code] = url_name


def home_url(role_code: str) -> str | None:
    """The URL of the page registered for ``role_code``, or None (no page, or it does not resolve)."""
    name = _HOMES.get(role_code)
    if name is None:
        return None
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def registered_homes() -> dict[str, str]:
    return dict(_HOMES)
