from datetime import date

import pytest
from django.core.exceptions import ValidationError

from diagnostics import services
from diagnostics.models import Axe, Evaluation, Item, Questionnaire, Reponse
from diagnostics.questionnaires import ANNEXE_1, SAVOIRS_ETRE
from diagnostics.scoring import resultats
from tests.core.factories import OrganisationFactory
from tests.diagnostics.factories import SMALL, evaluate, items_by_label, questionnaire
from tests.funding.factories import OperationFactory
from tests.youth.factories import JeuneFactory, ParticipationFactory


pytestmark = pytest.mark.django_db


# --- structure text -------------------------------------------------------------------------------------------


def test_structure_round_trip():
    text = services.structure_to_text(SMALL)
    assert text.startswith("Mobilité\n- Vous prenez le bus\n- Vous voyagez seul\n\nFamille")
    assert services.structure_parse(text) == SMALL


def test_structure_parse_accepts_colons_and_bullets():
    assert services.structure_parse("Mobilité :\n• Bus\n* Train\n\n") == [("Mobilité", ["Bus", "Train"])]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- Bus", "Ligne 1 : l'item « Bus » doit suivre un axe."),
        ("Mobilité\nFamille\n- Soutien", "L'axe « Mobilité » n'a aucun item"),
        ("Mobilité\n- Bus\nmobilité\n- Train", "Ligne 3 : l'axe « mobilité » apparaît deux fois."),
        ("Mobilité\n-   ", "Ligne 2 : item sans libellé."),
        ("   \n", "Le questionnaire doit avoir au moins un axe et un item."),
        ("Axe\n- " + "x" * 301, "Ligne 2 : libellé d'item trop long"),
    ],
)
def test_structure_parse_errors(text, message):
    with pytest.raises(ValidationError) as exc:
        services.structure_parse(text)
    assert any(m.startswith(message) for m in exc.value.messages), exc.value.messages


# --- reference questionnaires ---------------------------------------------------------------------------------


def test_annexe_1_is_verbatim_and_complete():
    axes = [axe for axe, _ in ANNEXE_1]
    assert axes == [
        "Situation personnelle",
        "Situation administrative",
        "Techniques de Recherche d'Emploi",
        "Connaissance de soi",
        "Connaissance des partenaires",
        "Connaissance des institutions et vie pratique",
        "Famille",
        "Hygiène de vie",
        "Mobilité",
        "Ressources informatiques",
        "Connaissance du métier",
        "Connaissance du monde de l'entreprise",
    ]
    assert sum(len(items) for _, items in ANNEXE_1) == 60
    informatique = dict(ANNEXE_1)["Ressources informatiques"]
    assert "Vous avez effectué votre JDC" in informatique
    assert "Vous êtes inscrit au / Vous avez votre permis de conduire" in informatique
    assert dict(ANNEXE_1)["Connaissance des partenaires"] == [
        "La Médiathèque",
        "Le Sagittaire / CSAPA",
        "La Maison des Ados",
        "Rencontre et Loisirs",
        "Le CCAS",
    ]
    assert [axe for axe, _ in SAVOIRS_ETRE] == [
        "Ponctualité",
        "Assiduité",
        "Présentation",
        "Communication",
        "Travail en équipe",
        "Respect des consignes",
        "Autonomie",
        "Motivation",
    ]


def test_install_defaults_gives_each_porteur_its_own_copy_once():
    org_a, org_b = OrganisationFactory(), OrganisationFactory()
    assert len(services.questionnaire_install_defaults(organisation=org_a)) == 2
    assert services.questionnaire_install_defaults(organisation=org_a) == []
    services.questionnaire_install_defaults(organisation=org_b)
    socio_a = Questionnaire.objects.get(organisation=org_a, kind="socio_pro")
    socio_b = Questionnaire.objects.get(organisation=org_b, kind="socio_pro")
    assert socio_a.pk != socio_b.pk
    version = socio_a.versions.get()
    assert version.numero == 1
    assert (version.echelle_min, version.echelle_max) == (0, 4)
    assert version.axes.count() == 12
    assert Item.objects.filter(axe__version=version).count() == 60
    assert list(version.axes.order_by("ordre").values_list("libelle", flat=True))[9] == "Ressources informatiques"


# --- versions are copy-on-write -------------------------------------------------------------------------------


