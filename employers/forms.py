from django import forms

from core.forms import ScopedFormMixin
from core.widgets import register_search, words
from employers.models import Contact, Entreprise, Interaction, Offre, Placement, SuiviPlacement, validate_siret
from youth.models import Jeune


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Search fields (core.widgets): a company (name, SIRET, town), an offer (title or company).
register_search(
    "entreprise",
    Entreprise,
    queryset=lambda request: Entreprise.objects.for_request(request).filter(is_active=True),
    search=lambda queryset, text: words("nom", "siret", "commune")(queryset, text).order_by("nom", "pk"),
    label=lambda e: f"{e.nom} ({e.commune})" if e.commune else e.nom,
)
register_search(
    "offre",
    Offre,
    queryset=lambda request: Offre.objects.for_request(request).select_related("entreprise"),
    search=lambda queryset, text: words("intitule", "entreprise__nom")(queryset, text).order_by(
        "-date_publication", "-pk"
    ),
    label=lambda o: f"{o.entreprise} — {o.intitule}",
)


class EntrepriseForm(forms.ModelForm):
    siret = forms.CharField(
        label="SIRET",
        max_length=20,
        required=False,
        validators=[validate_siret],
        help_text="14 chiffres, espaces acceptés.",
    )

    class Meta:
        model = Entreprise
        fields = [
            "nom",
            "siret",
            "code_naf",
            "secteur",
            "adresse",
            "code_postal",
            "commune",
            "telephone",
            "email",
            "bienveillante",
            "bienveillante_depuis",
            "notes",
            "is_active",
        ]
        widgets = {"bienveillante_depuis": DATE, "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"code_naf": "Ex. : 47.11F"}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_siret(self):
        siret = "".join(self.cleaned_data.get("siret", "").split())
        if siret:
            duplicate = Entreprise.objects.for_organisation(self.organisation).filter(siret=siret)
            if self.instance.pk:
                duplicate = duplicate.exclude(pk=self.instance.pk)
            if duplicate.exists():
                raise forms.ValidationError("Une entreprise avec ce SIRET existe déjà dans votre structure.")
        return siret

    def clean_code_naf(self):
        return self.cleaned_data.get("code_naf", "").upper().strip()


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["nom", "prenom", "fonction", "telephone", "email"]


class InteractionForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Interaction
        fields = ["kind", "date", "contact", "objet", "compte_rendu", "nb_jeunes"]
        widgets = {"date": DATE, "compte_rendu": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, entreprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = entreprise.contacts.all()


class OffreForm(forms.ModelForm):
    class Meta:
        model = Offre
        fields = ["intitule", "type_contrat", "date_publication", "nb_postes", "statut", "description"]
        widgets = {"date_publication": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class PlacementForm(ScopedFormMixin, forms.ModelForm):
    search_fields = {"jeune": "jeune", "entreprise": "entreprise", "offre": "offre"}

    class Meta:
        model = Placement
        fields = [
            "jeune",
            "entreprise",
            "offre",
            "poste",
            "type_contrat",
            "date_debut",
            "date_fin",
            "heures_hebdo",
            "tuteur",
            "notes",
        ]
        widgets = {"date_debut": DATE, "date_fin": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.fields["jeune"].queryset = (
            Jeune.objects.for_request(request).filter(anonymised_at__isnull=True).order_by("nom", "prenom", "pk")
        )
        self.fields["entreprise"].queryset = Entreprise.objects.for_request(request)
        self.fields["offre"].queryset = Offre.objects.for_request(request).select_related("entreprise")
        self.fields["offre"].label_from_instance = lambda o: f"{o.entreprise} — {o.intitule}"

    def clean(self):
        data = super().clean()
        offre, entreprise = data.get("offre"), data.get("entreprise")
        if offre and entreprise and offre.entreprise_id != entreprise.pk:
            self.add_error("offre", "Cette offre est celle d'une autre entreprise.")
        return data


class SuiviPlacementForm(forms.ModelForm):
    class Meta:
        model = SuiviPlacement
        fields = ["date", "avec", "compte_rendu"]
        widgets = {"date": DATE, "compte_rendu": forms.Textarea(attrs={"rows": 3})}
