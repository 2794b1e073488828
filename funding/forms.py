from django import forms
from django.db.models import Case, When
from django.forms import inlineformset_factory

from funding.models import LigneBudgetaire, Objectif, Operation, Ressource


DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class OperationForm(forms.ModelForm):
    class Meta:
        model = Operation
        fields = [
            "code",
            "intitule",
            "programme",
            "numero_mdfse",
            "date_debut",
            "date_fin",
            "age_min",
            "age_max",
            "public",
            "taux_couts_indirects",
            "date_dernier_paiement",
            "audit_hold_until",
            "is_active",
        ]
        widgets = {
            "date_debut": DATE_WIDGET,
            "date_fin": DATE_WIDGET,
            "date_dernier_paiement": DATE_WIDGET,
            "audit_hold_until": DATE_WIDGET,
            "public": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "taux_couts_indirects": "Ratio : 0,15 pour 15 % des dépenses directes de personnel.",
            "audit_hold_until": "Laissez vide : 31 décembre de l'année du dernier paiement + 5 ans.",
        }

    def clean(self):
        cleaned = super().clean()
        debut, fin = cleaned.get("date_debut"), cleaned.get("date_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La fin de la convention précède son début.")
        age_min, age_max = cleaned.get("age_min"), cleaned.get("age_max")
        if age_min is not None and age_max is not None and age_max < age_min:
            self.add_error("age_max", "L'âge maximum est inférieur à l'âge minimum.")
        taux = cleaned.get("taux_couts_indirects")
        if taux is not None and not (0 <= taux <= 1):
            self.add_error("taux_couts_indirects", "Le taux s'exprime entre 0 et 1 (0,15 pour 15 %).")
        return cleaned


def _label_rows(formset):
    """Give every input of a tabular formset an accessible name (the column header + the row number)."""
    for index, form in enumerate(formset.forms, start=1):
        for name, field in form.fields.items():
            label = "Supprimer" if name == "DELETE" else field.label
            field.widget.attrs.setdefault("aria-label", f"{label} (ligne {index})")
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)
    return formset


class _LabelledFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_rows(self)

    def full_clean(self):
        super().full_clean()
        for form in self.forms:
            for name in form.errors:
                if name in form.fields:
                    attrs = form.fields[name].widget.attrs
                    attrs["aria-invalid"] = "true"
                    attrs["aria-describedby"] = f"{form[name].auto_id}-erreur"
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()


class ObjectifForm(forms.ModelForm):
    class Meta:
        model = Objectif
        fields = ["indicateur", "annee", "cible"]

    def clean_annee(self):
        annee = self.cleaned_data.get("annee")
        if annee is not None and not (2000 <= annee <= 2100):
            raise forms.ValidationError("Année invalide.")
        return annee


class ObjectifFormSet(_LabelledFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not data.get("indicateur"):
                continue
            key = (data["indicateur"], data.get("annee"))
            if key in seen:
                label = Objectif.Indicateur(key[0]).label
                periode = key[1] or "toute l'opération"
                raise forms.ValidationError(f"L'objectif « {label} » est saisi deux fois pour {periode}.")
            seen.add(key)


ObjectifInlineFormSet = inlineformset_factory(
    Operation, Objectif, form=ObjectifForm, formset=ObjectifFormSet, extra=2, can_delete=True
)


class _LigneBudgetaireFormSet(_LabelledFormSet):
    def get_queryset(self):
        """Lines in the order of the funder's categories (1. personnel … 4. participants), not alphabetically."""
        order = Case(
            *(When(categorie=code, then=index) for index, code in enumerate(LigneBudgetaire.Categorie.values)),
            default=len(LigneBudgetaire.Categorie.values),
        )
        return super().get_queryset().order_by(order, "libelle", "pk")


LigneBudgetaireInlineFormSet = inlineformset_factory(
    Operation,
    LigneBudgetaire,
    fields=["categorie", "libelle", "montant_prevu", "montant_realise"],
    formset=_LigneBudgetaireFormSet,
    extra=2,
    can_delete=True,
)

RessourceInlineFormSet = inlineformset_factory(
    Operation,
    Ressource,
    fields=["kind", "financeur", "montant"],
    formset=_LabelledFormSet,
    extra=2,
    can_delete=True,
)


class TauxCoutsIndirectsForm(forms.ModelForm):
    class Meta:
        model = Operation
        fields = ["taux_couts_indirects", "forfait_40"]
        help_texts = {"taux_couts_indirects": "Ratio : 0,15 pour 15 % des dépenses directes de personnel."}

    def clean_taux_couts_indirects(self):
        taux = self.cleaned_data["taux_couts_indirects"]
        if not (0 <= taux <= 1):
            raise forms.ValidationError("Le taux s'exprime entre 0 et 1 (0,15 pour 15 %).")
        return taux
