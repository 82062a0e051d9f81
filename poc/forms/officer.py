"""Forms for workflow steps, site visits and the officer's filters."""
from django import forms
from django.utils.translation import gettext_lazy as _

from poc.models import ApplicationKind, ApplicationState, SiteVisit

from .base import DateInput


class TransitionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def details(self) -> dict:
        """Extra keyword arguments the transition takes besides the comment."""
        return {}


class ObjectionForm(TransitionForm):
    """record_objection also takes who objected, how to reach them and when the objection arrived.

    Every objection received is recorded; one that is anonymous, gives no contact or arrived after the
    notice's last day is kept as not accepted (不予受理) and changes nothing else."""

    objector = forms.CharField(label=_("Objector"), max_length=200, required=False)
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False,
                              help_text=_("Phone, address or email. Without it the objection is not accepted."))
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    signed = forms.BooleanField(label=_("The objection is signed"), required=False, initial=True,
                                help_text=_("Signed with the objector's real name (实名). An anonymous objection "
                                            "is recorded as not accepted."))

    def details(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("objector", "contact", "received_on", "signed")}


class SiteVisitForm(forms.ModelForm):
    class Meta:
        model = SiteVisit
        fields = ["visited_on", "experts", "findings", "score", "recommendation"]
        widgets = {
            "visited_on": DateInput(),
            "experts": forms.Textarea(attrs={"rows": 2}),
            "findings": forms.Textarea(attrs={"rows": 4}),
            "recommendation": forms.Textarea(attrs={"rows": 2}),
        }


def _blank(choices):
    return [("", _("All"))] + list(choices)


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": _("Number, title or institution")}))
    call = forms.TypedChoiceField(label=_("Call"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=_("State"), required=False, choices=_blank(ApplicationState.choices))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_blank(ApplicationKind.choices))

    def __init__(self, *args, calls=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].choices = _blank((c.pk, c.title) for c in calls)

    def narrow(self, applications):
        """The list as filtered: the page and its export narrow the same permission-filtered queryset here."""
        if not self.is_valid():
            return applications
        from poc.applications.selectors import search_applications

        data = self.cleaned_data
        applications = search_applications(applications, data["q"])
        if data["call"]:
            applications = applications.filter(call_id=data["call"])
        if data["state"]:
            applications = applications.filter(state=data["state"])
        if data["kind"]:
            applications = applications.filter(kind=data["kind"])
        return applications


class InstitutionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": _("Name or credit code")}))
    verified = forms.ChoiceField(label=_("Verified"), required=False,
                                 choices=[("", _("All")), ("no", _("Not yet verified")), ("yes", _("Verified"))])
