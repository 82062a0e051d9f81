"""What poc's documents share: Chinese whatever the page's language, the numbers as printed, a center's validity."""
from decimal import Decimal
from functools import wraps

from django.utils import timezone, translation

from poc.models import Center, CenterState

from ..kit import cn_date, wan, yuan


def in_chinese(function):
    """Official documents are in Chinese whatever the language of the page that asks for them: labels of
    choices (kinds, states, grades) come out of the translation catalogue in zh-hans, so the content (and its
    hash) is the same for every user."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override("zh-hans"):
            return function(*args, **kwargs)

    return wrapper


def center_validity(document):
    """A document about a center (its notice, certificate, an evaluation result) holds while the center does."""
    center = document.subject
    if not isinstance(center, Center):
        center = getattr(center, "center", None)
    if center is None:
        return False, "无效"
    if center.state == CenterState.REVOKED:
        return False, f"已撤销（{cn_date(center.revoked_on)}）" if center.revoked_on else "已撤销"
    if center.state == CenterState.EXPIRED or center.valid_until < timezone.localdate():
        return False, f"已过有效期（有效期至 {cn_date(center.valid_until)}）"
    if center.state == CenterState.RECTIFYING:
        return True, f"有效（整改期内，有效期至 {cn_date(center.valid_until)}）"
    return True, f"有效（有效期至 {cn_date(center.valid_until)}）"


def points(value) -> str:
    """A threshold or score without needless decimals: 90, 89.5, 82.25."""
    return f"{Decimal(str(value)):.2f}".rstrip("0").rstrip(".")


def score_text(value) -> str:
    """A score as printed: two decimals (82.50)."""
    return "—" if value is None else f"{Decimal(str(value)):.2f}"


def money(value) -> str:
    return f"{yuan(value or 0)}（{wan(value or 0)}）"


def joined(name: str, rest: str) -> str:
    """``name`` + ``rest``, with a space after a name ending in a Latin letter or digit ("中心 1 2025年度…")."""
    return f"{name} {rest}" if name[-1:].isascii() and name[-1:].isalnum() else f"{name}{rest}"
