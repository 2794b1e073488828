"""Writes with rules: registrations (public restriction, capacity), attendance, PMSMP conventions."""

import calendar
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from workshops.models import PUBLIC_SEXES, Immersion, Inscription, Public, Seance
from youth import rules


# --- Dates -----------------------------------------------------------------------------------------------


def add_months(day, months):
    """Same day ``months`` later, clamped to the end of the month (31/01 + 1 month → 28 or 29/02)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


# --- Registrations and attendance -----------------------------------------------------------------------


def public_refusal(seance, jeune):
    """French reason why ``jeune`` may not join ``seance`` because of its public, or ``None``."""
    public = seance.public_effectif
    wanted = PUBLIC_SEXES.get(public)
    if wanted and jeune.sexe != wanted:
        who = "aux femmes" if public == Public.FEMMES else "aux hommes"
        return (
            f"Inscription refusée : la séance « {seance.atelier} » est réservée {who} "
            f"({jeune} ne peut pas y être inscrit·e)."
        )
    return None


@transaction.atomic
def inscription_create(*, seance, jeune, user=None):
    """Register ``jeune`` to ``seance``; refuses another organisation, a restricted public, a full session."""
    seance = (
        Seance.objects.for_organisation(jeune.organisation_id)
        .select_for_update()
        .select_related("atelier")
        .filter(pk=seance.pk)
        .first()
    )
    if seance is None:  # the session belongs to another organisation than the young person's
        raise ValidationError("Ce jeune n'est pas suivi par la structure qui organise l'atelier.")
    refusal = public_refusal(seance, jeune)
    if refusal:
        raise ValidationError(refusal, code="public")
    previous = seance.inscriptions.filter(jeune=jeune).first()
    if previous is not None and not previous.est_supprime:
        raise ValidationError(f"{jeune} est déjà inscrit·e à cette séance.", code="doublon")
    inscrits = seance.inscriptions.filter(supprime_le__isnull=True).count()
    if inscrits >= seance.capacite:
        raise ValidationError(
            f"La séance est complète ({seance.capacite} places) : {jeune} ne peut pas être inscrit·e.",
            code="complet",
        )
    if previous is not None:  # registered again after a deletion: the deleted row comes back (unique per session)
        previous.restore(user=user)
        return previous
    try:
        with transaction.atomic():
            return Inscription.objects.create(seance=seance, jeune=jeune, created_by=user)
    except IntegrityError as exc:  # pragma: no cover - concurrent double submit
        raise ValidationError(f"{jeune} est déjà inscrit·e à cette séance.", code="doublon") from exc


@transaction.atomic
def inscription_delete(*, inscription, scope=None, motif=""):
    """Before attendance, withdraw (delete); after, a soft delete with a reason (``youth.records.delete``: its
    author or coordination, kept in the history and the corbeille)."""
    if inscription.presence:
        if scope is None:
            raise ValidationError("La présence a été saisie : l'inscription se supprime avec un motif.")
        from youth import records

        return records.delete(obj=inscription, scope=scope, motif=motif)
    inscription.delete()
    return None


@transaction.atomic
def presences_record(*, seance, presences):
    """``presences`` maps inscription id → a ``Inscription.Presence`` value (or "" to clear)."""
    errors = rules.attendance_errors(seance.date)
    if errors:
        raise ValidationError(errors[None])
    valid = set(Inscription.Presence.values) | {""}
    inscriptions = {i.pk: i for i in seance.inscriptions.filter(supprime_le__isnull=True)}
    changed = []
    for pk, value in presences.items():
        if value not in valid:
            raise ValidationError("Valeur de présence inconnue.")
        inscription = inscriptions.get(pk)
        if inscription is None:
            raise ValidationError("Cette inscription n'appartient pas à la séance.")
        if inscription.presence != value:
            inscription.presence = value
            inscription.save(update_fields=["presence", "updated_at"])
            changed.append(inscription)
    seance.presences_saisies_le = timezone.now()
    seance.save(update_fields=["presences_saisies_le", "updated_at"])
    return changed


@transaction.atomic
def emargement_upload(*, seance, fichier):
    """Store the signed sheet. A rejected scan changes nothing: the previous sheet is deleted only once the new
    one is valid and saved (it was deleted first, and the page then linked to a file that no longer existed)."""
    previous = seance.emargement_signe.name if seance.emargement_signe else ""
    seance.emargement_signe = fichier
    try:
        seance.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError:
        seance.emargement_signe = previous or None
        raise
    seance.save()
    if previous and previous != seance.emargement_signe.name:
        storage = seance.emargement_signe.storage
        transaction.on_commit(lambda: storage.delete(previous))
    return seance


# --- PMSMP conventions (Code du travail D.5135-3) --------------------------------------------------------

MAX_CONVENTIONS_MEME_ACCUEIL = 2
MAX_JOURS_MEME_ACCUEIL = 60


def immersion_errors(immersion):
    """Every rule the convention breaks, as ``{field or None: [French messages]}``."""
    errors = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    debut, fin = immersion.date_debut, immersion.date_fin
    if not (debut and fin):
        return errors
    if fin < debut:
        add("date_fin", "La fin de l'immersion ne peut pas précéder son début.")
        return errors
    limite = add_months(debut, 1) - timedelta(days=1)
    if fin > limite:
        add(
            "date_fin",
            f"Une convention d'immersion dure au plus un mois de date à date : "
            f"commençant le {debut:%d/%m/%Y}, elle doit finir au plus tard le {limite:%d/%m/%Y}.",
        )
    if immersion.entreprise_id is None or immersion.jeune_id is None:
        return errors

    window_start, window_end = add_months(debut, -12), add_months(fin, 12)
    others = list(
        Immersion.objects.for_organisation(immersion.organisation_id)
        .actives()
        .filter(jeune_id=immersion.jeune_id, entreprise_id=immersion.entreprise_id)
        .filter(date_fin__gt=window_start, date_debut__lt=window_end)
        .exclude(pk=immersion.pk)
        .order_by("date_debut")
    )
    # Renewal: once, same object, objectives not met.
    origine = immersion.renouvellement_de
    if origine is not None:
        if origine.pk == immersion.pk:
            add("renouvellement_de", "Une convention ne peut pas se renouveler elle-même.")
        elif origine.jeune_id != immersion.jeune_id or origine.entreprise_id != immersion.entreprise_id:
            add("renouvellement_de", "Le renouvellement concerne le même jeune et la même structure d'accueil.")
        elif origine.objet != immersion.objet:
            add("renouvellement_de", "Un renouvellement garde le même objet que la convention initiale.")
        elif origine.renouvellement_de_id is not None:
            add("renouvellement_de", "Cette convention est déjà un renouvellement : elle ne peut pas être renouvelée.")
        elif origine.renouvellements.exclude(pk=immersion.pk).filter(annulee=False).exists():
            add("renouvellement_de", "Cette convention a déjà été renouvelée une fois.")
        elif origine.objectifs_atteints:
            add(
                "renouvellement_de",
                "Les objectifs de la convention initiale ont été atteints : elle ne peut pas être renouvelée.",
            )
        elif origine.date_debut > debut:
            add("renouvellement_de", "Le renouvellement commence après la convention initiale.")
    else:
        meme_objet = [o for o in others if o.objet == immersion.objet]
        if meme_objet:
            add(
                "objet",
                f"Une convention avec le même objet existe déjà avec {immersion.entreprise} "
                f"(du {meme_objet[0].date_debut:%d/%m/%Y}) : elle ne peut être que renouvelée, une seule fois, "
                "si ses objectifs n'ont pas été atteints.",
            )
    # Same host: at most 2 conventions and 60 days in any 12 consecutive months.
    periods = sorted([(o.date_debut, o.date_fin) for o in others] + [(debut, fin)])
    trop_de_conventions = False
    trop_de_jours = 0
    for start, _end in periods:
        # Each window of 12 consecutive months that starts with a convention and contains this one.
        if not (start <= debut < add_months(start, 12)):
            continue
        window = [(s, e) for s, e in periods if start <= s < add_months(start, 12)]
        trop_de_conventions = trop_de_conventions or len(window) > MAX_CONVENTIONS_MEME_ACCUEIL
        trop_de_jours = max(trop_de_jours, sum((e - s).days + 1 for s, e in window))
    if trop_de_conventions:
        add(
            None,
            f"Avec la même structure d'accueil ({immersion.entreprise}), un jeune peut signer au plus "
            f"{MAX_CONVENTIONS_MEME_ACCUEIL} conventions sur 12 mois consécutifs.",
        )
    if trop_de_jours > MAX_JOURS_MEME_ACCUEIL:
        add(
            None,
            f"Avec la même structure d'accueil, la durée totale des immersions ne peut pas dépasser "
            f"{MAX_JOURS_MEME_ACCUEIL} jours sur 12 mois consécutifs (ici {trop_de_jours} jours).",
        )
    return errors


@transaction.atomic
def immersion_save(*, immersion, user=None):
    """Create or update a convention after checking D.5135-3; raises ``ValidationError`` with French messages."""
    if immersion.jeune_id and immersion.jeune.organisation_id != immersion.organisation_id:
        raise ValidationError({"jeune": "Ce jeune n'est pas suivi par votre structure."})
    if immersion.entreprise_id and immersion.entreprise.organisation_id != immersion.organisation_id:
        raise ValidationError({"entreprise": "Cette entreprise n'appartient pas à votre structure."})
    # Serialise checks per young person so two conventions saved at once cannot both pass the limits.
    type(immersion.jeune).objects.select_for_update().filter(pk=immersion.jeune_id).first()
    errors = immersion_errors(immersion)
    if errors:
        raise ValidationError({(k or "__all__"): v for k, v in errors.items()})
    if immersion.pk is None and user is not None:
        immersion.created_by = user
    immersion.save()
    return immersion


@transaction.atomic
def immersion_evaluate(*, immersion, evaluee_le, objectifs_atteints, evaluation):
    if evaluee_le < immersion.date_debut:
        raise ValidationError({"evaluee_le": "L'évaluation ne peut pas précéder le début de l'immersion."})
    immersion.evaluee_le = evaluee_le
    immersion.objectifs_atteints = objectifs_atteints
    immersion.evaluation = evaluation
    immersion.save(update_fields=["evaluee_le", "objectifs_atteints", "evaluation", "updated_at"])
    return immersion
