"""Helpers shared by the transfer services: model validation as a BadInput, discipline look-ups."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from poc.errors import BadInput
from poc.models import Discipline


def validate(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise BadInput(*[m for msgs in exc.message_dict.values() for m in msgs],
                       field_errors=exc.message_dict) from None


def disciplines_from(codes_or_objects) -> list[Discipline]:
    """Disciplines from codes (``ENG.MAT``) or objects; unknown codes are a BadInput naming them."""
    items = list(codes_or_objects or [])
    objects = [d for d in items if isinstance(d, Discipline)]
    codes = [str(d) for d in items if not isinstance(d, Discipline)]
    found = {d.code: d for d in Discipline.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise BadInput(_("Unknown discipline codes: %(codes)s.") % {"codes": ", ".join(unknown)},
                       field_errors={"disciplines": [_("Unknown code.")]})
    return objects + [found[c] for c in codes]
