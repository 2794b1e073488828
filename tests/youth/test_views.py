from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from tests.authz import run_harness
from tests.core.factories import MembershipFactory
from tests.funding.factories import OperationFactory
from tests.scope import scope_for
from tests.youth.factories import (
    DocumentFactory,
    EntretienFactory,
    EtapePlanFactory,
    FreinFactory,
    JeuneFactory,
    ParticipationFactory,
)
from youth.dossier import alerts_for
from youth.models import Entretien, Jeune
from youth.views import TIMELINE_LIMIT


pytestmark = pytest.mark.django_db


def test_youth_urls_pass_the_authorization_harness(world):
    failures = [f for f in run_harness(world) if f.startswith("youth:")]
    assert failures == []


# --- List ------------------------------------------------------------------------------------------------


def test_jeune_list_isolation_and_queries(logged, conseillere_m, operation, django_assert_max_num_queries):
    org = conseillere_m.organisation
    mine = JeuneFactory.create_batch(5, organisation=org, referent=conseillere_m.user)
    for jeune in mine:
        ParticipationFactory(jeune=jeune, operation=operation, entree=True)
    JeuneFactory(nom="Autrestructure")  # other organisation
    url = reverse("youth:jeune_list")
    with django_assert_max_num_queries(15) as ctx:
        response = logged.get(url)
    baseline = len(ctx.captured_queries)
    assert set(response.context["page"].object_list) == set(mine)
    assert "AUTRESTRUCTURE" not in response.content.decode()
    for jeune in JeuneFactory.create_batch(55, organisation=org, referent=conseillere_m.user):
        ParticipationFactory(jeune=jeune, operation=operation, entree=True)
    with django_assert_max_num_queries(baseline):
        response = logged.get(url)
    assert len(response.context["page"].object_list) == 50  # paginated
    with django_assert_max_num_queries(baseline):
        logged.get(url, {"q": "a", "mes_jeunes": "1", "statut": "repere"})


def test_jeune_list_search_is_accent_insensitive_and_finds_reference_and_phone(logged, conseillere_m):
    org = conseillere_m.organisation
    heloise = JeuneFactory(organisation=org, prenom="Héloïse", nom="Lefèvre", telephone="06 11 22 33 44")
    ref = JeuneFactory(organisation=org, reference="NOE-0042", telephone="")
    JeuneFactory(organisation=org, prenom="Paul", nom="Martin", telephone="07 00 00 00 00")
    url = reverse("youth:jeune_list")

    def found(q):
        return set(logged.get(url, {"q": q}).context["page"].object_list)

    assert found("heloise lefevre") == {heloise}
    assert found("LEFÈVRE") == {heloise}
    assert found("noe-0042") == {ref}
    assert found("0611223344") == {heloise}


def test_jeune_list_filters(logged, conseillere_m, operation):
    org = conseillere_m.organisation
    today = timezone.localdate()
    minor = JeuneFactory(
        organisation=org,
        date_naissance=today.replace(year=today.year - 17),
        sexe="H",
        referent=conseillere_m.user,
        representant_legal_nom="X",
    )
    adult = JeuneFactory(organisation=org, date_naissance=today.replace(year=today.year - 27), sexe="F")
    in_op = JeuneFactory(organisation=org, date_naissance=today.replace(year=today.year - 20), statut="en_parcours")
    ParticipationFactory(jeune=in_op, operation=operation, entree=True)
    url = reverse("youth:jeune_list")

    def found(**params):
        return set(logged.get(url, params).context["page"].object_list)

    assert found(age="16-17") == {minor}
    assert found(age="26-29") == {adult}
    assert found(age="18-25") == {in_op}
    assert found(mes_jeunes="1") == {minor}
    assert found(sexe="H") == {minor}
    assert found(operation=operation.pk) == {in_op}
    assert found(statut="en_parcours") == {in_op}
    other_op = OperationFactory()  # another organisation's operation is not a valid choice
    response = logged.get(url, {"operation": other_op.pk})
    assert "operation" in response.context["filter"].errors


# --- Dossier ---------------------------------------------------------------------------------------------


