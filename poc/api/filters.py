"""Query filters of the API: every number and date a client sends is checked against what the database can
hold before a query runs, so ``?call=99999999999999999999`` answers 400 naming ``call``, never a 500.
A view that reads a query parameter by hand uses :func:`integer_param`, under the same bounds.

:class:`BoundedFilterBackend` is the API's only filter backend (``REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]``).
It bounds the form fields of whatever FilterSet a view declares, so a new filter is covered without anything
done in its viewset; :class:`BoundedFilterExtension` publishes the same bounds in the OpenAPI schema (an id
filter is an integer there, with its minimum and maximum).
"""
from decimal import Decimal

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, models
from django.utils.translation import gettext as _
from django_filters import filters
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import get_model_field
from drf_spectacular.contrib.django_filters import DjangoFilterExtension

from poc.errors import BadInput

# The widest integer every supported database stores (a 64-bit id); numbers beyond it are refused.
ID_MIN, ID_MAX = connection.ops.integer_field_ranges["BigIntegerField"]
# Datetimes are stored in UTC: a year at either end could not be converted from the local time zone.
FIRST_YEAR, LAST_YEAR = 2, 9998


def integer_range(model_field) -> tuple[int, int] | None:
    """The (min, max) an integer model field (or the id a foreign key points to) can hold; None if not an
    integer field."""
    if isinstance(model_field, models.ForeignKey):
        model_field = model_field.target_field
    if isinstance(model_field, models.IntegerField | models.AutoField):
        low, high = connection.ops.integer_field_range(model_field.get_internal_type())
        return (ID_MIN if low is None else low, ID_MAX if high is None else high)
    return None


class NumberWithin:
    """A number between two bounds; a whole number if ``whole``."""

    def __init__(self, low: int, high: int, *, whole: bool):
        self.low, self.high, self.whole = low, high, whole

    def __call__(self, value):
        if value is None:
            return
        if self.whole and Decimal(value) != Decimal(value).to_integral_value():
            raise ValidationError(_("Enter a whole number."), code="invalid")
        if not self.low <= value <= self.high:
            raise ValidationError(range_message(self.low, self.high), code="out_of_range")

    def __eq__(self, other):
        return isinstance(other, NumberWithin) and vars(self) == vars(other)


def range_message(low, high) -> str:
    return _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}


def integer_param(params, name: str, *, default=None, low: int = ID_MIN, high: int = ID_MAX):
    """A whole-number query parameter read by a view itself (not through a FilterSet): ``default`` when absent
    or empty; not a whole number, or outside [low, high]: 400 naming it."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        message = range_message(low, high)
        raise BadInput(f"{name}: {message}", field_errors={name: [message]})
    return value


def _datetime_within(value):
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(_("Enter a date and time between the years %(first)s and %(last)s.")
                              % {"first": FIRST_YEAR, "last": LAST_YEAR}, code="out_of_range")


def bound_form_field(field: forms.Field, model_field=None) -> None:
    """Add the database's bounds to a filter's form field (each part of a range field too)."""
    if isinstance(field, forms.MultiValueField):
        for part in field.fields:
            bound_form_field(part, model_field)
        return
    if isinstance(field, forms.DecimalField | forms.IntegerField | forms.FloatField):
        ints = integer_range(model_field)
        low, high = ints or (ID_MIN, ID_MAX)
        field.validators.append(NumberWithin(low, high, whole=ints is not None))
    elif isinstance(field, forms.DateTimeField):
        field.validators.append(_datetime_within)


def filter_model_field(model, filter_):
    """The model field a filter reads, when it reads one directly (not a method, not an annotation)."""
    if model is None or getattr(filter_, "method", None):
        return None
    try:
        return get_model_field(model, filter_.field_name)
    except (FieldDoesNotExist, AttributeError):
        return None


class BoundedFilterBackend(DjangoFilterBackend):
    """django-filter's backend, with every number and date filter bounded (see the module docstring)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            model = filterset._meta.model or queryset.model
            for name, field in filterset.form.fields.items():
                bound_form_field(field, filter_model_field(model, filterset.filters[name]))
        return filterset


class BoundedFilterExtension(DjangoFilterExtension):
    """The schema of the filters above: an integer filter is declared an integer with its bounds."""

    target_class = "poc.api.filters.BoundedFilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        if isinstance(filter_field, filters.NumberFilter | filters.NumericRangeFilter):
            ints = integer_range(filter_model_field(model, filter_field))
            for parameter in parameters:
                schema = parameter["schema"]
                if ints:
                    schema["type"] = "integer"
                    schema.pop("format", None)
                low, high = ints or (ID_MIN, ID_MAX)
                schema.setdefault("minimum", low)
                schema.setdefault("maximum", high)
        return parameters
