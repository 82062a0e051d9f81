"""One notification rule: what kind of message goes to whom, about what, linking where.

Not to be confused with :class:`poc.rules.Rule` (a workflow rule that refuses a transition with a reason): a
``NotificationRule`` only says who hears of an event that already happened.
"""
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NotificationRule:
    kind: str  # a key of poc.notifications.messages.MESSAGES
    audience: Callable  # instance -> users
    about: str = ""  # path from the instance to the object the notification is about and links to
    url: str = ""  # URL name of that object's page (takes its pk); "" for no link
    label: str = ""  # path to the object named in the text ({subject}); default: ``about``
    facts: Callable | None = None  # instance -> more placeholders ({date}, {detail}…)
    when: Callable | None = None  # (instance, log) -> bool: only then (e.g. only the final state)
    applicant_facing: bool = False  # goes to the applicant side: expert identities are removed
    with_reason: bool = True  # the transition's comment is added as the reason; False keeps internal notes out

    def applies(self, instance, log) -> bool:
        return self.when is None or bool(self.when(instance, log))


@dataclass(frozen=True)
class BatchNotificationRule:
    """One notification per person for a batch of objects created together (``record_creations``).

    ``recipient`` is the ORM path from an object to the one user it concerns (``"expert__user"``); each active
    user named gets one notification for all the batch's objects that concern them, with
    ``facts(rows) -> {count, date, …}`` filled into ``kind``'s text, linking to the page ``url`` (a URL name
    without arguments). ``rows`` are one dict per object of that person, holding ``pk`` and the ORM paths
    ``fields`` names, read for the whole batch in one query (no model instance per object: a batch is a whole
    call's assignments).
    """

    kind: str
    recipient: str  # ORM path to the user the object concerns
    url: str = ""
    facts: Callable | None = None  # rows of one person -> placeholders ({count}, {date}…)
    fields: tuple = ()  # ORM paths facts reads per object
