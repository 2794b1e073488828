"""Signals of youth, for the apps above it (agenda) — youth imports none of them.

- ``prochain_rendez_vous(sender=Entretien, entretien=…, debut=…, user=…)``: an entretien was saved with a next
  rendez-vous (``debut``: an aware datetime). Sent inside the transaction that saves the entretien, so a receiver
  may refuse (``ValidationError``) and nothing is saved. The agenda turns it into a ``RendezVous``.
"""

from django.dispatch import Signal


prochain_rendez_vous = Signal()
