"""Dates read and parse as YYYY-MM-DD in both languages, with the server's own message beside the field (never a
browser's date picker in its own locale, mm/dd/yyyy, or its tooltip)."""
from datetime import date, datetime

import pytest
from django import forms
from django.utils import translation

from poc.forms.base import DateInput, DateTimeInput


class When(forms.Form):
    day = forms.DateField(widget=DateInput())
    moment = forms.DateTimeField(widget=DateTimeInput())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_fields_say_and_read_yyyy_mm_dd(language):
    with translation.override(language):
        form = When({"day": "2026-10-12", "moment": "2026-10-12 17:30"})
        html = str(form["day"]) + str(form["moment"])
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(2026, 10, 12)
    assert form.cleaned_data["moment"].replace(tzinfo=None) == datetime(2026, 10, 12, 17, 30)
    assert 'type="text"' in html and 'placeholder="YYYY-MM-DD"' in html and 'placeholder="YYYY-MM-DD HH:MM"' in html
    assert 'type="date"' not in html and "datetime-local" not in html


def test_a_value_shows_as_yyyy_mm_dd_in_both_languages():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            html = str(When(initial={"day": date(2026, 1, 5), "moment": datetime(2026, 1, 5, 9, 0)})["day"])
            assert 'value="2026-01-05"' in html


@pytest.mark.parametrize("language, message", [("zh-hans", "输入一个有效的日期。"), ("en", "Enter a valid date.")])
def test_another_format_is_refused_beside_the_field_in_the_interface_language(language, message):
    with translation.override(language):
        form = When({"day": "10/12/2026x", "moment": "2026-10-12T17:30"})
        assert not form.is_valid()
        assert form.errors["day"] == [message]
        assert "moment" not in form.errors  # ISO 8601 with a T is read too