def test_new_version_leaves_old_version_and_its_evaluations_unchanged():
    q = questionnaire()
    v1 = q.versions.get()
    jeune = JeuneFactory(organisation=q.organisation)
    old = evaluate(
        jeune, v1, scores_by_label={"Vous prenez le bus": 1, "Vous voyagez seul": 3, "Vous avez effectué votre JDC": 4}
    )
    before = [(a.libelle, a.moyenne, a.repondus, a.total) for a in resultats([old])[0].axes]
    v1_items = sorted(Item.objects.filter(axe__version=v1).values_list("pk", "libelle"))

    # Rename an axis, remove an item, add an item and a new axis.
    v2 = services.version_create(
        questionnaire=q,
        structure=[
            ("Mobilité et transports", ["Vous prenez le bus", "Vous avez le permis AM"]),
            ("Famille", ["Vous avez une famille qui vous soutient"]),
            ("Numérique", ["Vous avez une adresse mail personnelle"]),
        ],
        note="Refonte",
    )
    assert (v1.numero, v2.numero) == (1, 2)
    assert sorted(Item.objects.filter(axe__version=v1).values_list("pk", "libelle")) == v1_items
    old.refresh_from_db()
    assert old.version_id == v1.pk
    after = [(a.libelle, a.moyenne, a.repondus, a.total) for a in resultats([old])[0].axes]
    assert (
        after
        == before
        == [
            ("Mobilité", 2.0, 2, 2),
            ("Famille", None, 0, 2),
            ("Ressources informatiques", 4.0, 1, 2),
        ]
    )
    new = evaluate(jeune, v2, scores_by_label={"Vous avez le permis AM": 2})
    assert [(a.libelle, a.moyenne) for a in resultats([new])[0].axes] == [
        ("Mobilité et transports", 2.0),
        ("Famille", None),
        ("Numérique", None),
    ]
    # The item of v1 cannot be answered with v2.
    with pytest.raises(ValidationError):
        services.evaluation_create(
            jeune=jeune, version=v2, type="sortie", date=date(2025, 6, 1), scores={v1_items[0][0]: 2}
        )


def test_version_create_rejects_bad_scale():
    with pytest.raises(ValidationError):
        services.version_create(questionnaire=questionnaire(), structure=SMALL, echelle_min=4, echelle_max=4)


# --- evaluations ----------------------------------------------------------------------------------------------


def test_evaluation_create_stores_answers_and_means():
    q = questionnaire()
    version = q.versions.get()
    jeune = JeuneFactory(organisation=q.organisation)
    items = items_by_label(version)
    evaluation = services.evaluation_create(
        jeune=jeune,
        version=version,
        type=Evaluation.Type.ENTREE,
        date=date(2025, 3, 1),
        scores={
            items["Vous prenez le bus"].pk: 0,
            items["Vous voyagez seul"].pk: 3,
            items["Vous avez effectué votre JDC"].pk: None,
        },
        commentaires={items["Vous avez effectué votre JDC"].pk: "Convocation reçue"},
    )
    assert evaluation.organisation == jeune.organisation
    assert Reponse.objects.filter(evaluation=evaluation).count() == 3  # the commented, unscored item is kept
    assert Reponse.objects.get(evaluation=evaluation, item=items["Vous avez effectué votre JDC"]).score is None
    res = resultats([evaluation], detailed=True)[0]
    assert res.axes[0].moyenne == 1.5  # mean of 0 and 3: a 0 counts, it is an answer
    assert res.axes[1].moyenne is None
    assert res.axes[2].moyenne is None
    assert res.axes[2].items[1][1:] == (None, "Convocation reçue")
    assert evaluation.history.count() == 1


@pytest.mark.parametrize("score", [-1, 5])
def test_evaluation_create_rejects_scores_outside_the_scale(score):
    q = questionnaire()
    version = q.versions.get()
    item = items_by_label(version)["Vous prenez le bus"]
    with pytest.raises(ValidationError, match="entre 0 et 4"):
        services.evaluation_create(
            jeune=JeuneFactory(organisation=q.organisation),
            version=version,
            type="entree",
            date=date(2025, 3, 1),
            scores={item.pk: score},
        )


def test_evaluation_create_refuses_another_organisations_questionnaire_or_participation():
    q = questionnaire()
    with pytest.raises(ValidationError, match="structure du jeune"):
        services.evaluation_create(
            jeune=JeuneFactory(), version=q.versions.get(), type="entree", date=date(2025, 3, 1)
        )
    jeune = JeuneFactory(organisation=q.organisation)
    other = ParticipationFactory(jeune=JeuneFactory(organisation=q.organisation))
    with pytest.raises(ValidationError, match="participation"):
        services.evaluation_create(
            jeune=jeune, version=q.versions.get(), type="entree", date=date(2025, 3, 1), participation=other
        )
    assert not Evaluation.objects.exists()


# --- cohort progression ---------------------------------------------------------------------------------------


def _cohort_world():
    org = OrganisationFactory()
    operation = OperationFactory(organisation=org)
    q = questionnaire(org)
    return org, operation, q, q.versions.get()


