"""The iCalendar feed of a user's agenda (docs/agenda.md): a secret URL, of which only a hash is stored.

The token in the URL is the authorisation (a signed link): its lookup reads across organisations with
``for_platform()`` (tests/core/test_scope_rules.py lists this file), then everything else is read in the scope of
the organisation the feed was made in, with the role the user holds there today.
"""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from agenda.models import FluxAgenda, RendezVous
from agenda.services import combine
from core.models import Membership
from core.permissions import Record, can_read
from core.scope import Scope
from workshops.models import Seance


JOURS_AVANT, JOURS_APRES = 30, 180
STATUT_ICS = {RendezVous.Statut.ANNULE: "CANCELLED", RendezVous.Statut.EXCUSE: "CANCELLED"}


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def creer_flux(scope):
    """Revoke the user's feeds of the scope's organisation and make a new one; returns ``(flux, token)``: the token
    is shown once and never stored."""
    revoquer_flux(scope)
    token = secrets.token_urlsafe(32)
    flux = FluxAgenda.objects.create(user=scope.user, organisation=scope.organisation, token_hash=token_hash(token))
    return flux, token


def revoquer_flux(scope):
    """Revoke the user's active feeds of the scope's organisation; returns how many."""
    return (
        FluxAgenda.objects.for_scope(scope)
        .filter(user=scope.user, revoque_le__isnull=True)
        .update(revoque_le=timezone.now())
    )


def _role(user, organisation):
    membership = Membership.objects.active().filter(user=user, organisation=organisation).first()
    return membership.role if membership else None


def scope_for_token(token):
    """The scope the feed of ``token`` reads in, or None (unknown, revoked, user or membership deactivated)."""
    if not token or len(token) > 100:
        return None, None
    flux = (
        FluxAgenda.objects.for_platform()
        .select_related("user", "organisation")
        .filter(token_hash=token_hash(token), revoque_le__isnull=True)
        .first()
    )
    if flux is None or not flux.user.is_active:
        return None, None
    role = _role(flux.user, flux.organisation)
    if role is None or not can_read(role, Record.RENDEZ_VOUS):
        return None, None
    return flux, Scope(organisation=flux.organisation, role=role, user=flux.user)


def _initiale(jeune):
    nom = (jeune.nom or "").strip()
    return f"{jeune.prenom} {nom[:1].upper()}." if nom else jeune.prenom


def calendrier(scope, user, *, lien=None, now=None):
    """The iCalendar bytes of ``user``'s rendez-vous and sessions in ``scope``, from -30 to +180 days.

    Only what the conseillère needs in her own calendar: the young person's first name and initial, the place."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    debut, fin = today - datetime.timedelta(days=JOURS_AVANT), today + datetime.timedelta(days=JOURS_APRES)
    cal = Calendar()
    cal.add("prodid", "-//Tremplin//Agenda//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Tremplin — {scope.organisation}")
    rendez_vous = (
        RendezVous.objects.for_scope(scope)
        .filter(
            conseillere=user, debut__gte=combine(debut, datetime.time.min), debut__lt=combine(fin, datetime.time.min)
        )
        .select_related("jeune")
        .order_by("debut")
    )
    for rdv in rendez_vous:
        event = Event()
        event.add("uid", f"rdv-{rdv.pk}@tremplin")
        event.add("dtstamp", rdv.updated_at)
        event.add("dtstart", rdv.debut)
        event.add("dtend", rdv.fin)
        event.add("summary", f"RDV {_initiale(rdv.jeune)} ({rdv.get_modalite_display().lower()})")
        if rdv.lieu:
            event.add("location", rdv.lieu)
        event.add("status", STATUT_ICS.get(rdv.statut, "CONFIRMED"))
        if lien:
            event.add("url", lien(rdv))
        cal.add_component(event)
    seances = (
        Seance.objects.for_scope(scope)
        .filter(animatrice=user, date__gte=debut, date__lt=fin)
        .select_related("atelier")
        .order_by("date", "heure_debut")
    )
    for seance in seances:
        event = Event()
        event.add("uid", f"seance-{seance.pk}@tremplin")
        event.add("dtstamp", seance.updated_at)
        event.add("dtstart", combine(seance.date, seance.heure_debut))
        event.add("dtend", combine(seance.date, seance.heure_fin))
        event.add("summary", f"Atelier : {seance.atelier.intitule}")
        event.add("location", seance.lieu)
        cal.add_component(event)
    return cal.to_ical()
