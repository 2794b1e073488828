"""Merge two dossiers of the same person (coordination): every record of the duplicate moves to the kept dossier.

The relations are found generically (``Jeune._meta.related_objects``, and the same for ``Participation`` when two
participations meet in one operation), so the model of a new app pointing to ``Jeune`` moves with the others
without youth importing that app (docs/architecture.md, dependency direction). A unique constraint that the move
would break (two registrations to the same session, two follow-ups at the same échéance) keeps the kept dossier's
row and drops the duplicate's, and the preview says so. Two participations in the same operation become one: the
kept dossier's participation stays, the duplicate's records (documents, follow-ups, evaluations, aids) move to it,
and the duplicate's participation is deleted — so the FSE figures count the person once.

The duplicate is kept as « fusionné dans n° X »: soft-deleted (hidden from every list, count and indicator by the
scope layer), ``fusionne_dans`` set, its URL redirecting to the kept dossier, its history intact. The merge is
written in the history of both dossiers (change reason), hence in the audit log.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from core.softdelete import lock_reason
from youth.models import Jeune, Participation


# Fields of the kept dossier filled from the duplicate when empty on the kept one.
FILLED_FIELDS = (
    "reference",
    "telephone",
    "email",
    "contact_nom",
    "contact_telephone",
    "contact_email",
    "adresse",
    "code_postal",
    "commune",
    "commune_insee",
    "representant_legal_nom",
    "representant_legal_telephone",
    "representant_legal_email",
    "obligation_formation",
    "referent_id",
    "organisation_orienteuse_id",
    "information_rgpd_le",
    "consentement_le",
)
# Relations that do not move: the merged dossier's own link to the kept one.
NOT_MOVED = {("youth.Jeune", "fusionne_dans")}


def relations(model):
    """(related model, FK field) of every relation of the project pointing to ``model`` (history copies and
    hidden reverse relations included, so nothing is forgotten; history copies are skipped: history is kept)."""
    found = []
    for rel in model._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        related = rel.related_model
        if getattr(related, "instance_type", None) is not None:
            continue
        if (related._meta.label, rel.field.name) in NOT_MOVED:
            continue
        found.append((related, rel.field))
    return sorted(found, key=lambda pair: (pair[0]._meta.label, pair[1].name))


def _unique_sets(model, field_name):
    """The other fields of each unique constraint of ``model`` that includes ``field_name``."""
    sets = []
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if isinstance(constraint, models.UniqueConstraint) and field_name in fields:
            sets.append(tuple(f for f in fields if f != field_name))
    for together in model._meta.unique_together:
        if field_name in together:
            sets.append(tuple(f for f in together if f != field_name))
    if model._meta.get_field(field_name).unique:
        sets.append(())
    return sets


def _attname(model, name):
    return model._meta.get_field(name).attname


@dataclass
class Move:
    model: type
    field: object
    moved: int = 0
    collisions: dict = field(default_factory=dict)  # pk of the duplicate's row → pk of the kept one's row

    @property
    def label(self):
        return str(self.model._meta.verbose_name_plural)


def plan_moves(old, new):
    """What moving every row pointing to ``old`` onto ``new`` does: one Move per relation with rows. One query per
    relation to count, plus one per relation with a unique constraint, whatever the number of rows."""
    moves = []
    for model, fk in relations(type(old)):
        manager = model._base_manager
        count = manager.filter(**{fk.name: old}).count()
        if not count:
            continue
        move = Move(model=model, field=fk, moved=count)
        for others in _unique_sets(model, fk.name):
            names = [_attname(model, name) for name in others]
            kept = {tuple(row[1:]): row[0] for row in manager.filter(**{fk.name: new}).values_list("pk", *names)}
            for row in manager.filter(**{fk.name: old}).values_list("pk", *names):
                if tuple(row[1:]) in kept:
                    move.collisions[row[0]] = kept[tuple(row[1:])]
        move.moved = count - len(move.collisions)
        moves.append(move)
    return moves


@dataclass
class MergePlan:
    kept: Jeune
    merged: Jeune
    moves: list
    participation_pairs: list  # (participation of the duplicate, participation kept)
    warnings: list
    refusal: str = ""

    @property
    def counts(self):
        """[(label, moved, not taken)] for the preview."""
        return [(m.label, m.moved, len(m.collisions)) for m in self.moves]


def plan(kept, merged):
    """The preview of merging ``merged`` into ``kept`` (nothing written)."""
    refusal = ""
    if kept.organisation_id != merged.organisation_id:
        refusal = "Deux dossiers de structures différentes ne peuvent pas être fusionnés."
    elif kept.pk == merged.pk:
        refusal = "Choisissez un autre dossier que celui-ci."
    elif merged.fusionne_dans_id or kept.fusionne_dans_id:
        refusal = "Un dossier déjà fusionné ne peut plus l'être."
    elif kept.supprime_le or merged.supprime_le:
        refusal = "Restaurez d'abord le dossier supprimé."
    moves = plan_moves(merged, kept) if not refusal else []
    pairs, warnings = [], []
    for move in moves:
        if move.model is not Participation:
            continue
        participations = Participation.objects.for_organisation(kept.organisation_id).in_bulk(
            [*move.collisions, *move.collisions.values()]
        )
        for old_pk, new_pk in move.collisions.items():
            old, new = participations[old_pk], participations[new_pk]
            pairs.append((old, new))
            warnings.append(
                f"Les deux dossiers participent à l'opération {old.operation.code} : la participation du dossier "
                f"conservé est gardée ({_entree(new)}) ; celle du doublon ({_entree(old)}) est supprimée et ses "
                "documents, suivis, évaluations et aides sont repris."
            )
            reason = lock_reason(old)
            if reason:
                warnings.append(
                    f"{reason} Après la fusion, ce bilan signé comptera une personne de moins : "
                    "un bilan rectificatif sera nécessaire."
                )
    for move in moves:
        if move.collisions and move.model is not Participation:
            warnings.append(
                f"{len(move.collisions)} {move.label} du doublon déjà présente(s) dans le dossier conservé "
                "(même élément) : celle(s) du dossier conservé est (sont) gardée(s)."
            )
    return MergePlan(
        kept=kept, merged=merged, moves=moves, participation_pairs=pairs, warnings=warnings, refusal=refusal
    )


def _entree(participation):
    if participation.date_entree:
        return f"entrée le {participation.date_entree:%d/%m/%Y}"
    return "sans entrée"


def _apply_moves(moves, old, new, user, reason):
    from simple_history.utils import bulk_update_with_history

    for move in moves:
        manager = move.model._base_manager
        if move.collisions and move.model is not Participation:
            manager.filter(pk__in=list(move.collisions)).delete()
        rows = list(manager.filter(**{move.field.name: old}).exclude(pk__in=list(move.collisions)))
        for row in rows:
            setattr(row, move.field.attname, new.pk)
        if not rows:
            continue
        if getattr(move.model._meta, "simple_history_manager_attribute", None):
            bulk_update_with_history(
                rows, move.model, [move.field.name], default_user=user, default_change_reason=reason
            )
        else:
            manager.bulk_update(rows, [move.field.name])


@transaction.atomic
def merge(*, kept, merged, user):
    """Merge ``merged`` into ``kept`` (both already fetched in the coordination's scope). Returns the plan."""
    # Lock both rows (a concurrent merge of the same pair writes nothing twice).
    locked = {
        j.pk: j
        for j in Jeune.objects.for_organisation(kept.organisation_id, deleted=None)
        .select_for_update()
        .filter(pk__in=[kept.pk, merged.pk])
    }
    if len(locked) != 2:
        raise ValidationError("Deux dossiers de structures différentes ne peuvent pas être fusionnés.")
    kept, merged = locked[kept.pk], locked[merged.pk]
    result = plan(kept, merged)
    if result.refusal:
        raise ValidationError(result.refusal)
    reason = f"Fusion du dossier n° {merged.pk} dans le dossier n° {kept.pk}"[:100]
    # Two participations in one operation: the duplicate's records move to the kept participation first.
    for old, new in result.participation_pairs:
        _apply_moves(plan_moves(old, new), old, new, user, reason)
        old._history_user = user
        old._change_reason = reason
        old.delete()
    _apply_moves(result.moves, merged, kept, user, reason)

    for name in FILLED_FIELDS:
        if not getattr(kept, name) and getattr(merged, name):
            setattr(kept, name, getattr(merged, name))
    kept.date_reperage = min(kept.date_reperage, merged.date_reperage)
    if merged.date_dernier_contact and (
        kept.date_dernier_contact is None or merged.date_dernier_contact > kept.date_dernier_contact
    ):
        kept.date_dernier_contact = merged.date_dernier_contact
    kept._history_user = user
    kept._change_reason = reason
    kept.save()

    merged.fusionne_dans = kept
    merged.supprime_le = timezone.now()
    merged.supprime_par = user
    merged.motif_suppression = f"Fusionné dans le dossier n° {kept.pk} ({kept})"[:255]
    merged._history_user = user
    merged._change_reason = reason
    merged.save()

    from youth.services import jeune_sync_statut

    jeune_sync_statut(kept)
    return result
