import datetime

from django import forms
from django.utils import timezone

from core import phones
from core.collecte import ENTRETIEN_NOTES
from core.forms import ScopedFormMixin
from core.models import STAFF_ROLES, Membership, Organisation, User
from core.sorting import unindexed
from core.widgets import register_search
from funding.models import Operation
from youth import rules
from youth.models import (
    Document,
    Entretien,
    EtapePlan,
    Frein,
    Jeune,
    Participation,
    SuiviPostSortie,
    search_key,
)
from youth.services import DUPLICATE_MESSAGE, eligibility_errors, entry_errors, jeune_duplicates


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_widgets(*names):
    return {name: DateInput() for name in names}


def jeune_label(jeune):
    return f"{jeune.nom.upper()} {jeune.prenom} (n° {jeune.pk}, né·e le {jeune.date_naissance:%d/%m/%Y})"


def _search_words(prefix):
    def search(queryset, text):
        for token in search_key(text).split()[:6]:
            queryset = queryset.filter(**{f"{prefix}recherche__contains": token})
        return queryset

    return search


BY_NAME_FOR_SEARCH = unindexed(Jeune, ["nom", "prenom"])  # matches read through the trigram index, then sorted

# Search fields (core.widgets): a young person, a participation (young person and operation).
register_search(
    "jeune",
    Jeune,
    queryset=lambda request: Jeune.objects.for_request(request).filter(anonymised_at__isnull=True),
    search=lambda queryset, text: _search_words("")(queryset, text).order_by(*BY_NAME_FOR_SEARCH, "pk"),
    label=jeune_label,
)
register_search(
    "participation",
    Participation,
    queryset=lambda request: Participation.objects.for_request(request).select_related("jeune", "operation"),
    search=lambda queryset, text: _search_words("jeune__")(queryset, text).order_by(
        "jeune__nom", "jeune__prenom", "pk"
    ),
    label=lambda p: f"{p.jeune.nom.upper()} {p.jeune.prenom} — {p.operation.code}",
)


def referent_choices(scope):
    """Users with an active staff membership of the scope's organisation."""
    members = Membership.objects.active().filter(organisation=scope.organisation, role__in=STAFF_ROLES)
    return User.objects.filter(pk__in=members.values("user_id")).order_by("last_name", "first_name")


class PhoneFieldsMixin:
    """French error for a number that is not one; stored in its readable national form (core.phones). Every
    form with these fields (dossier, repérage conversion, partner orientation) uses it."""

    def _clean_phone(self, name):
        value = self.cleaned_data[name].strip()
        if not value:
            return ""
        try:
            return phones.normalise(value)
        except phones.InvalidPhoneNumber:
            raise forms.ValidationError(f"Numéro de téléphone invalide : « {value} ».") from None

    def clean_telephone(self):
        return self._clean_phone("telephone")

    def clean_contact_telephone(self):
        return self._clean_phone("contact_telephone")

    def clean_representant_legal_telephone(self):
        return self._clean_phone("representant_legal_telephone")


