"""Forms of life after approval: annual evaluations, task agreements, milestone reports, change requests,
acceptance reviews and the officer's filters. They parse and type the input; every write goes through
:mod:`poc.centers.services` or :mod:`poc.projects.services`."""
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from poc.applications.calls import PROJECT_KINDS
from poc.centers.services import EVALUATION_FIELDS
from poc.models import (
    Acceptance,
    AnnualEvaluation,
    ApplicationKind,
    Center,
    CenterState,
    ChangeRequest,
    Grade,
    ProjectState,
)

from .applications import MONEY_WIDGET
from .base import DateInput, NoUniqueCheckMixin


def _blank(choices):
    return [("", _("All"))] + list(choices)


# ------------------------------------------------------------- evaluations

class EvaluationStartForm(forms.Form):
    data_year = forms.TypedChoiceField(label=_("Data year"), coerce=int)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["data_year"].choices = [(y, str(y)) for y in years]
        if years:
            self.fields["data_year"].initial = years[0]


class EvaluationForm(NoUniqueCheckMixin, forms.ModelForm):
    class Meta:
        model = AnnualEvaluation
        fields = list(EVALUATION_FIELDS)
        widgets = {
            "follow_on_financing": forms.NumberInput(attrs=MONEY_WIDGET),
            "contract_turnover": forms.NumberInput(attrs=MONEY_WIDGET),
            "service_revenue": forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
            "user_satisfaction": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100"}),
            "cases": forms.Textarea(attrs={"rows": 5}),
            "next_year_plan": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "projects_validated": _("Projects the center validated in the data year (概念验证/中试项目)."),
            "results_transferred": _("Results transferred or licensed in the data year."),
            "companies_incubated": _("Companies founded or incubated on the center's results."),
            "follow_on_financing": _("Financing raised by the projects after validation, in yuan."),
            "contract_turnover": _("Registered technology contracts, amount actually received, in yuan."),
            "service_revenue": _("The center's income from its services, in yuan."),
            "user_satisfaction": _("From the center's user survey, 0–100%."),
            "cases": _("One or more typical cases: the result, what the center did, the outcome."),
        }


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("What the file proves, e.g. “Audited service revenue 2025”."))
    file = forms.FileField(label=_("File"), help_text=_("PDF, DOCX, XLSX, PNG or JPEG."))


class ScoreForm(forms.Form):
    score = forms.DecimalField(label=_("Score (0–100)"), max_digits=5, decimal_places=2,
                               validators=[MinValueValidator(0), MaxValueValidator(100)],
                               widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100"}))
    comment = forms.CharField(label=_("Comment (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


# ---------------------------------------------------------------- projects

class AgreementForm(forms.Form):
    file = forms.FileField(label=_("Signed task agreement (PDF)"),
                           help_text=_("The task agreement (任务书) signed by both sides, scanned as one PDF."))


class MilestoneReportForm(forms.Form):
    report = forms.CharField(label=_("Progress report"), widget=forms.Textarea(attrs={"rows": 8}),
                             help_text=_("What was done, the deliverables produced, deviations and their reasons."))
    evidence = forms.FileField(label=_("Evidence (optional)"), required=False,
                               help_text=_("Test report, photos, a contract… PDF, DOCX, XLSX, PNG or JPEG."))


class ChangeRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What changes"), choices=ChangeRequest.Kind.choices)
    description = forms.CharField(label=_("The change and why"), widget=forms.Textarea(attrs={"rows": 4}))
    new_due_on = forms.DateField(label=_("New due date"), required=False, widget=DateInput(),
                                 help_text=_("For a change of the deadline or of the conversion deadline."))


def _score_field(name):
    model_field = Acceptance._meta.get_field(name)
    maximum = next(v.limit_value for v in model_field.validators if isinstance(v, MaxValueValidator))
    return forms.DecimalField(label=capfirst(model_field.verbose_name), max_digits=5, decimal_places=2,
                              validators=[MinValueValidator(0), MaxValueValidator(maximum)],
                              widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": str(maximum)}))


class AcceptanceForm(forms.Form):
    """The 100-point acceptance form (Guangdong): task completion 70, use of funds 20, other 10."""

    content_score = _score_field("content_score")
    technical_score = _score_field("technical_score")
    economic_score = _score_field("economic_score")
    deliverables_score = _score_field("deliverables_score")
    funds_score = _score_field("funds_score")
    other_score = _score_field("other_score")
    tasks_done_percent = forms.DecimalField(
        label=_("Tasks done (%)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        widget=forms.NumberInput(attrs={"step": "1", "min": "0", "max": "100"}),
        # xgettext:no-python-format
        help_text=_("Less than 80% fails the acceptance automatically."))
    false_data = forms.BooleanField(label=_("Data were found to be false"), required=False,
                                    help_text=_("Fails the acceptance automatically."))
    unapproved_change = forms.BooleanField(label=_("Targets were changed without approval"), required=False,
                                           help_text=_("Fails the acceptance automatically."))
    opinion = forms.CharField(label=_("Acceptance opinion"), widget=forms.Textarea(attrs={"rows": 5}))

    def scores(self) -> dict:
        return {name: self.cleaned_data[name] for name in Acceptance.SCORE_FIELDS}

    def score_fields(self):
        return [self[name] for name in Acceptance.SCORE_FIELDS]

    def other_fields(self):
        return [self[name] for name in ("tasks_done_percent", "false_data", "unapproved_change", "opinion")]


# ----------------------------------------------------------------- filters

GRADE_NONE = "none"


class CenterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": _("Number, name or institution")}))
    state = forms.ChoiceField(label=_("State"), required=False, choices=_blank(CenterState.choices))
    center_type = forms.ChoiceField(label=_("Type"), required=False, choices=_blank(Center.CenterType.choices))
    grade = forms.ChoiceField(label=_("Latest grade"), required=False,
                              choices=_blank(list(Grade.choices) + [(GRADE_NONE, _("Not evaluated yet"))]))

    def narrow(self, centers):
        """The list as filtered: narrows the permission-filtered queryset (annotated with ``latest_grade``,
        :func:`poc.centers.selectors.with_latest_grade`) as the projects and applications lists do."""
        if not self.is_valid():
            return centers
        data = self.cleaned_data
        q = data["q"].strip()
        if q:
            centers = centers.filter(Q(designation_number__icontains=q) | Q(name__icontains=q)
                                     | Q(institution__name__icontains=q))
        if data["state"]:
            centers = centers.filter(state=data["state"])
        if data["center_type"]:
            centers = centers.filter(center_type=data["center_type"])
        if data["grade"] == GRADE_NONE:
            centers = centers.filter(latest_grade__isnull=True)
        elif data["grade"]:
            centers = centers.filter(latest_grade=data["grade"])
        return centers


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": _("Number, title or institution")}))
    state = forms.ChoiceField(label=_("State"), required=False, choices=_blank(ProjectState.choices))
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=_blank([(k, label) for k, label in ApplicationKind.choices
                                             if k in PROJECT_KINDS]))

    def narrow(self, projects):
        """The list as filtered: the page and its export narrow the same permission-filtered queryset here."""
        if not self.is_valid():
            return projects
        data = self.cleaned_data
        q = data["q"].strip()
        if q:
            projects = projects.filter(Q(project_number__icontains=q) | Q(title__icontains=q)
                                       | Q(institution__name__icontains=q))
        if data["state"]:
            projects = projects.filter(state=data["state"])
        if data["kind"]:
            projects = projects.filter(kind=data["kind"])
        return projects
