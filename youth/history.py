"""Before/after descriptions of django-simple-history records, in a bounded number of queries."""

from collections import defaultdict

from django.contrib.auth import get_user_model

from core.audit import field_label
from core.models import Organisation


IGNORED_FIELDS = {"created_at", "updated_at", "recherche", "id", "organisation", "jeune"}
TYPE_LABELS = {"+": "création", "~": "modification", "-": "suppression"}
WITHHELD = "note confidentielle"


def _display(field, value, names):
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return names.get((field.related_model, value), f"n° {value}")
    if isinstance(value, bool):
        return "oui" if value else "non"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def describe(records, model, label, object_str=None, hidden_fields=(), baseline=None, withheld=None):
    """Turn historical records of one model (any order) into change entries, newest first.

    ``records`` must be fetched with ``select_related("history_user")``. Consecutive versions of the same
    object are compared in memory (no query per record); related ids are resolved with one query per model.
    ``baseline``, one of ``records``, is only compared against (the version before a bounded window of records).
    ``withheld(record)`` is true for a version the reader could not read when it was current (a confidential
    entretien of someone else): its values are never shown, neither as "after" in its own entry (which only says
    "note confidentielle") nor as "before" in the next version's entry.
    """
    by_object = defaultdict(list)
    for record in records:
        by_object[record.id].append(record)
    fields = {
        f.name: f for f in model._meta.concrete_fields if f.name not in IGNORED_FIELDS and f.name not in hidden_fields
    }
    raw = []
    related_ids = defaultdict(set)
    for versions in by_object.values():
        versions.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for record in versions:
            if record is baseline:
                previous = record
                continue
            changes = []
            for field in fields.values():
                attname = field.attname
                new = getattr(record, attname)
                old = getattr(previous, attname) if previous is not None else None
                if previous is None and new in (None, "", False, []):
                    continue
                if previous is not None and old == new:
                    continue
                changes.append((field, old, new))
                if field.is_relation:
                    for value in (old, new):
                        if value:
                            related_ids[field.related_model].add(value)
            if record.history_type == "~" and not changes and not getattr(record, "history_change_reason", ""):
                previous = record
                continue
            raw.append((record, changes, previous))
            previous = record
    names = {}
    User = get_user_model()
    for related_model, ids in related_ids.items():
        if related_model is User:
            for user in User.objects.filter(pk__in=ids):
                names[(User, user.pk)] = user.get_full_name() or user.email
        elif related_model is Organisation:
            for org in Organisation.objects.filter(pk__in=ids):
                names[(Organisation, org.pk)] = str(org)
        elif related_model._meta.label == "funding.Operation":
            for operation in related_model.objects.filter(pk__in=ids):
                names[(related_model, operation.pk)] = operation.code
        elif related_model._meta.label == "youth.Participation":
            for participation in related_model.objects.filter(pk__in=ids).select_related("operation"):
                names[(related_model, participation.pk)] = f"Participation {participation.operation.code}"
    entries = []
    for record, changes, previous in raw:
        if withheld and withheld(record):
            entries.append(
                {
                    "when": record.history_date,
                    "user": record.history_user,
                    "type": TYPE_LABELS.get(record.history_type, record.history_type),
                    "object_label": label,
                    "object": f"{label} ({WITHHELD})",
                    "withheld": True,
                    "changes": [],
                }
            )
            continue
        old_withheld = bool(withheld and previous is not None and withheld(previous))
        entries.append(
            {
                "when": record.history_date,
                "user": record.history_user,
                "type": TYPE_LABELS.get(record.history_type, record.history_type),
                "object_label": label,
                "object": object_str(record) if object_str else label,
                # why (a merge, a deletion with its reason, a restore, an import): core.softdelete, youth.merge
                "reason": getattr(record, "history_change_reason", "") or "",
                "changes": [
                    {
                        "name": field.name,
                        "field": field_label(field),
                        "old": WITHHELD if old_withheld else _display(field, old, names),
                        "new": _display(field, new, names),
                    }
                    for field, old, new in changes
                ],
            }
        )
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries
