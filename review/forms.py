"""Page forms of the review: they parse and type the input; every write goes through :mod:`review.services`.

Ranges and rules (score bounds, required comments, frozen rubric, deadlines) are the services' and the
model transitions' to judge; the forms only carry the values, so a refusal always names its criterion.
"""
from django import forms
from django.utils.translation import gettext_lazy as _

from poc.forms.base import DateTimeInput
from poc.models import Discipline

from .models import Aggregate, Recommendation, ReviewPlan


def _number(value) -> str:
    """A Decimal as the shortest plain text: 25.00 → "25", 7.50 → "7.5"."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


class ReviewForm(forms.Form):
    """One score and one comment per criterion of the rubric, then the overall part of the review."""

    recommendation = forms.ChoiceField(label=_("Overall recommendation"), required=False,
                                       choices=[("", "—")] + list(Recommendation.choices))
    overall_comment = forms.CharField(label=_("Overall comment"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 4}))
    confidential_note = forms.CharField(
        label=_("Confidential note to the bureau"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by bureau officers only; never shown to the applicant."))

    def __init__(self, *args, review, criteria, **kwargs):
        self.review = review
        self.criteria = list(criteria)
        given = {s.criterion_id: s for s in review.scores.all()}
        initial = {"recommendation": review.recommendation, "overall_comment": review.overall_comment,
                   "confidential_note": review.confidential_note}
        for c in self.criteria:
            if c.pk in given:
                initial[f"score_{c.code}"] = _number(given[c.pk].score)
                initial[f"comment_{c.code}"] = given[c.pk].comment
        super().__init__(*args, initial=initial, **kwargs)
        for c in self.criteria:
            # Text, not a bounded number field: the service checks the range and names the criterion.
            self.fields[f"score_{c.code}"] = forms.CharField(
                label=_("Score"), required=False, max_length=20,
                widget=forms.NumberInput(attrs={"min": "0", "max": _number(c.max_score), "step": "0.5",
                                                "inputmode": "decimal", "class": "score-input"}))
            self.fields[f"comment_{c.code}"] = forms.CharField(
                label=_("Comment (required)") if c.comment_required else _("Comment"), required=False,
                widget=forms.Textarea(attrs={"rows": 2}))

    def rows(self):
        """(criterion, score field, comment field) for the template."""
        return [(c, self[f"score_{c.code}"], self[f"comment_{c.code}"]) for c in self.criteria]

    def scores(self) -> dict:
        return {c.code: {"score": self.cleaned_data.get(f"score_{c.code}", "").strip(),
                         "comment": self.cleaned_data.get(f"comment_{c.code}", "")} for c in self.criteria}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"scores": self.scores(), "recommendation": data["recommendation"],
                "overall_comment": data["overall_comment"], "confidential_note": data["confidential_note"]}

    def attach_refusal(self, exc) -> None:
        """Field errors of the service (keyed by criterion code) beside their inputs; messages on top."""
        for code, messages in (exc.field_errors or {}).items():
            name = f"score_{code}" if f"score_{code}" in self.fields else code
            if name in self.fields:
                for message in messages:
                    self.add_error(name, str(message))
        for message in exc.messages:
            self.add_error(None, message)


class ExtendDeadlineForm(forms.Form):
    until = forms.DateTimeField(label=_("New deadline"), widget=DateTimeInput(),
                                help_text=_("Asia/Shanghai time; the review can be submitted until this moment."))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (required)"), widget=forms.Textarea(attrs={"rows": 2}))


class PlanForm(forms.ModelForm):
    class Meta:
        model = ReviewPlan
        fields = ["experts_per_application", "deadline", "trim_min_reviews", "divergence_threshold",
                  "ranking_aggregate", "calibration_min_reviews"]
        widgets = {"deadline": DateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ranking_aggregate"].choices = Aggregate.choices
        self.fields["deadline"].help_text = _("Asia/Shanghai time. Reviews can be submitted until this moment; "
                                              "an officer can extend one review's deadline.")


class CriterionForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    weight = forms.DecimalField(label=_("Weight"), max_digits=5, decimal_places=2, initial=1,
                                widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}))
    max_score = forms.DecimalField(label=_("Maximum score"), max_digits=6, decimal_places=2,
                                   widget=forms.NumberInput(attrs={"step": "0.5", "min": "1"}))
    comment_required = forms.BooleanField(label=_("Comment required"), required=False)


class BaseRubricFormSet(forms.BaseFormSet):
    def criteria(self) -> list[dict]:
        """The rows kept (not deleted, not left empty), in order, as replace_rubric takes them."""
        rows = []
        for form in self.forms:
            if not form.has_changed() and not form.initial:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            rows.append(dict(form.cleaned_data))
        for row in rows:
            row.pop("DELETE", None)
        return rows


RubricFormSet = forms.formset_factory(CriterionForm, formset=BaseRubricFormSet, extra=1, can_delete=True)


def criteria_initial(plan) -> list[dict]:
    return [{"code": c.code, "name": c.name, "description": c.description, "weight": _number(c.weight),
             "max_score": _number(c.max_score), "comment_required": c.comment_required}
            for c in plan.criteria.all()]


class AssignForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=None)

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts


class CommitForm(forms.Form):
    """What the preview showed: the commit is refused if the solver's answer changed since."""

    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
    seed = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DrawForm(forms.Form):
    seed = forms.IntegerField(label=_("Seed"), required=False, min_value=0,
                              help_text=_("Leave empty for a fresh random seed; the same seed gives the same draw."))


class PinConflictForm(forms.Form):
    application = forms.ModelChoiceField(label=_("Application"), queryset=None)
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=None)
    reason = forms.CharField(label=_("Reason (required)"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, applications, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.fields["application"].label_from_instance = lambda a: f"{a.number} {a.title}"
        self.fields["expert"].queryset = experts
        self.fields["expert"].label_from_instance = lambda e: f"{e.name} · {e.affiliation}"


def _blank(choices):
    return [("", _("All"))] + list(choices)


class ExpertFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, widget=forms.TextInput(
        attrs={"type": "search", "placeholder": _("Name, affiliation or keyword")}))
    discipline = forms.ModelChoiceField(label=_("Discipline"), required=False, empty_label=_("All"),
                                        queryset=Discipline.objects.order_by("code"))
    active = forms.ChoiceField(label=_("Active"), required=False,
                               choices=_blank([("yes", _("Active")), ("no", _("Inactive"))]))
    pledge = forms.ChoiceField(label=_("Pledge"), required=False,
                               choices=_blank([("yes", _("Signed")), ("no", _("Not signed"))]))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discipline"].label_from_instance = lambda d: f"{d.code} {d}"
