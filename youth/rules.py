"""The rules about a young person's identity, each in one home, applied on every path that creates a dossier.

The "Nouveau jeune" form, the repérage conversion, the partner portal, the acceptance of an orientation and the
participant import call these functions instead of carrying their own copy (docs/architecture.md, "Domain
rules, each in one home").
Each returns ``{field: French message}``; an empty dict means the data passes.
"""

import datetime
import re

from django.utils import timezone

from core import phones
from funding.models import Operation
from youth.dossier import add_months
from youth.models import age_on


# Below the youngest operation's minimum age a repérage may still start one year early (a 15-year-old met in the
# street enters at 16); above the oldest operation's maximum nobody can enter.
AGE_REPERAGE_TOLERANCE = 1
DEFAULT_AGE_BOUNDS = (16, 29)


def age_bounds(organisation):
    """(minimum, maximum) age at entry across the organisation's operations in progress (16–29 without any)."""
    bounds = list(
        Operation.objects.for_organisation(organisation).filter(is_active=True).values_list("age_min", "age_max")
    )
    if not bounds:
        return DEFAULT_AGE_BOUNDS
    return min(b[0] for b in bounds), max(b[1] for b in bounds)


def birth_date_errors(date_naissance, *, organisation, today=None, field="date_naissance"):
    """A birth date in the past and an age today the organisation's operations can take."""
    if not date_naissance:
        return {}
    today = today or timezone.localdate()
    if date_naissance >= today:
        return {field: "La date de naissance doit être dans le passé."}
    age = age_on(date_naissance, today)
    age_min, age_max = age_bounds(organisation)
    if age < age_min - AGE_REPERAGE_TOLERANCE or age > age_max:
        return {
            field: (
                f"Âge aujourd'hui : {age} ans. Les opérations de la structure accueillent les jeunes de "
                f"{age_min} à {age_max} ans : vérifiez la date de naissance."
            )
        }
    return {}


def is_minor(date_naissance, today=None):
    age = age_on(date_naissance, today or timezone.localdate())
    return age is not None and age < 18


def minor_errors(data, *, today=None, obligation=True):
    """A minor (under 18 today) has a legal guardian and, when ``obligation``, says how the obligation de
    formation (16–18 ans) is met. ``data``: a mapping with ``date_naissance``, ``representant_legal_nom`` and
    ``obligation_formation``. A partner does not know the obligation: the portal passes ``obligation=False`` and
    the conseillère completes it on the dossier."""
    if not is_minor(data.get("date_naissance"), today):
        return {}
    errors = {}
    if not (data.get("representant_legal_nom") or "").strip():
        errors["representant_legal_nom"] = "Jeune mineur : indiquez son représentant légal."
    if obligation and not data.get("obligation_formation"):
        errors["obligation_formation"] = "Jeune mineur : indiquez comment l'obligation de formation est remplie."
    return errors


PHONE_CHARACTERS = re.compile(r"^\+?[\d\s.\-()]{8,20}$")


def phone_from_free_text(text):
    """A phone number written as a phone number, or "" ("Snap: yass59", "insta @x" are not numbers)."""
    text = (text or "").strip()
    if not PHONE_CHARACTERS.match(text):
        return ""
    try:
        return phones.normalise(text)
    except phones.InvalidPhoneNumber:
        return ""


def email_from_free_text(text):
    text = (text or "").strip()
    return text if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text) else ""


# A follow-up "at N months" is dated about N months after the exit; a week early is still on time.
SUIVI_TOLERANCE = datetime.timedelta(days=7)


def suivi_due_date(date_sortie, echeance):
    return add_months(date_sortie, echeance)


def suivi_date_errors(*, date_sortie, echeance, date, motif=""):
    """The follow-up at 1/3/6 months is not before the exit, and not early without a reason."""
    if not (date_sortie and date and echeance):
        return {}
    if date < date_sortie:
        return {"date": "Le suivi ne peut pas précéder la sortie."}
    due = suivi_due_date(date_sortie, int(echeance))
    if date < due - SUIVI_TOLERANCE and not (motif or "").strip():
        return {
            "motif_anticipation": (
                f"Un suivi à {int(echeance)} mois se fait vers le {due:%d/%m/%Y} (sortie le {date_sortie:%d/%m/%Y}) : "
                "indiquez pourquoi il est saisi plus tôt."
            )
        }
    return {}


def attendance_errors(seance_date, today=None):
    """Attendance is taken on the day of the session or after, never for a session to come."""
    today = today or timezone.localdate()
    if seance_date and seance_date > today:
        return {
            None: (
                f"La séance du {seance_date:%d/%m/%Y} n'a pas encore eu lieu : les présences se saisissent le jour "
                "de la séance ou après."
            )
        }
    return {}
