"""One notification rule: what kind of message goes to whom, about what, linking where."""
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    kind: str  # a key of poc.notifications.messages.MESSAGES
    audience: Callable  # instance -> users
    about: str = ""  # path from the instance to the object the notification is about and links to
    url: str = ""  # URL name of that object's page (takes its pk); "" for no link
    label: str = ""  # path to the object named in the text ({subject}); default: ``about``
    facts: Callable | None = None  # instance -> more placeholders ({date}, {detail}…)
    when: Callable | None = None  # (instance, log) -> bool: only then (e.g. only the final state)
    applicant_facing: bool = False  # goes to the applicant side: expert identities are removed

    def applies(self, instance, log) -> bool:
        return self.when is None or bool(self.when(instance, log))
