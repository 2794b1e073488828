import io
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core import dossier
from core.dossier import DossierContext
from core.models import Role
from diagnostics import integration, services
from diagnostics.models import Evaluation, Questionnaire, QuestionnaireVersion
from tests.diagnostics.factories import evaluate, items_by_label, questionnaire
from tests.funding.factories import OperationFactory
from tests.scope import scope_for
from tests.youth.factories import FreinFactory, JeuneFactory, ParticipationFactory
from youth.models import Frein


pytestmark = pytest.mark.django_db


@pytest.fixture
def org_setup(world):
    services.questionnaire_install_defaults(organisation=world.org_a)
    socio = Questionnaire.objects.get(organisation=world.org_a, kind="socio_pro")
    return world, socio, socio.versions.get()


def login(client, user):
    client.force_login(user)
    return client


def post_evaluation(client, jeune, version, type_, when, scores, questionnaire_id=None, **extra):
    data = {
        "type": type_,
        "date": when.isoformat(),
        "questionnaire": questionnaire_id or version.questionnaire_id,
        "version": version.pk,
        **extra,
    }
    for item_id, score in scores.items():
        data[f"score_{item_id}"] = "" if score is None else str(score)
    return client.post(reverse("diagnostics:evaluation_create", args=[jeune.pk]), data)


def dossier_request(user, organisation):
    """The scope the dossier page of ``user`` acting in ``organisation`` reads with."""
    return scope_for(user, organisation)


def build_panel(scope, jeune):
    contribution = integration.contribute(DossierContext(scope=scope, jeune=jeune))
    return (
        None
        if contribution is None or contribution.template is None
        else (
            contribution.template,
            contribution.context,
        )
    )


def timeline_events(jeune, user, scope=None):
    contribution = integration.contribute(DossierContext(scope=scope or scope_for(user), jeune=jeune))
    return [] if contribution is None else contribution.events


