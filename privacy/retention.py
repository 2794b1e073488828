"""Retention of youth dossiers (DESIGN.md, "Data protection").

1. **Archive** — a dossier without contact for ``RETENTION_ARCHIVE_AFTER_DAYS`` (2 years) gets
   ``Jeune.archived_at``: hidden from lists, readable by coordinateurs only (see ``core.privacy``).
   "Contact" is the latest of ``date_reperage``, ``date_dernier_contact`` and the exit dates of its
   participations; a young person still in a parcours (entered, not exited) is never archived.
2. **Anonymise** — an archived dossier whose operations' audit holds are all over (``audit_hold_until``,
   or 31 December of the year of the last FSE payment + 5 years) is anonymised (``anonymised_at``):
   filled identity and contact fields get a placeholder (empty ones stay empty), free-text notes
   (TextFields) and uploaded files of the records attached to the young person are cleared,
   and the change history of those values is purged.
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
# Identity/contact field names cleared on the young person and on records that copy them (orientations…).
IDENTITY_FIELDS = {
    "nom",
    "prenom",
    "nom_naissance",
    "telephone",
    "email",
    "contact_nom",
    "contact_telephone",
    "adresse",
    "complement_adresse",
    "code_postal",
    "commune",
    "commune_insee",
    "representant_legal_nom",
    "representant_legal_telephone",
    "representant_legal_email",
    "reference",
    "numero_securite_sociale",
    "identifiant_france_travail",
}
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
    """Models (not history) that point to Jeune, directly or through one of them (e.g. Aide → Participation).

    Returns a list of ``(model, lookup)`` where ``lookup`` goes from the model to the Jeune id.
    """
    jeune_cls = jeune_cls or jeune_model()
    direct = []
    for model in apps.get_models():
        if is_model_history(model) or model is jeune_cls:
            continue
        for fk in model._meta.concrete_fields:
            if isinstance(fk, models.ForeignKey) and fk.related_model is jeune_cls:
                direct.append((model, fk.attname))
                break
    result = list(direct)
    direct_models = {model for model, _ in direct}
    for model in apps.get_models():
        if is_model_history(model) or model is jeune_cls or model in direct_models:
            continue
        for fk in model._meta.concrete_fields:
            if isinstance(fk, models.ForeignKey) and fk.related_model in direct_models:
                parent_lookup = dict(direct)[fk.related_model]
                result.append((model, f"{fk.name}__{parent_lookup}"))
                break
    return result


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


def _text_updates(model, *, identity=True, notes=True):
    """{field name: replacement} for a model's free-text and identity fields (choices are codes: kept)."""
    updates = {}
    for f in model._meta.concrete_fields:
        if not isinstance(f, TEXT_TYPES) or f.choices or f.primary_key or f.unique:
            continue
        if identity and f.name in IDENTITY_FIELDS:
            updates[f.name] = _identity_value(f)
        elif notes and isinstance(f, models.TextField):
            updates[f.name] = _blank_value(f)
    return updates


def _file_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


@transaction.atomic
def jeunes_anonymise(*, ids, now=None):
    """Anonymise these young people and what is attached to them. Returns the number anonymised."""
    if not ids:
        return 0
    now = now or timezone.now()
    Jeune = jeune_model()
    jeune_updates = _text_updates(Jeune, identity=True, notes=True)
    count = (
        Jeune.objects.for_platform()
        .filter(pk__in=ids, anonymised_at__isnull=True)
        .update(**jeune_updates, anonymised_at=now, archived_at=Coalesce("archived_at", Value(now)))
    )
    # The change history kept the old identity: purge it (the bilans never read history).
    Jeune.history.model.objects.filter(id__in=ids).delete()
    for model, lookup in related_models(Jeune):
        queryset = model._default_manager.filter(**{f"{lookup}__in": ids})
        updates = _text_updates(model)
        for file_field in _file_fields(model):
            for instance in queryset.exclude(**{file_field.name: ""}).only("pk", file_field.name):
                getattr(instance, file_field.name).delete(save=False)
            updates[file_field.name] = ""
        if updates:
            queryset.update(**updates)
        manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager_name and updates:
            history_model = getattr(model, manager_name).model
            history_updates = {k: v for k, v in updates.items() if k in {f.name for f in history_model._meta.fields}}
            if history_updates:
                history_model.objects.filter(**{f"{lookup}__in": ids}).update(**history_updates)
    return count


@transaction.atomic
def retention_run(*, dry_run=False, today=None):
    """Archive then anonymise what is due; log it in a RetentionRun. Returns the run."""
    plan = retention_plan(today=today)
    run = RetentionRun(dry_run=dry_run, report=plan.report(dry_run))
    if not dry_run:
        now = timezone.now()
        run.archived_count = jeune_model().objects.filter(pk__in=plan.to_archive).update(archived_at=now)
        run.anonymised_count = jeunes_anonymise(ids=plan.to_anonymise, now=now)
    else:
        run.archived_count = len(plan.to_archive)
        run.anonymised_count = len(plan.to_anonymise)
    run.archived_ids = plan.to_archive
    run.anonymised_ids = plan.to_anonymise
    run.finished_at = timezone.now()
    run.save()
    return run
