from tests.funding.factories import OperationFactory


def _operation(world):
    return {"pk": OperationFactory(organisation=world.org_a).pk}


OBJECT_URLS = {
    "funding:operation_detail": _operation,
    "funding:operation_edit": _operation,
    "funding:objectifs_edit": _operation,
    "funding:budget_edit": _operation,
    "funding:ressources_edit": _operation,
}

LIST_URLS = {
    "funding:operation_list": lambda world: (
        OperationFactory(organisation=world.org_a, intitule="Zzopération A").intitule
    ),
}
