"""Shared form helpers."""
from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class NoUniqueCheckMixin:
    """Leave uniqueness to the service, which answers with a clearer message."""

    def validate_unique(self):
        pass


def attach_domain_error(form, exc) -> None:
    """Show a service refusal (poc.errors.DomainError) on the form.

    Field errors go beside their field; the full messages go on top, unless a field already says
    exactly the same.
    """
    shown = set()
    for field, messages in (exc.field_errors or {}).items():
        if field in form.fields:
            for message in messages:
                form.add_error(field, ValidationError(str(message)))
                shown.add(str(message))
    for message in exc.messages:
        if message not in shown:
            form.add_error(None, ValidationError(message))
