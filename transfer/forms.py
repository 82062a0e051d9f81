"""Forms of the transfer pages: they only read input; the services decide."""
from django import forms
from django.utils.translation import gettext_lazy as _

from poc.models import PROJECT_KINDS, Call, Center, CenterState, Discipline, Institution, InstitutionType

from .models import Demand, EvidenceKind, Result, TransferMode


class DisciplineChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj}"


class ResultForm(forms.ModelForm):
    disciplines = DisciplineChoice(queryset=Discipline.objects.all(), required=False, label=_("disciplines"))
    transfer_modes = forms.MultipleChoiceField(choices=TransferMode.choices, required=False,
                                               widget=forms.CheckboxSelectMultiple, label=_("transfer modes offered"))

    class Meta:
        model = Result
        fields = ["title", "result_type", "registration_number", "legal_status", "filed_on", "granted_on",
                  "last_transaction_on", "team", "disciplines", "keywords", "trl", "transfer_modes", "asking_terms",
                  "asking_price", "public_summary", "confidential_detail"]
        widgets = {f: forms.DateInput(attrs={"type": "date"}) for f in ("filed_on", "granted_on", "last_transaction_on")}


class DemandForm(forms.ModelForm):
    disciplines = DisciplineChoice(queryset=Discipline.objects.all(), required=False, label=_("fields"))

    class Meta:
        model = Demand
        fields = ["title", "problem", "disciplines", "keywords", "budget_min", "budget_max", "deadline", "disclosure"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"})}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Patent list (CSV or XLSX)"))


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(choices=EvidenceKind.choices, label=_("kind"))
    reference = forms.CharField(max_length=64, required=False, label=_("registration number or credit code"))
    counterparty = forms.CharField(max_length=200, label=_("counterparty"))
    amount = forms.DecimalField(max_digits=16, decimal_places=2, required=False, label=_("amount (yuan)"))
    dated_on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))


class ValidationForm(forms.Form):
    call = forms.ModelChoiceField(queryset=Call.objects.filter(published=True, kind__in=PROJECT_KINDS),
                                  label=_("project call"))
    center = forms.ModelChoiceField(queryset=Center.objects.filter(state=CenterState.ACTIVE), required=False,
                                    label=_("hosting center"))


class LicenceForm(forms.Form):
    licensee = forms.ModelChoiceField(
        queryset=Institution.objects.filter(type=InstitutionType.ENTERPRISE, verified=True), label=_("licensee"))
    trial_starts_on = forms.DateField(label=_("trial starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    trial_ends_on = forms.DateField(label=_("trial ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    success_criteria = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("success criteria"))
    fee_on_success = forms.DecimalField(max_digits=16, decimal_places=2, min_value=0, label=_("fee on success (yuan)"))


class StepForm(forms.Form):
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("comment"))
    into = forms.IntegerField(required=False, label=_("merge into demand no."))
    contract_number = forms.CharField(required=False, max_length=64,
                                      label=_("technology contract registration number"))
    contract_amount = forms.DecimalField(required=False, max_digits=16, decimal_places=2,
                                         label=_("contract amount (yuan)"))
