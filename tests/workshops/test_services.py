from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.employers.factories import EntrepriseFactory
from tests.workshops.factories import AtelierFactory, ImmersionFactory, InscriptionFactory, SeanceFactory
from tests.youth.factories import JeuneFactory
from workshops import services
from workshops.models import Immersion, Inscription, Public


pytestmark = pytest.mark.django_db


def test_add_months_clamps_to_month_end():
    assert services.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert services.add_months(date(2026, 3, 15), 1) == date(2026, 4, 15)
    assert services.add_months(date(2026, 12, 5), 1) == date(2027, 1, 5)
    assert services.add_months(date(2026, 3, 15), -12) == date(2025, 3, 15)


class TestInscription:
    def test_women_only_session_refuses_a_young_man_with_a_clear_message(self):
        seance = SeanceFactory(atelier=AtelierFactory(femmes=True))
        org = seance.atelier.organisation
        femme = JeuneFactory(organisation=org, sexe="F")
        homme = JeuneFactory(organisation=org, sexe="H", prenom="Kevin", nom="Martin")
        assert services.inscription_create(seance=seance, jeune=femme).jeune == femme
        with pytest.raises(ValidationError) as exc:
            services.inscription_create(seance=seance, jeune=homme)
        assert "réservée aux femmes" in exc.value.messages[0]
        assert "Kevin Martin" in exc.value.messages[0]
        assert Inscription.objects.filter(seance=seance).count() == 1

    def test_session_public_overrides_the_workshop_public(self):
        seance = SeanceFactory(public=Public.FEMMES)
        homme = JeuneFactory(organisation=seance.atelier.organisation, sexe="H")
        with pytest.raises(ValidationError, match="réservée aux femmes"):
            services.inscription_create(seance=seance, jeune=homme)

    def test_capacity_is_enforced(self):
        seance = SeanceFactory(capacite=2)
        org = seance.atelier.organisation
        for _ in range(2):
            services.inscription_create(seance=seance, jeune=JeuneFactory(organisation=org))
        with pytest.raises(ValidationError, match="complète"):
            services.inscription_create(seance=seance, jeune=JeuneFactory(organisation=org))

    def test_young_person_of_another_organisation_is_refused(self):
        seance = SeanceFactory()
        with pytest.raises(ValidationError, match="pas suivi par la structure"):
            services.inscription_create(seance=seance, jeune=JeuneFactory())

    def test_duplicate_registration_is_refused(self):
        inscription = InscriptionFactory()
        with pytest.raises(ValidationError, match="déjà inscrit"):
            services.inscription_create(seance=inscription.seance, jeune=inscription.jeune)

    def test_presences_record_and_reject_foreign_inscription(self):
        a = InscriptionFactory()
        b = InscriptionFactory(seance=a.seance)
        services.presences_record(seance=a.seance, presences={a.pk: "present", b.pk: "absent_excuse"})
        a.refresh_from_db()
        b.refresh_from_db()
        assert (a.presence, b.presence) == ("present", "absent_excuse")
        assert a.seance.__class__.objects.get(pk=a.seance.pk).presences_saisies_le is not None
        other = InscriptionFactory()
        with pytest.raises(ValidationError):
            services.presences_record(seance=a.seance, presences={other.pk: "present"})
        with pytest.raises(ValidationError):
            services.presences_record(seance=a.seance, presences={a.pk: "peut-etre"})

    def test_registration_with_attendance_cannot_be_removed(self):
        inscription = InscriptionFactory(presence="present")
        with pytest.raises(ValidationError):
            services.inscription_delete(inscription=inscription)
        removable = InscriptionFactory()
        services.inscription_delete(inscription=removable)
        assert not Inscription.objects.filter(pk=removable.pk).exists()


def _new(existing=None, **kwargs):
    """An unsaved convention for the same young person and host as ``existing``."""
    if existing is not None:
        kwargs.setdefault("organisation", existing.organisation)
        kwargs.setdefault("jeune", existing.jeune)
        kwargs.setdefault("entreprise", existing.entreprise)
    return ImmersionFactory.build(**kwargs)


def _save(immersion):
    if immersion.organisation_id is None:
        immersion.organisation.save()
    return services.immersion_save(immersion=immersion)


