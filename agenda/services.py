"""Rendez-vous: plan, change, change status, link the entretien logged from it (docs/agenda.md).

The one home of the rules (no rendez-vous in the past at creation, none on an archived dossier, which status may
follow which) and of the signals of ``agenda.signals``, each sent once the transaction commits.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agenda import signals
from agenda.models import RendezVous
from youth.models import Entretien


S = RendezVous.Statut

# Which status may follow which: a status set by mistake can be corrected, a cancelled one planned again.
TRANSITIONS = {
    S.PLANIFIE: {S.HONORE, S.MANQUE, S.EXCUSE, S.ANNULE},
    S.HONORE: {S.MANQUE, S.EXCUSE},
    S.MANQUE: {S.HONORE, S.EXCUSE},
    S.EXCUSE: {S.HONORE, S.MANQUE, S.PLANIFIE},
    S.ANNULE: {S.PLANIFIE},
}
# Honoured or missed: only once its day has come.
CONSTATES = {S.HONORE, S.MANQUE}
CHAMPS_SIGNALES = ("debut", "duree_minutes", "modalite", "lieu")
# The entretien type logged from a rendez-vous of each modality (there is no "visio" entretien: at a distance).
KIND_DE_MODALITE = {
    RendezVous.Modalite.PRESENTIEL: Entretien.Kind.INDIVIDUEL,
    RendezVous.Modalite.TELEPHONE: Entretien.Kind.TELEPHONE,
    RendezVous.Modalite.VISIO: Entretien.Kind.TELEPHONE,
}


def combine(day, time):
    """An aware datetime in the current time zone (Europe/Paris) from a date and a time."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _check_dossier(jeune):
    if jeune.archived_at is not None:
        raise ValidationError("Ce dossier est archivé : on ne peut plus y planifier de rendez-vous.")


def _check_future(debut):
    if debut <= timezone.now():
        raise ValidationError({"debut": "Un rendez-vous ne peut pas être planifié dans le passé."})


def _send(signal, rendez_vous, **kwargs):
    transaction.on_commit(lambda: signal.send(sender=RendezVous, rendez_vous=rendez_vous, **kwargs))


@transaction.atomic
def planifier(*, jeune, conseillere, debut, cree_par=None, planifie_depuis=None, **fields):
    """Create a planned rendez-vous; ``rendez_vous_planifie`` is sent on commit."""
    _check_dossier(jeune)
    _check_future(debut)
    rendez_vous = RendezVous(
        organisation_id=jeune.organisation_id,
        jeune=jeune,
        conseillere=conseillere,
        debut=debut,
        cree_par=cree_par,
        planifie_depuis=planifie_depuis,
        **fields,
    )
    if not jeune.est_mineur:
        rendez_vous.prevenir_representant = False
    rendez_vous.full_clean(exclude=["entretien", "planifie_depuis"])
    rendez_vous.save()
    _send(signals.rendez_vous_planifie, rendez_vous)
    return rendez_vous


@transaction.atomic
def modifier(rendez_vous, **fields):
    """Change a planned rendez-vous; ``rendez_vous_modifie`` is sent on commit when its time or place changed."""
    if rendez_vous.statut != S.PLANIFIE:
        raise ValidationError("Seul un rendez-vous planifié peut être modifié.")
    _check_dossier(rendez_vous.jeune)
    before = {name: getattr(rendez_vous, name) for name in CHAMPS_SIGNALES}
    for name, value in fields.items():
        setattr(rendez_vous, name, value)
    if rendez_vous.debut != before["debut"]:
        _check_future(rendez_vous.debut)
    if not rendez_vous.jeune.est_mineur:
        rendez_vous.prevenir_representant = False
    rendez_vous.full_clean(exclude=["entretien", "planifie_depuis"])
    rendez_vous.save()
    changes = {
        name: (before[name], getattr(rendez_vous, name))
        for name in CHAMPS_SIGNALES
        if before[name] != getattr(rendez_vous, name)
    }
    if changes:
        _send(signals.rendez_vous_modifie, rendez_vous, changes=changes)
    return changes


def transitions(rendez_vous, today=None):
    """The statuses this rendez-vous may take now, in the order of ``RendezVous.Statut``."""
    today = today or timezone.localdate()
    allowed = TRANSITIONS.get(rendez_vous.statut, set())
    if rendez_vous.entretien_id:  # the entretien is logged: honoured it stays
        allowed = set()
    if timezone.localtime(rendez_vous.debut).date() > today:
        allowed = allowed - CONSTATES
    elif S.PLANIFIE in allowed and rendez_vous.debut <= timezone.now():
        allowed = allowed - {S.PLANIFIE}
    return [status for status in S if status in allowed]


@transaction.atomic
def changer_statut(rendez_vous, nouveau):
    """Set the status (recorded in the history with ``statut_change_le``); the signal is sent on commit."""
    nouveau = S(nouveau)
    ancien = rendez_vous.statut
    if nouveau not in transitions(rendez_vous):
        if nouveau in CONSTATES and timezone.localtime(rendez_vous.debut).date() > timezone.localdate():
            raise ValidationError("Un rendez-vous à venir ne peut pas être noté honoré ou manqué.")
        raise ValidationError(
            f"Un rendez-vous « {rendez_vous.get_statut_display().lower()} » ne peut pas passer à "
            f"« {nouveau.label.lower()} »."
        )
    if nouveau == S.PLANIFIE:
        _check_dossier(rendez_vous.jeune)
    rendez_vous.statut = nouveau
    rendez_vous.statut_change_le = timezone.now()
    rendez_vous.save(update_fields=["statut", "statut_change_le", "updated_at"])
    _send(signals.rendez_vous_statut_change, rendez_vous, ancien=ancien, nouveau=str(nouveau))
    return rendez_vous


def entretien_initial(rendez_vous):
    """The entretien form's initial values for an entretien logged from this rendez-vous."""
    return {
        "date": min(timezone.localtime(rendez_vous.debut).date(), timezone.localdate()),
        "duree_minutes": rendez_vous.duree_minutes,
        "kind": KIND_DE_MODALITE.get(rendez_vous.modalite, Entretien.Kind.INDIVIDUEL),
    }


@transaction.atomic
def lier_entretien(rendez_vous, entretien):
    """The entretien was logged from this rendez-vous: link it, and the rendez-vous is honoured."""
    if rendez_vous.statut != S.HONORE:
        changer_statut(rendez_vous, S.HONORE)
    rendez_vous.entretien = entretien
    rendez_vous.save(update_fields=["entretien", "updated_at"])
    return rendez_vous
