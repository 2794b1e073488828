"""Demo-like data for the to-do list: every rule with cases on both sides of its limit (tests/home/test_todo.py)."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from agenda.models import RendezVous
from core.models import Role
from home.todo import day_bounds
from outreach.models import Orientation
from tests.core.factories import MembershipFactory
from tests.home.factories import RendezVousFactory
from tests.outreach.factories import OrientationFactory, PartenariatFactory
from tests.youth.factories import JeuneFactory, ParticipationFactory, SuiviPostSortieFactory
from youth.models import Jeune, Participation


COMPLET = {
    "statut_entree": Participation.StatutEntree.CHOMEUR,
    "diplome": Participation.Diplome.CAP_BEP,
    "nationalite": Participation.Nationalite.FR,
    "parent_ne_etranger": "non",
    "handicap": "non",
    "sans_logement": "non",
}

# What the conseillère's to-do must count, and the organisation's (coordination).
EXPECTED_CONSEILLERE = {
    "rdv_aujourdhui": 2,
    "rdv_manques": 2,
    "orientations": 4,
    "sans_contact": 2,
    "suivis_a_faire": 3,
    "suivis_en_retard": 1,
    "questionnaire_incomplet": 1,
    "fin_parcours": 2,
}
EXPECTED_COORDINATION = EXPECTED_CONSEILLERE | {
    "rdv_aujourdhui": 3,
    "sans_contact": 4,
    "questionnaire_incomplet": 2,
}


@dataclass
class TodoData:
    conseillere: object
    collegue: object
    coordination: object


def create(organisation, partner, scale=1, users=None):
    """``scale`` repeats the whole set (``EXPECTED_*`` times ``scale``); ``users``: the ``TodoData`` of a previous
    call, to grow the same people's to-do."""
    today, now = timezone.localdate(), timezone.now()
    start, _ = day_bounds(today)
    if users is None:
        conseillere = MembershipFactory(organisation=organisation, role=Role.CONSEILLERE).user
        collegue = MembershipFactory(organisation=organisation, role=Role.CONSEILLERE).user
        coordination = MembershipFactory(organisation=organisation, role=Role.COORDINATEUR).user
        PartenariatFactory(porteur=organisation, partenaire=partner)
    else:
        conseillere, collegue, coordination = users.conseillere, users.collegue, users.coordination

    def jeune(contact_days=0, referent=conseillere, **kwargs):
        return JeuneFactory(
            organisation=organisation,
            referent=referent,
            date_dernier_contact=today - timedelta(days=contact_days),
            statut=kwargs.pop("statut", Jeune.Statut.EN_PARCOURS),
            **kwargs,
        )

    def entree(j, days, **fields):
        d = today - timedelta(days=days)
        return ParticipationFactory(jeune=j, date_signature_contrat=d, date_entree=d, **(COMPLET | fields))

    def sortie(j, days):
        d = today - timedelta(days=days)
        return ParticipationFactory(
            jeune=j,
            date_entree=d - timedelta(days=150),
            date_sortie=d,
            situation_sortie=Participation.SituationSortie.EMPLOI_CDI,
            **COMPLET,
        )

    for _ in range(scale):
        j1, j2, j3 = jeune(40), jeune(31), jeune(30)  # no contact: 40 and 31 days yes, 30 days not yet
        jeune(90, statut=Jeune.Statut.SORTI)  # out of the programme: no « sans contact » alert
        j4 = jeune(statut=Jeune.Statut.SORTI)
        sortie(j4, 35)  # 1-month follow-up due about 5 days ago: à faire
        j5 = jeune(statut=Jeune.Statut.SORTI)
        p5 = sortie(j5, 100)  # 1 month: overdue but recorded; 3 months due in about 10 days: à faire
        SuiviPostSortieFactory(participation=p5, echeance=1, date=today - timedelta(days=60))
        j6 = jeune(statut=Jeune.Statut.SORTI)
        sortie(j6, 200)  # 1 and 3 months overdue, 6 months due about 17 days ago: both lists
        sortie(jeune(statut=Jeune.Statut.SORTI), 3 * 365)  # exited 3 years ago: out of the follow-up window
        entree(jeune(), 40, diplome="")  # incomplete after 40 days
        entree(jeune(), 20, diplome="")  # incomplete after 20 days: not yet
        entree(jeune(), 170)  # the 6-month parcours ends in about 12 days
        entree(jeune(), 200)  # ended 20 days ago, no exit recorded
        entree(jeune(), 100)  # ends in about 80 days: not yet
        # a colleague's young person: the organisation's to-do only
        j11 = jeune(40, referent=collegue)
        entree(j11, 40, nationalite="")
        # an archived dossier: coordination reads it, the conseillère does not
        jeune(40, archived_at=now)

        at = lambda hours: start + timedelta(hours=hours)  # noqa: E731 - today, whatever the time of the test
        RendezVousFactory(jeune=j1, conseillere=conseillere, debut=at(10))
        RendezVousFactory(jeune=j2, conseillere=conseillere, debut=at(15))
        RendezVousFactory(jeune=j3, conseillere=conseillere, debut=at(11), statut=RendezVous.Statut.ANNULE)
        RendezVousFactory(jeune=j3, conseillere=conseillere, debut=at(34))  # tomorrow
        RendezVousFactory(jeune=j11, conseillere=collegue, debut=at(9))
        # missed: to follow up, unless another is planned since, or older than 30 days
        # (j1 and j3 have one planned today or tomorrow: their missed ones are followed up)
        RendezVousFactory(jeune=j1, conseillere=conseillere, debut=now - timedelta(days=3), statut="manque")
        jm1, jm2, jm3 = jeune(), jeune(), jeune()
        RendezVousFactory(jeune=jm1, conseillere=conseillere, debut=now - timedelta(days=3), statut="manque")
        RendezVousFactory(jeune=jm2, conseillere=conseillere, debut=now - timedelta(days=5), statut="manque")
        RendezVousFactory(jeune=jm2, conseillere=conseillere, debut=now + timedelta(days=2))
        RendezVousFactory(jeune=jm2, conseillere=conseillere, debut=now - timedelta(days=40), statut="manque")
        # held by the colleague, of the conseillère's young person: hers to follow up too
        RendezVousFactory(jeune=jm3, conseillere=collegue, debut=now - timedelta(days=1), statut="manque")
        RendezVousFactory(jeune=j3, conseillere=collegue, debut=now - timedelta(days=1), statut="manque")

        def orientation(hours_ago, urgence, **kwargs):
            return OrientationFactory(
                organisation=organisation,
                partenaire=partner,
                urgence=urgence,
                soumise_le=now - timedelta(hours=hours_ago),
                **kwargs,
            )

        U = Orientation.Urgence
        orientation(72, U.URGENTE, nom="Urgente-retard")  # « sous 48 heures », 3 days ago: overdue
        orientation(1, U.URGENTE, nom="Urgente-recente")
        orientation(20 * 24, U.PRIORITAIRE, nom="Prioritaire-retard", statut=Orientation.Statut.EN_EXAMEN)
        orientation(48, U.NORMALE, nom="Normale")
        orientation(100, U.URGENTE, statut=Orientation.Statut.ACCEPTEE)  # answered
        orientation(100, U.URGENTE, sortante=True)  # sent by the porteur
        orientation(100, U.URGENTE, brouillon=True)  # the partner's draft
    return TodoData(conseillere=conseillere, collegue=collegue, coordination=coordination)
