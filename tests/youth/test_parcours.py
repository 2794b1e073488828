"""Entry (contrat d'engagement), FSE questionnaire, exit, re-entry and post-exit follow-up."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.youth.factories import EtapePlanFactory, JeuneFactory, ParticipationFactory
from youth import services
from youth.models import Jeune, Participation


pytestmark = pytest.mark.django_db


@pytest.fixture
def jeune(conseillere_m):
    return JeuneFactory(
        organisation=conseillere_m.organisation,
        nom="Parcours",
        prenom="Inès",
        date_naissance=date(2003, 6, 15),
        date_reperage=date(2024, 12, 2),
        statut=Jeune.Statut.ACCUEILLI,
        referent=conseillere_m.user,
    )


def url(name, participation):
    return reverse(f"youth:{name}", args=[participation.jeune_id, participation.pk])


def test_full_parcours_in_the_browser_flow(logged, jeune, operation):
    # register in the operation (one participation per person and operation)
    response = logged.post(reverse("youth:participation_create", args=[jeune.pk]), {"operation": operation.pk})
    participation = Participation.objects.get(jeune=jeune, operation=operation)
    assert response["Location"] == url("participation_entree", participation)
    logged.post(reverse("youth:participation_create", args=[jeune.pk]), {"operation": operation.pk})
    assert Participation.objects.filter(jeune=jeune).count() == 1

    # entry: contract signed, eligibility frozen
    EtapePlanFactory(jeune=jeune, libelle="Passer le code de la route", fait_le=date(2025, 1, 20))
    response = logged.post(
        url("participation_entree", participation),
        {
            "date_signature_contrat": "2025-01-06",
            "date_entree": "2025-01-06",
            "neet_atteste": "on",
            "objectifs": "Trouver un emploi dans la logistique",
        },
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    jeune.refresh_from_db()
    assert participation.age_entree == 21
    assert participation.eligibilite_verifiee_le == timezone.localdate()
    assert jeune.statut == Jeune.Statut.EN_PARCOURS

    # contract PDF with objectives and plan d'actions
    response = logged.get(url("contrat_pdf", participation))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Contrat d'engagement" in text
    assert "Trouver un emploi dans la logistique" in text
    assert "Passer le code de la route" in text
    assert "06/01/2025" in text

    # FSE entry questionnaire: refusal is a valid answer, who asked and when is recorded
    response = logged.post(
        url("participation_questionnaire", participation),
        {
            "statut_entree": "chomeur",
            "diplome": "aucun",
            "nationalite": "fr",
            "parent_ne_etranger": "refus",
            "handicap": "non",
            "sans_logement": "refus",
            "questionnaire_entree_le": "2025-01-10",
        },
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.parent_ne_etranger == "refus"
    assert participation.questionnaire_par == jeune.referent
    assert participation.questionnaire_entree_le == date(2025, 1, 10)

    # exit
    response = logged.post(
        url("participation_sortie", participation),
        {"date_sortie": "2025-06-30", "situation_sortie": "formation_qualifiante", "a_termine": "on"},
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    jeune.refresh_from_db()
    assert participation.situation_sortie == "formation_qualifiante"
    assert jeune.statut == Jeune.Statut.SORTI

    # 6-month follow-up
    response = logged.post(
        url("suivi_create", participation),
        {"echeance": "6", "date": "2025-12-30", "situation": "alternance", "commentaire": "Apprentissage"},
    )
    assert response.status_code == 302
    assert participation.suivis.get().echeance == 6

    # every step is on the dossier timeline
    kinds = {e.kind for e in logged.get(jeune.get_absolute_url()).context["timeline"]}
    assert {"entree", "sortie", "suivi", "etape", "modification"} <= kinds
    detail = logged.get(url("participation_detail", participation)).content.decode()
    assert "Apprentissage" in detail


def test_entry_age_out_of_bounds_is_refused_in_french_and_keeps_input(logged, jeune, operation):
    participation = ParticipationFactory(jeune=jeune, operation=operation)  # operation: 16–25
    response = logged.post(
        url("participation_entree", participation),
        {"date_signature_contrat": "2029-07-01", "date_entree": "2029-07-01", "neet_atteste": "on", "objectifs": "X1"},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["date_entree"])
    assert "Âge à l'entrée : 26 ans. L'opération EMET accueille les jeunes de 16 à 25 ans." in errors
    assert "ne peut pas être dans le futur" in errors
    assert "X1" in response.content.decode()
    participation.refresh_from_db()
    assert participation.date_entree is None


def test_entry_requires_neet_attestation(logged, jeune, operation):
    participation = ParticipationFactory(jeune=jeune, operation=operation)
    response = logged.post(
        url("participation_entree", participation),
        {"date_signature_contrat": "2025-01-06", "date_entree": "2025-01-06"},
    )
    assert "Le statut NEET doit être attesté" in response.content.decode()


def test_exit_before_entry_and_unknown_code_are_refused(logged, jeune, operation):
    participation = ParticipationFactory(jeune=jeune, operation=operation, entree=True)  # entered 10/03/2025
    response = logged.post(
        url("participation_sortie", participation), {"date_sortie": "2025-03-01", "situation_sortie": "emploi_cdi"}
    )
    assert "La sortie ne peut pas précéder l'entrée (10/03/2025)." in response.context["form"].errors["date_sortie"]
    assert 'value="2025-03-01"' in response.content.decode()
    response = logged.post(
        url("participation_sortie", participation), {"date_sortie": "2025-04-01", "situation_sortie": "lune"}
    )
    assert "situation_sortie" in response.context["form"].errors
    assert "lune" in response.context["form"].errors["situation_sortie"][0]
    participation.refresh_from_db()
    assert participation.date_sortie is None


def test_exit_refused_before_entry(logged, jeune, operation):
    participation = ParticipationFactory(jeune=jeune, operation=operation)
    response = logged.post(
        url("participation_sortie", participation), {"date_sortie": "2025-04-01", "situation_sortie": "emploi_cdi"}
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.date_sortie is None
    with pytest.raises(ValidationError):
        services.participation_exit(
            participation=participation, date_sortie=date(2025, 4, 1), situation_sortie="emploi_cdi"
        )


def test_reentry_reopens_the_same_participation_and_history_keeps_the_exit(logged, jeune, operation):
    participation = ParticipationFactory(jeune=jeune, operation=operation, entree=True)
    services.participation_exit(participation=participation, date_sortie=date(2025, 5, 2), situation_sortie="abandon")
    jeune.refresh_from_db()
    assert jeune.statut == Jeune.Statut.SORTI
    assert logged.get(url("participation_reouvrir", participation)).status_code == 405
    logged.post(url("participation_reouvrir", participation))
    participation.refresh_from_db()
    jeune.refresh_from_db()
    assert participation.date_sortie is None
    assert participation.situation_sortie == ""
    assert participation.date_entree == date(2025, 3, 10)  # entry data kept
    assert jeune.statut == Jeune.Statut.EN_PARCOURS
    history = logged.get(reverse("youth:jeune_history", args=[jeune.pk])).content.decode()
    assert "Abandon" in history
    assert "02/05/2025" in history


def test_services_enter_checks_eligibility_and_freezes_age(jeune, operation):
    participation = ParticipationFactory(jeune=jeune, operation=operation)
    with pytest.raises(ValidationError) as exc:
        services.participation_enter(
            participation=participation, date_signature_contrat=None, date_entree=date(2030, 1, 1), neet_atteste=True
        )
    assert "date_entree" in exc.value.message_dict
    services.participation_enter(
        participation=participation,
        date_signature_contrat=date(2025, 2, 1),
        date_entree=date(2025, 2, 1),
        neet_atteste=True,
    )
    assert participation.age_entree == 21
    with pytest.raises(ValidationError):
        services.participation_enter(
            participation=participation,
            date_signature_contrat=date(2025, 2, 1),
            date_entree=date(2025, 2, 1),
            neet_atteste=True,
        )


def test_services_suivi_record_updates_the_same_echeance(jeune, operation):
    participation = ParticipationFactory(jeune=jeune, operation=operation, sortie=True)
    services.suivi_record(participation=participation, echeance=1, date=date(2025, 10, 1), situation="inactif")
    services.suivi_record(participation=participation, echeance=1, date=date(2025, 10, 3), situation="interim")
    suivi = participation.suivis.get()
    assert (suivi.date, suivi.situation) == (date(2025, 10, 3), "interim")
    with pytest.raises(ValidationError):
        services.suivi_record(participation=participation, echeance=3, date=date(2025, 1, 1), situation="inactif")


def test_same_day_entry_exit_is_flagged(logged, jeune, operation):
    participation = ParticipationFactory(jeune=jeune, operation=operation, entree=True)
    services.participation_exit(
        participation=participation, date_sortie=participation.date_entree, situation_sortie="abandon"
    )
    assert "non comptée FSE" in logged.get(url("participation_detail", participation)).content.decode()
    assert Participation.objects.fse().filter(pk=participation.pk).count() == 0
