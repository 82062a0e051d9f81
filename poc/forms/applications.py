"""Forms of the application editor: basics, details, rows, attachments and pledges."""
from django import forms
from django.utils.translation import gettext_lazy as _

from poc.models import (
    Application,
    AttachmentType,
    BudgetLine,
    CenterDetails,
    IPItem,
    PlannedMilestone,
    ProjectDetails,
    ServiceOffered,
    TeamMember,
)

MONEY_WIDGET = {"step": "0.01", "min": "0", "inputmode": "decimal"}


class BasicsForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["title", "summary", "keywords"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"keywords": _("Separate keywords with commas.")}


class CenterDetailsForm(forms.ModelForm):
    services = forms.MultipleChoiceField(
        label=_("Services offered"), choices=ServiceOffered.choices, widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = CenterDetails
        fields = ["site_area_m2", "equipment_value", "service_team_size", "services", "audited_spend_last_year",
                  "audited_spend_year_before", "advisory_panel", "pipeline_size"]
        widgets = {
            "equipment_value": forms.NumberInput(attrs=MONEY_WIDGET),
            "audited_spend_last_year": forms.NumberInput(attrs=MONEY_WIDGET),
            "audited_spend_year_before": forms.NumberInput(attrs=MONEY_WIDGET),
            "advisory_panel": forms.Textarea(attrs={"rows": 4}),
        }


class ProjectDetailsForm(forms.ModelForm):
    class Meta:
        model = ProjectDetails
        fields = ["trl_now", "trl_target", "duration_months", "requested_grant", "requested_investment",
                  "self_funded", "market_analysis", "hosting_center"]
        widgets = {
            "requested_grant": forms.NumberInput(attrs=MONEY_WIDGET),
            "requested_investment": forms.NumberInput(attrs=MONEY_WIDGET),
            "self_funded": forms.NumberInput(attrs=MONEY_WIDGET),
            "market_analysis": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "trl_now": _("Technology readiness level 1–9 (GB/T 22900)."),
            "duration_months": _("At most 24 months."),
        }

    def __init__(self, *args, centers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if centers is not None:
            self.fields["hosting_center"].queryset = centers


class IPItemForm(forms.ModelForm):
    class Meta:
        model = IPItem
        fields = ["number", "title", "ip_type", "owner", "status"]


class TeamMemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["name", "role", "title", "organisation", "is_lead"]


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["category", "source", "amount", "note"]
        widgets = {"amount": forms.NumberInput(attrs=MONEY_WIDGET)}


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = PlannedMilestone
        fields = ["month", "title", "deliverables"]
        widgets = {"deliverables": forms.Textarea(attrs={"rows": 3})}


class AttachmentForm(forms.Form):
    attachment_type = forms.ChoiceField(label=_("Type"), choices=AttachmentType.choices)
    file = forms.FileField(label=_("File"), help_text=_("PDF, DOCX, XLSX, PNG or JPEG."))


class PledgeForm(forms.Form):
    integrity = forms.BooleanField(
        label=_("I confirm the research-integrity pledge: everything in this application is true and my own; "
                "I will not fabricate, falsify or plagiarise, and I will not lobby reviewers."),
        required=False,
    )
    ip_compliance = forms.BooleanField(
        label=_("I confirm the IP-compliance statement: the intellectual property listed is owned or lawfully "
                "licensed by the applicant and infringes no one's rights."),
        required=False,
    )


class DisciplineChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent} · {obj}" if obj.parent_id else str(obj)


class ReviewPreferencesForm(forms.Form):
    """Disciplines (to find fitting experts) and the experts the applicant asks to exclude (回避申请)."""

    disciplines = DisciplineChoiceField(
        label=_("Disciplines and industries"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Choose every field the application belongs to; experts are drawn from these fields."),
    )
    excluded_experts = forms.CharField(
        label=_("Experts to exclude"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: up to 3 experts you ask to exclude from the review (for example competitors), "
                    "one name per line."),
    )

    def __init__(self, *args, disciplines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disciplines"].queryset = disciplines

    def clean_excluded_experts(self):
        return [line.strip() for line in self.cleaned_data["excluded_experts"].splitlines() if line.strip()]
