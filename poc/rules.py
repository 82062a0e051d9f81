"""Workflow rules that can say why not.

django-fsm calls a transition's ``conditions`` with the instance and its ``permission`` with
(instance, user), expecting booleans. The rules here are such callables, and each can also say
*why* it fails, in words a user can read. The model's transition declarations stay the single
source of truth: pages, API and tests ask :func:`check_transition`, which reads the
``permission`` and ``conditions`` declared on the transition and never restates them.

Order of judgement (and the HTTP status the API answers with):
1. the user may never run this transition on this object (permission)  → 403
2. the transition does not start from the current state                  → 409
3. a condition fails                                                      → 409
"""
from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django_fsm import FSMFieldMixin


class Rule:
    """A boolean callable that can also explain its failure.

    ``check`` returns ``None`` (or an empty iterable) when the rule holds, otherwise a message or
    a list of messages.
    """

    def __init__(self, check: Callable, name: str | None = None):
        self.check = check
        self.name = name or check.__name__
        self.__name__ = self.name
        self.__doc__ = check.__doc__

    def reasons(self, *args) -> list[str]:
        outcome = self.check(*args)
        if not outcome:
            return []
        # A lazy translation (gettext_lazy) is one message, not an iterable of characters.
        if isinstance(outcome, str | bytes | Promise) or not isinstance(outcome, Iterable):
            return [str(outcome)]
        return [str(m) for m in outcome]

    def __call__(self, *args) -> bool:
        return not self.reasons(*args)

    def __repr__(self) -> str:
        return f"<Rule {self.name}>"


def condition(check: Callable) -> Rule:
    """Declare a transition condition: ``check(instance) -> None | message(s)``."""
    return Rule(check)


def permission(check: Callable) -> Rule:
    """Declare a transition permission: ``check(instance, user) -> None | message``."""
    return Rule(check)


def any_of(*rules: Rule, name: str | None = None) -> Rule:
    """A permission that holds when any of ``rules`` holds; its refusal is the first one's."""

    def check(*args):
        reasons = []
        for rule in rules:
            found = rule.reasons(*args)
            if not found:
                return None
            reasons.extend(found)
        return reasons[:1]

    return Rule(check, name or "any_of(" + ",".join(r.name for r in rules) + ")")


@dataclass
class TransitionCheck:
    name: str
    allowed: bool
    status: int = 200  # 200 allowed, 403 not this user, 409 not now
    reasons: list[str] = field(default_factory=list)
    target: str | None = None
    label: str = ""
    needs_comment: bool = False
    style: str = ""

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)


def state_field(instance) -> FSMFieldMixin:
    fields = [f for f in instance._meta.fields if isinstance(f, FSMFieldMixin)]
    assert len(fields) == 1, "one FSM field per model"
    return fields[0]


def transition_methods(model) -> dict[str, Callable]:
    """Every transition method declared on ``model``'s state field, by name."""
    fsm_field = [f for f in model._meta.fields if isinstance(f, FSMFieldMixin)][0]
    methods = fsm_field.transitions[model].items()
    # In the order they are declared on the model (django-fsm collects them alphabetically).
    ordered = sorted(methods, key=lambda item: inspect.unwrap(item[1]).__code__.co_firstlineno)
    return dict(ordered)


def transition_meta(model, name: str):
    try:
        return transition_methods(model)[name]._django_fsm
    except KeyError:
        raise LookupError(name) from None


def describe(model, name: str) -> dict:
    """The declaration of transition ``name``: sources, target, permission, conditions, custom."""
    meta = transition_meta(model, name)
    any_transition = next(iter(meta.transitions.values()))
    return {
        "sources": list(meta.transitions),
        "target": any_transition.target,
        "permission": any_transition.permission,
        "custom": any_transition.custom,
    }


def _state_label(instance, state) -> str:
    fsm_field = state_field(instance)
    return str(dict(fsm_field.flatchoices).get(state, state))


def check_transition(instance, name: str, user) -> TransitionCheck:
    """Whether ``user`` may run transition ``name`` on ``instance`` now, and if not, why."""
    meta = transition_meta(type(instance), name)
    fsm_field = state_field(instance)
    current = fsm_field.get_state(instance)
    declared = describe(type(instance), name)
    custom = declared["custom"]
    base = {
        "name": name,
        "label": str(custom.get("label", name)),
        "needs_comment": bool(custom.get("comment_required")),
        "style": custom.get("style", ""),
        # A computed target (django-fsm RETURN_VALUE) has no single name.
        "target": declared["target"] if isinstance(declared["target"], str) else None,
    }

    perm = declared["permission"]
    if perm is not None:
        refusal = perm.reasons(instance, user) if isinstance(perm, Rule) else ([] if perm(instance, user) else [_("You are not allowed to do this.")])
        if refusal:
            return TransitionCheck(allowed=False, status=403, reasons=refusal, **base)

    transition = meta.get_transition(current)
    if transition is None or not meta.has_transition(current):
        return TransitionCheck(
            allowed=False,
            status=409,
            reasons=[
                _("“%(action)s” is not possible while the %(model)s is “%(state)s”.")
                % {"action": base["label"], "model": instance._meta.verbose_name,
                   "state": _state_label(instance, current)}
            ],
            **base,
        )

    reasons: list[str] = []
    for cond in transition.conditions:
        if isinstance(cond, Rule):
            reasons.extend(cond.reasons(instance))
        elif not cond(instance):
            reasons.append(_("A condition of this step is not met (%(name)s).") % {"name": getattr(cond, "__name__", "?")})
    if reasons:
        return TransitionCheck(allowed=False, status=409, reasons=reasons, **base)
    return TransitionCheck(allowed=True, **base)


def available_transitions(instance, user) -> list[TransitionCheck]:
    """The transitions ``user`` may run on ``instance`` now (what buttons to show)."""
    checks = [check_transition(instance, name, user) for name in transition_methods(type(instance))]
    return [c for c in checks if c.allowed]


def all_transition_checks(instance, user) -> list[TransitionCheck]:
    """Every transition leaving the current state, allowed or not, with the reasons for the user."""
    current = state_field(instance).get_state(instance)
    result = []
    for name, method in transition_methods(type(instance)).items():
        if method._django_fsm.has_transition(current):
            result.append(check_transition(instance, name, user))
    return result