def test_conseillere_fills_entry_and_exit_and_sees_both_on_one_radar(client, org_setup):
    world, socio, version = org_setup
    conseillere = world.users_a[Role.CONSEILLERE]
    jeune = JeuneFactory(organisation=world.org_a, prenom="Léa", nom="Martin")
    participation = ParticipationFactory(jeune=jeune, entree=True)
    items = items_by_label(version)
    login(client, conseillere)

    response = client.get(reverse("diagnostics:evaluation_create", args=[jeune.pk]) + "?type=entree")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('type="radio"') == 60 * 6  # 60 items × (non renseigné + 0..4)
    assert "Vous avez effectué votre JDC" in html
    assert response.context["form"]["type"].value() == "entree"
    assert response.context["form"]["participation"].value() == participation.pk  # the only one is preselected

    entry_scores = {items["Logement"].pk: 1, items["Financier"].pk: 0, items["Vous prenez le bus"].pk: 2}
    response = post_evaluation(
        client,
        jeune,
        version,
        "entree",
        date(2025, 3, 12),
        entry_scores,
        participation=participation.pk,
        **{f"commentaire_{items['Logement'].pk}": "Hébergé chez sa sœur"},
    )
    entree = Evaluation.objects.get(type="entree")
    assert response.status_code == 302
    assert response["Location"] == reverse("diagnostics:evaluation_detail", args=[entree.pk])
    assert entree.evaluateur == conseillere
    assert entree.participation == participation
    assert entree.reponses.get(item=items["Logement"]).commentaire == "Hébergé chez sa sœur"

    exit_scores = {items["Logement"].pk: 3, items["Financier"].pk: 2, items["Vous prenez le bus"].pk: 4}
    response = post_evaluation(client, jeune, version, "sortie", date(2025, 9, 2), exit_scores)
    assert response.status_code == 302
    sortie = Evaluation.objects.get(type="sortie")

    # The panel (as the dossier builds it) overlays entry and exit on one radar, with the table.
    template, context = build_panel(dossier_request(conseillere, world.org_a), jeune)
    assert template == "diagnostics/_panel.html"
    [progression] = [p for p in context["progressions"] if p.questionnaire == socio]
    svg = str(progression.svg)
    assert svg.count("<svg") == 1
    assert 'class="radar-serie radar-entree"' in svg
    assert 'class="radar-serie radar-sortie"' in svg
    assert "Entrée (12/03/2025)" in svg
    assert "Sortie (02/09/2025)" in svg
    ligne = progression.lignes[0]
    assert ligne == {"libelle": "Situation personnelle", "entree": 0.5, "derniere": None, "sortie": 2.5, "delta": 2.0}
    assert progression.lignes[1]["entree"] is None  # Situation administrative: non renseigné

    # The stand-alone page and the panel rendered the way the dossier renders it (panel.context).
    page = client.get(reverse("diagnostics:jeune_diagnostics", args=[jeune.pk])).content.decode()
    for html in (page, render_to_string(template, {"panel": {"context": context}, "jeune": jeune})):
        assert html.count('role="img"') == 1
        assert "<caption>Scores moyens par axe : entrée le 12/03/2025, sortie le 02/09/2025</caption>" in html
        assert "non renseigné" in html
        assert "+2,0" in html
        assert reverse("diagnostics:evaluation_pdf", args=[sortie.pk]) in html

    # The exit evaluation's page compares it with the entry, on the radar and in the table.
    page = client.get(reverse("diagnostics:evaluation_detail", args=[sortie.pk])).content.decode()
    assert 'class="radar-serie radar-entree"' in page
    assert 'class="radar-serie radar-sortie"' in page
    assert '<th scope="col" class="num">Entrée (12/03/2025)</th>' in page
    entry_page = client.get(reverse("diagnostics:evaluation_detail", args=[entree.pk])).content.decode()
    assert "radar-sortie" not in entry_page

    # The printable sheet.
    response = client.get(reverse("diagnostics:evaluation_pdf", args=[sortie.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Diagnostic socio-professionnel" in text
    assert "évaluation sortie" in text
    assert "Léa Martin" in text
    assert "02/09/2025" in text
    assert "Connaissance du monde de" in text
    assert "Vous avez effectué votre JDC" in text
    assert "non renseigné" in text.replace("\n", " ")
    assert "Signature du jeune" in text
    assert "Entrée (12/03/2025)" in text  # the entry column and legend


def test_evaluation_form_keeps_input_and_explains_errors(client, org_setup):
    world, socio, version = org_setup
    jeune = JeuneFactory(organisation=world.org_a)
    items = items_by_label(version)
    login(client, world.users_a[Role.CONSEILLERE])
    tomorrow = timezone.localdate().replace(year=timezone.localdate().year + 1)
    response = post_evaluation(
        client, jeune, version, "entree", tomorrow, {items["Logement"].pk: 7, items["CV"].pk: 3}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "La date ne peut pas être dans le futur." in form.errors["date"]
    assert f"score_{items['Logement'].pk}" in form.errors
    assert form[f"score_{items['CV'].pk}"].value() == "3"
    assert not Evaluation.objects.exists()


def test_evaluation_create_ignores_a_version_of_another_organisation(client, org_setup):
    world, socio, version = org_setup
    foreign = questionnaire(world.org_b).versions.get()
    jeune = JeuneFactory(organisation=world.org_a)
    login(client, world.users_a[Role.COORDINATEUR])
    response = post_evaluation(client, jeune, foreign, "entree", date(2025, 3, 1), {}, questionnaire_id=socio.pk)
    assert response.status_code == 302
    assert Evaluation.objects.get().version == version


def test_new_version_through_the_ui_keeps_past_evaluations(client, org_setup):
    world, socio, v1 = org_setup
    jeune = JeuneFactory(organisation=world.org_a)
    old = evaluate(jeune, v1, scores_by_label={"Logement": 2})
    url = reverse("diagnostics:version_create", args=[socio.pk])

    login(client, world.users_a[Role.CONSEILLERE])
    assert client.get(url).status_code == 403

    login(client, world.users_a[Role.COORDINATEUR])
    response = client.get(url)
    text = response.context["form"].initial["structure"]
    assert text.startswith("Situation personnelle\n- Logement\n- Financier")
    edited = (
        text.replace("- Logement\n", "- Hébergement stable\n").replace("- Justice\n", "")
        + "\n\nNumérique\n- Smartphone"
    )
    response = client.post(url, {"structure": edited, "echelle_min": 0, "echelle_max": 4, "note": "Test"})
    v2 = QuestionnaireVersion.objects.get(questionnaire=socio, numero=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("diagnostics:version_detail", args=[v2.pk])
    assert v2.axes.count() == 13
    assert v2.publiee_par == world.users_a[Role.COORDINATEUR]

    # The old evaluation still shows its own items; a new evaluation uses v2.
    page = client.get(reverse("diagnostics:evaluation_detail", args=[old.pk])).content.decode()
    assert "Logement" in page
    assert "Justice" in page
    assert "Hébergement stable" not in page
    assert "Version 1" in page
    form_page = client.get(reverse("diagnostics:evaluation_create", args=[jeune.pk]))
    assert form_page.context["version"] == v2
    assert "Hébergement stable" in form_page.content.decode()

    # Errors are shown in French and what was typed is kept.
    response = client.post(url, {"structure": "- orphelin\nAxe vide", "echelle_min": 2, "echelle_max": 1})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Ligne 1 : l'item « orphelin » doit suivre un axe." in errors["structure"]
    assert "La note maximale doit être supérieure à la note minimale." in errors["echelle_max"]
    assert "- orphelin" in response.content.decode()
    assert socio.versions.count() == 2


@pytest.mark.parametrize("role", [Role.CHARGE_ENTREPRISES, Role.PARTENAIRE])
def test_roles_without_diagnostics_access_get_403(client, org_setup, role):
    world, socio, version = org_setup
    jeune = JeuneFactory(organisation=world.org_a)
    evaluation = evaluate(jeune, version)
    login(client, world.users_a[role])
    for url in (
        reverse("diagnostics:questionnaire_list"),
        reverse("diagnostics:evaluation_create", args=[jeune.pk]),
        reverse("diagnostics:evaluation_detail", args=[evaluation.pk]),
        reverse("diagnostics:evaluation_pdf", args=[evaluation.pk]),
        reverse("diagnostics:jeune_diagnostics", args=[jeune.pk]),
        reverse("diagnostics:progression"),
    ):
        assert client.get(url).status_code == 403, url
    assert (
        build_panel(dossier_request(world.users_a[role], world.users_a[role].memberships.get().organisation), jeune)
        is None
    )


def test_other_organisation_gets_404(client, org_setup):
    world, socio, version = org_setup
    jeune = JeuneFactory(organisation=world.org_a)
    evaluation = evaluate(jeune, version)
    intruder = next(u for u in world.intruders if u.memberships.get().role == Role.COORDINATEUR)
    login(client, intruder)
    for url in (
        reverse("diagnostics:evaluation_create", args=[jeune.pk]),
        reverse("diagnostics:evaluation_detail", args=[evaluation.pk]),
        reverse("diagnostics:evaluation_pdf", args=[evaluation.pk]),
        reverse("diagnostics:jeune_diagnostics", args=[jeune.pk]),
        reverse("diagnostics:version_detail", args=[version.pk]),
        reverse("diagnostics:version_create", args=[socio.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("diagnostics:version_create", args=[socio.pk]), {"structure": "A\n- b"}).status_code == 404
    )
    assert socio.versions.count() == 1
    # Lists and the panel/timeline of another organisation's jeune show nothing.
    assert socio.titre not in client.get(reverse("diagnostics:questionnaire_list")).content.decode()
    assert timeline_events(jeune, intruder) == []
    request = dossier_request(intruder, intruder.memberships.get().organisation)
    assert build_panel(request, jeune)[1]["progressions"] == []


def test_questionnaire_install_is_for_coordinateurs(client, world):
    login(client, world.users_a[Role.CONSEILLERE])
    assert client.post(reverse("diagnostics:questionnaire_install")).status_code == 403
    login(client, world.users_a[Role.COORDINATEUR])
    assert client.get(reverse("diagnostics:questionnaire_install")).status_code == 405
    response = client.post(reverse("diagnostics:questionnaire_install"))
    assert response.status_code == 302
    assert set(Questionnaire.objects.filter(organisation=world.org_a).values_list("kind", flat=True)) == {
        "socio_pro",
        "savoirs_etre",
    }
    assert not Questionnaire.objects.filter(organisation=world.org_b).exists()


def test_evaluation_create_without_questionnaire_redirects_to_the_list(client, world):
    login(client, world.users_a[Role.CONSEILLERE])
    response = client.get(reverse("diagnostics:evaluation_create", args=[JeuneFactory(organisation=world.org_a).pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("diagnostics:questionnaire_list")


def test_timeline_events_one_query(org_setup, django_assert_num_queries):
    world, socio, version = org_setup
    jeune = JeuneFactory(organisation=world.org_a)
    evaluation = evaluate(jeune, version, "entree", date(2025, 3, 12), evaluateur=world.users_a[Role.CONSEILLERE])
    evaluate(jeune, version, "sortie", date(2025, 9, 1))
    scope = scope_for(world.users_a[Role.CONSEILLERE])
    with django_assert_num_queries(4):  # the events, and the panel (evaluations, items, answers)
        events = timeline_events(jeune, None, scope=scope)
    assert [e.when for e in events] == [date(2025, 9, 1), date(2025, 3, 12)]
    assert events[1].title == "Diagnostic socio-professionnel : évaluation entrée"
    assert events[1].url == reverse("diagnostics:evaluation_detail", args=[evaluation.pk])
    assert events[1].kind == "diagnostic"
    # Charge entreprises may not read diagnostics.
    assert timeline_events(jeune, world.users_a[Role.CHARGE_ENTREPRISES]) == []


def test_panel_is_registered_for_the_dossier(org_setup):
    world, socio, version = org_setup
    jeune = JeuneFactory(organisation=world.org_a)
    evaluate(jeune, version)
    panels = dossier.panels_for(
        DossierContext(scope=dossier_request(world.users_a[Role.CONSEILLERE], world.org_a), jeune=jeune)
    )
    [panel] = [p for p in panels if p["key"] == "diagnostics"]
    assert panel["title"] == "Diagnostic"
    assert panel["template"] == "diagnostics/_panel.html"


def test_panel_and_page_query_counts_do_not_grow(client, org_setup, django_assert_max_num_queries):
    world, socio, version = org_setup
    grid = Questionnaire.objects.get(organisation=world.org_a, kind="savoirs_etre").versions.get()
    conseillere = world.users_a[Role.CONSEILLERE]
    jeune = JeuneFactory(organisation=world.org_a)
    evaluate(jeune, version, "entree", date(2025, 1, 5), {"Logement": 1})
    request = dossier_request(conseillere, world.org_a)
    with django_assert_max_num_queries(4) as ctx:  # events, then the panel: evaluations, items, answers
        build_panel(request, jeune)
    panel_queries = len(ctx.captured_queries)
    login(client, conseillere)
    url = reverse("diagnostics:jeune_diagnostics", args=[jeune.pk])
    with django_assert_max_num_queries(13) as ctx:
        client.get(url)
    page_queries = len(ctx.captured_queries)

    for month in range(2, 10):
        evaluate(jeune, version, "intermediaire", date(2025, month, 5), {"Logement": 2, "CV": 3})
        evaluate(jeune, grid, "intermediaire", date(2025, month, 6), {"Prévient en cas de retard": 1})
    evaluate(jeune, version, "sortie", date(2025, 11, 5), {"Logement": 4})
    with django_assert_max_num_queries(panel_queries):
        template, context = build_panel(request, jeune)
    assert len(context["progressions"]) == 2
    with django_assert_max_num_queries(page_queries):
        assert client.get(url).status_code == 200


def test_detail_list_and_progression_query_counts(client, org_setup, django_assert_max_num_queries):
    world, socio, version = org_setup
    operation = OperationFactory(organisation=world.org_a)
    jeune = JeuneFactory(organisation=world.org_a)
    evaluation = evaluate(jeune, version, scores_by_label={"Logement": 1})
    first = ParticipationFactory(jeune=JeuneFactory(organisation=world.org_a), operation=operation)
    evaluate(first.jeune, version, "entree", date(2025, 2, 1), {"Logement": 1}, first)
    evaluate(first.jeune, version, "sortie", date(2025, 7, 1), {"Logement": 2}, first)
    login(client, world.users_a[Role.COORDINATEUR])
    detail = reverse("diagnostics:evaluation_detail", args=[evaluation.pk])
    listing = reverse("diagnostics:questionnaire_list")
    progression = reverse("diagnostics:progression") + f"?operation={operation.pk}&du=2025-01-01&au=2025-12-31"
    counts = {}
    for url in (detail, listing, progression):
        with django_assert_max_num_queries(15) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)

    # More answers, versions, evaluations and youth: same number of queries.
    items = items_by_label(version)
    services.evaluation_create(
        jeune=jeune, version=version, type="sortie", date=date(2025, 6, 1), scores={i.pk: 3 for i in items.values()}
    )
    for n in range(3):
        services.version_create(questionnaire=socio, structure=[("Axe", [f"Item {n}"])])
    for _ in range(5):
        p = ParticipationFactory(jeune=JeuneFactory(organisation=world.org_a), operation=operation)
        evaluate(p.jeune, version, "entree", date(2025, 2, 1), {"Logement": 1}, p)
        evaluate(p.jeune, version, "sortie", date(2025, 7, 1), {"Logement": 3}, p)
    for url in (detail, listing, progression):
        with django_assert_max_num_queries(counts[url]):
            response = client.get(url)
    assert response.context["result"]["n"] == 6
    assert "6</strong> jeunes évalués" in response.content.decode()


def test_progression_page_defaults_and_validation(client, org_setup):
    world, socio, version = org_setup
    operation = OperationFactory(organisation=world.org_a, date_debut=date(2024, 1, 1))
    OperationFactory(organisation=world.org_b, intitule="Opération de B")
    login(client, world.users_a[Role.COORDINATEUR])
    response = client.get(reverse("diagnostics:progression"))
    form = response.context["form"]
    assert form.initial["operation"] == operation
    assert form.initial["du"] == date(2024, 1, 1)
    assert "Opération de B" not in response.content.decode()
    response = client.get(
        reverse("diagnostics:progression") + f"?operation={operation.pk}&du=2025-06-01&au=2025-01-01"
    )
    assert "La fin de période doit suivre son début." in response.context["form"].errors["au"]
    assert response.context["result"] is None
    login(client, world.users_a[Role.CONSEILLERE])
    assert client.get(reverse("diagnostics:progression")).status_code == 403


def test_jeune_page_shows_freins_lifted(client, org_setup):
    world, socio, version = org_setup
    jeune = JeuneFactory(organisation=world.org_a)
    FreinFactory(jeune=jeune, kind=Frein.Kind.MOBILITE, identifie_le=date(2025, 3, 1), leve_le=date(2025, 6, 2))
    FreinFactory(jeune=jeune, kind=Frein.Kind.LOGEMENT, identifie_le=date(2025, 3, 1))
    FreinFactory(jeune=JeuneFactory(organisation=world.org_a), kind=Frein.Kind.SANTE, identifie_le=date(2025, 3, 1))
    request = dossier_request(world.users_a[Role.CONSEILLERE], world.org_a)
    assert build_panel(request, jeune)[1]["freins"] is None  # the dossier lists freins itself
    context = integration.panel_context(request, jeune, with_freins=True)
    assert context["freins"]["identifies"] == 2
    html = render_to_string("diagnostics/_panel.html", context)
    expected = "<strong>Freins levés :</strong> 1 sur 2 (mobilité le 02/06/2025). Encore à lever : logement."
    assert expected in html
    login(client, world.users_a[Role.CONSEILLERE])
    assert expected in client.get(reverse("diagnostics:jeune_diagnostics", args=[jeune.pk])).content.decode()


def test_version_form_and_sheet_query_counts(client, org_setup, django_assert_max_num_queries):
    world, socio, version = org_setup
    jeune = JeuneFactory(organisation=world.org_a)
    ParticipationFactory(jeune=jeune, entree=True)
    evaluate(jeune, version, "entree", date(2025, 1, 5), {"Logement": 1})
    sortie = evaluate(jeune, version, "sortie", date(2025, 6, 5), {"Logement": 3})
    login(client, world.users_a[Role.COORDINATEUR])
    urls = [
        reverse("diagnostics:version_detail", args=[version.pk]),
        reverse("diagnostics:version_create", args=[socio.pk]),
        reverse("diagnostics:evaluation_create", args=[jeune.pk]) + "?type=sortie",
        reverse("diagnostics:evaluation_pdf", args=[sortie.pk]),
    ]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(15) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)

    # More versions, evaluations, answers and participations: same number of queries.
    for n in range(4):
        services.version_create(questionnaire=socio, structure=[("Axe", [f"Item {n}"])])
    items = items_by_label(version)
    for month in range(2, 6):
        services.evaluation_create(
            jeune=jeune,
            version=version,
            type="intermediaire",
            date=date(2025, month, 1),
            scores={i.pk: 2 for i in items.values()},
        )
    ParticipationFactory(jeune=jeune, operation=OperationFactory(organisation=world.org_a), entree=True)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200
