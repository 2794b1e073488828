"""Retention (archive, anonymise), rights of the people (export, erasure) and the processing register."""

import json
from datetime import date, timedelta
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from core.models import Role
from core.scope import Scope
from privacy.models import RetentionRun
from privacy.retention import retention_plan, retention_run
from privacy.rights import erasure_refusal
from tests.funding.factories import OperationFactory
from tests.youth.factories import JeuneFactory, ParticipationFactory
from youth.models import Jeune, Participation


pytestmark = pytest.mark.django_db
LONG_AGO = date(2015, 1, 10)


def own_figures(operation, du, au):
    """Entrées / sorties / sexe / tranche d'âge computed here, independently of reports."""
    fse = Participation.objects.filter(operation=operation, date_entree__isnull=False)
    entrees = [p for p in fse.select_related("jeune") if du <= p.date_entree <= au and p.date_sortie != p.date_entree]
    sorties = fse.filter(date_sortie__gte=du, date_sortie__lte=au).count()
    par_sexe, par_age = {}, {}
    for p in entrees:
        par_sexe[p.jeune.sexe] = par_sexe.get(p.jeune.sexe, 0) + 1
        age = (
            p.date_entree.year
            - p.jeune.date_naissance.year
            - ((p.date_entree.month, p.date_entree.day) < (p.jeune.date_naissance.month, p.jeune.date_naissance.day))
        )
        band = "16-17" if age < 18 else "18-25" if age <= 25 else "26-29"
        par_age[band] = par_age.get(band, 0) + 1
    reperes = Jeune.objects.filter(organisation=operation.organisation, date_reperage__range=(du, au)).count()
    return {"reperes": reperes, "entrees": len(entrees), "sorties": sorties, "sexe": par_sexe, "age": par_age}


@pytest.fixture
def old_operation(world):
    """An operation of 2015–2016 whose audit hold ended on 31/12/2022."""
    return OperationFactory(
        organisation=world.org_a,
        date_debut=date(2015, 1, 1),
        date_fin=date(2016, 12, 31),
        date_dernier_paiement=date(2017, 6, 1),
    )


def make_old_participants(operation, n=6):
    jeunes = []
    for i in range(n):
        jeune = JeuneFactory(
            organisation=operation.organisation,
            sexe="FHX"[i % 3],
            date_naissance=date(1990 + i, 2 + i, 1 + i),
            date_reperage=LONG_AGO,
            date_dernier_contact=date(2016, 6, 1),
            email=f"jeune{i}@exemple.fr",
            adresse=f"{i} rue des Lilas",
        )
        ParticipationFactory(
            jeune=jeune,
            operation=operation,
            date_entree=date(2015, 2, 1 + i),
            date_sortie=date(2016, 1, 1 + i) if i % 2 else date(2015, 12, 1),
            situation_sortie=Participation.SituationSortie.EMPLOI_CDI
            if i % 2
            else Participation.SituationSortie.ABANDON,
        )
        jeunes.append(jeune)
    return jeunes


def test_anonymisation_leaves_bilan_figures_unchanged(world, old_operation):
    jeunes = make_old_participants(old_operation)
    recent = JeuneFactory(organisation=world.org_a, date_reperage=timezone.localdate())
    du, au = date(2015, 1, 1), date(2016, 12, 31)
    before_own = own_figures(old_operation, du, au)
    from reports.indicators import compute

    before = compute(old_operation, du, au)
    run = retention_run()
    assert run.anonymised_count == len(jeunes)
    assert set(run.anonymised_ids) == {j.pk for j in jeunes}
    assert own_figures(old_operation, du, au) == before_own
    assert compute(old_operation, du, au) == before
    jeune = Jeune.objects.get(pk=jeunes[0].pk)
    assert jeune.anonymised_at is not None
    assert jeune.archived_at is not None
    # filled identity fields hold a placeholder, empty ones stay empty (the bilan counts contactable people)
    assert {jeune.nom, jeune.prenom, jeune.email, jeune.telephone, jeune.adresse} == {"Anonymisé"}
    assert jeune.contact_nom == ""
    assert "jeune0@exemple.fr" not in json.dumps(list(Jeune.objects.values()), default=str)
    assert (jeune.sexe, jeune.date_naissance) == (jeunes[0].sexe, jeunes[0].date_naissance)
    # the change history no longer holds the identity
    assert not Jeune.history.filter(id=jeune.pk).exists()
    assert not Jeune.history.filter(email__startswith="jeune").exists()
    recent.refresh_from_db()
    assert recent.archived_at is None
    assert recent.anonymised_at is None