class TestImmersionRules:
    def test_one_month_date_to_date_is_accepted_one_more_day_refused(self):
        first = ImmersionFactory(date_debut=date(2026, 3, 2), date_fin=date(2026, 4, 1))
        assert first.pk
        too_long = _new(
            organisation=first.organisation,
            jeune=first.jeune,
            entreprise=EntrepriseFactory(organisation=first.organisation),
            date_debut=date(2026, 5, 4),
            date_fin=date(2026, 6, 4),
        )
        with pytest.raises(ValidationError) as exc:
            services.immersion_save(immersion=too_long)
        assert "au plus un mois de date à date" in str(exc.value.message_dict["date_fin"])
        assert "03/06/2026" in str(exc.value.message_dict["date_fin"])
        too_long.date_fin = date(2026, 6, 3)
        assert services.immersion_save(immersion=too_long).pk

    def test_end_before_start_is_refused(self):
        immersion = _new(ImmersionFactory(), date_debut=date(2026, 6, 10), date_fin=date(2026, 6, 1))
        with pytest.raises(ValidationError, match="précéder"):
            services.immersion_save(immersion=immersion)

    def test_same_object_same_host_needs_a_renewal(self):
        first = ImmersionFactory(date_debut=date(2026, 3, 2), date_fin=date(2026, 3, 13))
        again = _new(first, objet=first.objet, date_debut=date(2026, 4, 6), date_fin=date(2026, 4, 17))
        with pytest.raises(ValidationError) as exc:
            services.immersion_save(immersion=again)
        assert "ne peut être que renouvelée" in str(exc.value.message_dict["objet"])
        again.renouvellement_de = first
        assert services.immersion_save(immersion=again).pk

    def test_renewal_only_once_and_only_if_objectives_not_met(self):
        first = ImmersionFactory(date_debut=date(2026, 1, 5), date_fin=date(2026, 1, 16), objectifs_atteints=True)
        renewal = _new(first, renouvellement_de=first, date_debut=date(2026, 2, 2), date_fin=date(2026, 2, 13))
        with pytest.raises(ValidationError, match="objectifs de la convention initiale ont été atteints"):
            services.immersion_save(immersion=renewal)
        first.objectifs_atteints = False
        first.save()
        services.immersion_save(immersion=renewal)
        second_renewal = _new(
            first,
            renouvellement_de=first,
            date_debut=date(2026, 3, 2),
            date_fin=date(2026, 3, 6),
        )
        with pytest.raises(ValidationError, match="déjà été renouvelée"):
            services.immersion_save(immersion=second_renewal)
        renewal_of_renewal = _new(
            first, renouvellement_de=renewal, date_debut=date(2026, 3, 2), date_fin=date(2026, 3, 6)
        )
        with pytest.raises(ValidationError, match="déjà un renouvellement"):
            services.immersion_save(immersion=renewal_of_renewal)

    def test_renewal_keeps_the_object(self):
        first = ImmersionFactory(objet=Immersion.Objet.DECOUVRIR)
        renewal = _new(
            first,
            renouvellement_de=first,
            objet=Immersion.Objet.CONFIRMER,
            date_debut=date(2026, 4, 6),
            date_fin=date(2026, 4, 10),
        )
        with pytest.raises(ValidationError, match="même objet"):
            services.immersion_save(immersion=renewal)

    def test_at_most_two_conventions_with_the_same_host_in_twelve_months(self):
        first = ImmersionFactory(
            objet=Immersion.Objet.DECOUVRIR, date_debut=date(2026, 1, 5), date_fin=date(2026, 1, 9)
        )
        _save(_new(first, objet=Immersion.Objet.CONFIRMER, date_debut=date(2026, 3, 2), date_fin=date(2026, 3, 6)))
        third = _new(first, objet=Immersion.Objet.RECRUTEMENT, date_debut=date(2026, 9, 7), date_fin=date(2026, 9, 11))
        with pytest.raises(ValidationError) as exc:
            services.immersion_save(immersion=third)
        assert "au plus 2 conventions sur 12 mois consécutifs" in exc.value.messages[0]
        # Twelve months after the first one, a new convention with that host is possible again.
        third.date_debut, third.date_fin = date(2027, 1, 5), date(2027, 1, 9)
        assert services.immersion_save(immersion=third).pk
        # A different host is not limited by the first host's conventions.
        elsewhere = _new(
            first,
            entreprise=EntrepriseFactory(organisation=first.organisation),
            date_debut=date(2026, 9, 7),
            date_fin=date(2026, 9, 11),
        )
        assert services.immersion_save(immersion=elsewhere).pk

    def test_sixty_days_in_total_with_the_same_host(self):
        first = ImmersionFactory(
            objet=Immersion.Objet.DECOUVRIR, date_debut=date(2026, 1, 5), date_fin=date(2026, 2, 4)
        )  # 31 days
        second = _new(first, objet=Immersion.Objet.CONFIRMER, date_debut=date(2026, 5, 4), date_fin=date(2026, 6, 3))
        with pytest.raises(ValidationError) as exc:
            services.immersion_save(immersion=second)  # 31 + 31 = 62 days
        assert "60 jours sur 12 mois consécutifs (ici 62 jours)" in exc.value.messages[0]
        second.date_fin = date(2026, 6, 1)  # 29 days: 60 in total
        assert services.immersion_save(immersion=second).pk

    def test_cancelled_conventions_do_not_count(self):
        first = ImmersionFactory(annulee=True)
        again = _new(first, date_debut=date(2026, 4, 6), date_fin=date(2026, 4, 10))
        assert services.immersion_save(immersion=again).pk

    def test_host_and_young_person_must_belong_to_the_organisation(self):
        first = ImmersionFactory()
        foreign_host = _new(
            first, entreprise=EntrepriseFactory(), date_debut=date(2026, 6, 1), date_fin=date(2026, 6, 5)
        )
        with pytest.raises(ValidationError, match="n'appartient pas à votre structure"):
            services.immersion_save(immersion=foreign_host)
        foreign_young = _new(first, jeune=JeuneFactory(), date_debut=date(2026, 6, 1), date_fin=date(2026, 6, 5))
        with pytest.raises(ValidationError, match="pas suivi par votre structure"):
            services.immersion_save(immersion=foreign_young)

    def test_evaluation(self):
        immersion = ImmersionFactory()
        with pytest.raises(ValidationError):
            services.immersion_evaluate(
                immersion=immersion, evaluee_le=date(2026, 1, 1), objectifs_atteints=True, evaluation="x"
            )
        services.immersion_evaluate(
            immersion=immersion, evaluee_le=date(2026, 3, 13), objectifs_atteints=False, evaluation="À poursuivre."
        )
        immersion.refresh_from_db()
        assert immersion.objectifs_atteints is False
        assert immersion.history.count() == 2
