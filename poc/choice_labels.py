"""``get_<field>_display`` of every model with a plain function reading a label table built once per field.

Django's own (``Model._get_FIELD_display``, bound through a ``partialmethod``) rebuilds the table from the field's
choices on every call, hashing each lazy label (a translation per choice), and DRF inspects the ``partialmethod``'s
signature each time a serializer reads it. A list of 50 rows with three such columns paid that 150 times. The
labels stay lazy, so each call still answers in the reader's language; a model's own ``get_<field>_display`` is
left alone.
"""
import inspect
from functools import partialmethod

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_SIGNATURE = inspect.Signature([inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)])


def _display(field):
    labels = {}

    def get_display(self):
        if not labels:
            labels.update((make_hashable(value), label) for value, label in field.flatchoices)
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)

    get_display.__name__ = f"get_{field.name}_display"
    get_display.__doc__ = f"The label of {field.name}'s value (its value if it has none)."
    get_display.__signature__ = _SIGNATURE  # DRF asks each time it reads it; spare inspect the work
    return get_display


def install(models) -> None:
    """Replace Django's ``partialmethod`` on each of ``models`` (called once, from ``PocConfig.ready()``)."""
    for model in models:
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            if field.choices is not None and isinstance(model.__dict__.get(name), partialmethod):
                setattr(model, name, _display(field))
