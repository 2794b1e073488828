"""Rights of the people: what Tremplin holds on one young person (access/portability) and erasure."""

from datetime import date, datetime
from decimal import Decimal

from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from privacy import retention


ERASURE_REFUSED = (
    "Effacement impossible : les données sont conservées jusqu'au {date} pour les contrôles FSE "
    "(règlement (UE) 2021/1060, art. 82)."
)
ERASURE_REFUSED_UNKNOWN = (
    "Effacement impossible : les données sont conservées jusqu'à la date de contrôle de l'opération {operations} "
    "(5 ans à compter du 31 décembre de l'année du dernier paiement FSE, pas encore connue) pour les contrôles FSE "
    "(règlement (UE) 2021/1060, art. 82)."
)
SKIPPED_FIELDS = {"organisation"}


def _display(instance, field):
    value = getattr(instance, field.name)
    if field.choices:
        return getattr(instance, f"get_{field.name}_display")()
    if isinstance(field, models.FileField):
        return value.name.rsplit("/", 1)[-1] if value else ""
    if isinstance(field, models.ForeignKey):
        return str(value) if value is not None else ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "oui" if value else "non"
    if value is None:
        return ""
    return str(value)


def _machine(instance, field):
    value = getattr(instance, field.name)
    if isinstance(field, models.ForeignKey):
        return {"id": getattr(instance, field.attname), "libelle": str(value)} if value is not None else None
    if isinstance(field, models.FileField):
        return value.name.rsplit("/", 1)[-1] if value else None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _record(instance):
    fields = [f for f in instance._meta.concrete_fields if f.name not in SKIPPED_FIELDS]
    return {
        "lisible": [(str(f.verbose_name), _display(instance, f)) for f in fields],
        "donnees": {f.name: _machine(instance, f) for f in fields},
    }


def collect(jeune):
    """Every record held on ``jeune``: sections ``{"titre", "modele", "enregistrements": [...]}``.

    Found generically via ``_meta``: the young person, every model with a foreign key to it, and every model
    with a foreign key to one of those (an aid → its participation).
    """
    sections = [
        {
            "titre": str(jeune._meta.verbose_name).capitalize(),
            "modele": jeune._meta.label,
            "enregistrements": [_record(jeune)],
        }
    ]
    for model, lookup in retention.related_models(type(jeune)):
        fk_names = [f.name for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
        records = model._default_manager.filter(**{lookup: jeune.pk}).select_related(*fk_names).order_by("pk")
        items = [_record(instance) for instance in records]
        if items:
            sections.append(
                {
                    "titre": str(model._meta.verbose_name_plural).capitalize(),
                    "modele": model._meta.label,
                    "enregistrements": items,
                }
            )
    return sections


def export_json(jeune):
    return {
        "exporte_le": timezone.now().isoformat(),
        "responsable_de_traitement": str(jeune.organisation),
        "jeune": jeune.pk,
        "donnees": {
            section["modele"]: [record["donnees"] for record in section["enregistrements"]]
            for section in collect(jeune)
        },
    }


def erasure_refusal(jeune, today=None):
    """The legal reason erasure is refused (French sentence), or None when it is allowed."""
    until, unknown = retention.audit_hold_for(jeune, today=today)
    if unknown:
        return ERASURE_REFUSED_UNKNOWN.format(operations=", ".join(sorted({op.code for op in unknown})))
    if until is not None:
        return ERASURE_REFUSED.format(date=until.strftime("%d/%m/%Y"))
    return None


@transaction.atomic
def jeune_erase(*, jeune):
    """Erase a young person when no audit hold runs: delete, or anonymise if other records must stay.

    Returns ``"supprime"`` or ``"anonymise"``. Raises ``ValueError`` with the legal reason otherwise.
    """
    reason = erasure_refusal(jeune)
    if reason:
        raise ValueError(reason)
    pk = jeune.pk
    try:
        with transaction.atomic():
            retention.jeunes_anonymise(ids=[pk])  # clears files and history first
            type(jeune).objects.filter(pk=pk).delete()
    except ProtectedError:
        retention.jeunes_anonymise(ids=[pk])
        return "anonymise"
    type(jeune).history.model.objects.filter(id=pk).delete()
    return "supprime"