class JeuneForm(PhoneFieldsMixin, ScopedFormMixin, forms.ModelForm):
    search_fields = {"referent": "utilisateur"}
    # Posted by the « Créer quand même » button shown with the likely duplicates (never rendered otherwise).
    confirmer_doublon = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Jeune
        fields = [
            "nom",
            "prenom",
            "sexe",
            "date_naissance",
            "reference",
            "telephone",
            "email",
            "contact_nom",
            "contact_telephone",
            "contact_email",
            "adresse",
            "code_postal",
            "commune",
            "commune_insee",
            "representant_legal_nom",
            "representant_legal_telephone",
            "representant_legal_email",
            "obligation_formation",
            "referent",
            "origine",
            "organisation_orienteuse",
            "date_reperage",
            "information_rgpd_le",
            "consentement_le",
            "accepte_sms",
            "accepte_email",
        ]
        widgets = date_widgets("date_naissance", "date_reperage", "information_rgpd_le", "consentement_le")
        help_texts = {
            "representant_legal_nom": "Obligatoire pour un jeune de moins de 18 ans.",
            "obligation_formation": (
                "Obligatoire pour un jeune de moins de 18 ans (obligation de formation 16–18 ans)."
            ),
            "contact_nom": (
                "Un téléphone, un e-mail ou une personne à contacter (avec son propre téléphone ou e-mail) "
                "est exigé par le FSE+."
            ),
            "commune_insee": "Code officiel géographique à 5 caractères (ex. 59122), pas le code postal.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = self.scope.organisation
        self.duplicates = []
        self.fields["referent"].queryset = referent_choices(self.scope)
        self.fields["referent"].label_from_instance = lambda u: u.get_full_name() or u.email
        # The partners of this porteur (core.forms pick rule registered by outreach), not every partner.
        self.fields["organisation_orienteuse"].queryset = Organisation.objects.filter(is_active=True)
        if not self.instance.pk:
            self.initial.setdefault("date_reperage", timezone.localdate())

    def clean_code_postal(self):
        value = self.cleaned_data["code_postal"].strip()
        if value and (len(value) != 5 or not value.isdigit()):
            raise forms.ValidationError("Le code postal compte 5 chiffres.")
        return value

    def clean(self):
        data = super().clean()
        naissance = data.get("date_naissance")
        errors = rules.birth_date_errors(naissance, organisation=self.organisation) or rules.minor_errors(data)
        for field, message in errors.items():
            self.add_error(field, message)
        if data.get("origine") == Jeune.Origine.PARTENAIRE and not data.get("organisation_orienteuse"):
            self.add_error("organisation_orienteuse", "Indiquez le partenaire qui a orienté le jeune.")
        contact_reachable = (
            data.get("contact_telephone") or data.get("contact_email") or "contact_telephone" in self.errors
        )
        if data.get("contact_nom") and not contact_reachable:
            self.add_error(
                "contact_telephone", "Indiquez le téléphone ou l'e-mail de la personne à contacter pour la joindre."
            )
        self.duplicates = jeune_duplicates(
            organisation=self.organisation,
            nom=data.get("nom"),
            prenom=data.get("prenom"),
            date_naissance=naissance,
            telephone=data.get("telephone", ""),
            email=data.get("email", ""),
            exclude_pk=self.instance.pk,
            identity_only=self.instance.pk is not None,  # an edit: only a change onto another person's identity
        )
        if self.duplicates and not data.get("confirmer_doublon"):
            self.add_error(None, DUPLICATE_MESSAGE)
        reperage = data.get("date_reperage")
        if self.instance.pk and reperage:
            first = self.instance.participations.filter(date_entree__isnull=False).order_by("date_entree").first()
            if first and reperage > first.date_entree:
                self.add_error(
                    "date_reperage",
                    f"Le repérage ne peut pas suivre l'entrée dans {first.operation.code} "
                    f"({first.date_entree:%d/%m/%Y}).",
                )
        return data

    def clean_commune_insee(self):
        value = self.cleaned_data["commune_insee"].strip().upper()
        if value and (len(value) != 5 or not (value.isdigit() or value[:2] in ("2A", "2B"))):
            raise forms.ValidationError("Le code INSEE compte 5 caractères (ex. 59122 ; Corse : 2A004).")
        return value


class EntretienForm(forms.ModelForm):
    sujets = forms.MultipleChoiceField(
        label="Sujets abordés", choices=Entretien.Sujet.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Entretien
        fields = [
            "date",
            "duree_minutes",
            "kind",
            "sujets",
            "notes",
            "confidentielle",
            "prochaines_etapes",
            "prochain_rdv",
        ]
        widgets = {
            **date_widgets("date", "prochain_rdv"),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "prochaines_etapes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"notes": ENTRETIEN_NOTES}  # the register says the same (core.collecte)

    prochain_rdv_heure = forms.TimeField(
        label="à (heure)",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Avec la date, le rendez-vous est planifié dans l'agenda.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())
        self.fields["duree_minutes"].min_value = 1
        self.fields["prochain_rdv"].label = "Prochain rendez-vous le"
        # The next rendez-vous, an aware datetime, when a date and a time were given (see clean).
        self.prochain_rdv_debut = None

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError("Un entretien ne peut pas être daté dans le futur.")
        return value

    def clean_duree_minutes(self):
        value = self.cleaned_data["duree_minutes"]
        if not 1 <= value <= 600:
            raise forms.ValidationError("Durée entre 1 et 600 minutes.")
        return value

    def clean(self):
        data = super().clean()
        if data.get("prochain_rdv") and data.get("date") and data["prochain_rdv"] < data["date"]:
            self.add_error("prochain_rdv", "Le prochain rendez-vous ne peut pas précéder l'entretien.")
        heure = data.pop("prochain_rdv_heure", None)
        changed = {"prochain_rdv", "prochain_rdv_heure"} & set(self.changed_data)
        if data.get("prochain_rdv") and changed and "prochain_rdv" not in self.errors:
            if heure is None:
                self.add_error("prochain_rdv_heure", "Indiquez l'heure du prochain rendez-vous.")
            else:
                debut = timezone.make_aware(datetime.datetime.combine(data["prochain_rdv"], heure))
                if debut <= timezone.now():
                    self.add_error("prochain_rdv_heure", "Le prochain rendez-vous ne peut pas être dans le passé.")
                else:
                    self.prochain_rdv_debut = debut
        elif heure is not None and not data.get("prochain_rdv") and "prochain_rdv" not in self.errors:
            self.add_error("prochain_rdv", "Indiquez la date du prochain rendez-vous.")
        return data


class ParticipationCreateForm(ScopedFormMixin, forms.Form):
    operation = forms.ModelChoiceField(label="Opération", queryset=Operation.objects.all())


class EntreeForm(forms.Form):
    """The contrat d'engagement: signature = entry into the operation."""

    date_signature_contrat = forms.DateField(label="Contrat d'engagement signé le", widget=DateInput())
    date_entree = forms.DateField(label="Date d'entrée", widget=DateInput())
    neet_atteste = forms.BooleanField(
        label="NEET attesté (ni emploi, ni études, ni formation : attestation sur l'honneur)", required=False
    )
    objectifs = forms.CharField(
        label="Objectifs du parcours", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, participation, **kwargs):
        super().__init__(*args, **kwargs)
        self.participation = participation
        today = timezone.localdate()
        self.initial.setdefault("date_signature_contrat", today)
        self.initial.setdefault("date_entree", today)
        self.initial.setdefault("objectifs", participation.objectifs)

    def clean(self):
        data = super().clean()
        if data.get("date_entree") and data.get("date_signature_contrat"):
            if data["date_signature_contrat"] > data["date_entree"]:
                self.add_error("date_signature_contrat", "Le contrat se signe au plus tard le jour de l'entrée.")
            errors = eligibility_errors(
                jeune=self.participation.jeune,
                operation=self.participation.operation,
                date_entree=data["date_entree"],
                neet_atteste=data.get("neet_atteste"),
            )
            for field, message in errors.items():
                self.add_error(field if field in self.fields else None, message)
        return data


TRISTATE_FIELDS = ("parent_ne_etranger", "handicap", "sans_logement")
REFUS_HELP = "« Ne souhaite pas répondre » est une réponse valide : la question a été posée."


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Participation
        fields = [
            "statut_entree",
            "date_debut_chomage",
            "inscrit_france_travail",
            "diplome",
            "nationalite",
            *TRISTATE_FIELDS,
            "qpv",
            "questionnaire_entree_le",
        ]
        widgets = {
            **dict.fromkeys((*TRISTATE_FIELDS, "inscrit_france_travail", "qpv"), forms.RadioSelect),
            **date_widgets("questionnaire_entree_le", "date_debut_chomage"),
        }
        help_texts = {
            **dict.fromkeys(TRISTATE_FIELDS, REFUS_HELP),
            "date_debut_chomage": (
                "Chômeur à l'entrée : début de la période de chômage (chômeur de longue durée au-delà de 6 mois "
                "avant 25 ans, de 12 mois à partir de 25 ans)."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (*TRISTATE_FIELDS, "inscrit_france_travail", "qpv"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
            self.fields[name].required = False
        self.fields["questionnaire_entree_le"].required = True
        self.fields["questionnaire_entree_le"].label = "Questions posées le"
        if not self.instance.questionnaire_entree_le:
            self.initial["questionnaire_entree_le"] = timezone.localdate()

    def clean(self):
        data = super().clean()
        participation = self.instance
        errors = entry_errors(
            operation=participation.operation, date_entree=None, statut_entree=data.get("statut_entree")
        )
        for name, message in errors.items():
            self.add_error(name, message)
        debut = data.get("date_debut_chomage")
        if debut:
            if data.get("statut_entree") != Participation.StatutEntree.CHOMEUR:
                self.add_error(
                    "date_debut_chomage", "La date de début de chômage ne concerne qu'un chômeur à l'entrée."
                )
            elif participation.date_entree and debut > participation.date_entree:
                self.add_error("date_debut_chomage", "Le chômage en cours à l'entrée commence avant l'entrée.")
        return data


class SortieForm(forms.ModelForm):
    class Meta:
        model = Participation
        fields = [
            "date_sortie",
            "situation_sortie",
            "date_situation_sortie",
            "a_termine",
            "qualification_obtenue",
            "emploi_pendant_parcours",
        ]
        widgets = date_widgets("date_sortie", "date_situation_sortie")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_sortie"].required = True
        self.fields["situation_sortie"].required = True
        if not self.instance.date_sortie:
            self.initial["date_sortie"] = timezone.localdate()

    def clean(self):
        data = super().clean()
        if self.instance.date_entree is None:
            raise forms.ValidationError("Le jeune n'est pas entré dans l'opération : pas de sortie possible.")
        if data.get("date_sortie") and data["date_sortie"] < self.instance.date_entree:
            self.add_error(
                "date_sortie", f"La sortie ne peut pas précéder l'entrée ({self.instance.date_entree:%d/%m/%Y})."
            )
        if data.get("date_sortie") and data["date_sortie"] > timezone.localdate():
            self.add_error("date_sortie", "La date de sortie ne peut pas être dans le futur.")
        constatee = data.get("date_situation_sortie")
        if constatee and data.get("date_sortie") and constatee < data["date_sortie"]:
            self.add_error("date_situation_sortie", "La situation de sortie se constate à la sortie ou après.")
        return data


class SuiviForm(forms.ModelForm):
    motif_anticipation = forms.CharField(
        label="Suivi saisi en avance : pourquoi ?",
        required=False,
        max_length=200,
        help_text="Seulement si le suivi précède son échéance de plus d'une semaine (ex. : injoignable ensuite).",
    )

    class Meta:
        model = SuiviPostSortie
        fields = ["echeance", "date", "situation", "commentaire"]
        widgets = date_widgets("date")

    def __init__(self, *args, participation, **kwargs):
        super().__init__(*args, **kwargs)
        self.participation = participation
        self.initial.setdefault("date", timezone.localdate())

    def validate_unique(self):
        pass  # one per échéance: the service updates the existing record

    def clean(self):
        data = super().clean()
        if self.participation.date_sortie is None:
            raise forms.ValidationError("Le suivi post-sortie se saisit après la sortie.")
        errors = rules.suivi_date_errors(
            date_sortie=self.participation.date_sortie,
            echeance=data.get("echeance"),
            date=data.get("date"),
            motif=data.get("motif_anticipation"),
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return data


class EtapeForm(forms.ModelForm):
    class Meta:
        model = EtapePlan
        fields = ["libelle", "echeance"]
        widgets = date_widgets("echeance")


class FreinForm(forms.ModelForm):
    class Meta:
        model = Frein
        fields = ["kind", "precisions", "identifie_le"]
        widgets = date_widgets("identifie_le")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("identifie_le", timezone.localdate())


class DocumentForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Document
        fields = ["kind", "fichier", "vu_non_conserve", "obtenu_le", "participation", "commentaire"]
        widgets = date_widgets("obtenu_le")

    def __init__(self, *args, jeune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participation"].queryset = jeune.participations.select_related("operation")
        self.fields["participation"].required = False
        self.fields["participation"].help_text = "Pour un justificatif de sortie : la participation concernée."
        self.initial.setdefault("obtenu_le", timezone.localdate())

    def clean(self):
        data = super().clean()
        if bool(data.get("fichier")) == bool(data.get("vu_non_conserve")):
            raise forms.ValidationError("Déposez le fichier OU cochez « vu, non conservé » (l'un des deux).")
        if data.get("kind") == Document.Kind.PREUVE_SORTIE and not data.get("participation"):
            self.add_error("participation", "Un justificatif de sortie se rattache à une participation.")
        return data


class MotifSuppressionForm(forms.Form):
    motif = forms.CharField(
        label="Motif de la suppression",
        max_length=255,
        help_text="Obligatoire : il figure dans l'historique et dans la corbeille.",
        error_messages={"required": "Indiquez le motif de la suppression."},
    )
