"""Signals of the agenda, for the apps above it (messaging) to react to a rendez-vous without being imported."""

import django.dispatch


# Sent on commit of the creation: rendez_vous=<RendezVous>.
rendez_vous_planifie = django.dispatch.Signal()
# Sent after a change: rendez_vous=<RendezVous>, changes=[field names].
rendez_vous_modifie = django.dispatch.Signal()
# Sent after a change of status: rendez_vous=<RendezVous>, ancien=<statut>, nouveau=<statut>.
rendez_vous_statut_change = django.dispatch.Signal()
