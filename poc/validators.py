"""Validators for identity data."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: the unified social credit code (统一社会信用代码) uses these 31 characters
# (digits and upper-case letters without I, O, Z, S, V).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    """The 18th character of a unified social credit code, from its first 17 (GB 32100-2015)."""
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """Validate a unified social credit code: 18 characters, legal alphabet, check character."""
    if not isinstance(value, str) or len(value) != 18:
        raise ValidationError(
            _("A unified social credit code has exactly 18 characters (this one has %(n)s)."),
            code="length",
            params={"n": len(value) if isinstance(value, str) else 0},
        )
    if value != value.upper():
        raise ValidationError(_("Letters in a unified social credit code must be upper case."), code="case")
    illegal = sorted({c for c in value if c not in CREDIT_CODE_ALPHABET})
    if illegal:
        raise ValidationError(
            _("Illegal characters in the unified social credit code: %(chars)s (I, O, Z, S and V are never used)."),
            code="alphabet",
            params={"chars": ", ".join(illegal)},
        )
    expected = credit_code_check_character(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("Wrong check character: the last character should be %(expected)s, not %(given)s."),
            code="check",
            params={"expected": expected, "given": value[17]},
        )
