"""Forms for signing in, registering and finding an institution to join."""
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Applicants sign in with their email address, which is their user name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email or user name")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})


class RegisterForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits; not a common password."),
    )
    password_again = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("The two passwords differ."))
        return data


class JoinSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Institution name or unified social credit code"), max_length=200, required=False,
        widget=forms.TextInput(attrs={
            "type": "search", "autocomplete": "off",
            # Live results with htmx; without JavaScript the form's button does the same.
            "hx-get": reverse_lazy("institution-join"), "hx-trigger": "input changed delay:300ms, search",
            "hx-target": "#results", "hx-select": "#results", "hx-swap": "outerHTML",
        }),
    )
