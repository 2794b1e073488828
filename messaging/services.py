"""Invitations, reminders and cancellations of rendez-vous, by SMS and e-mail (docs/messaging.md).

API (the agenda's signals call the first three through ``messaging.receivers``):

- ``rendez_vous_inviter(rendez_vous=…, modification=False)``: the invitation (e-mail with an ``.ics``);
- ``rendez_vous_annuler(rendez_vous=…)``: the cancellation, to whoever received an invitation;
- ``envoyer_rappels(now=None, dry_run=False)``: the reminders due (the day before, once the organisation's
  ``rappel_heure`` has passed), what beat runs every 10 minutes and ``manage.py envoyer_rappels`` on demand;
- ``message_deliver(organisation_id=…, message_id=…, final=…)``: one attempt (the Celery task calls it).

Every message is a ``Message`` row inserted *first* under a unique ``dedupe_key``; the insert that loses the race
gets an ``IntegrityError`` and sends nothing. Delivery runs in a Celery task queued on commit: a failure never
reaches the conseillère, the row says « échec » and why.
"""

import datetime
import logging
import smtplib
from dataclasses import dataclass

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from agenda.models import RendezVous
from core import phones
from core.models import Organisation
from core.roles import Role
from messaging import sms, texts
from messaging.models import Message


logger = logging.getLogger(__name__)

Kind, Channel, Destinataire, Statut = Message.Kind, Message.Channel, Message.Destinataire, Message.Statut


class TransientDeliveryError(Exception):
    """Worth another try later (rate limit, provider or network down): the task retries with backoff."""


@dataclass(frozen=True)
class Envoi:
    """One message to send (or that would be sent, in a dry run)."""

    rendez_vous: RendezVous
    kind: str
    channel: str
    destinataire: str
    adresse: str
    dedupe_key: str

    def describe(self):
        rdv, debut = self.rendez_vous, timezone.localtime(self.rendez_vous.debut)
        qui = Destinataire(self.destinataire).label.lower()
        return (
            f"{rdv.organisation.nom} — rendez-vous n° {rdv.pk} du {debut:%d/%m/%Y à %H:%M} "
            f"— {Kind(self.kind).label} par {Channel(self.channel).label} au {qui}"
        )


def destinations(rendez_vous):
    """``[(destinataire, channel, adresse)]`` the consent recorded on the dossier allows: SMS when ``accepte_sms``
    and a mobile number, e-mail when ``accepte_email`` and an address; the guardian too when the rendez-vous says
    so and the young person is a minor."""
    jeune = rendez_vous.jeune
    people = [(Destinataire.JEUNE.value, jeune.telephone, jeune.email)]
    if rendez_vous.prevenir_representant and jeune.est_mineur:
        people.append(
            (Destinataire.REPRESENTANT.value, jeune.representant_legal_telephone, jeune.representant_legal_email)
        )
    found = []
    for destinataire, telephone, email in people:
        if jeune.accepte_sms and telephone and phones.can_receive_sms(telephone):
            found.append((destinataire, Channel.SMS.value, phones.e164(telephone)))
        if jeune.accepte_email and email:
            found.append((destinataire, Channel.EMAIL.value, email.strip()))
    return found


def dedupe_key(rendez_vous, kind, channel, destinataire, version=""):
    parts = ["rdv", str(rendez_vous.pk), kind, version, channel, destinataire]
    return ":".join(part for part in parts if part)


def _envois(rendez_vous, kind, version=""):
    return [
        Envoi(
            rendez_vous,
            kind,
            channel,
            destinataire,
            adresse,
            dedupe_key(rendez_vous, kind, channel, destinataire, version),
        )
        for destinataire, channel, adresse in destinations(rendez_vous)
    ]


def _create(envoi, *, modification=False):
    """Insert the row (None when its key is already taken: sent or being sent), queue its delivery on commit."""
    rdv = envoi.rendez_vous
    sujet, texte = texts.message_text(
        rdv, envoi.kind, representant=envoi.destinataire == Destinataire.REPRESENTANT, modification=modification
    )
    try:
        with transaction.atomic():
            message = Message.objects.create(
                organisation_id=rdv.organisation_id,
                jeune_id=rdv.jeune_id,
                rendez_vous=rdv,
                kind=envoi.kind,
                channel=envoi.channel,
                destinataire=envoi.destinataire,
                adresse=envoi.adresse,
                sujet=sujet[:200],
                texte=texte,
                dedupe_key=envoi.dedupe_key,
            )
    except IntegrityError:
        return None
    organisation_id, message_id = message.organisation_id, message.pk
    transaction.on_commit(lambda: _queue(organisation_id, message_id), robust=True)
    return message


