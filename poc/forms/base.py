"""Shared form helpers."""
from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """A date typed as YYYY-MM-DD in both languages (a browser's date picker shows its own locale's format, such
    as mm/dd/yyyy, and its own validation tooltips); the server checks it and answers beside the field."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "YYYY-MM-DD", "autocomplete": "off", "size": 10, **(attrs or {})},
                         format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A moment typed as YYYY-MM-DD HH:MM (24-hour clock), in both languages; ISO 8601 with a T is read too."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "YYYY-MM-DD HH:MM", "autocomplete": "off", "size": 16,
                                **(attrs or {})}, format="%Y-%m-%d %H:%M")


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
