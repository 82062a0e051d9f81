"""Inviting an expert of the pool to set a password (邀请专家设置密码).

An expert imported from a file has an account with no usable password (review.importing). An officer sends
the expert an expiring set-password link by email (accounts.links); each invitation is an audit row on the
expert, so the pool's history shows who invited whom and when.
"""
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.links import send_invitation
from poc.access import require
from poc.errors import BadInput, NotNow
from poc.models import TransitionLog

from .models import Expert

INVITE = "invite"


def needs_invitation(expert: Expert) -> bool:
    """The expert cannot sign in yet: their account has no usable password."""
    return expert.user_id is not None and not expert.user.has_usable_password()


def invite_expert(user, expert: Expert) -> TransitionLog:
    """Email ``expert`` a link to set their password (officers only; only while they have none)."""
    require(user, INVITE, expert)
    if not needs_invitation(expert):
        raise NotNow(_("%(name)s has already set a password; they can reset it from the sign-in page if needed.")
                     % {"name": expert.name})
    if not expert.user.email:
        raise BadInput(_("%(name)s has no email address to send the invitation to.") % {"name": expert.name})
    with transaction.atomic():
        log = TransitionLog.objects.create(subject=expert, transition=INVITE, source="", target="", actor=user,
                                           comment=_("Invitation to set a password sent to %(email)s.")
                                           % {"email": expert.user.email})
        transaction.on_commit(lambda: send_invitation(expert.user))
    return log


def invitations_of(expert: Expert):
    return TransitionLog.objects.for_object(expert).filter(transition=INVITE).select_related("actor")
