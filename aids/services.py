"""Material aids (``funding.Aide``): granted to a participation, charged to a budget line, capped per year."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum

from core.templatetags.fr import euros
from funding.models import Aide, AideKind, LigneBudgetaire, PlafondAide


PLURALS = {
    AideKind.PERMIS_AM: "permis AM",
    AideKind.VETURE: "aides vêture",
    AideKind.TRANSPORT: "aides transport",
    AideKind.TICKETS_SERVICE: "aides tickets service",
    AideKind.AUTRE: "autres aides",
}


def _year_bounds(year):
    return date(year, 1, 1), date(year, 12, 31)


def aides_de_l_annee(*, operation, kind, year, exclude_pk=None):
    du, au = _year_bounds(year)
    queryset = Aide.objects.for_organisation(operation.organisation_id).filter(
        participation__operation=operation, kind=kind, date_attribution__gte=du, date_attribution__lte=au
    )
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset


def aide_errors(aide):
    """Rules that do not depend on other aids (permis AM content, dates, budget line)."""
    errors = {}
    participation = aide.participation
    if aide.ligne_budgetaire_id and aide.ligne_budgetaire.operation_id != participation.operation_id:
        errors["ligne_budgetaire"] = "La ligne budgétaire doit appartenir à l'opération de la participation."
    if aide.montant is not None and aide.montant <= 0:
        errors["montant"] = "Le montant doit être positif."
    if aide.kind == AideKind.PERMIS_AM:
        if not aide.assr_justificatif:
            errors["assr_justificatif"] = "Le permis AM demande une ASSR (1 ou 2) ou une ASR justifiée."
        if aide.formation_debut and aide.formation_fin and aide.formation_fin < aide.formation_debut:
            errors["formation_fin"] = "La fin de la formation ne peut pas précéder son début."
        if aide.permis_obtenu and not aide.date_obtention:
            errors["date_obtention"] = "Indiquez la date d'obtention du permis."
        if aide.date_obtention and not aide.permis_obtenu:
            errors["permis_obtenu"] = "Cochez « permis obtenu » si une date d'obtention est saisie."
    return errors


def check_plafond(aide):
    """Raise ``ValidationError`` when the yearly cap of the operation for this kind would be exceeded.

    The cap row is locked (``select_for_update``) so two aids granted at the same time cannot both pass.
    """
    operation = aide.participation.operation
    plafond = operation.plafonds_aides.select_for_update().filter(kind=aide.kind).first()
    if plafond is None:
        return
    year = aide.date_attribution.year
    stats = aides_de_l_annee(operation=operation, kind=aide.kind, year=year, exclude_pk=aide.pk).aggregate(
        nombre=Count("id"), total=Sum("montant")
    )
    label = PLURALS.get(aide.kind, aide.get_kind_display())
    if plafond.nombre_max_par_an is not None and stats["nombre"] >= plafond.nombre_max_par_an:
        raise ValidationError(
            f"Plafond atteint : {stats['nombre']} {label} déjà financés en {year} pour {operation.intitule}.",
            code="plafond_nombre",
        )
    total = (stats["total"] or Decimal("0")) + (aide.montant or Decimal("0"))
    if plafond.montant_max_par_an is not None and total > plafond.montant_max_par_an:
        raise ValidationError(
            f"Plafond atteint : {euros(stats['total'] or 0)} de {label} déjà financés en {year} pour "
            f"{operation.intitule} (plafond annuel {euros(plafond.montant_max_par_an)}).",
            code="plafond_montant",
        )


@transaction.atomic
def aide_save(*, aide, user=None):
    """Create or update an aid; the participation must belong to the aid's organisation."""
    participation = aide.participation
    if participation.organisation_id != aide.organisation_id:
        raise ValidationError({"participation": "Cette participation n'est pas suivie par votre structure."})
    errors = aide_errors(aide)
    if errors:
        raise ValidationError(errors)
    check_plafond(aide)
    if aide.pk is None and user is not None:
        aide.created_by = user
    aide.save()
    return aide


def consommation(*, scope, operations, year):
    """Per operation: caps against this year's aids, and the participants' budget lines against aids charged.

    Three queries whatever the number of operations, aids or lines.
    """
    operations = list(operations)
    du, au = _year_bounds(year)
    by_kind = {
        (row["participation__operation"], row["kind"]): row
        for row in Aide.objects.for_scope(scope)
        .filter(participation__operation__in=operations, date_attribution__gte=du, date_attribution__lte=au)
        .values("participation__operation", "kind")
        .annotate(nombre=Count("id"), total=Sum("montant"))
    }
    plafonds = {
        (p.operation_id, p.kind): p for p in PlafondAide.objects.for_scope(scope).filter(operation__in=operations)
    }
    lignes = (
        LigneBudgetaire.objects.for_scope(scope)
        .filter(operation__in=operations)
        .annotate(
            aides_total=Sum("aides__montant"),
            aides_annee=Sum(
                "aides__montant", filter=Q(aides__date_attribution__gte=du, aides__date_attribution__lte=au)
            ),
            aides_nombre=Count("aides"),
        )
        .filter(Q(aides_nombre__gt=0) | Q(categorie=LigneBudgetaire.Categorie.PARTICIPANTS))
        .order_by("operation_id", "categorie", "libelle")
    )
    lignes_by_op = {}
    for ligne in lignes:
        ligne.reste = ligne.montant_prevu - (ligne.aides_total or 0)
        lignes_by_op.setdefault(ligne.operation_id, []).append(ligne)
    result = []
    for operation in operations:
        kinds = []
        for kind in AideKind:
            row = by_kind.get((operation.pk, kind.value), {})
            plafond = plafonds.get((operation.pk, kind.value))
            nombre = row.get("nombre", 0)
            kinds.append(
                {
                    "kind": kind,
                    "nombre": nombre,
                    "total": row.get("total") or Decimal("0"),
                    "plafond": plafond,
                    "taux": (nombre / plafond.nombre_max_par_an) if plafond and plafond.nombre_max_par_an else None,
                    "atteint": bool(plafond and plafond.nombre_max_par_an and nombre >= plafond.nombre_max_par_an),
                }
            )
        result.append({"operation": operation, "kinds": kinds, "lignes": lignes_by_op.get(operation.pk, [])})
    return result
