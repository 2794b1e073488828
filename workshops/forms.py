from django import forms

from core.forms import ScopedFormMixin
from core.widgets import register_search, words
from employers.models import Entreprise
from funding.models import Operation
from workshops.models import Atelier, Immersion, Inscription, Seance
from youth.models import Jeune


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def add_service_errors(form, exc):
    """Put a service ``ValidationError`` on the matching form fields (or on the whole form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


register_search(
    "immersion",
    Immersion,
    queryset=lambda request: (
        Immersion.objects.for_request(request).filter(annulee=False).select_related("jeune", "entreprise")
    ),
    search=lambda queryset, text: words("jeune__nom", "jeune__prenom", "entreprise__nom")(queryset, text).order_by(
        "-date_debut", "-pk"
    ),
    label=lambda o: f"{o.jeune} — {o.entreprise} — {o.get_objet_display()} (du {o.date_debut:%d/%m/%Y})",
)


def jeunes_choices(request):
    return Jeune.objects.for_request(request).filter(anonymised_at__isnull=True).order_by("nom", "prenom", "pk")


class JeuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.nom.upper()} {obj.prenom} ({obj.get_sexe_display()}, né·e le {obj.date_naissance:%d/%m/%Y})"


class AtelierForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Atelier
        fields = [
            "intitule",
            "operation",
            "theme",
            "action",
            "animateur",
            "partenaire",
            "public",
            "description",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.fields["operation"].queryset = Operation.objects.for_request(request)


class SeanceForm(ScopedFormMixin, forms.ModelForm):
    # The staff member who runs it: the session shows in her agenda. A member of the organisation (pick rule).
    search_fields = {"animatrice": "utilisateur"}

    class Meta:
        model = Seance
        fields = ["date", "heure_debut", "heure_fin", "lieu", "capacite", "public", "animatrice"]
        widgets = {"date": DATE, "heure_debut": TIME, "heure_fin": TIME}

    def clean(self):
        data = super().clean()
        if data.get("heure_debut") and data.get("heure_fin") and data["heure_fin"] <= data["heure_debut"]:
            self.add_error("heure_fin", "La séance doit finir après son début.")
        return data


class InscriptionForm(ScopedFormMixin, forms.Form):
    search_fields = {"jeune": "jeune"}
    jeune = JeuneChoiceField(queryset=Jeune.objects.none(), label="Jeune à inscrire")

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.fields["jeune"].queryset = jeunes_choices(request)


class EmargementForm(forms.Form):
    fichier = forms.FileField(label="Feuille d'émargement signée (PDF, JPEG ou PNG)")


PRESENCE_CHOICES = [("", "Non saisie"), *Inscription.Presence.choices]


class ImmersionForm(ScopedFormMixin, forms.ModelForm):
    search_fields = {"jeune": "jeune", "entreprise": "entreprise", "renouvellement_de": "immersion"}
    jeune = JeuneChoiceField(queryset=Jeune.objects.none(), label="Jeune")

    class Meta:
        model = Immersion
        fields = [
            "jeune",
            "entreprise",
            "prescripteur",
            "objet",
            "metier",
            "date_debut",
            "date_fin",
            "heures_hebdo",
            "tuteur_nom",
            "tuteur_fonction",
            "tuteur_telephone",
            "objectifs",
            "activites",
            "renouvellement_de",
        ]
        widgets = {
            "date_debut": DATE,
            "date_fin": DATE,
            "objectifs": forms.Textarea(attrs={"rows": 3}),
            "activites": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.fields["jeune"].queryset = jeunes_choices(request)
        self.fields["entreprise"].queryset = Entreprise.objects.for_request(request).filter(is_active=True)
        self.fields["renouvellement_de"].queryset = (
            Immersion.objects.for_request(request).filter(annulee=False).select_related("jeune", "entreprise")
        )
        self.fields["renouvellement_de"].label_from_instance = lambda o: (
            f"{o.jeune} — {o.entreprise} — {o.get_objet_display()} (du {o.date_debut:%d/%m/%Y})"
        )
        if not self.initial.get("prescripteur") and not self.instance.pk:
            self.initial["prescripteur"] = str(request.organisation)


class ImmersionEvaluationForm(forms.ModelForm):
    objectifs_atteints = forms.TypedChoiceField(
        label="Objectifs atteints",
        choices=[("oui", "Oui"), ("non", "Non")],
        coerce=lambda v: v == "oui",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Immersion
        fields = ["evaluee_le", "objectifs_atteints", "evaluation"]
        widgets = {"evaluee_le": DATE, "evaluation": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluee_le"].required = True
        self.fields["evaluation"].required = True
        if self.instance.objectifs_atteints is not None:
            self.initial["objectifs_atteints"] = "oui" if self.instance.objectifs_atteints else "non"
