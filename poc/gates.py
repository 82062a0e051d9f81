"""Extension points where a higher app answers a question the workflow asks.

``poc`` must not import ``review`` or ``funding`` (DESIGN §1), yet closing a review needs the
reviews and proposing a project needs a funding decision. Each gate has an honest default that
refuses, and the higher app plugs in the real check from its ``AppConfig.ready``.
"""
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _


class Gate:
    def __init__(self, name: str, default_refusal):
        self.name = name
        self._default_refusal = default_refusal
        self._check: Callable | None = None

    def register(self, check: Callable) -> None:
        """``check(application) -> None | message(s)``; replaces the refusing default."""
        self._check = check

    def reset(self) -> None:
        self._check = None

    @property
    def registered(self) -> bool:
        return self._check is not None

    def __call__(self, application):
        if self._check is None:
            return [str(self._default_refusal)]
        return self._check(application)


# close_review: every active assignment reviewed and at least the call's minimum of reviews.
reviews_complete = Gate(
    "reviews_complete",
    _("No expert review has been recorded for this application, so the review cannot be closed."),
)

# propose (projects): a 投拨结合 funding decision proposal exists.
funding_proposed = Gate(
    "funding_proposed",
    _("A project can only be proposed with a funding decision proposal, and none exists yet."),
)

# approve (projects): the funding decision is approved.
funding_approved = Gate(
    "funding_approved",
    _("A project can only be approved once its funding decision is approved, and none exists yet."),
)
