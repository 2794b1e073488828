from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Mot de passe", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect. Vérifiez votre saisie et réessayez.",
        "inactive": "Ce compte est désactivé. Contactez la coordination de votre structure.",
    }


class OrganisationSwitchForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)


class OTPTokenForm(forms.Form):
    code = forms.CharField(
        label="Code à usage unique",
        max_length=16,
        help_text="Les 6 chiffres affichés par votre application, ou l'un de vos codes de secours.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].replace(" ", "").strip()


class AuditFilterForm(forms.Form):
    vue = forms.ChoiceField(
        label="Afficher",
        choices=[("lectures", "Consultations des dossiers"), ("modifications", "Modifications")],
        required=False,
    )
    jeune = forms.IntegerField(label="Dossier n°", required=False, min_value=1)
    utilisateur = forms.ModelChoiceField(label="Utilisateur", queryset=None, required=False)
    du = forms.DateField(
        label="Du",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    au = forms.DateField(
        label="Au",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, organisation, **kwargs):
        from core.models import User

        super().__init__(*args, **kwargs)
        self.fields["utilisateur"].queryset = User.objects.filter(memberships__organisation=organisation).order_by(
            "last_name", "first_name"
        )
