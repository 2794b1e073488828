"""Audit trail: who read which dossier (``AccesDossier``) and who changed what (django-simple-history).

Reads
    Part of the scope layer: ``core.shortcuts.get_for_request_or_404`` calls ``log_read_of(request, obj)`` for
    every object it returns, so every page, PDF and file that shows one record of a young person (dossier,
    diagnostic, immersion, placement, aid, orientation…) records one read of that young person, whichever app
    serves it. A request records each young person once.

Changes
    Every model with ``history = HistoricalRecords()`` is already audited by django-simple-history
    (``history_user``, ``history_date``, ``diff_against``). ``changes_for(organisation, …)`` gathers the
    historical records of every such model that belongs to an organisation into one paginated list.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldError
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Cast

from core.models import AccesDossier
from core.scope import is_scoped


AUDIT_COLUMNS = (
    "audit_history",
    "audit_date",
    "audit_type",
    "audit_user",
    "audit_objet",
    "audit_modele",
    "audit_jeune",
)
HISTORY_TYPES = {"+": "Création", "~": "Modification", "-": "Suppression"}
READ_METHODS = ("GET", "HEAD")
# Technical fields declared without a French verbose_name (Django would show "created by", "updated at").
FIELD_LABELS = {
    "created_by": "créé par",
    "created_at": "créé le",
    "updated_at": "modifié le",
    "updated_by": "modifié par",
    "is_active": "actif",
    "recherche": "index de recherche",
}


def field_label(field):
    """The French label of a model field, for histories and the audit log."""
    if field.name in FIELD_LABELS and str(field.verbose_name) == field.name.replace("_", " "):
        return FIELD_LABELS[field.name]
    return str(field.verbose_name)


def jeune_id_of(obj):
    """The id of the young person ``obj`` belongs to (through its declared ``scoping.jeune`` path), or None."""
    path = obj.scoping.jeune if is_scoped(type(obj)) else None
    if path is None:
        return None
    if path == "":
        return obj.pk
    *parents, last = path.split("__")
    for name in parents:
        obj = getattr(obj, name)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id")


def log_read_of(request, obj):
    """Record that ``request.user`` read the data of the young person ``obj`` belongs to (once per request)."""
    if request.method not in READ_METHODS or not request.user.is_authenticated:
        return None
    jeune_id = jeune_id_of(obj)
    if jeune_id is None:
        return None
    logged = request.__dict__.setdefault("_audit_jeunes", set())
    if jeune_id in logged:
        return None
    logged.add(jeune_id)
    return AccesDossier.objects.create(
        user=request.user,
        organisation_id=request.scope.organisation_id,
        jeune_id=jeune_id,
        url=request.get_full_path()[:500],
    )


# --- Changes (django-simple-history) -------------------------------------------------------------------


@dataclass(frozen=True)
class AuditedModel:
    model: type
    history_model: type
    organisation_field: str
    jeune_path: str | None  # lookup from the (historical) model to the Jeune id, None when unrelated


def _history_jeune_path(scoping):
    """Lookup from a history row to the young person's id, from the model's declared ``scoping.jeune``."""
    if scoping.jeune is None:
        return None
    return f"{scoping.jeune}_id" if scoping.jeune else "id"


def audited_models():
    """Every scoped model (``core.scope``) with a change history."""
    result = []
    for model in apps.get_models():
        manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
        if not manager_name or getattr(model, "instance_type", None) is not None or not is_scoped(model):
            continue
        history_model = getattr(model, manager_name).model
        try:  # the declared paths must also exist on the history copy
            history_model.objects.filter(**{model.scoping.organisation: None}).query  # noqa: B018
        except FieldError:
            continue
        result.append(
            AuditedModel(
                model=model,
                history_model=history_model,
                organisation_field=model.scoping.organisation,
                jeune_path=_history_jeune_path(model.scoping),
            )
        )
    return result


def changes_for(organisation, *, jeune_id=None, user_id=None, du=None, au=None):
    """One queryset (a UNION) of the change records of ``organisation``, newest first.

    Rows are dicts with the keys of ``AUDIT_COLUMNS``: the history record id, its date, type (+ ~ -), author id,
    the object id, the model label and the dossier (Jeune) id or None.
    """
    parts = []
    for audited in audited_models():
        if jeune_id is not None and audited.jeune_path is None:
            continue
        qs = audited.history_model.objects.filter(**{audited.organisation_field: organisation})
        if jeune_id is not None:
            qs = qs.filter(**{audited.jeune_path: jeune_id})
        if user_id is not None:
            qs = qs.filter(history_user_id=user_id)
        if du is not None:
            qs = qs.filter(history_date__date__gte=du)
        if au is not None:
            qs = qs.filter(history_date__date__lte=au)
        jeune_expr = (
            F(audited.jeune_path) if audited.jeune_path else Value(None, output_field=models.BigIntegerField())
        )
        parts.append(
            qs.order_by()
            .annotate(
                audit_history=F("history_id"),
                audit_date=F("history_date"),
                audit_type=F("history_type"),
                audit_user=F("history_user_id"),
                audit_objet=Cast("id", output_field=models.BigIntegerField()),
                audit_modele=Value(audited.model._meta.label, output_field=models.CharField()),
                audit_jeune=Cast(jeune_expr, output_field=models.BigIntegerField()),
            )
            .values(*AUDIT_COLUMNS)
        )
    if not parts:
        return []
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return union.order_by("-audit_date", "-audit_history")


def describe_changes(rows):
    """Add ``label``, ``verbose_name`` and ``champs`` (changed fields) to a page of ``changes_for`` rows.

    One query per model present on the page (plus one for the users), whatever the page size.
    """
    from core.models import User

    by_model = {}
    for row in rows:
        by_model.setdefault(row["audit_modele"], []).append(row)
    for label, model_rows in by_model.items():
        model = apps.get_model(label)
        history_model = getattr(model, model._meta.simple_history_manager_attribute).model
        object_ids = {row["audit_objet"] for row in model_rows}
        latest = max(row["audit_date"] for row in model_rows)
        records = {}
        for record in history_model.objects.filter(id__in=object_ids, history_date__lte=latest).order_by(
            "id", "history_date", "history_id"
        ):
            records.setdefault(record.id, []).append(record)
        for row in model_rows:
            row["verbose_name"] = model._meta.verbose_name
            row["type_label"] = HISTORY_TYPES.get(row["audit_type"], row["audit_type"])
            row["champs"] = []
            chain = records.get(row["audit_objet"], [])
            for index, record in enumerate(chain):
                if record.history_id == row["audit_history"]:
                    # str(record) is simple-history's English "<object> as of <date>": show the object alone.
                    row["label"] = str(record.instance)[:120] if row["audit_type"] != "-" else f"n° {record.id}"
                    if index > 0 and row["audit_type"] == "~":
                        delta = record.diff_against(chain[index - 1])
                        row["champs"] = [field_label(model._meta.get_field(change.field)) for change in delta.changes]
                    break
            row.setdefault("label", f"n° {row['audit_objet']}")
    user_ids = {row["audit_user"] for row in rows if row["audit_user"]}
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
    for row in rows:
        row["user"] = users.get(row["audit_user"])
    return rows
