"""Anonymisation leaves nothing of the person in any table (history included), and the bilans do not change."""

from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from diagnostics.models import Reponse
from privacy.retention import jeunes_anonymise, linked_ids
from reports.indicators import compute
from tests.diagnostics.factories import evaluate, items_by_label, questionnaire
from tests.employers.factories import PlacementFactory, SuiviPlacementFactory
from tests.funding.factories import LigneBudgetaireFactory, OperationFactory
from tests.outreach.factories import ContactReperageFactory, OrientationFactory, OrientationMessageFactory
from tests.workshops.factories import ImmersionFactory, InscriptionFactory, SeanceFactory
from tests.youth.factories import (
    DocumentFactory,
    EntretienFactory,
    EtapePlanFactory,
    FreinFactory,
    JeuneFactory,
    ParticipationFactory,
    SuiviPostSortieFactory,
)
from youth.models import Jeune, Participation


pytestmark = pytest.mark.django_db

NOM, PRENOM, PSEUDO = "Leducquinn", "Georgiano", "Gigizou"
TELEPHONE, EMAIL = "06 98 76 54 32", "georgiano.leducquinn@exemple.fr"
REFERENCE = "NOE-7731"
NEEDLES = [NOM, PRENOM, PSEUDO, TELEPHONE, TELEPHONE.replace(" ", ""), EMAIL, REFERENCE]
TEXT_TYPES = {"CharField", "TextField", "JSONField"}


def identity_hits(needles):
    """Every (table, column) of the database where a text value contains one of the needles, any case.

    Every table is searched, history tables, sessions, axes and migrations included (nothing to justify skipping).
    """
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                if connection.introspection.get_field_type(column.type_code, column) not in TEXT_TYPES:
                    continue
                quoted_table = connection.ops.quote_name(table)
                quoted_column = connection.ops.quote_name(column.name)
                cursor.execute(
                    f"SELECT {quoted_column}::text FROM {quoted_table} WHERE {quoted_column}::text ILIKE ANY(%s)",  # noqa: S608 - quoted identifiers, bound values
                    [[f"%{needle}%" for needle in needles]],
                )
                hits += [(table, column.name, value) for (value,) in cursor.fetchall()]
    return hits


def make_dossier(organisation, operation):
    """A young person with every kind of record, each carrying the identity somewhere, some edited (history)."""
    who = f"{PRENOM} {NOM} ({TELEPHONE}, {EMAIL})"
    jeune = JeuneFactory(
        organisation=organisation,
        nom=NOM,
        prenom=PRENOM,
        telephone=TELEPHONE,
        email=EMAIL,
        reference=REFERENCE,
        adresse=f"3 rue {NOM}",
        contact_nom=f"Mère de {PRENOM}",
        date_reperage=date(2015, 1, 10),
        date_dernier_contact=date(2016, 6, 1),
        sexe="H",
        date_naissance=date(1996, 3, 4),
    )
    jeune.telephone = TELEPHONE.replace(" ", "")  # an edit: the old value stays in the history
    jeune.save()
    participation = ParticipationFactory(
        jeune=jeune,
        operation=operation,
        date_entree=date(2015, 2, 1),
        date_sortie=date(2016, 1, 1),
        situation_sortie=Participation.SituationSortie.EMPLOI_CDI,
        reference=f"P-{NOM}",
        objectifs=f"Objectifs de {who}",
    )
    entretien = EntretienFactory(jeune=jeune, notes=f"Entretien avec {who}", prochaines_etapes=f"Rappeler {PRENOM}")
    entretien.notes = f"Entretien avec {PRENOM} {NOM}, corrigé"
    entretien.save()
    frein = FreinFactory(jeune=jeune, precisions=f"Logement chez la tante de {PRENOM}")
    frein.precisions = f"Logement chez l'oncle de {NOM}"
    frein.save()
    EtapePlanFactory(jeune=jeune, libelle=f"Inscrire {PRENOM} {NOM} au CACES")
    DocumentFactory(
        jeune=jeune,
        participation=participation,
        commentaire=f"CNI de {NOM}",
        fichier__filename=f"cni-{NOM}.pdf",
    )
    deleted = FreinFactory(jeune=jeune, precisions=f"Dettes de {PRENOM}")  # deleted: only its history is left
    deleted.delete()
    SuiviPostSortieFactory(participation=participation, commentaire=f"{PRENOM} a signé un CDI")
    aide = participation.aides.create(
        organisation=organisation,
        ligne_budgetaire=LigneBudgetaireFactory(operation=operation),
        kind="mobilite",
        date_attribution=date(2015, 3, 1),
        montant=100,
        description=f"Carte de bus de {NOM}",
    )
    aide.description = f"Carte de bus de {PRENOM} {NOM}"
    aide.save()
    orientation = OrientationFactory(
        organisation=organisation,
        nom=NOM,
        prenom=PRENOM,
        telephone=TELEPHONE,
        email=EMAIL,
        situation=f"{PRENOM} est hébergé chez un ami",
        jeune=jeune,
    )
    OrientationMessageFactory(orientation=orientation, texte=f"Bonjour, {PRENOM} viendra mardi")
    orientation.motif = f"Motif pour {NOM}"
    orientation.save()
    contact = ContactReperageFactory(
        action__organisation=organisation,
        prenom_ou_pseudo=PSEUDO,
        moyen_contact=TELEPHONE,
        notes=f"{PSEUDO} traîne au city stade",
        jeune=jeune,
    )
    contact.notes = f"{PSEUDO} revu au city stade"
    contact.save()
    immersion = ImmersionFactory(
        organisation=organisation,
        jeune=jeune,
        tuteur_nom=f"M. {NOM} père",
        activites=f"{PRENOM} range le rayon",
        evaluation=f"{PRENOM} est ponctuel",
    )
    immersion.metier = f"Magasinier ({NOM})"
    immersion.save()
    placement = PlacementFactory(organisation=organisation, jeune=jeune, poste=f"Poste de {NOM}", tuteur=PRENOM)
    SuiviPlacementFactory(placement=placement, compte_rendu=f"{PRENOM} s'intègre bien")
    InscriptionFactory(seance=SeanceFactory(atelier__organisation=organisation), jeune=jeune)
    version = questionnaire(organisation).versions.get()
    evaluation = evaluate(jeune, version, participation=participation)
    evaluation.commentaire = f"{PRENOM} progresse"
    evaluation.save()
    item = next(iter(items_by_label(version).values()))
    Reponse.objects.update_or_create(evaluation=evaluation, item=item, defaults={"commentaire": f"Selon {NOM}"})
    return jeune


