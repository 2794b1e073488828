"""The to-do rules that read the dossier only (docs/conseillere.md, "À faire"): each one a ``Q`` on ``Jeune``,
so the home page counts it and the young people list (``/jeunes/?a_faire=<clé>``) shows exactly those rows.

The dossier alerts (``youth.dossier.alerts_for``) speak of the same young people: the rules are theirs, in SQL.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q

from youth.dossier import add_months, sans_contact_condition
from youth.models import Jeune, Participation, SuiviPostSortie


QUESTIONNAIRE_FIELDS = ("statut_entree", "diplome", "nationalite", "parent_ne_etranger", "handicap", "sans_logement")
QUESTIONNAIRE_DELAI = timedelta(weeks=4)
PARCOURS_MOIS = 6
FIN_PARCOURS_JOURS = 30
# A follow-up's date is ``youth.rules.suivi_due_date`` (exit + N months, ``add_months``), inverted below to bound
# the exit date in SQL. It is « à faire » from 15 days before its date to 30 days after, « en retard » after that
# (for a year).
SUIVI_AVANT, SUIVI_APRES, SUIVI_HORIZON = timedelta(days=15), timedelta(days=30), timedelta(days=365)

A_FAIRE = {
    "sans_contact": "Sans contact depuis 30 jours",
    "suivis_a_faire": "Suivis après la sortie à faire",
    "suivis_en_retard": "Suivis après la sortie en retard",
    "questionnaire_incomplet": "Questionnaire d'entrée incomplet après 4 semaines",
    "fin_parcours": "Parcours arrivant à leur terme",
}


def first_reaching(target, months):
    """The first day ``d`` with ``add_months(d, months) >= target``."""
    day = add_months(target, -months) - timedelta(days=4)
    while add_months(day, months) < target:
        day += timedelta(days=1)
    return day


def last_within(target, months):
    """The last day ``d`` with ``add_months(d, months) <= target``."""
    day = add_months(target, -months) + timedelta(days=4)
    while add_months(day, months) > target:
        day -= timedelta(days=1)
    return day


def _suivi_du(scope, debut, fin):
    """Young people with a participation whose 1, 3 or 6-month follow-up falls between ``debut`` and ``fin``
    (inclusive) and is not recorded."""
    participations = Participation.objects.for_scope(scope)
    suivis = SuiviPostSortie.objects.for_scope(scope)
    condition = Q(pk__in=[])
    for echeance in SuiviPostSortie.Echeance.values:
        due = Q(date_sortie__gte=first_reaching(debut, echeance), date_sortie__lte=last_within(fin, echeance))
        missing = ~Exists(suivis.filter(participation=OuterRef("pk"), echeance=echeance))
        condition |= Exists(participations.filter(due, missing, jeune=OuterRef("pk")))
    return condition


def condition(key, scope, today):
    """The ``Q`` on ``Jeune`` of the to-do item ``key`` (one of ``A_FAIRE``) as ``scope`` reads it."""
    participations = Participation.objects.for_scope(scope).filter(jeune=OuterRef("pk"))
    if key == "sans_contact":  # the dossier alert « Pas de contact depuis plus de 30 jours »
        return ~Q(statut=Jeune.Statut.SORTI) & sans_contact_condition(today)
    if key == "suivis_a_faire":
        return _suivi_du(scope, today - SUIVI_APRES, today + SUIVI_AVANT)
    if key == "suivis_en_retard":
        return _suivi_du(scope, today - SUIVI_HORIZON, today - SUIVI_APRES - timedelta(days=1))
    if key == "questionnaire_incomplet":  # the dossier alert « questionnaire d'entrée incomplet »
        incomplete = Q()
        for name in QUESTIONNAIRE_FIELDS:
            incomplete |= Q(**{name: ""})
        return Exists(
            participations.filter(incomplete, date_entree__lt=today - QUESTIONNAIRE_DELAI, date_sortie__isnull=True)
        )
    if key == "fin_parcours":  # the dossier alert « le parcours de 6 mois s'achève le … »
        limit = last_within(today + timedelta(days=FIN_PARCOURS_JOURS), PARCOURS_MOIS)
        return Exists(participations.filter(date_entree__lte=limit, date_sortie__isnull=True))
    raise KeyError(key)
