"""Writes of the ledger (``@transaction.atomic``, keyword-only). History is recorded by django-simple-history:
a correction is an edit with its before/after kept, or a new entry; nothing is edited silently."""

from django.db import transaction

from expenses.finance import month_end
from expenses.models import CATEGORIE_BUDGET, Depense, Poste, eligible_staff_cost


def default_ligne(operation, poste):
    """The budget line an expense of ``poste`` goes to when the operation has exactly one line of its category."""
    categorie = CATEGORIE_BUDGET.get(poste)
    if categorie is None:
        return None
    lignes = list(operation.lignes_budgetaires.filter(categorie=categorie)[:2])
    return lignes[0] if len(lignes) == 1 else None


@transaction.atomic
def depense_save(*, depense, user, reason="Saisie dans Tremplin"):
    """Create or update an expense (the form has validated it). The budget line defaults from the poste."""
    if depense.ligne_budgetaire_id is None:
        depense.ligne_budgetaire = default_ligne(depense.operation, depense.poste)
    if depense.pk is None:
        depense.created_by = user
    depense._change_reason = reason
    if user is not None:
        depense._history_user = user
    depense.save()
    return depense


def _staff_depense_values(feuille, salarie):
    return {
        "poste": Poste.PERSONNEL,
        "libelle": f"Salaire chargé {feuille.mois:%m/%Y} — {salarie.nom}",
        "beneficiaire": salarie.nom,
        "montant": eligible_staff_cost(
            feuille.cout_charge_mensuel, feuille.heures_operation, feuille.heures_travaillees
        ),
        "date": month_end(feuille.mois),
        "nature_justificatif": Depense.Justificatif.BULLETIN_PAIE,
    }


@transaction.atomic
def feuille_temps_save(*, feuille, user, date_paiement=None, reference="", reason="Saisie dans Tremplin"):
    """Save a monthly time sheet and keep its staff expense in step (montant = cost × share, to the cent).

    The expense is the one row the period finance counts (by its payment date), so a staff cost is never
    counted twice nor forgotten.
    """
    salarie = feuille.salarie
    feuille._change_reason = reason
    if user is not None:
        feuille._history_user = user
    feuille.save()
    depense = Depense.objects.for_organisation(salarie.operation.organisation_id).filter(feuille_temps=feuille).first()
    values = _staff_depense_values(feuille, salarie)
    if depense is None:
        depense = Depense(operation_id=salarie.operation_id, feuille_temps=feuille, reference=reference, **values)
        depense.date_paiement = date_paiement
    else:
        for key, value in values.items():
            setattr(depense, key, value)
        if date_paiement is not None:
            depense.date_paiement = date_paiement
        if reference:
            depense.reference = reference
    depense.operation = salarie.operation
    return depense_save(depense=depense, user=user, reason=reason)


@transaction.atomic
def ressource_recue_save(*, ressource, user):
    if ressource.pk is None:
        ressource.created_by = user
    ressource.save()
    return ressource
