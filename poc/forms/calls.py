"""Forms for calls: the officer's call form and the applicant's "apply" form."""
from django import forms
from django.utils.translation import gettext_lazy as _

from poc.applications.calls import RULE_FIELDS, default_required_attachments
from poc.models import AttachmentType, CalendarDay, Call, InstitutionType

from .base import DateInput, DateTimeInput


class CallForm(forms.ModelForm):
    eligible_institution_types = forms.MultipleChoiceField(
        label=_("Eligible institution types"), choices=InstitutionType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    required_attachment_types = forms.MultipleChoiceField(
        label=_("Required attachments"), choices=AttachmentType.choices, widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Call
        fields = ["kind", "round", "title", "guideline", "opens_at", "closes_at", "budget",
                  "eligible_institution_types", "required_attachment_types", "max_applications_per_institution",
                  "revision_days", "site_visit_required", "requires_district_recommendation", *RULE_FIELDS]
        widgets = {
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "guideline": forms.Textarea(attrs={"rows": 8}),
            "budget": forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
            "grant_ceiling": forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.initial.setdefault("required_attachment_types", default_required_attachments())
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        # Once an application of the call has reached review its rules are shown, not edited.
        self.rules_frozen = self.instance.rules_frozen_reason() if self.instance.pk else None
        if self.rules_frozen:
            for name in RULE_FIELDS:
                self.fields[name].disabled = True

    def general_fields(self):
        return [self[name] for name in self.fields if name not in RULE_FIELDS]

    def rule_fields(self):
        return [self[name] for name in RULE_FIELDS]


class ApplyForm(forms.Form):
    title = forms.CharField(label=_("Title of your application"), max_length=200)


class CalendarDayForm(forms.Form):
    """One day of the official holiday schedule, entered by an officer (节假日安排)."""

    day = forms.DateField(label=_("Day"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(label=_("Holiday"), max_length=60, required=False,
                           help_text=_("The holiday it belongs to, e.g. 春节."))
