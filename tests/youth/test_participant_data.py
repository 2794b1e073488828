"""Participant data that make the bilan's figures exact: one person one record, eligibility at entry, age derived
from the birth date, reachable contact person, new entry/exit fields (issue 15)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.youth.factories import JeuneFactory, ParticipationFactory
from youth import services
from youth.forms import QuestionnaireForm, SortieForm
from youth.models import Jeune, identity_key


pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(client, conseillere_m):
    client.force_login(conseillere_m.user)
    return client


def jeune_post(**overrides):
    data = {
        "nom": "Dupont-Martin",
        "prenom": "Éloïse",
        "sexe": "F",
        "date_naissance": "2004-05-17",
        "telephone": "0612345678",
        "origine": "aller_vers",
        "date_reperage": "2025-03-01",
    }
    data.update(overrides)
    return data


def test_identity_key_folds_accents_case_hyphens_and_name_order():
    naissance = date(2004, 5, 17)
    assert identity_key("Dupont-Martin", "Éloïse", naissance) == identity_key("ELOISE", "dupont martin", naissance)
    assert identity_key("Dupont", "Eloise", naissance) != identity_key("Dupont", "Eloise", date(2004, 5, 18))


def test_web_creation_of_the_same_person_shows_the_existing_dossier(logged, conseillere_m):
    existing = JeuneFactory(
        organisation=conseillere_m.organisation, nom="DUPONT MARTIN", prenom="Eloise", date_naissance=date(2004, 5, 17)
    )
    JeuneFactory(nom="Dupont-Martin", prenom="Éloïse", date_naissance=date(2004, 5, 17))  # other organisation
    response = logged.post(reverse("youth:jeune_create"), jeune_post())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Un dossier existe peut-être déjà pour cette personne" in html
    assert f'href="{existing.get_absolute_url()}"' in html
    assert Jeune.objects.filter(organisation=conseillere_m.organisation).count() == 1
    # another birth date: another person
    response = logged.post(reverse("youth:jeune_create"), jeune_post(date_naissance="2004-05-18"))
    assert response.status_code == 302


def test_birth_date_correction_onto_another_dossier_is_refused(logged, conseillere_m):
    org = conseillere_m.organisation
    JeuneFactory(organisation=org, nom="Dupont-Martin", prenom="Éloïse", date_naissance=date(2004, 5, 17))
    other = JeuneFactory(organisation=org, nom="Dupont-Martin", prenom="Éloïse", date_naissance=date(2004, 7, 1))
    response = logged.post(reverse("youth:jeune_update", args=[other.pk]), jeune_post())
    assert response.status_code == 200
    assert response.context["form"].duplicates


def test_contact_person_needs_a_phone_or_email_of_its_own(logged, conseillere_m):
    response = logged.post(
        reverse("youth:jeune_create"), jeune_post(telephone="", contact_nom="Mme Martin (mère)", nom="Autre")
    )
    assert "Indiquez le téléphone ou l'e-mail" in response.context["form"].errors["contact_telephone"][0]
    jeune = JeuneFactory(telephone="", email="", contact_nom="Mme Martin")
    assert not jeune.est_joignable
    jeune.contact_email = "mere@example.org"
    assert jeune.est_joignable


def test_repérage_conversion_and_orientation_refuse_a_second_dossier(conseillere_m):
    from outreach import services as outreach_services
    from tests.outreach.factories import ContactReperageFactory, OrientationFactory

    org = conseillere_m.organisation
    JeuneFactory(organisation=org, nom="Dupont", prenom="Léa", date_naissance=date(2004, 5, 17))
    contact = ContactReperageFactory(organisation=org)
    data = {"nom": "DUPONT", "prenom": "Lea", "sexe": "F", "date_naissance": date(2004, 5, 17)}
    with pytest.raises(ValidationError, match="Un dossier existe peut-être déjà"):
        outreach_services.contact_convert(contact=contact, user=conseillere_m.user, data=data)
    orientation = OrientationFactory(organisation=org, nom="Dupont", prenom="Léa", date_naissance=date(2004, 5, 17))
    with pytest.raises(ValidationError, match="Un dossier existe peut-être déjà"):
        outreach_services.orientation_accept(orientation=orientation, user=conseillere_m.user)
    assert Jeune.objects.filter(organisation=org).count() == 1


def test_entry_outside_convention_in_future_or_before_reperage_is_refused(conseillere_m, operation):
    # operation EMET: convention 01/01/2023 – 31/12/2027, 16–25 years
    jeune = JeuneFactory(organisation=conseillere_m.organisation, date_reperage=date(2023, 3, 1))
    participation = ParticipationFactory(jeune=jeune, operation=operation)

    def enter(day):
        with pytest.raises(ValidationError) as exc:
            services.participation_enter(
                participation=participation, date_signature_contrat=day, date_entree=day, neet_atteste=True
            )
        return exc.value.message_dict

    assert "doit être comprise dans la convention" in enter(date(2022, 12, 31))["date_entree"][0]
    assert "dans le futur" in enter(date(2027, 12, 31))["date_entree"][0]  # inside the convention, after today
    assert "ne peut pas suivre l'entrée" in enter(date(2023, 2, 28))["date_reperage"][0]
    services.participation_enter(
        participation=participation, date_signature_contrat=date(2023, 3, 1), date_entree=date(2023, 3, 1),
        neet_atteste=True,
    )  # fmt: skip
    assert participation.date_entree == date(2023, 3, 1)


def test_employed_at_entry_refused_in_a_neet_operation_unless_allowed(conseillere_m, operation):
    participation = ParticipationFactory(
        jeune=JeuneFactory(organisation=conseillere_m.organisation), operation=operation, entree=True
    )
    data = {"statut_entree": "emploi", "questionnaire_entree_le": "2025-03-10"}
    form = QuestionnaireForm(data, instance=participation)
    assert not form.is_valid()
    assert "réservée aux jeunes ni en emploi" in form.errors["statut_entree"][0]
    operation.emploi_entree_autorise = True
    operation.save()
    participation.operation.refresh_from_db()
    assert QuestionnaireForm(data, instance=participation).is_valid()


def test_questionnaire_records_unemployment_start_france_travail_and_qpv(conseillere_m, operation):
    participation = ParticipationFactory(
        jeune=JeuneFactory(organisation=conseillere_m.organisation), operation=operation, entree=True
    )
    form = QuestionnaireForm(
        {
            "statut_entree": "chomeur",
            "date_debut_chomage": "2024-06-01",
            "inscrit_france_travail": "oui",
            "qpv": "refus",
            "questionnaire_entree_le": "2025-03-10",
        },
        instance=participation,
    )
    assert form.is_valid(), form.errors
    form.save()
    participation.refresh_from_db()
    assert (participation.date_debut_chomage, participation.inscrit_france_travail, participation.qpv) == (
        date(2024, 6, 1),
        "oui",
        "refus",
    )
    late = QuestionnaireForm(
        {"statut_entree": "chomeur", "date_debut_chomage": "2025-04-01", "questionnaire_entree_le": "2025-03-10"},
        instance=participation,
    )
    assert "commence avant l'entrée" in late.errors["date_debut_chomage"][0]


def test_exit_form_records_the_date_of_the_exit_situation(conseillere_m, operation):
    participation = ParticipationFactory(
        jeune=JeuneFactory(organisation=conseillere_m.organisation), operation=operation, entree=True
    )
    base = {"date_sortie": "2025-09-01", "situation_sortie": "emploi_cdi", "qualification_obtenue": "unknown"}
    form = SortieForm({**base, "date_situation_sortie": "2025-08-01"}, instance=participation)
    assert "se constate à la sortie ou après" in form.errors["date_situation_sortie"][0]
    form = SortieForm({**base, "date_situation_sortie": "2025-09-20"}, instance=participation)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["qualification_obtenue"] is None  # not collected, not « non »


def test_age_at_entry_follows_a_birth_date_correction(conseillere_m, operation):
    jeune = JeuneFactory(organisation=conseillere_m.organisation, date_naissance=date(2009, 1, 1))
    participation = ParticipationFactory(jeune=jeune, operation=operation, entree=True)  # entered 10/03/2025
    assert participation.age_entree == 16
    jeune.date_naissance = date(2005, 1, 1)
    jeune.save()
    participation.refresh_from_db()
    assert participation.age_entree == 20


def test_reentry_reopens_the_same_participation(logged, conseillere_m, operation):
    participation = ParticipationFactory(
        jeune=JeuneFactory(organisation=conseillere_m.organisation), operation=operation, sortie=True
    )
    services.participation_reopen(participation=participation)
    response = logged.post(
        reverse("youth:participation_create", args=[participation.jeune_id]), {"operation": operation.pk}
    )
    assert response.status_code == 302
    assert participation.jeune.participations.count() == 1
    participation.refresh_from_db()
    assert participation.date_entree == date(2025, 3, 10)  # first entry kept
    assert participation.date_sortie is None
