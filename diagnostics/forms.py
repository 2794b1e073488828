from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.forms import ScopedFormMixin
from diagnostics.models import Evaluation, QuestionnaireVersion
from diagnostics.services import structure_parse


STRUCTURE_HELP = (
    "Une ligne par axe, puis ses items sur les lignes suivantes, chacun commençant par « - ». "
    "Ajoutez, renommez, supprimez ou déplacez des lignes : une nouvelle version est publiée, "
    "les évaluations déjà faites gardent leur version."
)


class VersionForm(forms.Form):
    structure = forms.CharField(
        label="Axes et items",
        help_text=STRUCTURE_HELP,
        widget=forms.Textarea(attrs={"rows": 30, "class": "font-monospace", "spellcheck": "true"}),
    )
    echelle_min = forms.IntegerField(label="Note minimale", min_value=0, max_value=9, initial=0)
    echelle_max = forms.IntegerField(label="Note maximale", min_value=1, max_value=10, initial=4)
    echelle_aide = forms.CharField(
        label="Lecture de l'échelle",
        max_length=QuestionnaireVersion._meta.get_field("echelle_aide").max_length,
        required=False,
    )
    note = forms.CharField(
        label="Ce qui a changé",
        max_length=QuestionnaireVersion._meta.get_field("note").max_length,
        required=False,
        help_text="Par exemple : « ajout de l'item Permis AM ».",
    )

    def clean_structure(self):
        return structure_parse(self.cleaned_data["structure"])

    def clean(self):
        cleaned = super().clean()
        lo, hi = cleaned.get("echelle_min"), cleaned.get("echelle_max")
        if lo is not None and hi is not None and hi <= lo:
            self.add_error("echelle_max", "La note maximale doit être supérieure à la note minimale.")
        return cleaned


class EvaluationForm(ScopedFormMixin, forms.Form):
    """Header fields plus, per item of ``version``, a score (radio, empty = non renseigné) and a comment."""

    type = forms.ChoiceField(label="Moment", choices=Evaluation.Type.choices)
    date = forms.DateField(
        label="Date de l'évaluation",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    participation = forms.ModelChoiceField(
        label="Participation", queryset=None, required=False, empty_label="Aucune en particulier"
    )
    commentaire = forms.CharField(
        label="Commentaire général",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Factuel : le jeune peut lire ce qui est écrit.",
    )

    def __init__(self, *args, version, structure, participations, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.structure = structure
        self.fields["participation"].queryset = participations
        self.fields["participation"].label_from_instance = lambda p: p.operation.libelle
        choices = [("", "Non renseigné")] + [(str(n), str(n)) for n in version.echelle]
        for _, items in structure:
            for item in items:
                self.fields[f"score_{item.pk}"] = forms.TypedChoiceField(
                    label=item.libelle,
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                )
                self.fields[f"commentaire_{item.pk}"] = forms.CharField(
                    label=f"Commentaire : {item.libelle}",
                    required=False,
                    max_length=500,
                    widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
                )
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise ValidationError("La date ne peut pas être dans le futur.")
        return value

    def grouped(self):
        """[(axe, [(item, score field, comment field)])] for the template."""
        return [
            (axe, [(item, self[f"score_{item.pk}"], self[f"commentaire_{item.pk}"]) for item in items])
            for axe, items in self.structure
        ]

    def scores(self):
        return {item.pk: self.cleaned_data.get(f"score_{item.pk}") for _, items in self.structure for item in items}

    def commentaires(self):
        return {
            item.pk: self.cleaned_data.get(f"commentaire_{item.pk}", "").strip()
            for _, items in self.structure
            for item in items
            if self.cleaned_data.get(f"commentaire_{item.pk}", "").strip()
        }


class ProgressionForm(ScopedFormMixin, forms.Form):
    operation = forms.ModelChoiceField(label="Opération", queryset=None, empty_label=None)
    questionnaire = forms.ModelChoiceField(
        label="Questionnaire", queryset=None, required=False, empty_label="Diagnostic socio-professionnel"
    )
    du = forms.DateField(label="Du", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    au = forms.DateField(label="Au", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, operations, questionnaires, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operation"].queryset = operations
        self.fields["questionnaire"].queryset = questionnaires

    def clean(self):
        cleaned = super().clean()
        du, au = cleaned.get("du"), cleaned.get("au")
        if du and au and au < du:
            self.add_error("au", "La fin de période doit suivre son début.")
        return cleaned


class EvaluationCorrectionForm(forms.ModelForm):
    """What a correction changes without re-scoring (the scores are a new evaluation)."""

    class Meta:
        model = Evaluation
        fields = ["type", "date", "commentaire"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
