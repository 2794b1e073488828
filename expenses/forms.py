"""Ledger forms. Amounts accept « 1 234,56 » (localised); dates use the browser's date picker."""

from datetime import timedelta

from django import forms
from django.db import models

from core.forms import ScopedFormMixin
from expenses.models import Depense, FeuilleTemps, PrevisionAnnuelle, RessourceRecue, Salarie


DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
MONTH_WIDGET = forms.DateInput(format="%Y-%m", attrs={"type": "month"})


class _Localised:
    """Decimal fields accept the French decimal comma."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                field.localize = True
                field.widget.is_localized = True
                field.widget.input_type = "text"
                field.widget.attrs.setdefault("inputmode", "decimal")


class _ClosesStoredFiles:
    """Model validation runs ``validate_upload`` on the stored proof when it is kept unchanged, which opens it:
    close it again (an uploaded, not yet saved file stays open for ``save()``)."""

    def _post_clean(self):
        super()._post_clean()
        for field in self.instance._meta.fields:
            if isinstance(field, models.FileField):
                fieldfile = getattr(self.instance, field.name)
                if fieldfile and fieldfile._committed and getattr(fieldfile, "_file", None) is not None:
                    fieldfile.close()


class DepenseForm(ScopedFormMixin, _ClosesStoredFiles, _Localised, forms.ModelForm):
    class Meta:
        model = Depense
        fields = [
            "reference",
            "poste",
            "ligne_budgetaire",
            "libelle",
            "beneficiaire",
            "montant",
            "date",
            "date_paiement",
            "nature_justificatif",
            "justificatif",
        ]
        widgets = {"date": DATE_WIDGET, "date_paiement": DATE_WIDGET}

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        self.operation = operation
        # Children of the operation already fetched in scope.
        self.fields["ligne_budgetaire"].queryset = operation.lignes_budgetaires.all()
        self.fields["ligne_budgetaire"].required = False
        self.fields["ligne_budgetaire"].help_text = "Vide : la ligne de la catégorie du poste, s'il n'y en a qu'une."

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        if reference:
            clash = self.operation.depenses.filter(reference=reference)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError("Cette référence est déjà utilisée par une autre dépense de l'opération.")
        return reference

    def clean(self):
        cleaned = super().clean()
        date, paid = cleaned.get("date"), cleaned.get("date_paiement")
        if date and paid and paid < date - timedelta(days=366):
            self.add_error("date_paiement", "Le paiement précède la pièce de plus d'un an : vérifiez les dates.")
        montant = cleaned.get("montant")
        if montant is not None and montant < 0:
            self.add_error("montant", "Le montant éligible ne peut pas être négatif (saisissez une recette).")
        if self.instance.feuille_temps_id and cleaned.get("montant") != self.instance.montant:
            self.add_error("montant", "Ce montant est calculé depuis la feuille de temps : corrigez la feuille.")
        return cleaned


class SalarieForm(forms.ModelForm):
    class Meta:
        model = Salarie
        fields = ["nom", "fonction", "date_debut", "date_fin"]
        widgets = {"date_debut": DATE_WIDGET, "date_fin": DATE_WIDGET}

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        self.operation = operation

    def clean_nom(self):
        nom = " ".join(self.cleaned_data["nom"].split())
        clash = self.operation.salaries.filter(nom__iexact=nom)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Cette personne est déjà affectée à l'opération.")
        return nom

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_debut") and cleaned.get("date_fin") and cleaned["date_fin"] < cleaned["date_debut"]:
            self.add_error("date_fin", "La fin de l'affectation précède son début.")
        return cleaned


class FeuilleTempsForm(ScopedFormMixin, _ClosesStoredFiles, _Localised, forms.ModelForm):
    mois = forms.DateField(
        label="Mois",
        input_formats=["%Y-%m", "%m/%Y", "%Y-%m-%d"],
        widget=MONTH_WIDGET,
        error_messages={"invalid": "Mois invalide (AAAA-MM)."},
    )
    date_paiement = forms.DateField(
        label="Salaire versé le", required=False, widget=DATE_WIDGET, help_text="Vide : non acquitté."
    )

    class Meta:
        model = FeuilleTemps
        fields = [
            "salarie",
            "mois",
            "heures_operation",
            "heures_travaillees",
            "cout_charge_mensuel",
            "signee_salarie_le",
            "signee_responsable_le",
            "scan_signe",
        ]
        widgets = {"signee_salarie_le": DATE_WIDGET, "signee_responsable_le": DATE_WIDGET}

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        self.operation = operation
        self.fields["salarie"].queryset = operation.salaries.all()
        if self.instance.pk and hasattr(self.instance, "depense"):
            self.fields["date_paiement"].initial = self.instance.depense.date_paiement

    def clean_mois(self):
        mois = self.cleaned_data["mois"]
        return mois.replace(day=1)

    def clean(self):
        cleaned = super().clean()
        salarie, mois = cleaned.get("salarie"), cleaned.get("mois")
        if salarie and mois:
            clash = salarie.feuilles.filter(mois=mois)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("mois", "Une feuille de temps existe déjà pour ce mois : modifiez-la.")
        worked = cleaned.get("heures_travaillees")
        if worked is not None and worked <= 0:
            self.add_error("heures_travaillees", "Les heures travaillées doivent être positives.")
        hours = cleaned.get("heures_operation")
        if hours is not None and hours < 0:
            self.add_error("heures_operation", "Les heures ne peuvent pas être négatives.")
        return cleaned


class RessourceRecueForm(_Localised, forms.ModelForm):
    class Meta:
        model = RessourceRecue
        fields = ["kind", "fse", "financeur", "montant", "date_reception", "reference"]
        widgets = {"date_reception": DATE_WIDGET}

    def clean_montant(self):
        montant = self.cleaned_data["montant"]
        if montant <= 0:
            raise forms.ValidationError("Le montant reçu doit être positif.")
        return montant


class PrevisionAnnuelleForm(_Localised, forms.ModelForm):
    class Meta:
        model = PrevisionAnnuelle
        fields = ["poste", "annee", "montant_prevu"]


class ImportForm(forms.Form):
    fichier = forms.FileField(label="Fichier CSV ou XLSX", help_text="Colonnes : voir la documentation ci-dessous.")
    dry_run = forms.BooleanField(label="Vérifier seulement (rien n'est écrit)", required=False)

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        name = fichier.name.lower()
        if not name.endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError("Déposez un fichier CSV (UTF-8) ou XLSX.")
        if fichier.size > 5 * 1024 * 1024:
            raise forms.ValidationError("Le fichier dépasse 5 Mo.")
        return fichier