def test_dossier_of_another_organisation_is_404_and_partner_is_refused(client, world):
    jeune = JeuneFactory(organisation=world.org_a)
    client.force_login(world.intruders[0])  # conseillère of org_b (e.g. Carvin on an ACSRV dossier)
    assert client.get(reverse("youth:jeune_detail", args=[jeune.pk])).status_code == 404
    client.force_login(world.users_a[Role.PARTENAIRE])  # a partner, even the one of the same territory
    assert client.get(reverse("youth:jeune_detail", args=[jeune.pk])).status_code in (403, 404)
    assert client.get(reverse("youth:jeune_list")).status_code in (403, 404)


def test_dossier_query_count_does_not_grow_with_entretiens(
    logged, conseillere_m, operation, django_assert_max_num_queries
):
    jeune = JeuneFactory(organisation=conseillere_m.organisation)
    ParticipationFactory(jeune=jeune, operation=operation, sortie=True)
    EntretienFactory.create_batch(5, jeune=jeune, auteur=conseillere_m.user)
    EtapePlanFactory.create_batch(2, jeune=jeune)
    FreinFactory(jeune=jeune)
    DocumentFactory(jeune=jeune)
    url = reverse("youth:jeune_detail", args=[jeune.pk])
    with django_assert_max_num_queries(40) as ctx:
        response = logged.get(url)
    assert response.status_code == 200
    baseline = len(ctx.captured_queries)
    EntretienFactory.create_batch(55, jeune=jeune, auteur=conseillere_m.user)
    EtapePlanFactory.create_batch(10, jeune=jeune)
    FreinFactory.create_batch(5, jeune=jeune)
    jeune.telephone = "07 00 00 00 01"
    jeune.save()
    with django_assert_max_num_queries(baseline):
        response = logged.get(url)
    timeline = response.context["timeline"]
    # The dossier shows the most recent events only (the full list is on the entretiens page).
    assert len(timeline) == TIMELINE_LIMIT
    assert [e.sort_key for e in timeline] == sorted((e.sort_key for e in timeline), reverse=True)
    assert [e.kind for e in timeline].count("entretien") > 50


def test_confidential_note_hidden_from_another_conseillere_of_the_same_organisation(client, conseillere_m):
    org = conseillere_m.organisation
    jeune = JeuneFactory(organisation=org)
    EntretienFactory(jeune=jeune, auteur=conseillere_m.user, notes="Note secrète du jour", confidentielle=True)
    EntretienFactory(jeune=jeune, auteur=conseillere_m.user, notes="Note ordinaire")
    url = reverse("youth:jeune_detail", args=[jeune.pk])

    colleague = MembershipFactory(organisation=org, role=Role.CONSEILLERE).user
    client.force_login(colleague)
    page = client.get(url).content.decode()
    assert "Note ordinaire" in page
    assert "Note secrète du jour" not in page
    assert "Note secrète du jour" not in client.get(reverse("youth:entretien_list", args=[jeune.pk])).content.decode()
    assert "Note secrète du jour" not in client.get(reverse("youth:jeune_history", args=[jeune.pk])).content.decode()
    assert Entretien.objects.for_scope(scope_for(colleague)).filter(jeune=jeune).count() == 1

    for reader in (conseillere_m.user, MembershipFactory(organisation=org, role=Role.COORDINATEUR).user):
        client.force_login(reader)
        assert "Note secrète du jour" in client.get(url).content.decode()


def test_charge_entreprises_reads_summary_only_and_cannot_write(client, conseillere_m, operation):
    org = conseillere_m.organisation
    jeune = JeuneFactory(organisation=org, nom="Résumé")
    ParticipationFactory(jeune=jeune, operation=operation, entree=True)
    EntretienFactory(jeune=jeune, auteur=conseillere_m.user, notes="Note de suivi privée")
    document = DocumentFactory(jeune=jeune)
    client.force_login(MembershipFactory(organisation=org, role=Role.CHARGE_ENTREPRISES).user)
    page = client.get(reverse("youth:jeune_detail", args=[jeune.pk])).content.decode()
    assert "RÉSUMÉ" in page
    assert operation.code in page
    assert "Note de suivi privée" not in page
    assert "Noter un entretien" not in page
    assert client.get(reverse("youth:document_download", args=[jeune.pk, document.pk])).status_code == 403
    assert client.post(reverse("youth:entretien_create", args=[jeune.pk]), {"date": "2025-01-01"}).status_code == 403
    assert client.get(reverse("youth:jeune_update", args=[jeune.pk])).status_code == 403
    assert client.get(reverse("youth:jeune_create")).status_code == 403