def test_dossier_without_contact_is_archived_but_kept_while_the_audit_hold_runs(world):
    current = OperationFactory(organisation=world.org_a, audit_hold_until=date(2029, 12, 31))
    jeune = JeuneFactory(organisation=world.org_a, date_reperage=LONG_AGO, date_dernier_contact=date(2020, 1, 1))
    ParticipationFactory(jeune=jeune, operation=current, date_entree=date(2019, 1, 1), date_sortie=date(2020, 1, 1))
    active = JeuneFactory(organisation=world.org_a, date_reperage=LONG_AGO, date_dernier_contact=date(2020, 1, 1))
    ParticipationFactory(jeune=active, operation=current, date_entree=date(2019, 1, 1))  # still in a parcours
    contacted = JeuneFactory(
        organisation=world.org_a,
        date_reperage=LONG_AGO,
        date_dernier_contact=timezone.localdate() - timedelta(days=30),
    )
    plan = retention_plan()
    assert plan.to_archive == [jeune.pk]
    assert plan.to_anonymise == []
    retention_run()
    jeune.refresh_from_db()
    active.refresh_from_db()
    contacted.refresh_from_db()
    assert jeune.archived_at is not None
    assert jeune.anonymised_at is None
    assert active.archived_at is None
    assert contacted.archived_at is None
    assert erasure_refusal(jeune) == (
        "Effacement impossible : les données sont conservées jusqu'au 31/12/2029 pour les contrôles FSE "
        "(règlement (UE) 2021/1060, art. 82)."
    )


def test_archived_dossier_is_readable_by_coordinateurs_only(client, world):
    jeune = JeuneFactory(organisation=world.org_a, archived_at=timezone.now())
    client.force_login(world.users_a[Role.CONSEILLERE])
    assert client.get(f"/jeunes/{jeune.pk}/").status_code == 404
    client.force_login(world.users_a[Role.COORDINATEUR])
    assert client.get(f"/jeunes/{jeune.pk}/").status_code == 200


def test_retention_command_dry_run_changes_nothing(world, old_operation):
    jeunes = make_old_participants(old_operation, n=2)
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    report = out.getvalue()
    assert "simulation" in report
    assert "2 dossier(s) sans contact depuis plus de 2 ans seraient archivé(s)" in report
    assert "seraient anonymisé(s)" in report
    assert not Jeune.objects.filter(pk__in=[j.pk for j in jeunes], archived_at__isnull=False).exists()
    out = StringIO()
    call_command("retention", stdout=out)
    assert "ont été anonymisé(s)" in out.getvalue()
    assert RetentionRun.objects.filter(dry_run=False, anonymised_count=2).exists()


def test_retention_task_is_scheduled_daily(settings):
    from privacy.tasks import retention_daily

    entry = settings.CELERY_BEAT_SCHEDULE["conservation-des-donnees"]
    assert entry["task"] == retention_daily.name
    assert retention_daily.apply().get()["anonymises"] == 0  # in-process, independent of the broker


# --- Rights -------------------------------------------------------------------------------------------------


