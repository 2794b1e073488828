import datetime

from django import forms
from django.utils import timezone

from agenda.models import RendezVous
from agenda.services import combine
from core.forms import ScopedFormMixin
from core.models import Membership, Role, User
from youth.models import Jeune


# Who may hold a rendez-vous: the conseillères and the coordination of the organisation.
AGENDA_ROLES = (Role.CONSEILLERE, Role.COORDINATEUR)


def membres_agenda(organisation):
    """Active members of ``organisation`` who have an agenda, by name."""
    members = Membership.objects.active().filter(organisation=organisation, role__in=AGENDA_ROLES)
    return User.objects.filter(pk__in=members.values("user_id")).order_by("last_name", "first_name", "pk")


class JeuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.nom.upper()} {obj.prenom}"


class MembreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class RendezVousForm(ScopedFormMixin, forms.ModelForm):
    jeune = JeuneChoiceField(label="Jeune", queryset=Jeune.objects.none())
    conseillere = MembreChoiceField(label="Conseillère", queryset=User.objects.none())
    jour = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    heure = forms.TimeField(label="Heure", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    class Meta:
        model = RendezVous
        fields = ["jeune", "conseillere", "duree_minutes", "modalite", "lieu", "objet", "prevenir_representant"]
        help_texts = {
            "prevenir_representant": "Pour un·e mineur·e : l'invitation et le rappel lui sont aussi envoyés."
        }

    # Bounded pages: a young person and a colleague are picked with a search field, not a <select> of all of them.
    search_fields = {"jeune": "jeune", "conseillere": "utilisateur"}

    field_order = ["jeune", "conseillere", "jour", "heure", "duree_minutes", "modalite", "lieu", "objet"]

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.fields["jeune"].queryset = (
            Jeune.objects.for_request(request).filter(anonymised_at__isnull=True).order_by("nom", "prenom", "pk")
        )
        self.fields["conseillere"].queryset = membres_agenda(request.organisation)
        self.fields["duree_minutes"].min_value = 5
        self.fields["duree_minutes"].widget.attrs.update({"min": 5, "max": 480, "step": 5})
        if self.instance.pk:
            debut = timezone.localtime(self.instance.debut)
            self.initial.update({"jour": debut.date(), "heure": debut.time().replace(second=0, microsecond=0)})
            del self.fields["jeune"]  # a rendez-vous stays with its young person
        else:
            self.initial.setdefault("conseillere", request.user.pk)
            self.initial.setdefault("heure", datetime.time(9, 0))
        jeune = self.instance.jeune if self.instance.jeune_id else None
        if jeune is None and self.initial.get("jeune"):
            jeune = self.fields["jeune"].queryset.filter(pk=self.initial["jeune"]).first()
        # Shown for a minor (or when the young person is not chosen yet); ignored by the service for an adult.
        self.mineur = jeune is None or jeune.est_mineur
        if not self.mineur:
            del self.fields["prevenir_representant"]

    def clean_duree_minutes(self):
        value = self.cleaned_data["duree_minutes"]
        if not 5 <= value <= 480:
            raise forms.ValidationError("Durée entre 5 et 480 minutes.")
        return value

    def clean(self):
        data = super().clean()
        if data.get("jour") and data.get("heure"):
            data["debut"] = combine(data["jour"], data["heure"])
        return data

    def service_fields(self):
        """The rendez-vous fields for ``agenda.services`` (``planifier`` / ``modifier``)."""
        data = self.cleaned_data
        fields = {name: data[name] for name in ("conseillere", "debut", "duree_minutes", "modalite", "lieu", "objet")}
        fields["prevenir_representant"] = data.get("prevenir_representant", False)
        return fields


class SemaineForm(forms.Form):
    """The agenda's query string: ``?vue=jour|semaine&date=YYYY-MM-DD&conseillere=<id>``."""

    vue = forms.ChoiceField(choices=[("semaine", "Semaine"), ("jour", "Jour")], required=False)
    date = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    conseillere = forms.IntegerField(required=False, min_value=1)
