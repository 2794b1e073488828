import random
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F, Max, Min
from faker import Faker

from diagnostics import seed
from diagnostics.models import Axe, Evaluation, Item, Questionnaire, QuestionnaireVersion, Reponse
from home.management.commands.seed_demo import SeedContext, seed_base, seed_operations
from tests.diagnostics.factories import questionnaire
from tests.youth.factories import JeuneFactory, ParticipationFactory


pytestmark = pytest.mark.django_db


def test_seed_demo_questionnaires_and_evaluations():
    orgs, users = seed_base()
    operations = seed_operations(orgs)
    for key, code in (("acsrv", "EME"), ("carvin", "NOE")):
        for n in range(30):
            ParticipationFactory(
                jeune=JeuneFactory(organisation=orgs[key]),
                operation=operations[code],
                date_entree=date(2017, 1, 10),
                date_sortie=date(2017, 7, 10) if n % 2 else None,
            )
    ctx = SeedContext(
        orgs=orgs,
        users=users,
        operations=operations,
        faker=Faker("fr_FR"),
        rng=random.Random(1),
        today=date(2026, 1, 5),
    )
    seed.seed_demo(ctx)

    for key in ("acsrv", "carvin"):
        kinds = sorted(Questionnaire.objects.filter(organisation=orgs[key]).values_list("kind", flat=True))
        assert kinds == ["savoirs_etre", "socio_pro"]
        socio = Questionnaire.objects.get(organisation=orgs[key], kind="socio_pro").versions.get()
        assert Item.objects.filter(axe__version=socio).count() == 60
    assert not Questionnaire.objects.filter(organisation__kind="partenaire").exists()
    # ACSRV's savoirs-être grid has a second version; evaluations were made with version 1.
    grid = Questionnaire.objects.get(organisation=orgs["acsrv"], kind="savoirs_etre")
    assert list(grid.versions.values_list("numero", flat=True)) == [2, 1]
    assert not Evaluation.objects.filter(version__numero=2).exists()

    evaluations = Evaluation.objects.filter(version__questionnaire__kind="socio_pro")
    assert evaluations.filter(type="entree").count() > 30
    assert evaluations.filter(type="sortie").exists()
    assert not evaluations.filter(type="sortie", participation__date_sortie__isnull=True).exists()
    assert not Evaluation.objects.exclude(organisation=F("jeune__organisation")).exists()
    scores = Reponse.objects.aggregate(lo=Min("score"), hi=Max("score"))
    assert scores["lo"] >= 0
    assert scores["hi"] <= 4


def test_published_versions_cannot_be_updated():
    q = questionnaire()
    version = q.versions.get()
    axe = Axe.objects.filter(version=version).first()
    item = Item.objects.filter(axe=axe).first()
    for obj, field, value in ((version, "echelle_max", 10), (axe, "libelle", "Renommé"), (item, "libelle", "Renommé")):
        setattr(obj, field, value)
        with pytest.raises(ValidationError, match="ne se modifie pas"):
            obj.save()
    assert QuestionnaireVersion.objects.get(pk=version.pk).echelle_max == 4
    assert Axe.objects.get(pk=axe.pk).libelle == "Mobilité"