def _queue(organisation_id, message_id):
    from messaging.tasks import message_send

    message_send.delay(organisation_id, message_id)


def _a_venir(rendez_vous, now=None):
    return rendez_vous.statut == RendezVous.Statut.PLANIFIE and rendez_vous.debut > (now or timezone.now())


def rendez_vous_inviter(*, rendez_vous, modification=False):
    """The invitation to a planned, future rendez-vous (a new one after a change of time or place)."""
    if not _a_venir(rendez_vous):
        return []
    # A change gets its own key (the time of the change), so each change sends one new invitation.
    version = f"modif-{rendez_vous.updated_at:%Y%m%d%H%M%S%f}" if modification else ""
    envois = _envois(rendez_vous, Kind.INVITATION, version)
    return [m for m in (_create(e, modification=modification) for e in envois) if m is not None]


def rendez_vous_annuler(*, rendez_vous):
    """The cancellation, on the channels where an invitation went out (and consent still stands)."""
    invited = set(
        Message.objects.for_organisation(rendez_vous.organisation_id)
        .filter(rendez_vous=rendez_vous, kind=Kind.INVITATION, statut=Statut.ENVOYE)
        .values_list("destinataire", "channel")
    )
    if not invited or rendez_vous.debut <= timezone.now():
        return []
    envois = [e for e in _envois(rendez_vous, Kind.ANNULATION) if (e.destinataire, e.channel) in invited]
    return [m for m in map(_create, envois) if m is not None]


