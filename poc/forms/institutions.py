"""The institution form (register and edit)."""
from django import forms
from django.utils.text import capfirst

from poc.models import Institution

from .base import DateInput, NoUniqueCheckMixin

_code_field = Institution._meta.get_field("credit_code")


class InstitutionForm(NoUniqueCheckMixin, forms.ModelForm):
    # Room for spaces typed between groups of characters; the model checks the 18 characters that remain.
    credit_code = forms.CharField(
        label=capfirst(_code_field.verbose_name), help_text=_code_field.help_text, max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "mono"}),
    )

    class Meta:
        model = Institution
        fields = ["name", "credit_code", "type", "district", "address", "contact_name", "contact_phone",
                  "contact_email", "founded_on", "registered_capital", "paid_in_capital"]
        widgets = {
            "founded_on": DateInput(),
            "registered_capital": forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"}),
            "paid_in_capital": forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
        }

    def __init__(self, *args, lock_credit_code=False, **kwargs):
        super().__init__(*args, **kwargs)
        if lock_credit_code:
            self.fields["credit_code"].disabled = True

    def clean_credit_code(self):
        # Spaces and lower-case letters are typing slips, not a different code.
        return "".join((self.cleaned_data.get("credit_code") or "").split()).upper()
