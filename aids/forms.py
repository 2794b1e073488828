from django import forms

from core.forms import ScopedFormMixin
from funding.models import Aide, AideKind, LigneBudgetaire
from youth.models import Participation


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ParticipationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.jeune.nom.upper()} {obj.jeune.prenom} — {obj.operation.code}"


class LigneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.operation.code} — {obj.get_categorie_display()} — {obj.libelle}"


def form_participations(request):
    return (
        Participation.objects.for_request(request)
        .select_related("jeune", "operation")
        .order_by("jeune__nom", "jeune__prenom", "pk")
    )


class AideForm(ScopedFormMixin, forms.ModelForm):
    search_fields = {"participation": "participation"}
    participation = ParticipationChoiceField(queryset=Participation.objects.none(), label="Jeune et opération")
    ligne_budgetaire = LigneChoiceField(queryset=LigneBudgetaire.objects.none(), label="Ligne budgétaire")

    class Meta:
        model = Aide
        fields = [
            "participation",
            "kind",
            "date_attribution",
            "montant",
            "ligne_budgetaire",
            "description",
            "assr_justificatif",
            "formation_debut",
            "formation_fin",
            "permis_obtenu",
            "date_obtention",
        ]
        widgets = {
            "date_attribution": DATE,
            "formation_debut": DATE,
            "formation_fin": DATE,
            "date_obtention": DATE,
        }
        help_texts = {
            "assr_justificatif": "Permis AM : ASSR 1 ou 2, ou ASR, justifiée.",
            "formation_debut": "Permis AM : 8 heures au moins sur 2 jours au moins.",
        }

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.fields["participation"].queryset = form_participations(request)
        self.fields["ligne_budgetaire"].queryset = (
            LigneBudgetaire.objects.for_request(request)
            .select_related("operation")
            .order_by("operation__code", "categorie", "libelle")
        )
        self.fields["kind"].choices = AideKind.choices
        for name in ("assr_justificatif", "formation_debut", "formation_fin", "permis_obtenu", "date_obtention"):
            self.fields[name].widget.attrs["data-permis-am"] = "1"
