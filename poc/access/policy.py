"""Per model, one declaration of who may view, change and do what (DESIGN §3, "One access policy").

    Policy("poc.Application",
           view=officer | member_of("institution"),
           change=member_of("institution"))

A declaration names relations (:mod:`poc.access.relations`); everything that decides access reads
it through the functions below:

* ``visible(user, Model)``: the queryset of the objects ``user`` may view (lists, detail lookups,
  downloads: what a list hides answers 404);
* ``can(user, action, obj)`` / ``why_not(...)`` / ``require(...)``: one object, with the reasons;
* transitions keep their own ``permission=`` (also relations) on the model: ``can`` answers for a
  transition name by asking the transition's declared permission, so there is no second copy.

A higher app widens a lower app's declaration from its ``AppConfig.ready()`` with
``policy_for("poc.Application").widen("view", assigned_expert)``: the lower app never names it.
"""
from __future__ import annotations

from django.apps import apps
from django.db.models import Model, QuerySet

from .relations import Relation, nobody

_POLICIES: dict[str, Policy] = {}


class Policy:
    """Who may do what with one model's objects. ``actions`` maps an action name to its relation."""

    def __init__(self, model_label: str, **actions: Relation):
        self.model_label = model_label.lower()
        self.actions: dict[str, Relation] = dict(actions)
        _POLICIES[self.model_label] = self

    @property
    def model(self) -> type[Model]:
        """The declared model, found among the installed ones by its label."""
        if not hasattr(self, "_model"):
            self._model = next(m for m in apps.get_models() if m._meta.label_lower == self.model_label)
        return self._model

    def relation(self, action: str) -> Relation:
        try:
            return self.actions[action]
        except KeyError:
            raise LookupError(f"{self.model_label} declares no action “{action}”") from None

    def widen(self, action: str, relation: Relation) -> None:
        """Let ``relation`` do ``action`` too (called by a higher app in its ``AppConfig.ready()``)."""
        current = self.actions.get(action)
        if current is not None and relation.name in {m.name for m in getattr(current, "members", [current])}:
            return  # ready() can run twice (tests); widen once
        self.actions[action] = relation if current is None or current is nobody else current | relation

    def scope(self, user, queryset: QuerySet | None = None, action: str = "view") -> QuerySet:
        """``queryset`` (default: every object) narrowed to those ``user`` may ``action``."""
        qs = self.model._default_manager.all() if queryset is None else queryset
        condition = self.relation(action).q(user)
        if condition is None:
            return qs.none()
        return qs.filter(condition) if condition else qs

    def __repr__(self) -> str:
        return f"<Policy {self.model_label}: {', '.join(self.actions)}>"


def _label(model_or_obj) -> str:
    if isinstance(model_or_obj, str):
        return model_or_obj.lower()
    return model_or_obj._meta.label_lower


def policy_for(model_or_obj) -> Policy:
    try:
        return _POLICIES[_label(model_or_obj)]
    except KeyError:
        raise LookupError(f"no access policy is declared for {_label(model_or_obj)}") from None


def declared_policies() -> dict[str, Policy]:
    return dict(_POLICIES)


def visible(user, model_or_queryset, action: str = "view") -> QuerySet:
    """The objects of a model (or of a queryset of it) that ``user`` may view (or ``action``)."""
    if isinstance(model_or_queryset, QuerySet):
        return policy_for(model_or_queryset.model).scope(user, model_or_queryset, action)
    return policy_for(model_or_queryset).scope(user, None, action)


def why_not(user, action: str, obj) -> list[str]:
    """Why ``user`` may not ``action`` ``obj`` (empty: it may). A transition name asks the transition."""
    policy = policy_for(obj)
    if action in policy.actions:
        return policy.actions[action].reasons(obj, user)
    from poc.rules import describe, transition_methods

    if action in transition_methods(type(obj)):
        permission = describe(type(obj), action)["permission"]
        return [] if permission is None else permission.reasons(obj, user)
    raise LookupError(f"{policy.model_label} declares no action “{action}”")


def can(user, action: str, obj) -> bool:
    return not why_not(user, action, obj)


def require(user, action: str, obj) -> None:
    """Raise :class:`poc.errors.NotAllowed` with the reasons unless ``user`` may ``action`` ``obj``."""
    from poc.errors import NotAllowed

    reasons = why_not(user, action, obj)
    if reasons:
        raise NotAllowed(*reasons)
