from django import forms

from core.forms import ScopedFormMixin
from funding.models import Operation


DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class PeriodeForm(forms.Form):
    du = forms.DateField(label="Du", widget=DATE_WIDGET, error_messages={"invalid": "Date invalide (JJ/MM/AAAA)."})
    au = forms.DateField(label="Au", widget=DATE_WIDGET, error_messages={"invalid": "Date invalide (JJ/MM/AAAA)."})

    def clean(self):
        cleaned = super().clean()
        du, au = cleaned.get("du"), cleaned.get("au")
        if du and au and au < du:
            self.add_error("au", "La fin de la période précède son début.")
        if du and au and (au - du).days > 366 * 10:
            self.add_error("au", "La période ne peut dépasser dix ans.")
        return cleaned


class BilanTexteForm(forms.Form):
    """The texts of one bilan, written by the coordinator (empty: the operation's default text)."""

    principes_horizontaux = forms.CharField(
        label="Principes horizontaux (égalité femmes-hommes, égalité des chances, accessibilité, développement "
        "durable)",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    publicite = forms.CharField(
        label="Mesures de publicité (information des participants et des partenaires sur le cofinancement)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    ecarts = forms.CharField(
        label="Explication des écarts entre le prévu et le réalisé",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    lieu_signature = forms.CharField(label="Fait à", max_length=100, required=False)
    date_signature = forms.DateField(label="Le", widget=DATE_WIDGET, required=False)
    par_defaut = forms.BooleanField(
        label="Enregistrer aussi ces textes comme textes par défaut des bilans de l'opération", required=False
    )


class GrilleDensiteForm(forms.Form):
    fichier = forms.FileField(
        label="Fichier de la grille communale de densité (CSV ou XLSX)",
        help_text="Une ligne par commune : code commune (CODGEO) et degré de densité (DENS, 1 à 4 ou 1 à 7).",
    )
    millesime = forms.IntegerField(label="Millésime", min_value=2000, max_value=2100)
    valable_du = forms.DateField(label="Valable à partir du", widget=DATE_WIDGET, required=False)

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if fichier.size > 20 * 1024 * 1024:
            raise forms.ValidationError("Fichier trop volumineux (20 Mo au plus).")
        if not fichier.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Fichier CSV ou XLSX attendu.")
        return fichier


class CsfPackForm(PeriodeForm):
    nb_participants = forms.IntegerField(
        label="Participants à tirer",
        min_value=0,
        max_value=2000,
        initial=10,
        error_messages={"min_value": "Au moins 0.", "max_value": "2 000 au plus."},
    )
    nb_depenses = forms.IntegerField(
        label="Dépenses à tirer",
        min_value=0,
        max_value=5000,
        initial=10,
        error_messages={"min_value": "Au moins 0.", "max_value": "5 000 au plus."},
    )
    graine = forms.IntegerField(
        label="Graine du tirage",
        required=False,
        min_value=0,
        max_value=10**15,
        help_text="Vide : une graine aléatoire, enregistrée. Reprenez une graine pour refaire le même tirage.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("nb_participants") == 0 and cleaned.get("nb_depenses") == 0:
            self.add_error("nb_participants", "Tirez au moins un participant ou une dépense.")
        return cleaned


IMPORT_EXTENSIONS = (".csv", ".txt", ".xlsx", ".xlsm")


class ImportForm(ScopedFormMixin, forms.Form):
    """The file of a browser import and its operation (the rules are those of ``import_participants``)."""

    operation = forms.ModelChoiceField(
        label="Opération", queryset=Operation.objects.order_by("-is_active", "code"), empty_label=None
    )
    fichier = forms.FileField(
        label="Fichier des participants",
        help_text="CSV (UTF-8, séparateur « ; » ou « , ») ou XLSX, avec une ligne d'en-tête ; "
        "10 Mo au plus. Rien n'est écrit à cette étape : le fichier est d'abord vérifié.",
    )

    def clean_fichier(self):
        from pathlib import PurePath

        from django.conf import settings

        fichier = self.cleaned_data["fichier"]
        if PurePath(fichier.name).suffix.lower() not in IMPORT_EXTENSIONS:
            raise forms.ValidationError("Format non pris en charge : fichier CSV ou XLSX attendu.")
        if fichier.size > settings.UPLOAD_MAX_SIZE:
            raise forms.ValidationError(
                f"Le fichier dépasse la taille maximale de {settings.UPLOAD_MAX_SIZE // (1024 * 1024)} Mo."
            )
        return fichier
