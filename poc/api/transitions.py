"""Workflow transitions over the API, reusable by every app's viewsets (DESIGN §4).

    class ApplicationViewSet(transition_actions(model=Application, response_serializer=…), GenericViewSet):
        ...

adds to a viewset whose ``get_object()`` answers 404 for objects the caller cannot see:

* ``GET  <resource>/{id}/transitions/``        the transitions the caller may run now
  (``?all=true``: every transition leaving the current state, with ``allowed``, ``status`` and the
  reasons it is refused);
* ``POST <resource>/{id}/transitions/{name}/`` run one with ``{"comment": …}`` (plus any extra
  details the transition takes): **200** with the object, **403** not for this user, **409** not
  possible now (the body says why), **400** bad input (unknown name, missing required comment).

The model's transition declarations decide everything (through :mod:`poc.rules` and
:func:`poc.workflow.run_transition`); nothing here restates a rule. Routes use path converters:
register the viewset on a router from :func:`poc.api.routers.make_router`.

A transition declared with ``custom={"system": True}`` follows from another step (scoring an
evaluation, recording an acceptance review) or is taken by a scheduled job; it is never run by hand
over the API: it is left out of the default list, listed with ``?all=true`` as not allowed (403, with
why), and a POST answers 403. ``system_notes`` says, per transition, what takes it instead.
"""
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from poc.api.serializers.common import TransitionInputSerializer, TransitionSerializer
from poc.errors import NotAllowed
from poc.rules import all_transition_checks, available_transitions, describe, transition_methods
from poc.workflow import run_transition

from .errors import error_responses

ERRORS = error_responses(
    400, 403, 404, 409,
    e400="Bad input: unknown transition, missing required comment, malformed details.",
    e409="Not possible from the current state, or a condition fails (the body says which).",
)


def _check_data(check) -> dict:
    return {
        "name": check.name,
        "label": check.label,
        "needs_comment": check.needs_comment,
        "target": None if check.target is None else str(check.target),
        "allowed": check.allowed,
        "status": check.status,
        "reasons": list(check.reasons),
    }


def _system_reason(model, name, note) -> str:
    if note:
        return str(note)
    label = describe(model, name)["custom"].get("label", name)
    return _("“%(action)s” is taken by the system, not by hand.") % {"action": label}


def _system_refusal(model, check, note) -> dict:
    return {**_check_data(check), "allowed": False, "status": 403, "reasons": [_system_reason(model, check.name, note)]}


def transition_actions(*, model, response_serializer, input_serializer=TransitionInputSerializer,
                       details_fields: dict[str, tuple[str, ...]] | None = None, runner=run_transition,
                       resource: str | None = None, tag: str | None = None, system_notes: dict | None = None):
    """A mixin class with the two transition endpoints for ``model``.

    ``response_serializer`` renders the object after a transition; ``input_serializer`` parses the
    body (``comment`` plus extra fields); ``details_fields`` names, per transition, the extra fields
    passed on to it as keyword arguments (e.g. ``{"record_objection": ("objector", "received_on")}``);
    ``runner(obj, name, user, comment, **details)`` runs it (default :func:`poc.workflow.run_transition`).
    ``system_notes`` (a lazy text per transition name) explains what takes a system transition instead.
    """
    names = list(transition_methods(model))
    system = {n: (system_notes or {}).get(n) for n in names if describe(model, n)["custom"].get("system")}
    manual = [n for n in names if n not in system]
    details_fields = dict(details_fields or {})
    resource = resource or model._meta.verbose_name_plural
    tag = tag or model._meta.model_name + "s"
    name_param = OpenApiParameter(
        "transition_name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=manual,
        description="The transition to run." + (
            " Not listed (403 if named): " + ", ".join(f"`{n}`" for n in system)
            + ", taken by the system." if system else ""),
    )
    all_param = OpenApiParameter(
        "all", OpenApiTypes.BOOL, OpenApiParameter.QUERY, required=False,
        description="Also list the transitions leaving the current state that the caller may not run, with why.",
    )
    extras = "; ".join(f"`{n}` also takes {', '.join(f'`{f}`' for f in fields)}" for n, fields in details_fields.items())

    class TransitionActions:
        @extend_schema(
            tags=[tag], parameters=[all_param], responses={200: TransitionSerializer(many=True), 404: ERRORS[404]},
            summary=f"Transitions of one of the {resource} the caller may run now",
        )
        @action(detail=True, methods=["get"], url_path="transitions", url_name="transitions",
                pagination_class=None, filter_backends=[])
        def transitions(self, request, *args, **kwargs):
            obj = self.get_object()
            show_all = request.query_params.get("all", "").lower() in ("1", "true", "yes")
            checks = all_transition_checks(obj, request.user) if show_all else available_transitions(obj, request.user)
            return Response([_system_refusal(model, c, system[c.name]) if c.name in system else _check_data(c)
                             for c in checks if show_all or c.name not in system])

        @extend_schema(
            tags=[tag], parameters=[name_param], request=input_serializer,
            responses={200: response_serializer, **ERRORS},
            summary=f"Run a transition on one of the {resource}",
            description="Runs the named transition with the comment. " + (extras + "." if extras else ""),
        )
        @action(detail=True, methods=["post"], url_path="transitions/<str:transition_name>",
                url_name="run-transition", pagination_class=None, filter_backends=[])
        def run_transition(self, request, transition_name=None, *args, **kwargs):
            obj = self.get_object()
            if transition_name in system:
                raise NotAllowed(_system_reason(model, transition_name, system[transition_name]))
            serializer = input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            comment = data.pop("comment", "") or ""
            details = {f: data[f] for f in details_fields.get(transition_name, ()) if f in data}
            obj = runner(obj, transition_name, request.user, comment, **details)
            return Response(response_serializer(obj, context=self.get_serializer_context()).data)

    TransitionActions.__name__ = f"{model.__name__}TransitionActions"
    return TransitionActions
