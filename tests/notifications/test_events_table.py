"""The registered rule tables (poc's, review's, funding's) stay true to the workflows and the message catalogue."""
import string

import pytest
from django.urls import reverse

from poc.notifications.messages import EN, MESSAGES, ZH
from poc.notifications.registry import notification_rules, reminder_checks
from poc.rules import transition_methods

TRANSITIONS = notification_rules.transitions()
ALL_RULES = ([((model._meta.label_lower, name), rule) for (model, name), rules in TRANSITIONS.items()
              for rule in rules]
             + [((model._meta.label_lower, "create"), rule) for model, rules in notification_rules.creations().items()
                for rule in rules]
             + [(("reminder", reminder.name), rule) for reminder in reminder_checks.all() for rule in reminder.rules])
BATCH_RULES = [((model._meta.label_lower, "batch"), rule) for model, rules in notification_rules.batches().items()
               for rule in rules]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize(("model", "transition"), sorted(TRANSITIONS, key=lambda key: (key[0]._meta.label_lower, key[1])),
                         ids=lambda v: v if isinstance(v, str) else v._meta.label_lower)
def test_every_mapped_transition_exists_on_its_model(model, transition):
    assert transition in transition_methods(model), f"{model._meta.label} has no transition {transition}: renamed?"


@pytest.mark.parametrize("kind", sorted(MESSAGES))
def test_every_message_speaks_both_languages_with_the_same_placeholders(kind):
    zh, en = MESSAGES[kind][ZH], MESSAGES[kind][EN]
    assert placeholders(zh.title) == placeholders(en.title)
    assert placeholders(zh.body) == placeholders(en.body)
    # What it is about: one object ({subject}), or how many of them for a batch ({count}).
    assert "{subject}" in zh.title or "{count}" in zh.title


@pytest.mark.parametrize(("where", "rule"), ALL_RULES, ids=lambda v: str(v) if isinstance(v, tuple) else v.kind)
def test_every_rule_has_a_message_and_a_link_that_resolves(where, rule):
    assert rule.kind in MESSAGES
    if rule.url:
        assert reverse(rule.url, args=[1])


@pytest.mark.parametrize(("where", "rule"), BATCH_RULES, ids=lambda v: str(v) if isinstance(v, tuple) else v.kind)
def test_every_batch_rule_has_a_message_with_its_count_and_a_link_that_resolves(where, rule):
    assert "{count}" in MESSAGES[rule.kind][ZH].title and "{count}" in MESSAGES[rule.kind][EN].body
    assert not rule.url or reverse(rule.url)


def test_every_message_is_used():
    used = {rule.kind for _, rule in ALL_RULES + BATCH_RULES}
    assert set(MESSAGES) == used
