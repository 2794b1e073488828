from diagnostics.models import Evaluation
from tests.diagnostics.factories import EvaluationFactory, questionnaire
from tests.funding.factories import OperationFactory
from tests.youth.factories import JeuneFactory


OBJECT_URLS = {
    "diagnostics:version_create": lambda world: {"questionnaire_id": questionnaire(world.org_a).pk},
    "diagnostics:version_detail": lambda world: {"pk": questionnaire(world.org_a).versions.get().pk},
    "diagnostics:jeune_diagnostics": lambda world: {"jeune_id": JeuneFactory(organisation=world.org_a).pk},
    "diagnostics:evaluation_create": lambda world: {"jeune_id": JeuneFactory(organisation=world.org_a).pk},
    "diagnostics:evaluation_detail": lambda world: {"pk": EvaluationFactory(jeune__organisation=world.org_a).pk},
    "diagnostics:evaluation_update": lambda world: {"pk": EvaluationFactory(jeune__organisation=world.org_a).pk},
    "diagnostics:evaluation_delete": lambda world: {"pk": EvaluationFactory(jeune__organisation=world.org_a).pk},
    "diagnostics:evaluation_pdf": lambda world: {
        "pk": EvaluationFactory(jeune__organisation=world.org_a, type=Evaluation.Type.SORTIE).pk
    },
}

LIST_URLS = {
    "diagnostics:questionnaire_list": lambda world: questionnaire(world.org_a, titre="Grille Zzsecrète").titre,
    "diagnostics:progression": lambda world: (
        OperationFactory(organisation=world.org_a, intitule="Opé Zzcachée").intitule
    ),
}
