"""What the agenda's signals start (``agenda.signals``). A failure here never reaches the conseillère: logged."""

import logging

from agenda.models import RendezVous
from messaging import services


logger = logging.getLogger(__name__)

# A change of one of these sends a new invitation.
CHANGES_REINVITING = {"debut", "lieu", "modalite"}


def _safely(action, rendez_vous, **kwargs):
    try:
        return action(rendez_vous=rendez_vous, **kwargs)
    except Exception:
        logger.exception("Messages du rendez-vous %s non préparés", getattr(rendez_vous, "pk", None))
        return []


def on_planifie(sender, rendez_vous, **kwargs):
    return _safely(services.rendez_vous_inviter, rendez_vous)


def on_modifie(sender, rendez_vous, changes=(), **kwargs):
    if CHANGES_REINVITING & {str(change) for change in changes or ()}:
        return _safely(services.rendez_vous_inviter, rendez_vous, modification=True)
    return []


def on_statut_change(sender, rendez_vous, ancien=None, nouveau=None, **kwargs):
    if nouveau == RendezVous.Statut.ANNULE and ancien != nouveau:
        return _safely(services.rendez_vous_annuler, rendez_vous)
    return []
