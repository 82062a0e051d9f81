"""Page forms of the funding app: they parse and type the input; every write goes through funding.services."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from poc.forms import TransitionForm
from poc.forms.base import DateInput

from .models import (
    ExitKind,
    ExitMethod,
    Fund,
    FundingDecision,
    Instrument,
    InsurancePolicy,
    MaterialEvent,
    QuarterlyReport,
    TechContract,
)


def _money_field(label, required=True, help_text=""):
    return forms.DecimalField(label=label, required=required, min_value=0, max_digits=16, decimal_places=2,
                              help_text=help_text, widget=forms.NumberInput(attrs={"step": "0.01"}))


def _percent_field(label, required=True, help_text=""):
    return forms.DecimalField(label=label, required=required, min_value=0, max_value=100, max_digits=7,
                              decimal_places=4, help_text=help_text, widget=forms.NumberInput(attrs={"step": "0.0001"}))


class DecisionForm(forms.ModelForm):
    """The bureau's proposal: instrument, the grant part, the equity part, convertible terms, rationale."""

    GRANT_FIELDS = ("grant_amount", "grant_programme")
    EQUITY_FIELDS = ("equity_amount", "fund", "pre_money_valuation")
    CONVERTIBLE_FIELDS = ("qualifying_round_minimum", "conversion_discount", "valuation_cap", "conversion_deadline",
                          "exit_method", "buyback_rate")

    class Meta:
        model = FundingDecision
        fields = ["instrument", "grant_amount", "grant_programme", "equity_amount", "fund", "pre_money_valuation",
                  "qualifying_round_minimum", "conversion_discount", "valuation_cap", "conversion_deadline",
                  "exit_method", "buyback_rate", "rationale"]
        widgets = {
            "instrument": forms.RadioSelect,
            "conversion_deadline": DateInput(),
            "rationale": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "pre_money_valuation": _("The stake the fund would hold is the investment / (pre-money + investment)."),
            "conversion_discount": _("Optional: the grant converts at the round's price less this discount."),
            "valuation_cap": _("Optional: the grant converts at this valuation if the round's is higher."),
            "buyback_rate": _("For a founder buyback: principal plus this simple annual interest."),
        }

    def __init__(self, *args, funds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = Instrument.choices
        self.fields["fund"].queryset = funds
        self.fields["fund"].required = False
        self.fields["exit_method"].choices = [("", "—")] + list(ExitMethod.choices)
        for name in ("grant_amount", "equity_amount"):
            self.fields[name].required = False

    def _post_clean(self):
        # The service validates the whole decision (instrument rules and the fund's caps) and says why.
        pass

    def clean(self):
        data = super().clean()
        for name in ("grant_amount", "equity_amount"):
            if data.get(name) is None:
                data[name] = 0
        return data

    def decision_fields(self) -> dict:
        return dict(self.cleaned_data)


class RejectForm(TransitionForm):
    pass


class InvestmentForm(forms.Form):
    investee_name = forms.CharField(label=_("investee company"), max_length=200)
    investee_credit_code = forms.CharField(label=_("investee unified social credit code"), max_length=18,
                                           min_length=18)
    amount = _money_field(_("amount (yuan)"))
    pre_money_valuation = _money_field(_("pre-money valuation (yuan)"))
    stake = _percent_field(_("equity stake (%)"), required=False,
                           help_text=_("Optional: leave empty to take the derived stake; a typed stake must agree "
                                       "with amount / post-money."))
    invested_on = forms.DateField(label=_("date"), widget=DateInput(), initial=timezone.localdate)
    agreement = forms.FileField(label=_("signed agreement (PDF)"), required=False)


class StakePreviewForm(forms.Form):
    amount = forms.DecimalField(required=False, min_value=0, max_digits=16, decimal_places=2)
    pre_money_valuation = forms.DecimalField(required=False, min_value=0, max_digits=16, decimal_places=2)
    stake = forms.DecimalField(required=False, max_digits=7, decimal_places=4)


class TrancheForm(forms.Form):
    part = forms.ChoiceField(label=_("part"))
    amount = _money_field(_("amount (yuan)"))
    milestone = forms.ModelChoiceField(label=_("condition: milestone"), queryset=None, required=False,
                                       empty_label="—")
    release_on = forms.DateField(label=_("condition: date"), required=False, widget=DateInput())

    def __init__(self, *args, parts=(), milestones=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = list(parts)
        self.fields["milestone"].queryset = milestones
        self.fields["milestone"].label_from_instance = lambda m: _("Month %(m)s: %(t)s") % {"m": m.month,
                                                                                          "t": m.title}
        if len(parts) == 1:
            self.fields["part"].initial = parts[0][0]

    def clean(self):
        data = super().clean()
        if not data.get("milestone") and not data.get("release_on"):
            raise forms.ValidationError(_("A tranche is released on a milestone or on a date: give one."))
        return data


class PayForm(TransitionForm):
    """Recording a tranche's payment: the bank reference and the date paid."""

    payment_reference = forms.CharField(label=_("payment reference"), max_length=100)
    paid_on = forms.DateField(label=_("paid on"), widget=DateInput(), initial=timezone.localdate)

    def details(self) -> dict:
        return {"payment_reference": self.cleaned_data["payment_reference"], "paid_on": self.cleaned_data["paid_on"]}


class AssessForm(TransitionForm):
    likelihood = forms.IntegerField(label=_("likelihood (1–5)"), min_value=1, max_value=5)
    impact = forms.IntegerField(label=_("impact (1–5)"), min_value=1, max_value=5)

    def details(self) -> dict:
        return {"likelihood": self.cleaned_data["likelihood"], "impact": self.cleaned_data["impact"]}


class RoundForm(forms.Form):
    round_name = forms.CharField(label=_("round"), max_length=50, help_text=_("For example: angel, Pre-A, Series A."))
    closed_on = forms.DateField(label=_("date"), widget=DateInput())
    pre_money_valuation = _money_field(_("pre-money valuation (yuan)"))
    amount_raised = _money_field(_("amount raised (yuan)"))
    lead_investor = forms.CharField(label=_("lead investor"), max_length=200, required=False)
    price_per_share = forms.DecimalField(label=_("price per share (yuan)"), required=False, min_value=0,
                                         max_digits=16, decimal_places=6)


class ExitForm(forms.Form):
    investment = forms.ModelChoiceField(label=_("investment"), queryset=None)
    kind = forms.ChoiceField(label=_("kind"), choices=ExitKind.choices)
    exited_on = forms.DateField(label=_("date"), widget=DateInput(), initial=timezone.localdate)
    proceeds = _money_field(_("proceeds (yuan)"), required=False,
                            help_text=_("For a founder buyback, leave empty: principal plus the agreed simple "
                                        "interest to this date."))
    stake_sold = _percent_field(_("stake sold (%)"))

    def __init__(self, *args, investments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investment"].queryset = investments
        self.fields["investment"].label_from_instance = lambda i: f"{i.investee_name} · {i.invested_on:%Y-%m-%d}"


class MarkForm(forms.Form):
    investment = forms.ModelChoiceField(label=_("investment"), queryset=None)
    marked_on = forms.DateField(label=_("date"), widget=DateInput(), initial=timezone.localdate)
    value = _money_field(_("value of the holding (yuan)"))
    note = forms.CharField(label=_("basis"), max_length=200, required=False)

    def __init__(self, *args, investments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investment"].queryset = investments
        self.fields["investment"].label_from_instance = lambda i: f"{i.investee_name} · {i.invested_on:%Y-%m-%d}"


class QuarterlyReportForm(forms.ModelForm):
    class Meta:
        model = QuarterlyReport
        fields = ["year", "quarter", "revenue", "rd_spend", "headcount", "follow_on_financing", "milestone_progress",
                  "risks"]
        widgets = {"milestone_progress": forms.Textarea(attrs={"rows": 3}), "risks": forms.Textarea(attrs={"rows": 2})}

    def _post_clean(self):
        pass  # the service checks the record and refuses a second report for the quarter


class MaterialEventForm(forms.ModelForm):
    class Meta:
        model = MaterialEvent
        fields = ["occurred_on", "summary", "details"]
        widgets = {"occurred_on": DateInput(), "details": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        pass


class RiskForm(forms.Form):
    title = forms.CharField(label=_("risk"), max_length=200)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class InsuranceForm(forms.ModelForm):
    class Meta:
        model = InsurancePolicy
        fields = ["insurer", "product", "premium", "subsidy", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def _post_clean(self):
        pass


class ContractForm(forms.ModelForm):
    """A technology contract; its registration number and date once registered (技术合同认定登记)."""

    class Meta:
        model = TechContract
        fields = ["parties", "seller_kind", "buyer_kind", "contract_amount", "signed_on", "registration_number",
                  "registered_on"]
        widgets = {"registered_on": DateInput(), "signed_on": DateInput()}
        help_texts = {"registration_number": _("Leave empty until the contract is registered."),
                      "seller_kind": _("A university or institute with an enterprise makes it a 产学研 contract.")}

    def _post_clean(self):
        pass


class RegistrationForm(forms.Form):
    registration_number = forms.CharField(label=_("registration number"), max_length=64)
    registered_on = forms.DateField(label=_("registered on"), widget=DateInput())


class AmendmentForm(forms.Form):
    contract_amount = _money_field(_("amended contract amount (yuan)"))
    reason = forms.CharField(label=_("reason for the amendment"), widget=forms.Textarea(attrs={"rows": 2}))


class PaymentDecisionForm(forms.Form):
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PaymentForm(forms.Form):
    amount = _money_field(_("amount received (yuan)"))
    received_on = forms.DateField(label=_("received on"), widget=DateInput(), initial=timezone.localdate)


class EntryRulesForm(forms.ModelForm):
    """A fund's entry rules for a convertible grant (先投后股); an empty field means no such rule."""

    class Meta:
        model = Fund
        fields = ["entry_max_company_age_years", "entry_min_paid_in_percent"]
        widgets = {"entry_min_paid_in_percent": forms.NumberInput(attrs={"step": "0.0001", "min": "0", "max": "100"})}
