"""Use cases on enterprise technology demands (技术需求): post, edit, submit; officers publish, merge, close."""
from django.db import transaction
from django.utils.translation import gettext as _

from poc.access import require
from poc.errors import BadInput, NotNow
from poc.workflow import record_creation, run_transition

from ..models import Demand, DemandState
from ..relations import enterprise_of_user
from .common import disciplines_from, validate

DEMAND_FIELDS = ("title", "problem", "keywords", "budget_min", "budget_max", "deadline", "disclosure")


def _apply(demand: Demand, fields: dict):
    unknown = set(fields) - set(DEMAND_FIELDS) - {"disciplines"}
    if unknown:
        raise BadInput(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    disciplines = fields.pop("disciplines", None)
    for key, value in fields.items():
        setattr(demand, key, value)
    if demand.budget_min is not None and demand.budget_max is not None and demand.budget_max < demand.budget_min:
        raise BadInput(_("The budget's upper bound is below its lower bound."),
                       field_errors={"budget_max": [_("Below the lower bound.")]})
    validate(demand, exclude=["state", "enterprise", "created_by", "merged_into", "disciplines"])
    return disciplines_from(disciplines) if disciplines is not None else None


@transaction.atomic
def create_demand(actor, **fields) -> Demand:
    """A verified enterprise posts a demand; it starts as a draft."""
    require(actor, "create", Demand())
    demand = Demand(enterprise=enterprise_of_user(actor), created_by=actor)
    disciplines = _apply(demand, dict(fields))
    demand.save()
    if disciplines is not None:
        demand.disciplines.set(disciplines)
    record_creation(demand, actor)
    return demand


@transaction.atomic
def update_demand(actor, demand: Demand, **fields) -> Demand:
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    require(actor, "change", demand)
    if demand.state not in (DemandState.DRAFT, DemandState.SUBMITTED):
        raise NotNow(_("A demand that is “%(state)s” can no longer be edited.") % {"state": demand.get_state_display()})
    disciplines = _apply(demand, dict(fields))
    demand.save()
    if disciplines is not None:
        demand.disciplines.set(disciplines)
    return demand


def transition_demand(actor, demand: Demand, name: str, comment: str = "", **details) -> Demand:
    """submit, publish, merge (``into``: the demand it duplicates) or close."""
    return run_transition(demand, name, actor, comment, **details)