def _tomorrow_bounds(now):
    tz = timezone.get_default_timezone()
    demain = timezone.localtime(now, tz).date() + datetime.timedelta(days=1)
    debut = datetime.datetime.combine(demain, datetime.time.min, tzinfo=tz)
    fin = datetime.datetime.combine(demain + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return debut, fin


def rappels_dus(now=None):
    """The reminders due at ``now``: planned rendez-vous of tomorrow (Europe/Paris) of each organisation whose
    ``rappel_heure`` has passed today, planned before that time. Whether one was already sent is the dedupe key's
    business."""
    now = now or timezone.now()
    heure = timezone.localtime(now, timezone.get_default_timezone()).time()
    debut, fin = _tomorrow_bounds(now)
    organisations = Organisation.objects.filter(
        kind=Organisation.Kind.PORTEUR, is_active=True, rappel_heure__lte=heure
    ).order_by("pk")
    today = timezone.localtime(now, timezone.get_default_timezone()).date()
    for organisation in organisations:
        # Planned after today's reminder time: the invitation that just went out says it all, no reminder on top.
        heure_rappel = datetime.datetime.combine(
            today, organisation.rappel_heure, tzinfo=timezone.get_default_timezone()
        )
        # A conseillère's reading: archived dossiers are left out.
        rendez_vous = (
            RendezVous.objects.for_organisation(organisation, role=Role.CONSEILLERE)
            .filter(statut=RendezVous.Statut.PLANIFIE, debut__gte=debut, debut__lt=fin, debut__gt=now)
            .filter(created_at__lt=heure_rappel)
            .select_related("jeune", "conseillere", "organisation")
            .order_by("debut", "pk")
        )
        for rdv in rendez_vous:
            yield from _envois(rdv, Kind.RAPPEL, f"{timezone.localtime(rdv.debut):%Y-%m-%d}")


def envoyer_rappels(now=None, dry_run=False):
    """Send the reminders due (``rappels_dus``); returns the ``Envoi`` sent — or, in a dry run, that would be sent
    (nothing written)."""
    envois = list(rappels_dus(now))
    if dry_run:
        taken = set()
        by_organisation = {}
        for envoi in envois:
            by_organisation.setdefault(envoi.rendez_vous.organisation_id, []).append(envoi.dedupe_key)
        for organisation_id, keys in by_organisation.items():
            taken |= set(
                Message.objects.for_organisation(organisation_id)
                .filter(dedupe_key__in=keys)
                .values_list("dedupe_key", flat=True)
            )
        return [e for e in envois if e.dedupe_key not in taken]
    return [envoi for envoi in envois if _create(envoi) is not None]


# --- Delivery ------------------------------------------------------------------------------------------------


def _is_transient(exc):
    try:
        from anymail.exceptions import AnymailAPIError
    except ImportError:  # pragma: no cover - anymail is installed
        AnymailAPIError = ()  # noqa: N806
    if isinstance(exc, sms.TransientSmsError):
        return True
    if isinstance(exc, sms.PermanentSmsError | smtplib.SMTPRecipientsRefused):
        return False
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500  # 4xx: try again later; 5xx: refused for good
    if isinstance(exc, smtplib.SMTPException):
        return True  # disconnected, connection errors
    if AnymailAPIError and isinstance(exc, AnymailAPIError):
        status = getattr(exc, "status_code", None)
        return status is None or status == 429 or status >= 500
    return isinstance(exc, OSError)  # refused, reset, timeout


def _describe(exc):
    if isinstance(exc, sms.SmsError):
        return str(exc)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "SMTP : adresse refusée par le serveur"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"SMTP {exc.smtp_code}"
    return f"{type(exc).__name__} : {exc}"[:300]


def _send(message):
    if message.channel == Channel.SMS:
        return sms.get_backend().send(message.adresse, message.texte)
    email = EmailMessage(message.sujet, message.texte, to=[message.adresse])
    rdv = message.rendez_vous
    if rdv is not None and message.kind in (Kind.INVITATION, Kind.ANNULATION):
        cancelled = message.kind == Kind.ANNULATION
        method = "CANCEL" if cancelled else "REQUEST"
        email.attach("rendez-vous.ics", texts.ics_for(rdv, cancelled=cancelled), f"text/calendar; method={method}")
    email.send(fail_silently=False)
    status = getattr(email, "anymail_status", None)  # set by django-anymail's backends
    return str(getattr(status, "message_id", "") or "")


def _obsolete(message, now):
    """Why a pending invitation or reminder must not go out anymore (cancelled, moved to the past), or ''."""
    rdv = message.rendez_vous
    if message.kind == Kind.ANNULATION:
        return ""
    if rdv is None:
        return "Non envoyé : le rendez-vous a été supprimé."
    if rdv.statut != RendezVous.Statut.PLANIFIE:
        return f"Non envoyé : le rendez-vous est « {rdv.get_statut_display().lower()} »."
    if rdv.debut <= now:
        return "Non envoyé : le rendez-vous est passé."
    return ""


def message_deliver(*, organisation_id, message_id, final=True):
    """One attempt at delivering a pending message. A transient error raises ``TransientDeliveryError`` (the task
    retries) unless ``final``; every failed attempt adds a line to ``erreur``. Returns the message (or None)."""
    rows = Message.objects.for_organisation(organisation_id)
    message = rows.select_related("rendez_vous__organisation", "rendez_vous__conseillere", "rendez_vous__jeune")
    message = message.filter(pk=message_id).first()
    if message is None or message.statut != Statut.EN_ATTENTE:
        return message
    now = timezone.now()
    attempt = message.tentatives + 1
    # Claim this attempt: a redelivered copy of the task (acks_late) running at the same time finds it taken.
    if not rows.filter(pk=message.pk, statut=Statut.EN_ATTENTE, tentatives=message.tentatives).update(
        tentatives=attempt
    ):
        return message
    message.tentatives = attempt
    reason = _obsolete(message, now)
    if reason:
        message.statut, message.erreur = Statut.ECHEC, _append(message.erreur, reason)
        rows.filter(pk=message.pk).update(statut=message.statut, erreur=message.erreur)
        return message
    try:
        provider_id = _send(message)
    except Exception as exc:
        transient = _is_transient(exc)
        line = f"Tentative {attempt} ({timezone.localtime(now):%d/%m/%Y %H:%M:%S}) : {_describe(exc)}"
        message.erreur = _append(message.erreur, line)
        message.statut = Statut.EN_ATTENTE if transient and not final else Statut.ECHEC
        rows.filter(pk=message.pk).update(statut=message.statut, erreur=message.erreur)
        logger.warning("Échec de l'envoi du message %s (tentative %s) : %s", message.pk, attempt, _describe(exc))
        if transient and not final:
            raise TransientDeliveryError(line) from exc
        return message
    message.statut, message.envoye_le, message.provider_id = Statut.ENVOYE, timezone.now(), provider_id[:100]
    rows.filter(pk=message.pk).update(
        statut=message.statut, envoye_le=message.envoye_le, provider_id=message.provider_id
    )
    return message


def _append(erreur, line):
    return f"{erreur}\n{line}" if erreur else line
