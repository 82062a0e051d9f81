"""The events table stays true to the workflows and the message catalogue."""
import string

import pytest
from django.apps import apps
from django.urls import reverse

from poc.notifications import events, reminders
from poc.notifications.messages import EN, MESSAGES, ZH
from poc.rules import transition_methods

ALL_RULES = ([(key, rule) for key, rules in events.TRANSITIONS.items() for rule in rules]
             + [((label, "create"), rule) for label, rules in events.CREATIONS.items() for rule in rules]
             + [(("reminder", name), value) for name, value in vars(reminders).items()
                if type(value).__name__ == "NotificationRule"])


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize(("label", "transition"), sorted(events.TRANSITIONS))
def test_every_mapped_transition_exists_on_its_model(label, transition):
    model = apps.get_model(label)
    assert transition in transition_methods(model), f"{label} has no transition {transition}: renamed?"


@pytest.mark.parametrize("kind", sorted(MESSAGES))
def test_every_message_speaks_both_languages_with_the_same_placeholders(kind):
    zh, en = MESSAGES[kind][ZH], MESSAGES[kind][EN]
    assert placeholders(zh.title) == placeholders(en.title)
    assert placeholders(zh.body) == placeholders(en.body)
    assert "{subject}" in zh.title


@pytest.mark.parametrize(("where", "rule"), ALL_RULES, ids=lambda v: str(v) if isinstance(v, tuple) else v.kind)
def test_every_rule_has_a_message_and_a_link_that_resolves(where, rule):
    assert rule.kind in MESSAGES
    if rule.url:
        assert reverse(rule.url, args=[1])


def test_every_message_is_used():
    used = {rule.kind for _, rule in ALL_RULES}
    assert set(MESSAGES) == used
