"""Signals of the agenda, so the apps above it (messaging, notifications) hook in without agenda importing them.

Every signal is sent once the transaction that made the change has committed (``transaction.on_commit``), so a
receiver never sees a rendez-vous that was rolled back, and may queue a Celery task straight away.

- ``rendez_vous_planifie(sender=RendezVous, rendez_vous=…)``: a rendez-vous was created (from the dossier, the
  agenda or an entretien).
- ``rendez_vous_modifie(sender=RendezVous, rendez_vous=…, changes=…)``: its date and time, duration, modality or
  place changed; ``changes`` maps each changed field name (``debut``, ``duree_minutes``, ``modalite``, ``lieu``)
  to ``(before, after)``.
- ``rendez_vous_statut_change(sender=RendezVous, rendez_vous=…, ancien=…, nouveau=…)``: its status changed
  (``RendezVous.Statut`` values, e.g. ``"planifie"`` → ``"manque"``).
"""

from django.dispatch import Signal


rendez_vous_planifie = Signal()
rendez_vous_modifie = Signal()
rendez_vous_statut_change = Signal()
