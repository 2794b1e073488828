from datetime import date

import factory
from factory.django import DjangoModelFactory

from diagnostics import services
from diagnostics.models import Evaluation, Questionnaire
from tests.core.factories import OrganisationFactory
from tests.youth.factories import JeuneFactory


SMALL = [
    ("Mobilité", ["Vous prenez le bus", "Vous voyagez seul"]),
    ("Famille", ["Vous avez une famille qui vous soutient", "Vous vous sentez bien dans votre vie"]),
    ("Ressources informatiques", ["Vous avez une adresse mail personnelle", "Vous avez effectué votre JDC"]),
]


def questionnaire(organisation=None, structure=SMALL, kind=Questionnaire.Kind.SOCIO_PRO, titre=None):
    """A questionnaire with its version 1, through the service (as the UI does)."""
    organisation = organisation or OrganisationFactory()
    return services.questionnaire_create(
        organisation=organisation,
        titre=titre or f"Diagnostic {organisation.sigle}",
        kind=kind,
        structure=structure,
    )


def items_by_label(version):
    return {item.libelle: item for axe in version.axes.all() for item in axe.items.all()}


def evaluate(
    jeune, version, type="entree", when=date(2025, 3, 12), scores_by_label=None, participation=None, evaluateur=None
):
    """An evaluation whose scores are given by item label."""
    items = items_by_label(version)
    scores = {items[label].pk: score for label, score in (scores_by_label or {}).items()}
    return services.evaluation_create(
        jeune=jeune,
        version=version,
        type=type,
        date=when,
        scores=scores,
        participation=participation,
        evaluateur=evaluateur,
    )


class EvaluationFactory(DjangoModelFactory):
    """An evaluation without answers (use ``evaluate`` for scored ones)."""

    class Meta:
        model = Evaluation

    jeune = factory.SubFactory(JeuneFactory)
    organisation = factory.SelfAttribute("jeune.organisation")
    version = factory.LazyAttribute(lambda o: questionnaire(o.jeune.organisation).versions.get())
    type = Evaluation.Type.ENTREE
    date = date(2025, 3, 12)
