from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone

from core.forms import ScopedFormMixin
from core.models import Membership, Organisation, Role, User
from outreach.models import (
    ActionReperage,
    ContactReperage,
    Orientation,
    OrientationDocument,
    PartenariatOrientation,
)
from youth import rules
from youth.forms import PhoneFieldsMixin
from youth.models import Jeune


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionReperageForm(ScopedFormMixin, forms.ModelForm):
    search_fields = {"intervenants": "utilisateur"}

    class Meta:
        model = ActionReperage
        fields = ["date", "type", "lieu", "personnes_rencontrees", "intervenants", "notes"]
        widgets = {
            "date": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "intervenants": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervenants"].queryset = User.objects.filter(
            pk__in=Membership.objects.active()
            .filter(organisation=self.scope.organisation)
            .exclude(role=Role.PARTENAIRE)
            .values("user_id")
        ).order_by("last_name", "first_name")

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError("La date ne peut pas être dans le futur.")
        return value


class ContactReperageForm(forms.ModelForm):
    class Meta:
        model = ContactReperage
        fields = ["prenom_ou_pseudo", "age_approximatif", "sexe", "moyen_contact", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def clean_age_approximatif(self):
        age = self.cleaned_data.get("age_approximatif")
        if age is not None and not 10 <= age <= 40:
            raise forms.ValidationError("Indiquez un âge entre 10 et 40 ans.")
        return age


class ContactConvertForm(PhoneFieldsMixin, forms.ModelForm):
    class Meta:
        model = Jeune
        fields = [
            "nom",
            "prenom",
            "sexe",
            "date_naissance",
            "telephone",
            "email",
            "commune",
            "representant_legal_nom",
            "representant_legal_telephone",
            "obligation_formation",
            "statut",
        ]
        widgets = {"date_naissance": DATE_WIDGET}
        help_texts = {
            "representant_legal_nom": "Obligatoire pour un jeune de moins de 18 ans.",
            "obligation_formation": "Obligatoire pour un jeune de moins de 18 ans (16–18 ans).",
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["statut"].choices = [
            (Jeune.Statut.REPERE, Jeune.Statut.REPERE.label),
            (Jeune.Statut.CONTACT, Jeune.Statut.CONTACT.label),
        ]

    def clean(self):
        data = super().clean()
        errors = rules.birth_date_errors(data.get("date_naissance"), organisation=self.organisation)
        for field, message in (errors or rules.minor_errors(data)).items():
            self.add_error(field, message)
        if not (data.get("telephone") or data.get("email")):
            self.add_error("telephone", "Indiquez au moins un téléphone ou un e-mail pour recontacter le jeune.")
        return data


class OrientationForm(PhoneFieldsMixin, ScopedFormMixin, forms.ModelForm):
    """Partner side: the orientation of a young person to one of the porteurs the partner works with."""

    class Meta:
        model = Orientation
        fields = [
            "organisation",
            "nom",
            "prenom",
            "sexe",
            "date_naissance",
            "telephone",
            "email",
            "adresse",
            "code_postal",
            "commune",
            "representant_legal_nom",
            "representant_legal_telephone",
            "situation",
            "motif",
            "attentes",
            "urgence",
            "attestation_information",
            "attestation_representant",
        ]
        widgets = {
            "date_naissance": DATE_WIDGET,
            "situation": forms.Textarea(attrs={"rows": 3}),
            "motif": forms.Textarea(attrs={"rows": 3}),
            "attentes": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"organisation": "Structure à qui vous orientez ce jeune"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The porteurs this partner works with (pick rule of core.forms, registered in outreach.apps).
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=PartenariatOrientation.objects.for_scope(self.scope).actifs().values("porteur_id"),
            is_active=True,
        )
        self.fields["organisation"].required = True
        self.fields["organisation"].empty_label = "— choisir —"

    def clean(self):
        data = super().clean()
        if not (data.get("telephone") or data.get("email")):
            self.add_error("telephone", "Indiquez au moins un téléphone ou un e-mail du jeune.")
        porteur = data.get("organisation")
        errors = rules.birth_date_errors(data.get("date_naissance"), organisation=porteur) if porteur else {}
        # The partner does not know how the obligation de formation is met: the conseillère completes it.
        for field, message in (errors or rules.minor_errors(data, obligation=False)).items():
            self.add_error(field, message)
        return data


class OrientationSubmitMixin:
    """Extra checks when the partner sends (not when it saves a draft)."""

    @staticmethod
    def check_submit(form):
        data = form.cleaned_data
        if not data.get("attestation_information"):
            form.add_error(
                "attestation_information", "Attestez que le jeune a été informé avant d'envoyer l'orientation."
            )
        dob = data.get("date_naissance")
        if dob:
            from youth.models import age_on

            if age_on(dob, timezone.localdate()) < 18 and not data.get("attestation_representant"):
                form.add_error(
                    "attestation_representant", "Ce jeune est mineur : attestez que son représentant a été informé."
                )
        return not form.errors


class OrientationDocumentForm(forms.ModelForm):
    class Meta:
        model = OrientationDocument
        fields = ["libelle", "fichier"]
        help_texts = {"fichier": "PDF, JPEG ou PNG, 10 Mo au plus."}


class MessageForm(forms.Form):
    texte = forms.CharField(
        label="Votre message",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Visible par le partenaire et la structure. Pas de donnée de santé ni d'infraction.",
    )


class DeclineForm(forms.Form):
    motif = forms.CharField(
        label="Motif du refus (transmis au partenaire)", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(label="Réponse", choices=[("acceptee", "Accepter"), ("refusee", "Refuser")])
    motif = forms.CharField(
        label="Motif en cas de refus", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refusee" and not data.get("motif", "").strip():
            self.add_error("motif", "Indiquez le motif du refus.")
        return data


class OrientationSortanteForm(ScopedFormMixin, forms.Form):
    search_fields = {"jeune": "jeune"}
    jeune = forms.ModelChoiceField(label="Jeune", queryset=Jeune.objects.none())
    partenaire = forms.ModelChoiceField(label="Partenaire", queryset=Organisation.objects.none())
    motif = forms.CharField(label="Motif de l'orientation", widget=forms.Textarea(attrs={"rows": 3}))
    attentes = forms.CharField(
        label="Ce que vous attendez du partenaire", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    urgence = forms.ChoiceField(label="Urgence", choices=Orientation.Urgence.choices)
    information = forms.BooleanField(
        label="Le jeune a été informé et accepte que ses coordonnées soient transmises à ce partenaire"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jeune"].queryset = Jeune.objects.for_scope(self.scope).order_by("nom", "prenom")
        self.fields["partenaire"].queryset = Organisation.objects.filter(
            pk__in=PartenariatOrientation.objects.for_scope(self.scope).actifs().values("partenaire_id")
        )


class InvitationForm(ScopedFormMixin, forms.Form):
    partenaire = forms.ModelChoiceField(label="Organisation partenaire", queryset=Organisation.objects.none())
    email = forms.EmailField(label="Adresse e-mail de la personne")
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partenaire"].queryset = Organisation.objects.filter(
            pk__in=PartenariatOrientation.objects.for_scope(self.scope).actifs().values("partenaire_id")
        )


class PartenaireCreateForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["nom", "sigle", "commune", "email"]


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    password1 = forms.CharField(
        label="Mot de passe", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Confirmez le mot de passe", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        elif p1:
            try:
                validate_password(
                    p1,
                    User(email=self.email, first_name=data.get("first_name", ""), last_name=data.get("last_name", "")),
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
