"""The words of the messages: the organisation's texts with their placeholders, dates in French, the ``.ics``.

Only the known placeholders are replaced (a regular expression), never ``str.format`` on a text coordination edits:
``{jeune.organisation.__class__}`` stays as typed.
"""

import re

from django.utils import timezone
from icalendar import Calendar, Event, vText

from core import phones


JOURS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MOIS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
PLACEHOLDERS = ("prenom", "date", "heure", "lieu", "conseillere", "structure", "telephone")
PLACEHOLDER_RE = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")

TEXTE_ANNULATION = (
    "Bonjour {prenom}, votre rendez-vous du {date} à {heure} avec {conseillere} ({structure}) est annulé. "
    "Pour en convenir d'un autre, appelez le {telephone}."
)
PREFIXE_MODIFICATION = "Rendez-vous modifié. "
SUJETS = {
    "invitation": "Votre rendez-vous du {date} à {heure}",
    "rappel": "Rappel : votre rendez-vous demain à {heure}",
    "annulation": "Rendez-vous du {date} annulé",
}


def date_fr(value):
    """« mardi 8 décembre 2026 » (the 1st: « 1er »)."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{JOURS[value.weekday()]} {day} {MOIS[value.month - 1]} {value.year}"


def heure_fr(value):
    """« 14 h 30 », « 9 h »."""
    return f"{value.hour} h {value.minute:02d}" if value.minute else f"{value.hour} h"


def render(template, values):
    """``template`` with each known ``{placeholder}`` replaced by ``values[name]``; anything else kept as typed."""
    return PLACEHOLDER_RE.sub(lambda match: str(values.get(match.group(1), "")), template or "")


def lieu_of(rdv):
    organisation = rdv.organisation
    if rdv.modalite == "telephone":
        return "par téléphone" + (f" ({rdv.lieu})" if rdv.lieu else "")
    if rdv.modalite == "visio":
        return "en visio" + (f" : {rdv.lieu}" if rdv.lieu else "")
    if rdv.lieu:
        return rdv.lieu
    adresse = " ".join(part for part in (organisation.adresse, organisation.code_postal, organisation.commune) if part)
    return adresse or f"à {organisation.nom}"


def telephone_of(organisation):
    if not organisation.telephone:
        return f"standard de {organisation.nom}"
    try:
        return phones.normalise(organisation.telephone)
    except phones.InvalidPhoneNumber:
        return organisation.telephone


def values_for(rdv):
    debut = timezone.localtime(rdv.debut)
    conseillere = rdv.conseillere
    return {
        "prenom": rdv.jeune.prenom,
        "date": date_fr(debut.date()),
        "heure": heure_fr(debut.time()),
        "lieu": lieu_of(rdv),
        "conseillere": (conseillere.get_full_name() or "votre conseillère") if conseillere else "votre conseillère",
        "structure": rdv.organisation.nom,
        "telephone": telephone_of(rdv.organisation),
    }


def message_text(rdv, kind, *, representant=False, modification=False):
    """(subject, text) of the ``kind`` message about ``rdv``."""
    organisation = rdv.organisation
    template = {
        "invitation": organisation.texte_invitation,
        "rappel": organisation.texte_rappel,
        "annulation": TEXTE_ANNULATION,
    }[kind]
    values = values_for(rdv)
    texte = render(template, values)
    if modification:
        texte = PREFIXE_MODIFICATION + texte
    if representant:
        texte = f"Message pour le représentant légal de {rdv.jeune.prenom} {rdv.jeune.nom}. {texte}"
    return render(SUJETS[kind], values), texte


def ics_for(rdv, *, cancelled=False):
    """The rendez-vous as an iCalendar file (bytes), attached to the e-mail invitation."""
    calendar = Calendar()
    calendar.add("prodid", "-//Tremplin//Rendez-vous//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"rdv-{rdv.pk}@tremplin")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", rdv.debut)
    event.add("dtend", rdv.fin)
    conseillere = rdv.conseillere.get_full_name() if rdv.conseillere else ""
    event.add("summary", f"Rendez-vous avec {conseillere or 'votre conseillère'} ({rdv.organisation.nom})")
    event["location"] = vText(lieu_of(rdv))
    if rdv.objet:
        event.add("description", rdv.objet)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()