def test_charge_entreprises_does_not_see_sensitive_questionnaire_items(client, conseillere_m, operation):
    org = conseillere_m.organisation
    participation = ParticipationFactory(jeune__organisation=org, operation=operation, entree=True)
    participation.handicap = "oui"
    participation.objectifs = "Objectif très personnel"
    participation.save()
    client.force_login(MembershipFactory(organisation=org, role=Role.CHARGE_ENTREPRISES).user)
    jeune_id = participation.jeune_id
    history = client.get(reverse("youth:jeune_history", args=[jeune_id])).content.decode()
    detail = client.get(reverse("youth:participation_detail", args=[jeune_id, participation.pk])).content.decode()
    dossier = client.get(reverse("youth:jeune_detail", args=[jeune_id])).content.decode()
    for page in (history, detail, dossier):
        assert "handicap" not in page.lower()
        assert "Objectif très personnel" not in page
    client.force_login(conseillere_m.user)
    history = client.get(reverse("youth:jeune_history", args=[jeune_id])).content.decode()
    assert "handicap reconnu" in history
    assert "Objectif très personnel" in history


def test_dossier_alerts(logged, conseillere_m, operation):
    today = timezone.localdate()
    jeune = JeuneFactory(
        organisation=conseillere_m.organisation, telephone="", email="", contact_nom="", date_dernier_contact=None
    )
    Jeune.objects.filter(pk=jeune.pk).update(
        created_at=timezone.now() - timedelta(days=60), date_reperage=today - timedelta(days=60)
    )
    ParticipationFactory(jeune=jeune, operation=operation, date_entree=today - timedelta(days=170), statut_entree="")
    texts = " ".join(text for _level, text in logged.get(jeune.get_absolute_url()).context["alerts"])
    assert "Coordonnées manquantes" in texts
    assert "Aucun contact noté depuis" in texts
    assert "questionnaire d'entrée incomplet" in texts
    assert "parcours de 6 mois" in texts


@pytest.mark.parametrize(
    ("reperage_days_ago", "created_days_ago", "dernier_contact_days_ago", "expected"),
    [
        (10, 0, None, None),  # a repérage contact met 10 days ago, converted today
        (45, 0, None, None),  # an orientation submitted long ago, accepted a minute ago
        (60, 40, None, "Aucun contact noté depuis l'ouverture du dossier"),
        (40, 40, None, "Aucun contact noté depuis le repérage"),
        (90, 90, 10, None),
        (90, 90, 31, "Pas de contact depuis plus de 30 jours (dernier contact le"),
    ],
)
def test_contact_alert_is_true(reperage_days_ago, created_days_ago, dernier_contact_days_ago, expected):
    today = timezone.localdate()
    jeune = Jeune(
        date_reperage=today - timedelta(days=reperage_days_ago),
        date_dernier_contact=today - timedelta(days=dernier_contact_days_ago) if dernier_contact_days_ago else None,
        created_at=timezone.now() - timedelta(days=created_days_ago),
        telephone="06 00 00 00 00",
    )
    texts = [text for _level, text in alerts_for(jeune, [], today=today) if "contact" in text]
    if expected is None:
        assert texts == []
    else:
        assert len(texts) == 1
        assert texts[0].startswith(expected)


# --- Create / edit ---------------------------------------------------------------------------------------


def test_jeune_create_sets_organisation_and_referent(logged, conseillere_m):
    response = logged.post(
        reverse("youth:jeune_create"),
        {
            "nom": "Dupré",
            "prenom": "Léa",
            "sexe": "F",
            "date_naissance": "2003-02-01",
            "telephone": "06 00 00 00 00",
            "origine": "aller_vers",
            "date_reperage": "2025-05-01",
        },
    )
    jeune = Jeune.objects.get(nom="Dupré")
    assert response.status_code == 302
    assert response["Location"] == jeune.get_absolute_url()
    assert jeune.organisation == conseillere_m.organisation
    assert jeune.referent == conseillere_m.user
    assert jeune.recherche.startswith("dupre lea")
    assert logged.get(jeune.get_absolute_url()).status_code == 200


