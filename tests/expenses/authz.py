from django.core.files.base import ContentFile

from tests.expenses.factories import DepenseFactory, FeuilleTempsFactory, RessourceRecueFactory, SalarieFactory
from tests.funding.factories import OperationFactory


def _operation(world):
    return {"pk": OperationFactory(organisation=world.org_a).pk}


def _depense(world):
    depense = DepenseFactory(operation=OperationFactory(organisation=world.org_a))
    depense.justificatif.save("facture.pdf", ContentFile(b"%PDF-1.7 facture"))
    return {"pk": depense.operation_id, "depense_pk": depense.pk}


def _feuille(world):
    feuille = FeuilleTempsFactory(salarie=SalarieFactory(operation=OperationFactory(organisation=world.org_a)))
    feuille.scan_signe.save("feuille.pdf", ContentFile(b"%PDF-1.7 feuille"))
    return {"pk": feuille.salarie.operation_id, "feuille_pk": feuille.pk}


def _ressources(world):
    return {"pk": RessourceRecueFactory(operation=OperationFactory(organisation=world.org_a)).operation_id}


OBJECT_URLS = {
    "expenses:depense_list": _operation,
    "expenses:depense_create": _operation,
    "expenses:depense_import": _operation,
    "expenses:depense_import_errors": _operation,
    "expenses:depense_detail": _depense,
    "expenses:depense_justificatif": _depense,
    "expenses:temps": _operation,
    "expenses:salarie_create": _operation,
    "expenses:feuille_create": _operation,
    "expenses:feuille_edit": _feuille,
    "expenses:feuille_scan": _feuille,
    "expenses:feuille_print": _feuille,
    "expenses:ressource_list": _ressources,
}
