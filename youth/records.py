"""Correct and delete records of a dossier with a reason, restore them from the corbeille (docs/youth.md).

Deleting is a soft delete (``core.softdelete.SoftDeleteModel``): the row stays, with who, when and why, in the
history and in the organisation's corbeille, and the scope layer hides it from every list, count and indicator.

- who deletes: the author of the record (``author_id``) or coordination;
- who restores: coordination (``restore``);
- what may not be deleted: a record a registered lock refuses (``core.softdelete.register_lock``: reports says
  when a signed-off bilan counted it), and a dossier entered in an operation (it counts in the FSE figures:
  merge it with the right dossier, or correct the participation, instead).
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.roles import Role
from core.softdelete import SoftDeleteModel, lock_reason


def soft_deletable_models():
    """Every concrete model of the project using the soft-delete mixin (history copies excluded)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, SoftDeleteModel) and getattr(model, "instance_type", None) is None
    ]


def author_id(obj):
    """Who wrote ``obj``: its author field, else the user of its first history record."""
    for name in ("auteur_id", "created_by_id", "evaluateur_id"):
        if hasattr(obj, name):
            value = getattr(obj, name)
            if value is not None:
                return value
    history = getattr(obj, "history", None)
    if history is not None:
        first = history.order_by("history_date", "history_id").only("history_user_id").first()
        return first.history_user_id if first else None
    return None


def may_delete(scope, obj):
    return scope.role == Role.COORDINATEUR or (scope.user is not None and author_id(obj) == scope.user.pk)


def delete_refusal(obj):
    """The French reason why ``obj`` may not be deleted, or None."""
    from youth.models import Jeune

    if isinstance(obj, Jeune):
        entered = obj.participations.fse().select_related("operation").order_by("date_entree").first()
        if entered is not None:
            return (
                f"Ce dossier est entré dans l'opération {entered.operation.code} le "
                f"{entered.date_entree:%d/%m/%Y} : il compte dans les indicateurs FSE et ne peut pas être supprimé. "
                "S'il s'agit d'un doublon, fusionnez-le avec le bon dossier ; sinon corrigez la participation."
            )
    return lock_reason(obj)


@transaction.atomic
def delete(*, obj, scope, motif):
    """Soft-delete ``obj`` (its author or coordination), with a reason; refused with the reason otherwise."""
    if not may_delete(scope, obj):
        raise PermissionDenied("Seul l'auteur ou la coordination peut supprimer cet élément.")
    refusal = delete_refusal(obj)
    if refusal:
        raise ValidationError(refusal)
    obj._history_user = scope.user
    obj.soft_delete(user=scope.user, motif=motif)
    return obj


@transaction.atomic
def restore(*, obj, scope):
    """Coordination brings a deleted record back (a merged dossier is not restored: its records moved)."""
    if scope.role != Role.COORDINATEUR:
        raise PermissionDenied("Seule la coordination restaure un élément supprimé.")
    if getattr(obj, "fusionne_dans_id", None):
        raise ValidationError(
            f"Ce dossier a été fusionné dans le dossier n° {obj.fusionne_dans_id} : ses éléments y ont été déplacés, "
            "il ne se restaure pas."
        )
    obj.restore(user=scope.user)
    return obj


def edit_refusal(obj):
    """What a signed-off bilan counted is corrected only through coordination's rectification: refused here."""
    return lock_reason(obj)
