"""Interest between a result and a demand (供需对接): each side says so; both → a conversation opens."""
from django.db import transaction
from django.utils.translation import gettext as _

from poc.access import can, visible
from poc.errors import NotAllowed

from ..models import Conversation, Demand, Interest, Result, Side
from ..notify import members_of, notify
from ..relations import enterprise_of


@transaction.atomic
def express_interest(actor, result: Result, demand: Demand) -> Interest:
    """The result's owner or the demand's enterprise is interested in the other side."""
    if not (visible(actor, Result).filter(pk=result.pk).exists() and visible(actor, Demand).filter(pk=demand.pk).exists()):
        raise NotAllowed(_("You cannot see both the result and the demand."))
    if can(actor, "change", result):
        side = Side.RESULT
    elif enterprise_of("enterprise").holds(actor, demand):
        side = Side.DEMAND
    else:
        raise NotAllowed(_("Only the result's owner or the demand's enterprise can express interest."))
    interest, _created = Interest.objects.get_or_create(result=result, demand=demand, side=side,
                                                        defaults={"expressed_by": actor})
    if Interest.objects.filter(result=result, demand=demand).values("side").distinct().count() == 2:
        conversation, opened = Conversation.objects.get_or_create(result=result, demand=demand)
        if opened:
            users = members_of(result.institution) + members_of(demand.enterprise)
            notify(users, kind="transfer_conversation_opened", key=f"transfer:conversation:{conversation.pk}",
                   about=conversation, link=f"/transfer/results/{result.pk}/",
                   title=lambda: _("Mutual interest: “%(result)s” and “%(demand)s”")
                   % {"result": result.title, "demand": demand.title},
                   body=lambda: _("Both sides are interested; a conversation is open on PoC Hub."))
    return interest
