"""Issue 18, records: likely duplicates on every creation path, merge, correct and soft-delete with a reason,
the corbeille and its restore, what a signed-off bilan counted."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.audit import changes_for
from core.models import Role
from core.scope import Scope
from tests.core.factories import MembershipFactory, OrganisationFactory
from tests.youth.factories import (
    DocumentFactory,
    EntretienFactory,
    EtapePlanFactory,
    FreinFactory,
    JeuneFactory,
    ParticipationFactory,
)
from youth import merge, records
from youth.models import Entretien, Jeune, Participation, SuiviPostSortie
from youth.services import jeune_duplicates


NAISSANCE = date(2004, 5, 17)


def jeune_post(**overrides):
    data = {
        "nom": "Dupont-Martin",
        "prenom": "Éloïse",
        "sexe": "F",
        "date_naissance": "2004-05-17",
        "telephone": "06 55 44 33 22",
        "email": "",
        "origine": "aller_vers",
        "date_reperage": "2025-03-01",
    }
    data.update(overrides)
    return data


@pytest.fixture
def coord_m(org):
    return MembershipFactory(organisation=org, role=Role.COORDINATEUR)


@pytest.fixture
def coord(client, coord_m):
    client.force_login(coord_m.user)
    return client


# --- Duplicates -----------------------------------------------------------------------------------------------


def test_duplicates_match_folded_identity_phone_or_email_within_the_organisation_only(org):
    same = JeuneFactory(organisation=org, nom="DUPONT MARTIN", prenom="Eloise", date_naissance=NAISSANCE)
    phone = JeuneFactory(organisation=org, nom="Autre", prenom="Personne", telephone="+33 6 11 22 33 44")
    mail = JeuneFactory(organisation=org, nom="Encore", prenom="Une", email="Lea.D@Example.org")
    JeuneFactory(nom="Dupont-Martin", prenom="Éloïse", date_naissance=NAISSANCE, telephone="0611223344")  # org B
    found = jeune_duplicates(
        organisation=org,
        nom="Dupont-Martin",
        prenom="Éloïse",
        date_naissance=NAISSANCE,
        telephone="06.11.22.33.44",
        email="lea.d@example.org ",
    )
    assert [(j.pk, j.doublon_motifs) for j in found] == [
        (same.pk, ["même nom et date de naissance"]),
        (phone.pk, ["même téléphone"]),
        (mail.pk, ["même e-mail"]),
    ]


def test_nouveau_jeune_warns_keeps_what_was_typed_and_creates_when_confirmed(logged, conseillere_m):
    org = conseillere_m.organisation
    existing = JeuneFactory(organisation=org, nom="Martin", prenom="Zoé", telephone="06 55 44 33 22")
    JeuneFactory(nom="Dupont-Martin", prenom="Éloïse", date_naissance=NAISSANCE)  # another organisation
    response = logged.post(reverse("youth:jeune_create"), jeune_post(commune="Anzin"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Un dossier existe peut-être déjà" in html
    assert f'href="{existing.get_absolute_url()}"' in html
    assert "même téléphone" in html
    assert 'name="confirmer_doublon"' in html
    assert "Créer quand même" in html
    assert 'value="Anzin"' in html
    assert 'value="Dupont-Martin"' in html
    assert Jeune.objects.filter(organisation=org).count() == 1
    response = logged.post(reverse("youth:jeune_create"), jeune_post(commune="Anzin", confirmer_doublon="1"))
    assert response.status_code == 302
    assert Jeune.objects.filter(organisation=org, nom="Dupont-Martin", commune="Anzin").count() == 1


def test_nouveau_jeune_never_reveals_another_organisations_dossier(logged, conseillere_m):
    other = JeuneFactory(nom="Dupont-Martin", prenom="Éloïse", date_naissance=NAISSANCE, telephone="06 55 44 33 22")
    response = logged.post(reverse("youth:jeune_create"), jeune_post())
    assert response.status_code == 302
    assert other.get_absolute_url() not in response.content.decode()


def test_conversion_and_orientation_warn_on_phone_and_create_when_confirmed(conseillere_m):
    from outreach import services as outreach_services
    from tests.outreach.factories import ContactReperageFactory, OrientationFactory

    org = conseillere_m.organisation
    JeuneFactory(organisation=org, nom="Martin", prenom="Zoé", telephone="06 55 44 33 22", email="z@example.org")
    contact = ContactReperageFactory(organisation=org)
    data = {"nom": "Durand", "prenom": "Lina", "sexe": "F", "date_naissance": NAISSANCE, "telephone": "0655443322"}
    with pytest.raises(ValidationError, match="existe peut-être déjà"):
        outreach_services.contact_convert(contact=contact, user=conseillere_m.user, data=data)
    assert outreach_services.contact_convert(contact=contact, user=conseillere_m.user, data=data, confirmer=True)
    orientation = OrientationFactory(organisation=org, nom="Petit", prenom="Noa", email="Z@example.org")
    with pytest.raises(ValidationError, match="existe peut-être déjà"):
        outreach_services.orientation_accept(orientation=orientation, user=conseillere_m.user)
    created = outreach_services.orientation_accept(orientation=orientation, user=conseillere_m.user, confirmer=True)
    assert created.nom == "Petit"


def test_import_warns_per_line_on_a_phone_shared_with_another_person(org, operation):
    from reports import importer

    JeuneFactory(organisation=org, nom="Martin", prenom="Zoé", telephone="06 55 44 33 22")
    headers = ["reference", "nom", "prenom", "sexe", "date_naissance", "date_reperage", "origine", "telephone"]
    rows = [["R1", "Durand", "Lina", "F", "17/05/2004", "01/03/2025", "aller_vers", "0655443322"]]
    result = importer.validate(headers, rows, operation)
    assert result.errors == []
    assert any("ligne 2, colonne telephone : même téléphone que le dossier" in w for w in result.warnings)


# --- Soft delete, corbeille, restore --------------------------------------------------------------------------


def test_entretien_soft_deleted_by_its_author_with_a_reason_hidden_everywhere_and_restored(client, org, coord_m):
    author = MembershipFactory(organisation=org, role=Role.CONSEILLERE)
    other = MembershipFactory(organisation=org, role=Role.CONSEILLERE)
    entretien = EntretienFactory(jeune__organisation=org, auteur=author.user, notes="Note saisie par erreur")
    jeune = entretien.jeune
    url = reverse("youth:entretien_delete", args=[jeune.pk, entretien.pk])
    client.force_login(other.user)
    assert client.post(url, {"motif": "Pas mon entretien"}).status_code == 403
    client.force_login(author.user)
    response = client.post(url, {"motif": ""})
    assert "Indiquez le motif de la suppression" in response.content.decode()
    response = client.post(url, {"motif": "Saisi dans le mauvais dossier"})
    assert response.status_code == 302
    entretien.refresh_from_db()
    assert entretien.supprime_par == author.user
    assert entretien.motif_suppression == "Saisi dans le mauvais dossier"
    scope = Scope(organisation=org, role=Role.COORDINATEUR)
    assert not Entretien.objects.for_scope(scope).filter(pk=entretien.pk).exists()
    assert (
        "Note saisie par erreur" not in client.get(reverse("youth:entretien_list", args=[jeune.pk])).content.decode()
    )
    assert "Note saisie par erreur" not in client.get(jeune.get_absolute_url()).content.decode()
    assert entretien.history.first().history_change_reason.startswith("Suppression")
    # the author cannot restore; coordination can, from the corbeille
    restore = reverse("youth:corbeille_restore", args=["youth.entretien", entretien.pk])
    assert client.post(restore).status_code == 403
    client.force_login(coord_m.user)
    page = client.get(reverse("youth:corbeille")).content.decode()
    assert "Saisi dans le mauvais dossier" in page
    assert author.user.get_full_name() in page
    assert client.post(restore).status_code == 302
    assert Entretien.objects.for_scope(scope).filter(pk=entretien.pk).exists()


@pytest.mark.parametrize(
    ("factory", "kind", "anchor_text"),
    [
        (EtapePlanFactory, "etape", "libelle"),
        (FreinFactory, "frein", "precisions"),
        (DocumentFactory, "document", "commentaire"),
    ],
)
def test_plan_steps_freins_documents_are_corrected_and_soft_deleted(coord, org, factory, kind, anchor_text):
    obj = factory(jeune__organisation=org)
    jeune = obj.jeune
    update = reverse(f"youth:{kind}_update", args=[jeune.pk, obj.pk])
    page = coord.get(update)
    assert page.status_code == 200
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}
    data[anchor_text] = "Corrigé"
    data.pop("fichier", None)  # the stored file stays
    response = coord.post(update, data)
    assert response.status_code == 302, response.context["form"].errors
    obj.refresh_from_db()
    assert getattr(obj, anchor_text) == "Corrigé"
    assert obj.history.count() >= 2
    response = coord.post(reverse(f"youth:{kind}_delete", args=[jeune.pk, obj.pk]), {"motif": "Doublon de saisie"})
    assert response.status_code == 302
    assert not type(obj).objects.for_organisation(org).filter(pk=obj.pk).exists()
    assert type(obj).objects.for_organisation(org, deleted=True).filter(pk=obj.pk).exists()


def test_a_dossier_created_by_mistake_is_deleted_but_not_one_entered_in_an_operation(coord, org, operation):
    mistake = JeuneFactory(organisation=org, nom="Erreur")
    entered = ParticipationFactory(jeune__organisation=org, operation=operation, entree=True).jeune
    response = coord.post(reverse("youth:jeune_delete", args=[entered.pk]), {"motif": "Erreur"})
    assert "compte dans les indicateurs FSE" in response.content.decode()
    assert Jeune.objects.for_organisation(org).filter(pk=entered.pk).exists()
    assert (
        coord.post(reverse("youth:jeune_delete", args=[mistake.pk]), {"motif": "Créé par erreur"}).status_code == 302
    )
    assert "Erreur" not in coord.get(reverse("youth:jeune_list")).content.decode()
    assert coord.get(mistake.get_absolute_url()).status_code == 404
    assert "Créé par erreur" in coord.get(reverse("youth:corbeille")).content.decode()


def test_what_a_signed_off_bilan_counted_cannot_be_deleted(org, coord_m, operation):
    from diagnostics.models import Evaluation
    from reports.models import BilanTexte
    from tests.diagnostics.factories import EvaluationFactory

    participation = ParticipationFactory(jeune__organisation=org, operation=operation, entree=True)
    evaluation = EvaluationFactory(jeune=participation.jeune, participation=participation, date=date(2025, 3, 12))
    scope = Scope(organisation=org, role=Role.COORDINATEUR, user=coord_m.user)
    BilanTexte.objects.create(operation=operation, du=date(2025, 1, 1), au=date(2025, 6, 30))
    assert records.delete_refusal(evaluation) is None  # not signed yet
    BilanTexte.objects.filter(operation=operation).update(date_signature=date(2025, 7, 10))
    with pytest.raises(ValidationError, match="bilan signé de l'opération EMET du 01/01/2025 au 30/06/2025"):
        records.delete(obj=evaluation, scope=scope, motif="Erreur")
    assert Evaluation.objects.for_organisation(org).filter(pk=evaluation.pk).exists()


def test_the_scope_layer_hides_soft_deleted_rows_and_the_rows_of_a_deleted_dossier(org):
    entretien = EntretienFactory(jeune__organisation=org)
    jeune = entretien.jeune
    scope = Scope(organisation=org, role=Role.COORDINATEUR)
    jeune.soft_delete(user=None, motif="Erreur")
    assert not Jeune.objects.for_scope(scope).filter(pk=jeune.pk).exists()
    assert not Entretien.objects.for_scope(scope).filter(pk=entretien.pk).exists()
    assert Jeune.objects.for_scope(scope, deleted=True).filter(pk=jeune.pk).exists()
    assert Jeune.objects.for_scope(scope, deleted=None).filter(pk=jeune.pk).exists()
    jeune.restore()
    assert Entretien.objects.for_scope(scope).filter(pk=entretien.pk).exists()


def test_corbeille_is_coordination_only_and_its_queries_are_bounded(client, coord, org, django_assert_max_num_queries):
    for _ in range(5):
        for factory in (EntretienFactory, EtapePlanFactory, FreinFactory, DocumentFactory):
            obj = factory(jeune__organisation=org)
            obj.soft_delete(user=None, motif="Erreur")
    with django_assert_max_num_queries(20):
        response = coord.get(reverse("youth:corbeille"))
    assert response.status_code == 200
    assert response.content.decode().count("Restaurer<span") == 20
    client.force_login(MembershipFactory(organisation=org, role=Role.CONSEILLERE).user)
    assert client.get(reverse("youth:corbeille")).status_code == 403


# --- Merge ----------------------------------------------------------------------------------------------------


def _fk_to(model):
    return {
        (m._meta.label, f.name)
        for m in apps.get_models()
        if getattr(m, "instance_type", None) is None
        for f in m._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is model
    }


@pytest.mark.parametrize("model", [Jeune, Participation], ids=["Jeune", "Participation"])
def test_every_model_pointing_to_a_dossier_is_moved_by_the_merge(model):
    moved = {(m._meta.label, f.name) for m, f in merge.relations(model)}
    assert _fk_to(model) - merge.NOT_MOVED == moved
    for related, fk in merge.relations(model):
        for others in merge._unique_sets(related, fk.name):
            # a unique constraint on the moved FK: the duplicate's row is dropped (or, for a participation, merged)
            assert all(related._meta.get_field(name) for name in others)


@pytest.fixture
def pair(org, operation):
    kept = JeuneFactory(organisation=org, nom="Dupont", prenom="Léa", date_naissance=NAISSANCE, email="")
    dup = JeuneFactory(organisation=org, nom="DUPONT", prenom="Lea", date_naissance=NAISSANCE, email="lea@example.org")
    return kept, dup


def test_merge_moves_every_record_and_counts_the_person_once_in_the_bilan(coord, org, coord_m, operation, pair):
    from agenda.models import RendezVous
    from reports.indicators import compute
    from tests.diagnostics.factories import EvaluationFactory
    from tests.workshops.factories import InscriptionFactory, SeanceFactory

    kept, dup = pair
    p_kept = ParticipationFactory(jeune=kept, operation=operation, entree=True)
    p_dup = ParticipationFactory(jeune=dup, operation=operation, entree=True)
    SuiviPostSortie.objects.create(participation=p_dup, echeance=1, date=date(2025, 10, 1), situation="inconnu")
    EntretienFactory.create_batch(2, jeune=dup)
    EtapePlanFactory(jeune=dup)
    FreinFactory(jeune=dup)
    DocumentFactory(jeune=dup, participation=p_dup)
    EvaluationFactory(jeune=dup, participation=p_dup)
    seance = SeanceFactory(atelier__organisation=org)
    InscriptionFactory(seance=seance, jeune=kept)
    InscriptionFactory(seance=seance, jeune=dup)  # the same session twice: one is kept
    InscriptionFactory(seance__atelier=seance.atelier, jeune=dup)
    RendezVous.objects.create(
        organisation=org, jeune=dup, conseillere=coord_m.user, debut=timezone.now() + timedelta(days=2)
    )
    before = compute(operation, date(2025, 1, 1), date(2025, 12, 31))["entrees"]
    assert before == 2

    url = reverse("youth:jeune_merge", args=[kept.pk])
    assert f"?avec={dup.pk}" in coord.get(url).content.decode()  # the likely duplicate is offered
    preview = coord.get(url, {"avec": dup.pk})
    counts = {label: (moved, dropped) for label, moved, dropped in preview.context["plan"].counts}
    assert counts["entretiens"] == (2, 0)
    assert counts["inscriptions"] == (1, 1)
    assert counts["participations"] == (0, 1)
    assert "celle du doublon (entrée le 10/03/2025) est supprimée" in preview.content.decode()
    assert Jeune.objects.for_organisation(org).filter(pk=dup.pk).exists()  # the preview writes nothing

    assert coord.post(url, {"avec": dup.pk}).status_code == 302
    assert kept.entretiens.count() == 2
    assert kept.etapes.count() == 1
    assert kept.freins.count() == 1
    assert kept.documents.get().participation_id == p_kept.pk
    assert kept.evaluations.get().participation_id == p_kept.pk
    assert p_kept.suivis.count() == 1
    assert kept.inscriptions_ateliers.count() == 2
    assert RendezVous.objects.for_organisation(org).filter(jeune=kept).count() == 1
    assert not Participation.objects.for_organisation(org).filter(pk=p_dup.pk).exists()
    assert compute(operation, date(2025, 1, 1), date(2025, 12, 31))["entrees"] == 1
    dup.refresh_from_db()
    kept.refresh_from_db()
    assert dup.fusionne_dans_id == kept.pk
    assert dup.supprime_le is not None
    assert kept.email == "lea@example.org"  # an empty field of the kept dossier takes the duplicate's
    # hidden from lists, its address leads to the kept dossier, recorded in the history and the audit log
    assert f"/jeunes/{dup.pk}/" not in coord.get(reverse("youth:jeune_list")).content.decode()
    response = coord.get(dup.get_absolute_url())
    assert response.status_code == 302
    assert response.url == kept.get_absolute_url()
    reason = f"Fusion du dossier n° {dup.pk} dans le dossier n° {kept.pk}"
    assert kept.history.first().history_change_reason == reason
    assert any(row["audit_jeune"] == kept.pk for row in changes_for(org, jeune_id=kept.pk))
    assert "Restaurer<span" not in coord.get(reverse("youth:corbeille")).content.decode()


def test_merge_is_coordination_only_and_impossible_across_organisations(client, coord, org, pair):
    kept, dup = pair
    foreign = JeuneFactory(organisation=OrganisationFactory(), nom="Dupont", prenom="Léa", date_naissance=NAISSANCE)
    EntretienFactory(jeune=foreign)
    url = reverse("youth:jeune_merge", args=[kept.pk])
    assert coord.get(url, {"avec": foreign.pk}).status_code == 404
    assert coord.post(url, {"avec": foreign.pk}).status_code == 404
    with pytest.raises(ValidationError, match="structures différentes"):
        merge.merge(kept=kept, merged=foreign, user=None)
    foreign.refresh_from_db()
    assert foreign.fusionne_dans_id is None
    assert foreign.entretiens.count() == 1
    client.force_login(MembershipFactory(organisation=org, role=Role.CONSEILLERE).user)
    assert client.post(url, {"avec": dup.pk}).status_code == 403
    assert Jeune.objects.for_organisation(org).filter(pk=dup.pk).exists()


def test_merge_preview_queries_are_bounded(coord, org, pair, django_assert_max_num_queries):
    kept, dup = pair
    EntretienFactory.create_batch(15, jeune=dup)
    FreinFactory.create_batch(10, jeune=dup)
    with django_assert_max_num_queries(45):
        response = coord.get(reverse("youth:jeune_merge", args=[kept.pk]), {"avec": dup.pk})
    assert response.status_code == 200


def test_the_merge_search_stays_in_the_organisation(coord, org, pair):
    kept, _dup = pair
    JeuneFactory(organisation=OrganisationFactory(), nom="Zzétranger")
    JeuneFactory(organisation=org, nom="Zzlocal")
    html = coord.get(reverse("youth:jeune_merge", args=[kept.pk]), {"q": "zz"}).content.decode()
    assert "ZZLOCAL" in html
    assert "ZZÉTRANGER" not in html


def test_registration_after_attendance_is_soft_deleted_with_a_reason(client, org, coord_m):
    from tests.workshops.factories import InscriptionFactory
    from workshops.models import Inscription

    inscription = InscriptionFactory(seance__atelier__organisation=org, presence=Inscription.Presence.PRESENT)
    client.force_login(coord_m.user)
    url = reverse("workshops:inscription_delete", args=[inscription.pk])
    response = client.post(url, {"motif": ""})
    assert Inscription.objects.for_organisation(org).filter(pk=inscription.pk).exists()
    response = client.post(url, {"motif": "Présence notée pour la mauvaise personne"})
    assert response.status_code == 302
    assert not Inscription.objects.for_organisation(org).filter(pk=inscription.pk).exists()
    assert inscription.seance.inscriptions.filter(supprime_le__isnull=True).count() == 0
    assert "Présence notée pour la mauvaise personne" in client.get(reverse("youth:corbeille")).content.decode()


def test_an_evaluation_is_corrected_and_deleted_until_a_signed_bilan_counted_it(client, org, coord_m, operation):
    from diagnostics.models import Evaluation
    from reports.models import BilanTexte
    from tests.diagnostics.factories import EvaluationFactory

    participation = ParticipationFactory(jeune__organisation=org, operation=operation, entree=True)
    evaluation = EvaluationFactory(jeune=participation.jeune, participation=participation, date=date(2025, 3, 12))
    client.force_login(coord_m.user)
    update = reverse("diagnostics:evaluation_update", args=[evaluation.pk])
    data = {"type": "entree", "date": "2025-03-13", "commentaire": "Date corrigée"}
    assert client.post(update, data).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.date == date(2025, 3, 13)
    BilanTexte.objects.create(
        operation=operation, du=date(2025, 1, 1), au=date(2025, 6, 30), date_signature=date(2025, 7, 10)
    )
    client.post(update, {**data, "date": "2025-03-20"})
    evaluation.refresh_from_db()
    assert evaluation.date == date(2025, 3, 13)
    response = client.post(reverse("diagnostics:evaluation_delete", args=[evaluation.pk]), {"motif": "Erreur"})
    assert "bilan signé" in response.content.decode()
    assert Evaluation.objects.for_organisation(org).filter(pk=evaluation.pk).exists()


def test_a_deleted_dossier_counts_in_no_indicator(org, operation):
    from reports.indicators import compute

    participation = ParticipationFactory(jeune__organisation=org, operation=operation)
    participation.jeune.date_reperage = date(2025, 3, 1)
    participation.jeune.save()
    assert compute(operation, date(2025, 1, 1), date(2025, 12, 31))["reperes"] == 1
    records.delete(obj=participation.jeune, scope=Scope(organisation=org, role=Role.COORDINATEUR), motif="Erreur")
    assert compute(operation, date(2025, 1, 1), date(2025, 12, 31))["reperes"] == 0


def test_the_history_shows_the_merge_and_a_deleted_entretien_with_its_reason(coord, org, pair):
    kept, dup = pair
    entretien = EntretienFactory(jeune=kept, notes="Entretien supprimé ensuite")
    coord.post(reverse("youth:entretien_delete", args=[kept.pk, entretien.pk]), {"motif": "Mauvais dossier"})
    coord.post(reverse("youth:jeune_merge", args=[kept.pk]), {"avec": dup.pk})
    html = coord.get(reverse("youth:jeune_history", args=[kept.pk])).content.decode()
    assert "Suppression : Mauvais dossier" in html
    assert f"Fusion du dossier n° {dup.pk} dans le dossier n° {kept.pk}" in html
    assert f"Fusion du dossier n° {dup.pk}" in coord.get(kept.get_absolute_url()).content.decode()  # timeline
