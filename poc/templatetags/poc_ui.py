"""Small display helpers for the page templates."""
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext as _

register = template.Library()

STATE_TONES = {
    "draft": "muted", "returned": "warn", "submitted": "info", "recommended": "info", "under_review": "info", "reviewed": "info",
    "public_notice": "accent", "objection": "warn", "approved": "ok", "cultivation": "accent",
    "rejected": "bad", "withdrawn": "muted",
    # designated centers, annual evaluations, funded projects, change requests
    "active": "ok", "rectifying": "warn", "revoked": "bad", "expired": "muted",
    "filed": "info", "scored": "ok", "pending": "warn",
    "contracting": "info", "in_progress": "info", "acceptance": "accent", "completed": "ok", "failed": "bad",
    "terminated": "muted",
    # records that await a check, and their outcome (a contract's registration, a payment's verification)
    "recorded": "warn", "registered": "ok", "verified": "ok", "refused": "bad",
}
GRADE_TONES = {"excellent": "ok", "good": "ok", "pass": "info", "fail": "bad",
               # acceptance outcomes
               "passed": "ok", "rectify": "warn", "failed": "bad"}


@register.filter
def yuan(value):
    """¥1,234,567.00; a dash when empty. Money is Decimal, never float."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    return f"¥{amount:,.2f}"


@register.filter
def wan(value):
    """The amount in 万元 (ten thousands of yuan), two decimals."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value) / Decimal(10000)
    return _("%(amount)s ten-thousand yuan") % {"amount": f"{amount:,.2f}"}


@register.filter
def state_tone(state):
    """A colour family for a state badge."""
    return STATE_TONES.get(str(state), "muted")


@register.filter
def grade_tone(grade):
    """A colour family for an evaluation grade or an acceptance outcome."""
    return GRADE_TONES.get(str(grade), "muted")


@register.filter
def grade_label(grade):
    """The display name of an evaluation grade code (优秀 / 良好 / 合格 / 不合格)."""
    from poc.models import Grade

    return dict(Grade.choices).get(grade, grade or "")


@register.filter
def person(user):
    if user is None:
        return "—"
    return user.get_full_name() or user.username


@register.simple_tag(takes_context=True)
def nav_active(context, *names):
    """``is-active`` when the current URL name is one of ``names``."""
    match = getattr(context.get("request"), "resolver_match", None)
    return "is-active" if match is not None and match.url_name in names else ""


@register.filter
def call_phase(call):
    """draft (not published), upcoming, open or closed."""
    from django.utils import timezone

    if not call.published:
        return "draft"
    now = timezone.now()
    if now < call.opens_at:
        return "upcoming"
    return "open" if now <= call.closes_at else "closed"