def test_export_json_and_pdf_hold_everything_on_the_person(client, world):
    jeune = JeuneFactory(organisation=world.org_a, nom="Durandal", email="durandal@exemple.fr")
    ParticipationFactory(jeune=jeune, entree=True, reference="REF-DURANDAL")
    client.force_login(world.users_a[Role.COORDINATEUR])
    response = client.get(f"/rgpd/jeunes/{jeune.pk}/export.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["donnees"]["youth.Jeune"][0]["email"] == "durandal@exemple.fr"
    assert data["donnees"]["youth.Participation"][0]["reference"] == "REF-DURANDAL"
    response = client.get(f"/rgpd/jeunes/{jeune.pk}/export.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Durandal" in text
    assert "REF-DURANDAL" in text
    # exports are reads of the dossier: audited
    from core.models import AccesDossier

    assert AccesDossier.objects.filter(jeune_id=jeune.pk).count() == 2


def test_rights_pages_are_coordinateur_only_and_scoped(client, world):
    jeune = JeuneFactory(organisation=world.org_a)
    client.force_login(world.users_a[Role.CONSEILLERE])
    assert client.get(f"/rgpd/jeunes/{jeune.pk}/").status_code == 403
    client.force_login(world.intruders[2])  # coordinateur of org_b
    assert client.get(f"/rgpd/jeunes/{jeune.pk}/").status_code == 404
    assert client.get(f"/rgpd/jeunes/{jeune.pk}/export.json").status_code == 404
    assert client.post(f"/rgpd/jeunes/{jeune.pk}/effacement/", {"confirmation": "EFFACER"}).status_code == 404
    assert Jeune.objects.filter(pk=jeune.pk).exists()


def test_erasure_is_refused_during_the_audit_hold(client, world):
    operation = OperationFactory(organisation=world.org_a, audit_hold_until=date(2029, 12, 31))
    jeune = JeuneFactory(organisation=world.org_a)
    ParticipationFactory(jeune=jeune, operation=operation, entree=True)
    client.force_login(world.users_a[Role.COORDINATEUR])
    page = client.get(f"/rgpd/jeunes/{jeune.pk}/").content.decode()
    assert "Effacement impossible : les données sont conservées jusqu&#x27;au 31/12/2029" in page
    response = client.post(f"/rgpd/jeunes/{jeune.pk}/effacement/", {"confirmation": "EFFACER"}, follow=True)
    assert "art. 82" in response.content.decode()
    assert Jeune.objects.filter(pk=jeune.pk, anonymised_at__isnull=True).exists()


def test_erasure_without_audit_hold_deletes_the_person(client, world):
    jeune = JeuneFactory(organisation=world.org_a, nom="Effacable")
    client.force_login(world.users_a[Role.COORDINATEUR])
    response = client.post(f"/rgpd/jeunes/{jeune.pk}/effacement/", {"confirmation": "non"})
    assert Jeune.objects.filter(pk=jeune.pk).exists()
    response = client.post(f"/rgpd/jeunes/{jeune.pk}/effacement/", {"confirmation": "EFFACER"})
    assert response.status_code == 302
    assert not Jeune.objects.filter(pk=jeune.pk).exists()
    assert not Jeune.history.filter(id=jeune.pk).exists()


def test_processing_register_page(client, world, settings):
    client.force_login(world.users_a[Role.CONSEILLERE])
    content = client.get("/rgpd/registre/").content.decode()
    assert "Registre des traitements" in content
    for traitement in settings.TREMPLIN_PROCESSING_REGISTER["traitements"]:
        assert escape(traitement["nom"]) in content
    assert "Obligation légale" in content
    client.force_login(world.users_a[Role.PARTENAIRE])
    assert client.get("/rgpd/registre/").status_code == 403


def test_the_scope_hides_archived_and_anonymised_dossiers_from_staff(world):
    kept = JeuneFactory(organisation=world.org_a)
    archived = JeuneFactory(organisation=world.org_a, archived_at=timezone.now())
    ParticipationFactory(jeune=kept)
    ParticipationFactory(jeune=archived)
    JeuneFactory(organisation=world.org_a, archived_at=timezone.now(), anonymised_at=timezone.now())
    conseillere = Scope(organisation=world.org_a, role=Role.CONSEILLERE)
    assert list(Jeune.objects.for_scope(conseillere)) == [kept]
    assert Participation.objects.for_scope(conseillere).count() == 1
