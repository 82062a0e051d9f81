"""Every model's ``get_<field>_display`` (poc/choice_labels.py) answers as Django's would: the label of the value in
the reader's language, the value itself when it has no label, a model's own method left alone."""
from functools import partialmethod

from django.apps import apps
from django.utils import translation

from poc.models import Application, ApplicationState


def test_the_label_follows_the_readers_language():
    application = Application(state=ApplicationState.UNDER_REVIEW)
    with translation.override("en"):
        english = application.get_state_display()
        expected_english = str(ApplicationState.UNDER_REVIEW.label)
    with translation.override("zh-hans"):
        chinese = application.get_state_display()
        expected_chinese = str(ApplicationState.UNDER_REVIEW.label)
    assert (english, chinese) == (expected_english, expected_chinese)
    assert english != chinese


def test_a_value_without_a_label_is_shown_as_it_is():
    assert Application(state="no-such-state").get_state_display() == "no-such-state"


def test_every_choice_field_of_every_model_answers_like_django():
    from django.db.models import Model

    checked = 0
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.choices is None:
                continue
            method = getattr(model, f"get_{field.name}_display")
            assert not isinstance(model.__dict__.get(f"get_{field.name}_display"), partialmethod)
            for value, _label in field.flatchoices:
                obj = model.__new__(model)
                obj.__dict__[field.attname] = value
                with translation.override("en"):
                    assert method(obj) == Model._get_FIELD_display(obj, field), (model, field.name, value)
                checked += 1
    assert checked > 100
