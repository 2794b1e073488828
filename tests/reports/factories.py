"""Helpers to build bilan fixtures quickly (hand-computed expectations in the tests)."""

from datetime import date

from core import dataversion
from tests.youth.factories import JeuneFactory, ParticipationFactory
from youth.models import Participation


def participant(
    operation,
    *,
    entree=None,
    sortie=None,
    situation="",
    sexe="F",
    naissance=date(2000, 6, 15),
    reperage=date(2017, 1, 5),
    statut="chomeur",
    diplome="cap_bep",
    complet=True,
    telephone="06 12 34 56 78",
    email="",
    contact_nom="",
    contact_telephone="",
    commune_insee="",
    **extra,
):
    """A jeune of ``operation``'s organisation with one participation in ``operation``."""
    jeune = JeuneFactory(
        organisation=operation.organisation,
        sexe=sexe,
        date_naissance=naissance,
        date_reperage=reperage,
        telephone=telephone,
        email=email,
        contact_nom=contact_nom,
        contact_telephone=contact_telephone,
        commune_insee=commune_insee,
    )
    questionnaire = (
        {"nationalite": "fr", "parent_ne_etranger": "non", "handicap": "non", "sans_logement": "non"}
        if complet
        else {}
    )
    questionnaire.update(extra)
    return ParticipationFactory(
        jeune=jeune,
        operation=operation,
        organisation=operation.organisation,
        date_entree=entree,
        date_sortie=sortie,
        situation_sortie=situation,
        statut_entree=statut if entree else "",
        diplome=diplome if entree else "",
        **questionnaire,
    )


def bulk_participants(operation, n, *, entree, sortie=None, situation="", reperage=None, start=0, **jeune_fields):
    """``n`` participants created with bulk_create (fast; for volume and query-count tests).

    Like the importer, it bumps the organisation's data version (``core.dataversion``): no signal is sent, and the
    bilan figures kept before would otherwise be read again."""
    from youth.models import Jeune

    jeunes = Jeune.objects.bulk_create(
        [
            Jeune(
                organisation=operation.organisation,
                nom=f"Nom{start + i}",
                prenom=f"Prenom{start + i}",
                sexe=jeune_fields.get("sexe", "F" if i % 2 else "H"),
                date_naissance=jeune_fields.get("date_naissance", date(2000, 1, 1)),
                telephone=jeune_fields.get("telephone", "0600000000"),
                date_reperage=reperage or entree or date(2017, 1, 1),
            )
            for i in range(n)
        ]
    )
    participations = Participation.objects.bulk_create(
        [
            Participation(
                organisation=operation.organisation,
                jeune=jeune,
                operation=operation,
                date_entree=entree,
                date_sortie=sortie,
                situation_sortie=situation,
                statut_entree="chomeur" if entree else "",
                diplome="aucun" if entree else "",
            )
            for jeune in jeunes
        ]
    )
    dataversion.bump(operation.organisation_id)  # bulk_create sends no signal: bump as the importer does
    return participations
