"""What a signed-off bilan counted cannot disappear silently (``core.softdelete.register_lock``).

A bilan is signed off when its texts carry a signature date (``BilanTexte.date_signature``, « Fait à … le … »).
It counted a participation that counts for the funder (``Participation.objects.fse()``) entered on or before
the end of its period; it read the evaluations of those participations dated on or before that end (the
progression of the bilan). Such a participation, its dossier and those evaluations are not deleted: the
deletion is refused with the bilan named (docs/youth.md).
"""

from reports.models import BilanTexte


def _signed_bilan_of(participation, until=None):
    if participation is None or participation.date_entree is None:
        return None
    if participation.date_sortie and participation.date_sortie == participation.date_entree:
        return None  # entered and left on the same day: not counted (Participation.objects.fse)
    bilans = BilanTexte.objects.for_organisation(participation.organisation_id).filter(
        operation_id=participation.operation_id,
        date_signature__isnull=False,
        au__gte=participation.date_entree,
    )
    if until is not None:
        bilans = bilans.filter(au__gte=until)
    return bilans.select_related("operation").order_by("au").first()


def _reason(bilan, what):
    return (
        f"{what} est compté(e) dans le bilan signé de l'opération {bilan.operation.code} du "
        f"{bilan.du:%d/%m/%Y} au {bilan.au:%d/%m/%Y} (signé le {bilan.date_signature:%d/%m/%Y}) : "
        "il ne peut pas disparaître de ce qui a été déclaré."
    )


def signed_bilan_lock(obj):
    from diagnostics.models import Evaluation
    from youth.models import Jeune, Participation

    if isinstance(obj, Participation):
        bilan = _signed_bilan_of(obj)
        return _reason(bilan, "Cette participation") if bilan else None
    if isinstance(obj, Jeune):
        for participation in obj.participations.fse():
            bilan = _signed_bilan_of(participation)
            if bilan:
                return _reason(bilan, "Ce dossier")
        return None
    if isinstance(obj, Evaluation) and obj.participation_id:
        bilan = _signed_bilan_of(obj.participation, until=obj.date)
        return _reason(bilan, "Cette évaluation") if bilan else None
    return None
