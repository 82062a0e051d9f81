"""Where the apps plug into poc's notifications: the rules of their events, their reminders, and one query hook.

poc never imports review or funding, nor names them (DESIGN §1). As with the gates of :mod:`poc.gates`, poc
asks and each app answers from its ``AppConfig.ready()``: poc registers its own table and reminders the same way
review and funding register theirs. Registering again under the same owner (or reminder name) replaces what was
there, so a second ``ready()`` never doubles a notification. Without review and funding, poc still works: their
events simply concern nobody and their reminders do not run.
"""
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Model

from .rules import BatchNotificationRule, NotificationRule

Transitions = Mapping[tuple[type[Model], str], Iterable[NotificationRule]]
Creations = Mapping[type[Model], Iterable[NotificationRule]]


@dataclass(frozen=True)
class RuleTable:
    """One app's rules: (model, transition) → rules, and model → rules on creation (``record_creation``)."""

    transitions: dict[tuple[type[Model], str], tuple[NotificationRule, ...]]
    creations: dict[type[Model], tuple[NotificationRule, ...]]
    batches: dict[type[Model], tuple[BatchNotificationRule, ...]] = None


def _checked(rules, where) -> tuple[NotificationRule, ...]:
    rules = tuple(rules)
    for rule in rules:
        if not isinstance(rule, NotificationRule):
            raise TypeError(f"{where}: {rule!r} is not a NotificationRule")
    return rules


def _model(model, where) -> type[Model]:
    if not (isinstance(model, type) and issubclass(model, Model)):
        raise TypeError(f"{where}: {model!r} is not a model class (register models, not their names)")
    return model


class NotificationRules:
    """Which workflow events concern whom, table by table: each app registers the rules of its own models."""

    def __init__(self):
        self._tables: dict[str, RuleTable] = {}

    def register(self, owner: str, *, transitions: Transitions | None = None,
                 creations: Creations | None = None, batches: Mapping | None = None) -> None:
        """Set ``owner``'s table (an app's name), replacing any earlier one. ``batches``: model → rules for
        objects created together (one notification per person for the whole batch)."""
        for rules in (batches or {}).values():
            for rule in rules:
                if not isinstance(rule, BatchNotificationRule):
                    raise TypeError(f"{owner} batch: {rule!r} is not a BatchNotificationRule")
        self._tables[owner] = RuleTable(
            transitions={(_model(model, owner), name): _checked(rules, f"{owner} {name}")
                         for (model, name), rules in (transitions or {}).items()},
            creations={_model(model, owner): _checked(rules, f"{owner} create")
                       for model, rules in (creations or {}).items()},
            batches={_model(model, owner): tuple(rules) for model, rules in (batches or {}).items()})

    def unregister(self, owner: str) -> None:
        self._tables.pop(owner, None)

    @property
    def owners(self) -> tuple[str, ...]:
        return tuple(self._tables)

    def rules_for(self, model, transition: str) -> tuple[NotificationRule, ...]:
        """The rules of ``transition`` ("create" for creation) on ``model``; () when it concerns nobody."""
        found: tuple[NotificationRule, ...] = ()
        for table in self._tables.values():
            if transition == "create":
                found += table.creations.get(model, ())
            else:
                found += table.transitions.get((model, transition), ())
        return found

    def batch_rules_for(self, model) -> tuple[BatchNotificationRule, ...]:
        """The rules for a batch of ``model``'s objects created together; () when it concerns nobody."""
        found: tuple[BatchNotificationRule, ...] = ()
        for table in self._tables.values():
            found += (table.batches or {}).get(model, ())
        return found

    def batches(self) -> dict[type[Model], tuple[BatchNotificationRule, ...]]:
        """Every model with batch rules, all owners together."""
        merged: dict = {}
        for table in self._tables.values():
            for model, rules in (table.batches or {}).items():
                merged[model] = merged.get(model, ()) + rules
        return merged

    def transitions(self) -> dict[tuple[type[Model], str], tuple[NotificationRule, ...]]:
        """Every registered (model, transition) and its rules, all owners together."""
        merged: dict = {}
        for table in self._tables.values():
            for key, rules in table.transitions.items():
                merged[key] = merged.get(key, ()) + rules
        return merged

    def creations(self) -> dict[type[Model], tuple[NotificationRule, ...]]:
        merged: dict = {}
        for table in self._tables.values():
            for model, rules in table.creations.items():
                merged[model] = merged.get(model, ()) + rules
        return merged


@dataclass(frozen=True)
class Reminder:
    """A periodic check (``check() -> notifications sent``) run by beat under ``name``
    (``poc.tasks.send_reminders``), and the rules it may notify by."""

    name: str
    check: Callable[[], int]
    rules: tuple[NotificationRule, ...] = ()


class Reminders:
    """The reminder checks, each registered by the app that owns the data it reads."""

    def __init__(self):
        self._reminders: dict[str, Reminder] = {}

    def register(self, reminder: Reminder) -> None:
        self._reminders[reminder.name] = Reminder(reminder.name, reminder.check,
                                                  _checked(reminder.rules, reminder.name))

    def unregister(self, name: str) -> None:
        self._reminders.pop(name, None)

    def names(self) -> tuple[str, ...]:
        return tuple(self._reminders)

    def all(self) -> tuple[Reminder, ...]:
        return tuple(self._reminders.values())

    def run(self, *names: str) -> dict[str, int]:
        """Run the named checks (all without names); return the notifications each stands for.
        An unknown name raises KeyError, as a typo in the beat schedule should."""
        return {name: self._reminders[name].check() for name in (names or self._reminders)}


class QueryHook:
    """A queryset narrowing a higher app may supply; without it the queryset passes unchanged."""

    def __init__(self, name: str):
        self.name = name
        self._narrow: Callable | None = None

    def register(self, narrow: Callable) -> None:
        """``narrow(queryset) -> queryset``; replaces any earlier one."""
        self._narrow = narrow

    def reset(self) -> None:
        self._narrow = None

    @property
    def registered(self) -> bool:
        return self._narrow is not None

    def __call__(self, queryset):
        return queryset if self._narrow is None else self._narrow(queryset)


notification_rules = NotificationRules()
reminder_checks = Reminders()

# The projects whose conversion obligation is still unfulfilled. What fulfils it (a registered technology
# contract) is funding's to say; without funding, every obligation with a due date is unfulfilled.
unfulfilled_obligations = QueryHook("unfulfilled_obligations")
