"""Soft delete: a record deleted « by mistake » stays in the database, in its history and in the corbeille.

One abstract mixin for every record that users may delete with a reason::

    class Entretien(SoftDeleteModel, TimeStampedModel):
        ...

- ``supprime_le`` / ``supprime_par`` / ``motif_suppression``: when, who and why (French, required);
- ``obj.soft_delete(user=…, motif=…)`` and ``obj.restore(user=…)`` save with a change reason, so the
  history (django-simple-history) and the audit log show the deletion and the restore;
- the scope layer (``core.scope.ScopedQuerySet``) hides soft-deleted rows, and the rows of a soft-deleted
  dossier, from ``for_request`` / ``for_scope`` / ``for_organisation``: every list, count and indicator that
  reads through the scope ignores them. ``deleted=True`` reads only the deleted rows (the corbeille),
  ``deleted=None`` both (the redirect of a merged dossier);
- ``register_lock(function)``: an app above (reports) says why a record may not be deleted or changed
  (``function(obj) -> str | None``): what a signed-off FSE bilan counted cannot disappear silently.
  ``lock_reason(obj)`` asks every registered function.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


MOTIF_MAX_LENGTH = 255


class SoftDeleteModel(models.Model):
    supprime_le = models.DateTimeField("supprimé le", null=True, blank=True, editable=False)
    supprime_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name="supprimé par",
    )
    motif_suppression = models.CharField(
        "motif de la suppression", max_length=MOTIF_MAX_LENGTH, blank=True, editable=False
    )

    class Meta:
        abstract = True

    @property
    def est_supprime(self):
        return self.supprime_le is not None

    def soft_delete(self, *, user, motif):
        """Mark as deleted (refused without a reason, twice, or when a registered lock applies)."""
        motif = (motif or "").strip()
        if not motif:
            raise ValidationError({"motif": "Indiquez le motif de la suppression."})
        if self.est_supprime:
            raise ValidationError("Cet élément est déjà supprimé.")
        reason = lock_reason(self)
        if reason:
            raise ValidationError(reason)
        self.supprime_le = timezone.now()
        self.supprime_par = user
        self.motif_suppression = motif[:MOTIF_MAX_LENGTH]
        self._change_reason = f"Suppression : {self.motif_suppression}"[:100]
        self.save()

    def restore(self, *, user=None):
        if not self.est_supprime:
            raise ValidationError("Cet élément n'est pas supprimé.")
        self.supprime_le = None
        self.supprime_par = None
        self.motif_suppression = ""
        self._change_reason = "Restauration depuis la corbeille"
        if user is not None and hasattr(self, "_history_user"):
            self._history_user = user
        self.save()


def is_soft_deletable(model):
    return isinstance(model, type) and issubclass(model, SoftDeleteModel)


def live_condition(model, scoping, deleted=False):
    """The Q keeping the rows of ``model`` by their own deletion state: live (``deleted=False``), deleted only
    (``True``) or every row (``None``). The rows of a soft-deleted dossier are hidden with it by
    ``core.scope.Scoping.dossier_condition`` (one ``NOT EXISTS`` with the archive rule)."""
    if deleted is None:
        return models.Q()
    own = is_soft_deletable(model)
    if deleted:
        # The corbeille lists what was deleted itself (the rows of a deleted dossier come back with it).
        return models.Q(supprime_le__isnull=False) if own else models.Q(pk__in=[])
    return models.Q(supprime_le__isnull=True) if own else models.Q()


_LOCKS = []


def register_lock(function):
    """``function(obj) -> str | None``: the French reason why ``obj`` may not be deleted (or None)."""
    if function not in _LOCKS:
        _LOCKS.append(function)


def lock_reason(obj):
    for function in _LOCKS:
        reason = function(obj)
        if reason:
            return reason
    return None