def test_cohort_progression_means_and_count(django_assert_max_num_queries):
    org, operation, q, v1 = _cohort_world()
    du, au = date(2025, 1, 1), date(2025, 12, 31)
    # Jeune 1: Mobilité 1 → 3, Famille 2 → 2.
    p1 = ParticipationFactory(jeune=JeuneFactory(organisation=org), operation=operation)
    evaluate(
        p1.jeune,
        v1,
        "entree",
        date(2024, 11, 5),
        {"Vous prenez le bus": 1, "Vous voyagez seul": 1, "Vous avez une famille qui vous soutient": 2},
        p1,
    )
    evaluate(p1.jeune, v1, "intermediaire", date(2025, 2, 1), {"Vous prenez le bus": 4}, p1)
    evaluate(
        p1.jeune,
        v1,
        "sortie",
        date(2025, 6, 1),
        {"Vous prenez le bus": 3, "Vous voyagez seul": 3, "Vous avez une famille qui vous soutient": 2},
        p1,
    )
    # Jeune 2 (participation not linked on the evaluation): Mobilité 0 → 2; Famille not answered at exit.
    p2 = ParticipationFactory(jeune=JeuneFactory(organisation=org), operation=operation)
    evaluate(
        p2.jeune,
        v1,
        "entree",
        date(2025, 2, 1),
        {"Vous prenez le bus": 0, "Vous avez une famille qui vous soutient": 1},
    )
    evaluate(p2.jeune, v1, "sortie", date(2025, 9, 1), {"Vous prenez le bus": 2})
    # Not counted: exit outside the period; entry only; another operation; another questionnaire kind.
    p3 = ParticipationFactory(jeune=JeuneFactory(organisation=org), operation=operation)
    evaluate(p3.jeune, v1, "entree", date(2025, 1, 10), {"Vous prenez le bus": 0}, p3)
    evaluate(p3.jeune, v1, "sortie", date(2026, 2, 1), {"Vous prenez le bus": 4}, p3)
    p4 = ParticipationFactory(jeune=JeuneFactory(organisation=org), operation=operation)
    evaluate(p4.jeune, v1, "entree", date(2025, 1, 10), {"Vous prenez le bus": 0}, p4)
    p5 = ParticipationFactory(jeune=JeuneFactory(organisation=org), operation=OperationFactory(organisation=org))
    evaluate(p5.jeune, v1, "entree", date(2025, 1, 10), {"Vous prenez le bus": 0}, p5)
    evaluate(p5.jeune, v1, "sortie", date(2025, 5, 10), {"Vous prenez le bus": 4}, p5)
    grid = questionnaire(org, kind=Questionnaire.Kind.SAVOIRS_ETRE).versions.get()
    evaluate(p1.jeune, grid, "entree", date(2025, 1, 10), {"Vous prenez le bus": 0}, p1)
    evaluate(p1.jeune, grid, "sortie", date(2025, 5, 10), {"Vous prenez le bus": 4}, p1)

    with django_assert_max_num_queries(3):
        result = services.cohort_progression(operation, du, au)
    assert result["n"] == 2
    assert result["axes"] == [
        {"label": "Mobilité", "entree": 0.5, "sortie": 2.5, "delta": 2.0},
        {"label": "Famille", "entree": 2.0, "sortie": 2.0, "delta": 0.0},
    ]
    svg = str(result["svg"])
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert "Moyenne à l&#x27;entrée : Mobilité 0,5 ; Famille 2,0." in svg

    # The savoirs-être grid on demand.
    other = services.cohort_progression(operation, du, au, questionnaire=grid.questionnaire)
    assert other["n"] == 1
    assert other["axes"][0] == {"label": "Mobilité", "entree": 0.0, "sortie": 4.0, "delta": 4.0}


def test_cohort_progression_matches_axes_across_versions_by_label():
    org, operation, q, v1 = _cohort_world()
    v2 = services.version_create(
        questionnaire=q,
        structure=[("Mobilité", ["Vous prenez le bus", "Vous avez le permis AM"]), ("Santé", ["Bilan"])],
    )
    p = ParticipationFactory(jeune=JeuneFactory(organisation=org), operation=operation)
    evaluate(
        p.jeune,
        v1,
        "entree",
        date(2025, 1, 5),
        {"Vous prenez le bus": 1, "Vous avez une famille qui vous soutient": 2},
    )
    evaluate(
        p.jeune, v2, "sortie", date(2025, 6, 5), {"Vous prenez le bus": 3, "Vous avez le permis AM": 4, "Bilan": 2}
    )
    result = services.cohort_progression(operation, date(2025, 1, 1), date(2025, 12, 31))
    assert result["n"] == 1
    assert result["axes"] == [{"label": "Mobilité", "entree": 1.0, "sortie": 3.5, "delta": 2.5}]


def test_cohort_progression_empty():
    org, operation, q, v1 = _cohort_world()
    assert services.cohort_progression(operation, date(2025, 1, 1), date(2025, 12, 31)) == {
        "axes": [],
        "n": 0,
        "svg": "",
    }


def test_cohort_progression_query_count_does_not_grow(django_assert_max_num_queries):
    org, operation, q, v1 = _cohort_world()
    for n in range(12):
        p = ParticipationFactory(jeune=JeuneFactory(organisation=org), operation=operation)
        evaluate(p.jeune, v1, "entree", date(2025, 1, 5), {"Vous prenez le bus": n % 5}, p)
        evaluate(p.jeune, v1, "sortie", date(2025, 6, 5), {"Vous prenez le bus": 4}, p)
    with django_assert_max_num_queries(3):
        result = services.cohort_progression(operation, date(2025, 1, 1), date(2025, 12, 31))
    assert result["n"] == 12


def test_axe_and_item_scoping_follows_the_questionnaire_owner():
    q = questionnaire()
    assert Axe.objects.for_organisation(q.organisation).count() == 3
    assert Axe.objects.for_organisation(OrganisationFactory()).count() == 0
