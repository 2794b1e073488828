from django import forms

from notifications.models import PreferenceNotification


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = PreferenceNotification
        fields = ["resume_quotidien"]