def test_anonymisation_leaves_nothing_of_the_person_anywhere(world):
    operation = OperationFactory(
        organisation=world.org_a,
        date_debut=date(2015, 1, 1),
        date_fin=date(2016, 12, 31),
        date_dernier_paiement=date(2017, 6, 1),
    )
    jeune = make_dossier(world.org_a, operation)
    for i in range(3):  # other participants, so the bilan is not trivial
        ParticipationFactory(
            jeune=JeuneFactory(organisation=world.org_a, sexe="FHX"[i], date_reperage=date(2015, 1, 5)),
            operation=operation,
            date_entree=date(2015, 3, 1 + i),
        )
    found = identity_hits(NEEDLES)
    tables = {table for table, _, _ in found}
    # the needles are really there before: in live tables and in history tables of every kind of record
    assert {"youth_jeune", "youth_historicaljeune", "outreach_contactreperage", "youth_historicalfrein"} <= tables
    assert len(tables) >= 20, sorted(tables)
    du, au = date(2015, 1, 1), date(2016, 12, 31)
    before = compute(operation, du, au)

    assert jeunes_anonymise(ids=[jeune.pk], now=timezone.now()) == 1

    assert identity_hits(NEEDLES) == []
    assert compute(operation, du, au) == before
    jeune = Jeune.objects.get(pk=jeune.pk)
    assert (jeune.sexe, jeune.date_naissance, jeune.date_reperage) == ("H", date(1996, 3, 4), date(2015, 1, 10))
    assert jeune.recherche == ""
    participation = jeune.participations.get()
    assert participation.situation_sortie == Participation.SituationSortie.EMPLOI_CDI
    assert participation.date_entree == date(2015, 2, 1)


def test_linked_ids_finds_records_through_chains_and_deleted_ones(world):
    operation = OperationFactory(organisation=world.org_a)
    jeune = make_dossier(world.org_a, operation)
    labels = {model._meta.label for model in linked_ids([jeune.pk])}
    assert {
        "youth.Jeune",
        "youth.Participation",
        "funding.Aide",
        "youth.SuiviPostSortie",
        "outreach.Orientation",
        "outreach.OrientationMessage",
        "outreach.ContactReperage",
        "diagnostics.Evaluation",
        "diagnostics.Reponse",
        "employers.Placement",
        "employers.SuiviPlacement",
        "workshops.Immersion",
        "workshops.Inscription",
        "youth.Frein",
    } <= labels
