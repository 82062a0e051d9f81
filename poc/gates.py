"""Extension points where a higher app answers a question the workflow asks.

``poc`` must not import ``review`` or ``funding`` (DESIGN §1), yet closing a review needs the
reviews and proposing a project needs a funding decision. Each gate has an honest default that
refuses, and the higher app plugs in the real check from its ``AppConfig.ready``.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

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


# ------------------------------------------------------------------ the conversion obligation's evidence
@dataclass(frozen=True)
class TransferRecord:
    """One record that a project's results were transferred or put to use (成果转化): a registered technology
    contract, a converted licence, other landing evidence. ``kind`` is shown as is (already translated)."""

    kind: str
    reference: str
    dated_on: date


class TransferRecordSources:
    """Who keeps a project's transfer records: each higher app registers one source from its ``ready()``
    (``source(project) -> iterable of TransferRecord``). Without any source, a project has no record and its
    conversion obligation is never met: the honest default."""

    def __init__(self):
        self._sources: dict[str, Callable] = {}

    def register(self, owner: str, source: Callable) -> None:
        """Set ``owner``'s source (an app's name), replacing any earlier one."""
        self._sources[owner] = source

    def unregister(self, owner: str) -> None:
        self._sources.pop(owner, None)

    @property
    def owners(self) -> tuple[str, ...]:
        return tuple(self._sources)

    def __call__(self, project) -> list[TransferRecord]:
        records = [record for source in self._sources.values() for record in source(project)]
        return sorted(records, key=lambda r: (r.dated_on, r.kind, r.reference))


# acceptance (projects): what fulfils the conversion obligation fixed at approval.
transfer_records = TransferRecordSources()
