"""One rule per check, applied on every path (issue #18): minors, age bounds, follow-up dates, attendance."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from reports import importer
from tests.core.factories import MembershipFactory
from tests.outreach.factories import ActionReperageFactory, ContactReperageFactory
from tests.workshops.factories import AtelierFactory, InscriptionFactory, SeanceFactory
from tests.youth.factories import JeuneFactory, ParticipationFactory
from workshops import services as workshop_services
from youth import rules, services
from youth.models import Jeune


pytestmark = pytest.mark.django_db


def years_ago(years, days=3):
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days)


def new_jeune_data(**overrides):
    data = {
        "nom": "Martin",
        "prenom": "Lucas",
        "sexe": "H",
        "date_naissance": years_ago(20).isoformat(),
        "telephone": "06 98 76 54 32",
        "origine": "aller_vers",
        "date_reperage": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data


# --- Age bounds: "Nouveau jeune" refuses what the import refuses -------------------------------------------------


def test_nouveau_jeune_refuses_a_forty_year_old_and_keeps_what_was_typed(logged, operation):
    response = logged.post(reverse("youth:jeune_create"), new_jeune_data(date_naissance=years_ago(40).isoformat()))
    assert response.status_code == 200
    message = response.context["form"].errors["date_naissance"][0]
    assert "40 ans" in message
    assert "16 à 25 ans" in message  # the organisation's operation bounds (fixture: 16–25)
    assert 'value="Lucas"' in response.content.decode()
    assert not Jeune.objects.exists()


def test_nouveau_jeune_accepts_the_upper_bound_and_a_year_before_the_lower(logged, operation):
    assert logged.post(reverse("youth:jeune_create"), new_jeune_data()).status_code == 302
    fifteen = new_jeune_data(
        nom="Petit",
        telephone="06 11 11 11 11",  # another person: another number (a shared one is a likely duplicate)
        date_naissance=years_ago(15).isoformat(),
        representant_legal_nom="Nadia Petit",
        obligation_formation=Jeune.ObligationFormation.ACCOMPAGNEMENT,
    )
    assert logged.post(reverse("youth:jeune_create"), fifteen).status_code == 302
    too_young = new_jeune_data(nom="Tot", date_naissance=years_ago(14).isoformat())
    response = logged.post(reverse("youth:jeune_create"), too_young)
    assert "date_naissance" in response.context["form"].errors
    assert set(Jeune.objects.values_list("nom", flat=True)) == {"Martin", "Petit"}


def test_age_bounds_follow_the_operations_in_progress(org, operation):
    assert rules.age_bounds(org) == (16, 25)
    operation.is_active = False
    operation.save()
    assert rules.age_bounds(org) == rules.DEFAULT_AGE_BOUNDS


# --- Repérage conversion: the minors rules, no invented birth date, no nickname as a phone -----------------------


@pytest.fixture
def contact_mineur(org):
    return ContactReperageFactory(
        action=ActionReperageFactory(organisation=org, date=date(2026, 10, 5)),
        prenom_ou_pseudo="Yass",
        sexe="H",
        age_approximatif=17,
        moyen_contact="Snap: yass59",
    )


def test_conversion_does_not_invent_a_birth_date_nor_copy_a_nickname_into_the_phone(logged, contact_mineur):
    response = logged.get(reverse("outreach:contact_convert", args=[contact_mineur.pk]))
    form = response.context["form"]
    assert not form.initial.get("date_naissance")
    assert form.initial["telephone"] == ""
    page = response.content.decode()
    assert "Âge approximatif noté au repérage : 17 ans" in page
    assert "« Snap: yass59 »" in page


def test_conversion_of_a_minor_applies_the_minors_rules(logged, contact_mineur, operation):
    url = reverse("outreach:contact_convert", args=[contact_mineur.pk])
    data = {
        "nom": "Benali",
        "prenom": "Yassine",
        "sexe": "H",
        "date_naissance": years_ago(17).isoformat(),
        "email": "yassine@example.org",
        "statut": "contact",
    }
    response = logged.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["representant_legal_nom"] == ["Jeune mineur : indiquez son représentant légal."]
    assert "obligation_formation" in errors
    assert not Jeune.objects.exists()

    data.update(representant_legal_nom="Karima Benali", obligation_formation=Jeune.ObligationFormation.SCOLARITE)
    assert logged.post(url, data).status_code == 302
    jeune = Jeune.objects.get()
    assert (jeune.representant_legal_nom, jeune.obligation_formation) == ("Karima Benali", "scolarite")


def test_conversion_prefills_a_real_phone_number(logged, org):
    contact = ContactReperageFactory(action=ActionReperageFactory(organisation=org), moyen_contact="0699887766")
    form = logged.get(reverse("outreach:contact_convert", args=[contact.pk])).context["form"]
    assert form.initial["telephone"] == "06 99 88 77 66"


@pytest.mark.parametrize(
    ("text", "phone", "email"),
    [
        ("Snap: yass59", "", ""),
        ("insta @momo_59", "", ""),
        ("06 12 34 56 78", "06 12 34 56 78", ""),
        ("+33 6 12 34 56 78", "06 12 34 56 78", ""),
        ("12345678", "", ""),
        ("momo@example.org", "", "momo@example.org"),
    ],
)
def test_contact_means_become_a_phone_or_an_email_only_when_they_are_one(text, phone, email):
    assert rules.phone_from_free_text(text) == phone
    assert rules.email_from_free_text(text) == email


# --- The partner portal and the import apply the same rules ------------------------------------------------------


def test_import_refuses_a_new_minor_without_guardian_with_line_and_column(org, operation):
    birth = years_ago(17)
    rows = [
        ["reference", "nom", "prenom", "sexe", "date_naissance", "date_reperage", "origine"],
        ["R1", "Adulte", "Inès", "F", "2004-05-17", "2026-10-01", "aller-vers"],
        ["R2", "Mineur", "Théo", "H", birth.isoformat(), "2026-10-01", "aller-vers"],
    ]
    result = importer.validate(rows[0], rows[1:], operation)
    assert any("ligne 3, colonne representant_legal_nom" in e for e in result.errors), result.errors
    assert any("ligne 3, colonne obligation_formation" in e for e in result.errors), result.errors
    assert not any("ligne 2" in e for e in result.errors)


def test_import_accepts_a_minor_with_guardian_and_obligation(org, operation):
    rows = [
        [
            "reference",
            "nom",
            "prenom",
            "sexe",
            "date_naissance",
            "date_reperage",
            "origine",
            "representant_legal_nom",
            "obligation_formation",
        ],
        ["R2", "Mineur", "Théo", "H", years_ago(17).isoformat(), "2026-10-01", "aller-vers", "Anne Mineur", "emploi"],
    ]
    result = importer.validate(rows[0], rows[1:], operation)
    assert result.errors == []
    importer.apply(result, operation)
    jeune = Jeune.objects.get(nom="Mineur")
    assert (jeune.representant_legal_nom, jeune.obligation_formation) == ("Anne Mineur", "emploi")


# --- Follow-up "à 1 mois": about a month after the exit, or a reason ---------------------------------------------


def test_follow_up_at_one_month_dated_days_after_exit_asks_for_a_reason(logged, org, operation):
    participation = ParticipationFactory(jeune=JeuneFactory(organisation=org), operation=operation, sortie=True)
    url = reverse("youth:suivi_create", args=[participation.jeune_id, participation.pk])
    data = {"echeance": "1", "date": "2025-09-06", "situation": "interim", "commentaire": "Mission de 2 semaines"}
    response = logged.post(url, data)
    assert response.status_code == 200
    error = response.context["form"].errors["motif_anticipation"][0]
    assert "vers le 01/10/2025" in error
    assert 'value="Mission de 2 semaines"' in response.content.decode()
    assert not participation.suivis.exists()

    data["motif_anticipation"] = "Déménagement prévu, injoignable ensuite"
    assert logged.post(url, data).status_code == 302
    suivi = participation.suivis.get()
    assert suivi.commentaire.startswith("Suivi anticipé : Déménagement prévu, injoignable ensuite.")


def test_follow_up_rule_holds_in_the_service_too(org, operation):
    participation = ParticipationFactory(jeune=JeuneFactory(organisation=org), operation=operation, sortie=True)
    with pytest.raises(ValidationError) as caught:
        services.suivi_record(participation=participation, echeance=6, date=date(2025, 12, 1), situation="inactif")
    assert "motif_anticipation" in caught.value.message_dict
    services.suivi_record(participation=participation, echeance=6, date=date(2026, 2, 24), situation="inactif")
    assert participation.suivis.get().echeance == 6


@pytest.mark.parametrize(
    ("sortie", "echeance", "due"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 9, 1), 6, date(2026, 3, 1)),
        (date(2025, 8, 15), 3, date(2025, 11, 15)),
    ],
)
def test_follow_up_due_dates(sortie, echeance, due):
    assert rules.suivi_due_date(sortie, echeance) == due


# --- Attendance is never taken for a session to come -------------------------------------------------------------


def test_attendance_of_a_future_session_is_refused_and_not_offered(client, org):
    user = MembershipFactory(organisation=org, role=Role.CONSEILLERE).user
    seance = SeanceFactory(atelier=AtelierFactory(organisation=org), date=timezone.localdate() + timedelta(days=2))
    inscription = InscriptionFactory(seance=seance, jeune=JeuneFactory(organisation=org))
    with pytest.raises(ValidationError, match="n'a pas encore eu lieu"):
        workshop_services.presences_record(seance=seance, presences={inscription.pk: "present"})
    client.force_login(user)
    response = client.post(
        reverse("workshops:presences_update", args=[seance.pk]), {f"presence-{inscription.pk}": "present"}, follow=True
    )
    inscription.refresh_from_db()
    assert inscription.presence == ""
    page = response.content.decode()
    assert "n&#x27;a pas encore eu lieu" in page or "n'a pas encore eu lieu" in page
    assert "Enregistrer les présences" not in page

    seance.date = timezone.localdate()
    seance.save()
    workshop_services.presences_record(seance=seance, presences={inscription.pk: "present"})
    inscription.refresh_from_db()
    assert inscription.presence == "present"


# --- Printable summary -------------------------------------------------------------------------------------------


def test_printable_summary_has_the_parcours_and_never_a_confidential_entretien(logged, org, operation):
    import io

    from pypdf import PdfReader

    from tests.youth.factories import EntretienFactory, EtapePlanFactory

    jeune = JeuneFactory(organisation=org, prenom="Inès", nom="Durand")
    ParticipationFactory(jeune=jeune, operation=operation, entree=True)
    EtapePlanFactory(jeune=jeune, libelle="Inscription au code de la route")
    EntretienFactory(jeune=jeune, organisation=org, prochaines_etapes="Appeler l'auto-école")
    EntretienFactory(jeune=jeune, organisation=org, confidentielle=True, prochaines_etapes="Sujet-confidentiel")
    response = logged.get(reverse("youth:synthese_pdf", args=[jeune.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) <= 2
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Synthèse du parcours d’Inès DURAND" in text or "Synthèse du parcours d'Inès DURAND" in text
    assert "Inscription au code de la route" in text
    assert "Appeler l'auto-école" in text
    assert "Sujet-confidentiel" not in text
    assert "Page 1 sur 1" in text
    assert "Synthèse à imprimer" in logged.get(jeune.get_absolute_url()).content.decode()
