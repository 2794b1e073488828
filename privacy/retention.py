"""Retention of youth dossiers (DESIGN.md, "Data protection").

1. **Archive** — a dossier without contact for ``RETENTION_ARCHIVE_AFTER_DAYS`` (2 years) gets
   ``Jeune.archived_at``: hidden from lists, readable by coordinateurs only (see ``core.privacy``).
   "Contact" is the latest of ``date_reperage``, ``date_dernier_contact`` and the exit dates of its
   participations; a young person still in a parcours (entered, not exited) is never archived.
2. **Anonymise** — an archived dossier whose operations' audit holds are all over (``audit_hold_until``,
   or 31 December of the year of the last FSE payment + 5 years) is anonymised (``anonymised_at``):
   every free-text field (CharField, EmailField, TextField… but not the choice codes) and file of the young
   person and of every record linked to it (directly or through a participation, an orientation, a
   contact…, found by walking the foreign keys) is cleared — a filled CharField gets a placeholder, an empty one
   stays empty — and the change history of all those records is purged.
   What the bilans count is kept: ``sexe``, ``date_naissance`` (age bands), every date, code and status
   of the participations — so the figures of past bilans do not change.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from privacy.models import RetentionRun


PLACEHOLDER = "Anonymisé"
TEXT_TYPES = (models.CharField, models.TextField)


def jeune_model():
    return apps.get_model("youth", "Jeune")


def participation_model():
    return apps.get_model("youth", "Participation")


def audit_hold_end(operation):
    """Last day of the audit hold of an operation, or None when it is not known yet."""
    return operation.audit_hold_end  # the rule lives in funding.models.default_audit_date


def audit_hold_for(jeune, today=None):
    """``(until, unknown_operations)`` for a young person: the latest hold end among its operations."""
    today = today or timezone.localdate()
    until = None
    unknown = []
    for participation in jeune.participations.select_related("operation"):
        end = audit_hold_end(participation.operation)
        if end is None:
            unknown.append(participation.operation)
        elif end >= today and (until is None or end > until):
            until = end
    return until, unknown


def is_model_history(model):
    return getattr(model, "instance_type", None) is not None


def related_models(jeune_cls=None):
    """Models (not history) linked to Jeune, directly or through a chain of them (Aide → Participation → Jeune,
    OrientationMessage → Orientation → Jeune, Reponse → Evaluation → Jeune…), nearest first.

    Returns a list of ``(model, lookup)`` where ``lookup`` goes from the model to the Jeune id.
    """
    jeune_cls = jeune_cls or jeune_model()
    lookups = {jeune_cls: "id"}
    result = []
    candidates = [m for m in apps.get_models() if not is_model_history(m) and m is not jeune_cls]
    found = True
    while found:
        found = False
        for model in candidates:
            if model in lookups:
                continue
            for fk in model._meta.concrete_fields:
                if isinstance(fk, models.ForeignKey) and fk.related_model in lookups:
                    parent = lookups[fk.related_model]
                    lookup = fk.attname if fk.related_model is jeune_cls else f"{fk.name}__{parent}"
                    lookups[model] = lookup
                    result.append((model, lookup))
                    found = True
                    break
    return result


def history_model_of(model):
    manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, manager_name).model if manager_name else None


def linked_ids(ids, jeune_cls=None):
    """{model: set of pks} of every record attached to these young people, live or only left in a history table.

    Walks the foreign keys like ``related_models``, but from id sets, both in the live table and in its history:
    the history of a record deleted since (a frein removed, an aide of a deleted participation…) is found too.
    """
    jeune_cls = jeune_cls or jeune_model()
    result = {jeune_cls: set(ids)}
    order = [jeune_cls] + [model for model, _ in related_models(jeune_cls)]
    changed = True
    while changed:  # until a fixed point: a self FK (Immersion.renouvellement_de) may add rows
        changed = False
        for model in order[1:]:
            found = result.setdefault(model, set())
            before = len(found)
            for fk in model._meta.concrete_fields:
                if not isinstance(fk, models.ForeignKey) or not result.get(fk.related_model):
                    continue
                parents = result[fk.related_model]
                found.update(
                    model._default_manager.filter(**{f"{fk.attname}__in": parents}).values_list("pk", flat=True)
                )
                history = history_model_of(model)
                if history is not None:
                    found.update(history.objects.filter(**{f"{fk.attname}__in": parents}).values_list("id", flat=True))
            changed = changed or len(found) != before
    return {model: pks for model, pks in result.items() if pks}


@dataclass
class Plan:
    today: date
    to_archive: list = field(default_factory=list)  # ids
    to_anonymise: list = field(default_factory=list)  # ids

    def report(self, dry_run):
        verb = "seraient" if dry_run else "ont été"
        lines = [
            f"Conservation des données au {self.today:%d/%m/%Y}"
            + (" (simulation : rien n'est modifié)" if dry_run else ""),
            f"- {len(self.to_archive)} dossier(s) sans contact depuis plus de "
            f"{settings.RETENTION_ARCHIVE_AFTER_DAYS // 365} ans {verb} archivé(s)"
            + (f" : n° {', '.join(map(str, self.to_archive[:50]))}" if self.to_archive else "")
            + (" …" if len(self.to_archive) > 50 else ""),
            f"- {len(self.to_anonymise)} dossier(s) archivé(s) dont la durée de conservation pour les contrôles FSE "
            f"est échue {verb} anonymisé(s)"
            + (f" : n° {', '.join(map(str, self.to_anonymise[:50]))}" if self.to_anonymise else "")
            + (" …" if len(self.to_anonymise) > 50 else ""),
        ]
        return "\n".join(lines)


def released_operation_ids(today):
    Operation = apps.get_model("funding", "Operation")
    released = []
    for operation in Operation.objects.for_platform().only("pk", "audit_hold_until", "date_dernier_paiement"):
        end = audit_hold_end(operation)
        if end is not None and end < today:
            released.append(operation.pk)
    return released


def retention_plan(*, today=None):
    """What the job would do today (ids), without changing anything."""
    today = today or timezone.localdate()
    Jeune, Participation = jeune_model(), participation_model()
    cutoff = today - timedelta(days=settings.RETENTION_ARCHIVE_AFTER_DAYS)
    recent_or_open = (
        Participation.objects.for_platform()
        .filter(jeune=OuterRef("pk"))
        .filter(Q(date_sortie__gte=cutoff) | Q(date_entree__isnull=False, date_sortie__isnull=True))
    )
    to_archive = (
        Jeune.objects.for_platform()
        .filter(archived_at__isnull=True, anonymised_at__isnull=True, date_reperage__lt=cutoff)
        .filter(Q(date_dernier_contact__isnull=True) | Q(date_dernier_contact__lt=cutoff))
        .exclude(Exists(recent_or_open))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    released = released_operation_ids(today)
    held = Participation.objects.for_platform().filter(jeune=OuterRef("pk")).exclude(operation_id__in=released)
    archive_ids = list(to_archive)
    already_archived = (
        Jeune.objects.for_platform()
        .filter(archived_at__isnull=False, anonymised_at__isnull=True)
        .exclude(Exists(held))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    newly_archived_released = (
        Jeune.objects.for_platform().filter(pk__in=archive_ids).exclude(Exists(held)).values_list("pk", flat=True)
    )
    anonymise_ids = sorted(set(already_archived) | set(newly_archived_released))
    return Plan(today=today, to_archive=archive_ids, to_anonymise=anonymise_ids)


def _placeholder(field):
    return PLACEHOLDER[: field.max_length] if field.max_length else PLACEHOLDER


def _blank_value(field):
    return "" if field.blank else _placeholder(field)


def _identity_value(field):
    """A filled identity field gets the placeholder, an empty one stays empty: what was known (a phone, an
    e-mail… — the bilan counts contactable participants) is kept, not the value."""
    return Case(When(**{field.name: ""}, then=Value("")), default=Value(_placeholder(field)))


def _unique_field_names(model):
    names = {f.name for f in model._meta.concrete_fields if f.unique}
    for constraint in model._meta.constraints:
        names.update(getattr(constraint, "fields", ()) or ())
    for together in model._meta.unique_together:
        names.update(together)
    return names


def text_fields(model):
    """The fields of a model that can carry identity: every free text (CharField and its subclasses — EmailField,
    SlugField… — and TextField). Fields with ``choices`` are codes the bilans count: kept."""
    return [
        f for f in model._meta.concrete_fields if isinstance(f, TEXT_TYPES) and not f.choices and not f.primary_key
    ]


def _text_updates(model):
    """{field name: replacement} clearing every free-text field of a model.

    A filled CharField gets the placeholder and an empty one stays empty (what was known — a phone, an e-mail… the
    bilan counts contactable participants — is kept, not the value); a TextField, a derived field (``editable=False``,
    e.g. ``Jeune.recherche``) and a field of a uniqueness rule are emptied (or get the placeholder if required).
    """
    unique = _unique_field_names(model)
    updates = {}
    for f in text_fields(model):
        if f.unique and not f.blank:
            continue  # cannot hold one shared value; none of the linked models has such a field
        if isinstance(f, models.TextField) or not f.editable or f.name in unique:
            updates[f.name] = _blank_value(f)
        else:
            updates[f.name] = _identity_value(f)
    return updates


def _file_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


@transaction.atomic
def jeunes_anonymise(*, ids, now=None):
    """Anonymise these young people and every record attached to them. Returns the number anonymised.

    Every free-text field and file of the young person and of each linked record (``linked_ids``) is cleared, and
    their change history is purged (the bilans never read history). Kept: ``sexe``, ``date_naissance``, dates, codes
    and statuses — what the bilans count.
    """
    if not ids:
        return 0
    from core import dataversion

    dataversion.bump()  # update() sends no signal: every organisation's kept figures (core.dataversion) are stale
    now = now or timezone.now()
    Jeune = jeune_model()
    ids = list(
        Jeune.objects.for_platform().filter(pk__in=ids, anonymised_at__isnull=True).values_list("pk", flat=True)
    )
    if not ids:
        return 0
    linked = linked_ids(ids, Jeune)
    for model, pks in linked.items():
        queryset = model._default_manager.filter(pk__in=pks)
        updates = _text_updates(model)
        for file_field in _file_fields(model):
            for instance in queryset.exclude(**{file_field.name: ""}).only("pk", file_field.name):
                getattr(instance, file_field.name).delete(save=False)
            updates[file_field.name] = ""
        if model is Jeune:
            updates |= {"anonymised_at": now, "archived_at": Coalesce("archived_at", Value(now))}
        if updates:
            queryset.update(**updates)
        # The change history kept the old values (and old versions of deleted records): purge it.
        history = history_model_of(model)
        if history is not None:
            history.objects.filter(id__in=pks).delete()
    return len(ids)


@transaction.atomic
def retention_run(*, dry_run=False, today=None):
    """Archive then anonymise what is due; log it in a RetentionRun. Returns the run."""
    plan = retention_plan(today=today)
    run = RetentionRun(dry_run=dry_run, report=plan.report(dry_run))
    if not dry_run:
        now = timezone.now()
        run.archived_count = jeune_model().objects.filter(pk__in=plan.to_archive).update(archived_at=now)
        if run.archived_count:
            from core import dataversion

            dataversion.bump()
        run.anonymised_count = jeunes_anonymise(ids=plan.to_anonymise, now=now)
    else:
        run.archived_count = len(plan.to_archive)
        run.anonymised_count = len(plan.to_anonymise)
    run.archived_ids = plan.to_archive
    run.anonymised_ids = plan.to_anonymise
    run.finished_at = timezone.now()
    run.save()
    return run
