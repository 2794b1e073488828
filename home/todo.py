"""The to-do list of the home page (docs/conseillere.md, "À faire"): each item a count and a link to a list of
exactly those rows. A fixed number of queries whatever the data: one aggregate per model. The young people's counts
(one pass over the caseload, or over the whole organisation for coordination) are kept by ``core.dataversion``
until a write changes the organisation's data or the day changes; the rendez-vous counts move with the clock.

For a conseillère, the young people are her caseload (``Jeune.referent``), the rendez-vous hers; coordination sees
the whole organisation. The rules that read the dossier only are in ``youth.todo``; the rendez-vous and
orientation rules are here (``home`` sits above ``agenda`` and ``outreach``).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone

from agenda.models import RendezVous
from core import dataversion
from core.models import Role
from core.permissions import Record
from outreach.models import Orientation
from youth import todo as youth_todo
from youth.models import Jeune


MANQUE_JOURS = 30
# What each urgency asks for an answer in (Orientation.Urgence): « sous 48 heures », « sous 15 jours »; a normal
# orientation is answered within 30 days.
DELAIS = {
    Orientation.Urgence.URGENTE: timedelta(hours=48),
    Orientation.Urgence.PRIORITAIRE: timedelta(days=15),
    Orientation.Urgence.NORMALE: timedelta(days=30),
}
URGENCE_RANG = {Orientation.Urgence.URGENTE: 0, Orientation.Urgence.PRIORITAIRE: 1, Orientation.Urgence.NORMALE: 2}


@dataclass
class Item:
    key: str
    label: str
    count: int
    url: str
    en_retard: int = 0  # how many of them are past their deadline
    urgent: bool = False  # overdue or due: shown first


def mine(request):
    """True when the to-do is the user's own caseload (a conseillère), False for the whole organisation."""
    return request.scope.role == Role.CONSEILLERE


def day_bounds(today):
    start = timezone.make_aware(datetime.combine(today, time.min))
    return start, start + timedelta(days=1)


def jeunes_for(request):
    jeunes = Jeune.objects.for_request(request).filter(anonymised_at__isnull=True)
    return jeunes.filter(referent=request.user) if mine(request) else jeunes


def rendez_vous_today(request, today):
    start, end = day_bounds(today)
    rdvs = RendezVous.objects.for_request(request).filter(
        statut=RendezVous.Statut.PLANIFIE, debut__gte=start, debut__lt=end
    )
    return rdvs.filter(conseillere=request.user) if mine(request) else rdvs


def rendez_vous_manques(request, now):
    """Missed in the last 30 days, and no rendez-vous planned since for the same young person: to follow up. For a
    conseillère, the rendez-vous she held or of the young people she follows."""
    scoped = RendezVous.objects.for_request(request)
    later = scoped.filter(jeune=OuterRef("jeune"), statut=RendezVous.Statut.PLANIFIE, debut__gt=OuterRef("debut"))
    rdvs = scoped.filter(
        statut=RendezVous.Statut.MANQUE,
        debut__gte=now - timedelta(days=MANQUE_JOURS),
        debut__lte=now,
        jeune__anonymised_at__isnull=True,
    ).filter(~Exists(later))
    if mine(request):
        rdvs = rdvs.filter(Q(conseillere=request.user) | Q(jeune__referent=request.user))
    return rdvs


def orientation_overdue(now):
    condition = Q(pk__in=[])
    for urgence, delai in DELAIS.items():
        condition |= Q(urgence=urgence, soumise_le__lt=now - delai)
    return condition


def orientations_waiting(request):
    """Received from a partner and not answered yet (Reçue, En cours d'examen): the organisation's, whoever reads."""
    return Orientation.objects.for_request(request).filter(
        sens=Orientation.Sens.ENTRANTE, statut__in=Orientation.OUVERTES
    )


def by_urgency(orientations, now):
    """Overdue first, then by urgency, then the oldest first."""
    return orientations.annotate(
        en_retard=Case(When(orientation_overdue(now), then=Value(1)), default=Value(0), output_field=IntegerField()),
        rang=Case(
            *(When(urgence=urgence, then=Value(rang)) for urgence, rang in URGENCE_RANG.items()),
            default=Value(3),
            output_field=IntegerField(),
        ),
    ).order_by("-en_retard", "rang", "soumise_le", "pk")


def jeune_url(request, key):
    return f"/jeunes/?a_faire={key}" + ("&mes_jeunes=1" if mine(request) else "")


def build(request):
    """The items, most urgent first (items with nothing to do are kept, at the end, with a zero)."""
    today, now = timezone.localdate(), timezone.now()
    scope = request.scope
    items = []
    if scope.reads(Record.RENDEZ_VOUS):
        rdv = {
            "today": rendez_vous_today(request, today).count(),
            "manques": rendez_vous_manques(request, now).count(),
        }
        items.append(Item("rdv_aujourdhui", "Rendez-vous aujourd'hui", rdv["today"], "/a-faire/rendez-vous/"))
        items.append(
            Item(
                "rdv_manques",
                "Rendez-vous manqués à relancer",
                rdv["manques"],
                "/a-faire/rendez-vous-manques/",
                urgent=bool(rdv["manques"]),
            )
        )
    if scope.reads(Record.ORIENTATION):
        counts = orientations_waiting(request).aggregate(
            total=Count("pk"), en_retard=Count("pk", filter=orientation_overdue(now))
        )
        items.append(
            Item(
                "orientations",
                "Orientations de partenaires en attente de réponse",
                counts["total"],
                "/a-faire/orientations/",
                en_retard=counts["en_retard"],
                urgent=bool(counts["en_retard"]),
            )
        )
    keys = ["sans_contact", "suivis_en_retard", "suivis_a_faire", "fin_parcours"]
    if scope.reads(Record.NOTE):  # the FSE entry questionnaire is read by conseillères and coordination
        keys.insert(3, "questionnaire_incomplet")
    counts = dataversion.cached(  # kept until a write changes the organisation's data, or the day changes
        "a-faire",
        scope.organisation_id,
        [scope.role, request.user.pk if mine(request) else "structure", *keys],
        lambda: jeunes_for(request).aggregate(
            **{key: Count("pk", filter=youth_todo.condition(key, scope, today)) for key in keys}
        ),
    )
    for key in keys:
        items.append(
            Item(
                key,
                youth_todo.A_FAIRE[key],
                counts[key],
                jeune_url(request, key),
                en_retard=counts[key] if key == "suivis_en_retard" else 0,
                urgent=key == "suivis_en_retard" and bool(counts[key]),
            )
        )
    items.sort(key=lambda item: (not item.urgent, item.count == 0))
    return items
