"""A data version per organisation: figures computed from an organisation's records (the bilan's indicators) are
kept in the cache under a key that includes this version, and every write that can change them bumps it.

- ``post_save`` / ``post_delete`` / ``m2m_changed`` of every model with a ``scoping`` (except the ones listed in
  ``IGNORED``, which no figure reads: read audit, jobs, messages) bump the owning organisation, found through the
  scoping's ``organisation`` lookup; a write whose organisation cannot be found bumps the global version.
- code that bypasses the signals (``bulk_create``, ``update()``, raw SQL: the importers, retention, merges) calls
  ``bump(organisation_id)`` itself.

A bump happens at once and again when the transaction commits, so a computation that read the data before the
commit never stores its result under the new version. A version is a random token: if the cache forgets it, a new
one is drawn and nothing stale can be found.
"""

import uuid

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


GLOBAL = "global"
IGNORED = {
    "core.AccesDossier",
    "reports.BilanJob",
    "reports.CsfPack",
    "outreach.OrientationMessage",
    "outreach.InvitationPartenaire",
    "agenda.RendezVous",
}
# Models without a scoping whose rows enter the figures of every organisation.
GLOBAL_MODELS = {"reports.CommuneDensite"}


def _key(organisation_id):
    return f"dataversion:{organisation_id}"


def version(organisation_id):
    """The current data version of an organisation (combined with the global one)."""
    keys = [_key(organisation_id), _key(GLOBAL)]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key) or "x"
    return f"{found[keys[0]]}.{found[keys[1]]}"


def _bump_now(organisation_id):
    cache.set(_key(organisation_id), uuid.uuid4().hex, None)


def bump(organisation_id=GLOBAL):
    """The figures of ``organisation_id`` (or of everyone: ``GLOBAL``) may have changed."""
    if organisation_id is None:
        organisation_id = GLOBAL
    _bump_now(organisation_id)
    transaction.on_commit(lambda: _bump_now(organisation_id))


def organisation_of(instance):
    """The organisation id owning ``instance`` (through its scoping), or None when it cannot be found."""
    scoping = getattr(type(instance), "scoping", None)
    if scoping is None:
        return instance.pk if instance._meta.label == "core.Organisation" else None
    *path, last = scoping.organisation.split("__")
    obj = instance
    try:
        for name in path:
            obj = getattr(obj, name)
            if obj is None:
                return None
        return getattr(obj, f"{last}_id")
    except Exception:  # noqa: BLE001 - a parent already deleted in a cascade: bump everyone
        return None


def _on_write(sender, instance, **kwargs):
    bump(organisation_of(instance))


def _on_m2m(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        bump(organisation_of(instance))


def connect():
    """Connect the receivers to the models that figures read (called once, from ``CoreConfig.ready``)."""
    for model in apps.get_models():
        label = model._meta.label
        if label in IGNORED or model.__name__.startswith("Historical"):
            continue
        if getattr(model, "scoping", None) is None and label not in GLOBAL_MODELS and label != "core.Organisation":
            continue
        uid = f"dataversion:{label}"
        post_save.connect(_on_write, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_write, sender=model, dispatch_uid=uid)
        for field in model._meta.many_to_many:
            m2m_changed.connect(_on_m2m, sender=field.remote_field.through, dispatch_uid=f"{uid}.{field.name}")


def cached(name, organisation_id, parts, compute, timeout=24 * 60 * 60):
    """``compute()`` kept under ``name`` + ``parts`` + the organisation's data version (and today's date)."""
    from django.utils import timezone

    key = ":".join(
        ["figures", name, str(organisation_id), version(organisation_id), timezone.localdate().isoformat()]
        + [str(p) for p in parts]
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value
