"""The notification settings form: email on or off, and the language of notifications and emails."""
from django import forms

from poc.models import NotificationPreference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_enabled", "language"]
