from django import forms
from django.conf import settings

from core.models import Organisation
from core.text import MESSAGE_PLACEHOLDERS, unknown_placeholders
from core.uploads import sniff_content_type
from team.services import role_choices


LOGO_MAX_SIZE = 1024 * 1024  # a logo printed in a PDF header: 1 Mo is plenty


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail professionnelle", widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    role = forms.ChoiceField(label="Rôle")

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(organisation)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Rôle", widget=forms.Select(attrs={"class": "form-select form-select-sm"}))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(organisation)


class ExistingAccountForm(forms.Form):
    password = forms.CharField(
        label="Votre mot de passe Tremplin",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def siret_is_valid(value):
    """14 digits passing the Luhn check (La Poste's establishments, SIREN 356000000, use a sum divisible by 5)."""
    if len(value) != 14 or not value.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(value)):
        digit = int(char) * (2 if index % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0 or (value.startswith("356000000") and sum(int(c) for c in value) % 5 == 0)


class OrganisationSettingsForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "raison_sociale",
            "siret",
            "adresse",
            "code_postal",
            "telephone",
            "logo",
            "representant_nom",
            "representant_qualite",
            "responsable_traitement_nom",
            "responsable_traitement_email",
            "dpo_nom",
            "dpo_email",
            "rappel_heure",
            "texte_invitation",
            "texte_rappel",
        ]
        widgets = {
            "rappel_heure": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "texte_invitation": forms.Textarea(attrs={"rows": 3}),
            "texte_rappel": forms.Textarea(attrs={"rows": 3}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
        }
        help_texts = {
            "raison_sociale": (
                "Le nom légal, tel qu'il figure au registre (en-tête des PDF, registre des traitements)."
            ),
            "siret": "14 chiffres, sans espace.",
            "logo": (
                "PNG ou JPEG, 1 Mo au plus : imprimé en tête du bilan, du contrat, des émargements et conventions."
            ),
            "responsable_traitement_nom": "En général le représentant légal de la structure.",
            "rappel_heure": "Le rappel d'un rendez-vous part la veille à cette heure.",
        }

    def clean_siret(self):
        value = "".join(self.cleaned_data.get("siret", "").split())
        if value and not siret_is_valid(value):
            raise forms.ValidationError(
                "Ce numéro SIRET n'est pas valable : il faut 14 chiffres, et la clé de contrôle ne correspond pas."
                if len(value) == 14 and value.isdigit()
                else "Ce numéro SIRET n'est pas valable : il faut 14 chiffres."
            )
        return value

    def clean_code_postal(self):
        value = self.cleaned_data.get("code_postal", "").strip()
        if value and (len(value) != 5 or not value.isdigit()):
            raise forms.ValidationError("Le code postal compte 5 chiffres.")
        return value

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or not hasattr(logo, "content_type"):  # unchanged (or cleared)
            return logo
        if logo.size > min(LOGO_MAX_SIZE, settings.UPLOAD_MAX_SIZE):
            raise forms.ValidationError("Le logo dépasse 1 Mo : réduisez l'image.")
        if sniff_content_type(logo) not in {"image/png", "image/jpeg"}:
            raise forms.ValidationError("Format non accepté : déposez une image PNG ou JPEG.")
        return logo

    def _clean_text(self, name):
        value = self.cleaned_data.get(name, "")
        unknown = unknown_placeholders(value)
        if unknown:
            allowed = ", ".join("{" + key + "}" for key in MESSAGE_PLACEHOLDERS)
            raise forms.ValidationError(f"Espace réservé inconnu : {', '.join(unknown)}. Utilisables : {allowed}.")
        return value

    def clean_texte_invitation(self):
        return self._clean_text("texte_invitation")

    def clean_texte_rappel(self):
        return self._clean_text("texte_rappel")
