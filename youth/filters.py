import django_filters
from django import forms
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.utils import timezone

from core.widgets import SearchSelect
from funding.models import Operation
from youth.forms import referent_choices
from youth.models import Jeune, Sexe, words_condition
from youth.todo import A_FAIRE, condition as a_faire_condition


AGE_BANDS = {"16-17": (16, 17), "18-25": (18, 25), "26-29": (26, 29)}


def years_ago(today, years):
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def operations(request):
    return Operation.objects.for_request(request)


def referents(request):
    return referent_choices(request.scope)


class JeuneFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Rechercher", method="search")
    statut = django_filters.ChoiceFilter(label="État", choices=Jeune.Statut.choices, empty_label="Tous")
    operation = django_filters.ModelChoiceFilter(
        label="Opération",
        queryset=operations,
        field_name="participations__operation",
        distinct=True,
        empty_label="Toutes",
    )
    referent = django_filters.ModelChoiceFilter(
        label="Référente",
        queryset=referents,
        empty_label="Toutes",
        widget=SearchSelect("utilisateur", attrs={"class": "form-control form-control-sm"}, compact=True),
    )
    origine = django_filters.ChoiceFilter(label="Origine", choices=Jeune.Origine.choices, empty_label="Toutes")
    age = django_filters.ChoiceFilter(
        label="Âge", choices=[(k, f"{k} ans") for k in AGE_BANDS], method="filter_age", empty_label="Tous"
    )
    sexe = django_filters.ChoiceFilter(label="Sexe", choices=Sexe.choices, empty_label="Tous")
    mes_jeunes = django_filters.BooleanFilter(
        label="Mes jeunes", method="filter_mes_jeunes", widget=forms.CheckboxInput
    )
    # the caseload of the home page: everyone not yet out of the programme
    suivis = django_filters.BooleanFilter(
        label="Suivis (hors sortis)", method="filter_suivis", widget=forms.CheckboxInput
    )

    # the to-do items of the home page (youth.todo): exactly the young people each count counts
    a_faire = django_filters.ChoiceFilter(
        label="À faire", choices=list(A_FAIRE.items()), method="filter_a_faire", empty_label="—"
    )

    class Meta:
        model = Jeune
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # The search key (``Jeune.recherche``: name, first name, reference, lower-case and accent-free) holds every
        # word of the name: one condition, which the trigram index answers alone.
        query = words_condition(value)
        digits = "".join(c for c in value if c.isdigit())
        if len(digits) >= 4:
            queryset = queryset.annotate(
                telephone_chiffres=Replace(Replace(F("telephone"), Value(" "), Value("")), Value("."), Value(""))
            )
            query |= Q(telephone_chiffres__contains=digits)
        return queryset.filter(query)

    def filter_age(self, queryset, name, value):
        low, high = AGE_BANDS[value]
        today = timezone.localdate()
        # age >= low  <=> born on or before today - low years; age <= high <=> born after today - (high+1) years
        return queryset.filter(
            date_naissance__lte=years_ago(today, low), date_naissance__gt=years_ago(today, high + 1)
        )

    def filter_suivis(self, queryset, name, value):
        if value:
            return queryset.exclude(statut=Jeune.Statut.SORTI)
        return queryset

    def filter_mes_jeunes(self, queryset, name, value):
        if value:
            return queryset.filter(referent=self.request.user)
        return queryset

    def filter_a_faire(self, queryset, name, value):
        if value:
            return queryset.filter(a_faire_condition(value, self.request.scope, timezone.localdate()))
        return queryset