def test_minor_without_guardian_gives_french_error_and_keeps_input(logged):
    today = timezone.localdate()
    birth = today.replace(year=today.year - 16) - timedelta(days=3)
    response = logged.post(
        reverse("youth:jeune_create"),
        {
            "nom": "Mineur",
            "prenom": "Théo",
            "sexe": "H",
            "date_naissance": birth.isoformat(),
            "telephone": "06 98 76 54 32",
            "origine": "aller_vers",
            "date_reperage": today.isoformat(),
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "Jeune mineur : indiquez son représentant légal." in form.errors["representant_legal_nom"]
    assert "obligation_formation" in form.errors
    page = response.content.decode()
    assert 'value="Théo"' in page
    assert 'value="06 98 76 54 32"' in page
    assert not Jeune.objects.filter(nom="Mineur").exists()


def test_jeune_update_referent_must_be_a_member(logged, conseillere_m):
    jeune = JeuneFactory(organisation=conseillere_m.organisation)
    stranger = MembershipFactory().user
    data = {
        "nom": jeune.nom,
        "prenom": jeune.prenom,
        "sexe": "F",
        "date_naissance": "2004-05-17",
        "telephone": "06 12 34 56 78",
        "origine": "aller_vers",
        "date_reperage": "2025-03-01",
        "referent": stranger.pk,
    }
    response = logged.post(reverse("youth:jeune_update", args=[jeune.pk]), data)
    assert "referent" in response.context["form"].errors
    data["referent"] = conseillere_m.user.pk
    data["commune"] = "Valenciennes"
    assert logged.post(reverse("youth:jeune_update", args=[jeune.pk]), data).status_code == 302
    history = logged.get(reverse("youth:jeune_history", args=[jeune.pk])).content.decode()
    assert "Valenciennes" in history
    assert "commune" in history


# --- Entretiens ------------------------------------------------------------------------------------------


def test_quick_entretien_updates_last_contact(logged, conseillere_m):
    jeune = JeuneFactory(organisation=conseillere_m.organisation, statut="repere")
    today = timezone.localdate()
    response = logged.post(
        reverse("youth:entretien_create", args=[jeune.pk]),
        {"depuis": "dossier", "date": today.isoformat(), "kind": "individuel", "duree_minutes": "30", "notes": "Ok"},
    )
    assert response.status_code == 302
    jeune.refresh_from_db()
    assert jeune.date_dernier_contact == today
    assert jeune.statut == Jeune.Statut.ACCUEILLI
    entretien = jeune.entretiens.get()
    assert entretien.auteur == conseillere_m.user
    assert entretien.organisation == jeune.organisation
    timeline = logged.get(jeune.get_absolute_url()).context["timeline"]
    assert any(e.kind == "entretien" for e in timeline)


def test_invalid_quick_entretien_stays_on_dossier_with_input(logged, conseillere_m):
    jeune = JeuneFactory(organisation=conseillere_m.organisation)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = logged.post(
        reverse("youth:entretien_create", args=[jeune.pk]),
        {"depuis": "dossier", "date": future, "kind": "telephone", "duree_minutes": "45", "notes": "Texte saisi"},
    )
    assert response.status_code == 422
    assert "Un entretien ne peut pas être daté dans le futur." in response.content.decode()
    assert "Texte saisi" in response.content.decode()
    assert not jeune.entretiens.exists()


def test_rejected_quick_entretien_brings_the_error_summary_into_view(logged, conseillere_m):
    jeune = JeuneFactory(organisation=conseillere_m.organisation)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = logged.post(
        reverse("youth:entretien_create", args=[jeune.pk]),
        {"depuis": "dossier", "date": future, "kind": "telephone", "duree_minutes": "45", "notes": "Texte saisi"},
    )
    content = response.content.decode()
    # the form posts to its own anchor, so the reloaded page opens at the form, not at the top of the dossier
    assert f'action="{reverse("youth:entretien_create", args=[jeune.pk])}#nouvel-entretien"' in content
    summary = content.index('id="erreurs-formulaire"')
    assert "L'entretien n'est pas enregistré" in content[summary : summary + 400]
    assert "data-form-errors" in content[summary - 200 : summary + 200]
    assert summary > content.index('id="nouvel-entretien"')


def test_only_author_or_coordination_edits_an_entretien(client, conseillere_m):
    jeune = JeuneFactory(organisation=conseillere_m.organisation)
    entretien = EntretienFactory(jeune=jeune, auteur=conseillere_m.user, notes="Avant")
    url = reverse("youth:entretien_update", args=[jeune.pk, entretien.pk])
    client.force_login(MembershipFactory(organisation=jeune.organisation, role=Role.CONSEILLERE).user)
    client.post(url, {"date": "2025-04-01", "kind": "individuel", "duree_minutes": 30, "notes": "Pirate"})
    entretien.refresh_from_db()
    assert entretien.notes == "Avant"
    client.force_login(conseillere_m.user)
    client.post(url, {"date": "2025-04-01", "kind": "individuel", "duree_minutes": 30, "notes": "Après"})
    entretien.refresh_from_db()
    assert entretien.notes == "Après"


# --- Plan, freins, documents -----------------------------------------------------------------------------


def test_plan_steps_and_freins(logged, conseillere_m):
    jeune = JeuneFactory(organisation=conseillere_m.organisation)
    logged.post(reverse("youth:etape_create", args=[jeune.pk]), {"libelle": "Inscription auto-école"})
    etape = jeune.etapes.get()
    logged.post(reverse("youth:etape_fait", args=[jeune.pk, etape.pk]))
    etape.refresh_from_db()
    assert etape.fait_le == timezone.localdate()
    assert logged.get(reverse("youth:etape_fait", args=[jeune.pk, etape.pk])).status_code == 405
    logged.post(
        reverse("youth:frein_create", args=[jeune.pk]),
        {"kind": "mobilite", "precisions": "Pas de permis", "identifie_le": "2025-04-02"},
    )
    frein = jeune.freins.get()
    logged.post(reverse("youth:frein_lever", args=[jeune.pk, frein.pk]))
    frein.refresh_from_db()
    assert frein.leve_le == timezone.localdate()
    kinds = {e.title for e in logged.get(jeune.get_absolute_url()).context["timeline"]}
    assert "Frein levé : Mobilité" in kinds
    assert "Étape réalisée : Inscription auto-école" in kinds


def test_document_upload_or_seen_flag_and_protected_download(logged, conseillere_m, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    jeune = JeuneFactory(organisation=conseillere_m.organisation)
    url = reverse("youth:document_create", args=[jeune.pk])
    response = logged.post(url, {"kind": "piece_identite", "obtenu_le": "2025-04-01"})
    assert "Déposez le fichier OU cochez" in response.content.decode()
    logged.post(url, {"kind": "justificatif_domicile", "obtenu_le": "2025-04-01", "vu_non_conserve": "on"})
    upload = SimpleUploadedFile("cni.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    logged.post(url, {"kind": "piece_identite", "obtenu_le": "2025-04-01", "fichier": upload})
    assert jeune.documents.count() == 2
    document = jeune.documents.get(kind="piece_identite")
    response = logged.get(reverse("youth:document_download", args=[jeune.pk, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    bad = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = logged.post(url, {"kind": "autre", "obtenu_le": "2025-04-01", "fichier": bad})
    assert "Format de fichier non accepté" in response.content.decode()
    client.force_login(MembershipFactory(role=Role.CONSEILLERE).user)
    assert client.get(reverse("youth:document_download", args=[jeune.pk, document.pk])).status_code == 404


def test_history_page_shows_before_after(logged, conseillere_m, operation):
    jeune = JeuneFactory(organisation=conseillere_m.organisation, commune="Anzin")
    jeune.commune = "Denain"
    jeune.save()
    page = logged.get(reverse("youth:jeune_history", args=[jeune.pk])).content.decode()
    assert "Anzin" in page
    assert "Denain" in page
    assert "commune" in page


def test_history_names_related_objects(logged, conseillere_m, operation):
    jeune = JeuneFactory(organisation=conseillere_m.organisation)
    ParticipationFactory(jeune=jeune, operation=operation, entree=True)
    jeune.referent = conseillere_m.user
    jeune.save()
    page = logged.get(reverse("youth:jeune_history", args=[jeune.pk])).content.decode()
    assert f"<td>{operation.code}</td>" in page
    assert conseillere_m.user.get_full_name() in page


def test_participation_detail_other_jeune_path_is_404(logged, conseillere_m, operation):
    jeune = JeuneFactory(organisation=conseillere_m.organisation)
    other = ParticipationFactory(jeune__organisation=conseillere_m.organisation, operation=operation)
    url = reverse("youth:participation_detail", args=[jeune.pk, other.pk])
    assert logged.get(url).status_code == 404


def test_today_is_used_for_defaults(logged, conseillere_m):
    jeune = JeuneFactory(organisation=conseillere_m.organisation)
    form = logged.get(jeune.get_absolute_url()).context["entretien_form"]
    assert form.initial["date"] == timezone.localdate()
    assert form["kind"].value() == "individuel"
    assert form["duree_minutes"].value() == 30


def test_archived_dossier_hidden_from_conseillere_list_but_listed_for_coordination(client):
    conseillere = MembershipFactory()
    coordination = MembershipFactory(organisation=conseillere.organisation, role=Role.COORDINATEUR)
    JeuneFactory(organisation=conseillere.organisation, nom="Actif")
    JeuneFactory(organisation=conseillere.organisation, nom="Archivé", archived_at=timezone.now())
    client.force_login(conseillere.user)
    names = {j.nom for j in client.get(reverse("youth:jeune_list")).context["page"].object_list}
    assert names == {"Actif"}
    client.force_login(coordination.user)
    names = {j.nom for j in client.get(reverse("youth:jeune_list")).context["page"].object_list}
    assert names == {"Actif", "Archivé"}


def test_dossier_history_names_technical_fields_in_french(client, world):
    coordinatrice = world.users_a[Role.COORDINATEUR]
    jeune = JeuneFactory(organisation=world.org_a)
    DocumentFactory(jeune=jeune, created_by=coordinatrice)
    client.force_login(coordinatrice)
    content = client.get(reverse("youth:jeune_history", args=[jeune.pk])).content.decode()
    assert "created by" not in content
    assert "créé par" in content


def test_an_entretien_adds_no_identity_change_line_to_the_timeline(logged, conseillere_m):
    jeune = JeuneFactory(organisation=conseillere_m.organisation, statut=Jeune.Statut.ACCUEILLI)
    url = reverse("youth:entretien_create", args=[jeune.pk])
    for days in (20, 10):
        day = (timezone.localdate() - timedelta(days=days)).isoformat()
        logged.post(url, {"date": day, "kind": "individuel", "duree_minutes": "30", "notes": "Point"})
    timeline = logged.get(jeune.get_absolute_url()).context["timeline"]
    assert [e.title for e in timeline if e.kind == "modification"] == []
    assert len([e for e in timeline if e.kind == "entretien"]) == 2
    # a real change of the identity is still shown, without the bookkeeping field
    jeune.refresh_from_db()
    jeune.telephone = "06 99 99 99 99"
    jeune.save()
    titles = [e.title for e in logged.get(jeune.get_absolute_url()).context["timeline"] if e.kind == "modification"]
    assert titles == ["Identité modifié(e) : téléphone"]
    # the full history page keeps every change, last contact included
    history = logged.get(reverse("youth:jeune_history", args=[jeune.pk])).content.decode()
    assert "dernier contact" in history


def test_the_referente_filter_is_a_compact_search_field(client, world):
    """In the list's filter bar the search field's help sentence is for screen readers only (it broke the row),
    still tied to the input by aria-describedby; in a form it stays visible."""
    from core.models import Role

    client.force_login(world.users_a[Role.COORDINATEUR])
    content = client.get("/jeunes/").content.decode()
    assert 'id="id_referent_aide" class="form-text visually-hidden"' in content
    assert 'aria-describedby="id_referent_aide"' in content
    form = client.get("/ateliers/immersions/nouvelle/").content.decode()
    assert '_aide" class="form-text">' in form
