"""Writes with side effects on dossiers: entry, exit, re-entry, entretiens, post-exit follow-up."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from youth import rules, signals
from youth.models import Entretien, Jeune, Participation, age_on, identity_key


def phone_key(value):
    """The last 9 digits of a phone number: « 06 12 34 56 78 », « +33 6 12 34 56 78 » and « 0612345678 » meet."""
    digits = "".join(c for c in value or "" if c.isdigit())
    return digits[-9:] if len(digits) >= 9 else ""


def email_key(value):
    return (value or "").strip().lower()


def _digits_only(field):
    from django.db.models import Value
    from django.db.models.functions import Replace

    expression = models.F(field)
    for char in (" ", ".", "-", "+", "/", "(", ")"):
        expression = Replace(expression, Value(char), Value(""))
    return expression


def jeune_duplicates(
    *, organisation, nom, prenom, date_naissance, telephone="", email="", exclude_pk=None, identity_only=False
):
    """Likely duplicates among the dossiers of ``organisation`` (never another organisation's), oldest first.

    A dossier matches on the same person (folded names in either order + same birth date, ``identity_key``),
    or on the same phone number (last 9 digits) or e-mail. Each returned Jeune carries ``doublon_motifs``, the
    French reasons (« même nom et date de naissance », « même téléphone », « même e-mail »).

    The one duplicate check of every creation path: the dossier form (« Créer quand même » to confirm), the
    repérage conversion and the orientation accepted (outreach), the participant import (reports: same
    person → same dossier; same phone or e-mail → a warning on the line). Soft-deleted and merged dossiers are
    not offered (the scope layer hides them); anonymised ones are not people any more."""
    key = identity_key(nom, prenom, date_naissance) if (nom and prenom and date_naissance) else None
    phone, mail = ("", "") if identity_only else (phone_key(telephone), email_key(email))
    condition = models.Q(pk__in=[])
    if key:
        condition |= models.Q(date_naissance=date_naissance)
    if mail:
        condition |= models.Q(email__iexact=mail)
    if phone:
        condition |= models.Q(_tel__endswith=phone)
    if not (key or phone or mail):
        return []
    candidates = (
        Jeune.objects.for_organisation(organisation)
        .filter(anonymised_at=None)
        .annotate(_tel=_digits_only("telephone"))
        .filter(condition)
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    found = []
    for jeune in candidates.order_by("pk")[:20]:
        motifs = []
        if key and jeune.identity_key == key:
            motifs.append("même nom et date de naissance")
        if phone and phone_key(jeune.telephone) == phone:
            motifs.append("même téléphone")
        if mail and email_key(jeune.email) == mail:
            motifs.append("même e-mail")
        if motifs:
            jeune.doublon_motifs = motifs
            found.append(jeune)
    return found


DUPLICATE_MESSAGE = (
    "Un dossier existe peut-être déjà pour cette personne : ouvrez-le plutôt que d'en créer un second, "
    "ou confirmez avec « Créer quand même »."
)


def entry_errors(*, operation, date_entree, date_reperage=None, statut_entree=""):
    """French messages for the entry rules that do not depend on age: inside the convention, not in the future,
    repérage not after entry, NEET operation refuses a person employed at entry (unless the operation allows it)."""
    errors = {}
    if date_entree:
        if date_entree > timezone.localdate():
            errors["date_entree"] = "La date d'entrée ne peut pas être dans le futur."
        elif not operation.date_debut <= date_entree <= operation.date_fin:
            errors["date_entree"] = (
                f"La date d'entrée ({date_entree:%d/%m/%Y}) doit être comprise dans la convention de l'opération "
                f"{operation.code} ({operation.date_debut:%d/%m/%Y} – {operation.date_fin:%d/%m/%Y})."
            )
        if date_reperage and date_reperage > date_entree:
            errors["date_reperage"] = (
                f"Le repérage ({date_reperage:%d/%m/%Y}) ne peut pas suivre l'entrée ({date_entree:%d/%m/%Y})."
            )
    if statut_entree == Participation.StatutEntree.EMPLOI and not operation.emploi_entree_autorise:
        errors["statut_entree"] = (
            f"L'opération {operation.code} est réservée aux jeunes ni en emploi, ni en études, ni en formation : "
            "une personne en emploi à l'entrée n'est pas éligible (réglage de l'opération)."
        )
    return errors


def eligibility_errors(*, jeune, operation, date_entree, neet_atteste):
    """French messages for every eligibility rule broken at entry (empty dict: eligible)."""
    errors = entry_errors(operation=operation, date_entree=date_entree, date_reperage=jeune.date_reperage)
    age = age_on(jeune.date_naissance, date_entree)
    if age is not None and not operation.age_min <= age <= operation.age_max:
        message = (
            f"Âge à l'entrée : {age} ans. L'opération {operation.code} accueille les jeunes de "
            f"{operation.age_min} à {operation.age_max} ans."
        )
        errors["date_entree"] = f"{errors['date_entree']} {message}" if "date_entree" in errors else message
    if not neet_atteste:
        errors["neet_atteste"] = "Le statut NEET doit être attesté (ni emploi, ni études, ni formation) pour entrer."
    return errors


def jeune_sync_statut(jeune):
    """en_parcours while a participation is open, sorti once all entered participations are closed."""
    participations = list(jeune.participations.filter(date_entree__isnull=False).values("date_sortie"))
    if any(p["date_sortie"] is None for p in participations):
        statut = Jeune.Statut.EN_PARCOURS
    elif participations:
        statut = Jeune.Statut.SORTI
    else:
        return
    if jeune.statut != statut:
        jeune.statut = statut
        jeune.save(update_fields=["statut", "updated_at"])


@transaction.atomic
def participation_enter(*, participation, date_signature_contrat, date_entree, neet_atteste, objectifs="", user=None):
    """Sign the contrat d'engagement: eligibility is checked and frozen (age at entry, date of the check)."""
    if participation.date_entree is not None:
        raise ValidationError("Ce jeune est déjà entré dans l'opération : rouvrez la participation.")
    errors = eligibility_errors(
        jeune=participation.jeune,
        operation=participation.operation,
        date_entree=date_entree,
        neet_atteste=neet_atteste,
    )
    if errors:
        raise ValidationError(errors)
    participation.date_signature_contrat = date_signature_contrat
    participation.date_entree = date_entree
    participation.neet_atteste = neet_atteste
    participation.objectifs = objectifs
    participation.eligibilite_verifiee_le = timezone.localdate()
    participation.save()
    jeune_sync_statut(participation.jeune)
    return participation


@transaction.atomic
def participation_exit(
    *,
    participation,
    date_sortie,
    situation_sortie,
    a_termine=False,
    qualification_obtenue=None,
    date_situation_sortie=None,
):
    if participation.date_entree is None:
        raise ValidationError("Le jeune n'est pas entré dans l'opération : la sortie ne peut pas être enregistrée.")
    if date_sortie < participation.date_entree:
        raise ValidationError(
            {"date_sortie": f"La sortie ne peut pas précéder l'entrée ({participation.date_entree:%d/%m/%Y})."}
        )
    if situation_sortie not in Participation.SituationSortie.values:
        raise ValidationError({"situation_sortie": "Situation de sortie inconnue."})
    if date_situation_sortie and date_situation_sortie < date_sortie:
        raise ValidationError({"date_situation_sortie": "La situation de sortie se constate à la sortie ou après."})
    participation.date_sortie = date_sortie
    participation.situation_sortie = situation_sortie
    participation.a_termine = a_termine
    participation.qualification_obtenue = qualification_obtenue
    participation.date_situation_sortie = date_situation_sortie
    participation.sortie_saisie_le = timezone.localdate()
    participation.save()
    jeune_sync_statut(participation.jeune)
    return participation


@transaction.atomic
def participation_reopen(*, participation):
    """Re-entry into the same operation: the exit is cleared, entry data are kept (history shows the exit)."""
    if participation.date_sortie is None:
        raise ValidationError("La participation est déjà ouverte.")
    participation.date_sortie = None
    participation.situation_sortie = ""
    participation.sortie_saisie_le = None
    participation.a_termine = False
    participation.save()
    jeune_sync_statut(participation.jeune)
    return participation


@transaction.atomic
def entretien_create(*, jeune, auteur, prochain_rdv_debut=None, **fields):
    entretien = Entretien(jeune=jeune, organisation_id=jeune.organisation_id, auteur=auteur, **fields)
    entretien.full_clean()
    entretien.save()
    entretien_prochain_rdv(entretien, prochain_rdv_debut, auteur)
    if jeune.date_dernier_contact is None or entretien.date > jeune.date_dernier_contact:
        jeune.date_dernier_contact = entretien.date
        if jeune.statut in (Jeune.Statut.REPERE, Jeune.Statut.ORIENTE, Jeune.Statut.CONTACT):
            jeune.statut = Jeune.Statut.ACCUEILLI
        jeune.save(update_fields=["date_dernier_contact", "statut", "updated_at"])
    return entretien


def entretien_prochain_rdv(entretien, debut, user):
    """The next rendez-vous given on an entretien: the agenda plans it (``youth.signals``); it may refuse."""
    if debut is not None:
        signals.prochain_rendez_vous.send(sender=Entretien, entretien=entretien, debut=debut, user=user)


@transaction.atomic
def suivi_record(*, participation, echeance, date, situation, commentaire="", motif_anticipation="", user=None):
    """Record (or correct) the follow-up at 1, 3 or 6 months after exit (early only with a reason, kept in the
    comment)."""
    if participation.date_sortie is None:
        raise ValidationError("Le suivi post-sortie se saisit après la sortie.")
    errors = rules.suivi_date_errors(
        date_sortie=participation.date_sortie, echeance=echeance, date=date, motif=motif_anticipation
    )
    if errors:
        raise ValidationError(errors)
    if motif_anticipation.strip():
        commentaire = f"Suivi anticipé : {motif_anticipation.strip()}. {commentaire}".strip()[:255]
    suivi, created = participation.suivis.get_or_create(
        participation=participation,
        echeance=echeance,
        defaults={"date": date, "situation": situation, "commentaire": commentaire, "created_by": user},
    )
    if not created:
        suivi.date, suivi.situation, suivi.commentaire = date, situation, commentaire
        suivi.save()
    return suivi
