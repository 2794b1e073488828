"""Demo rendez-vous around today for the demo conseillères, and the sessions they run (all data fake).

Runs after youth and workshops. Rows are created directly (no signal): seeding sends no invitation.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from agenda.models import RendezVous
from workshops.models import Seance
from youth.models import Jeune


CONSEILLERES = {"acsrv": "conseillere@acsrv.demo", "carvin": "conseillere@carvin.demo"}
S, M = RendezVous.Statut, RendezVous.Modalite
OBJETS = ["Point sur le projet", "Préparer l'entretien d'embauche", "CV et lettre", "Démarches logement", "Bilan"]
LIEUX = {"acsrv": "Centre social Dutemple, Valenciennes", "carvin": "CCAS, place du Général de Gaulle, Carvin"}


def _working_days(start, step, count):
    days, day = [], start
    while len(days) < count:
        day += timedelta(days=step)
        if day.weekday() < 5:
            days.append(day)
    return days


def _plan(ctx, today):
    """(day, time, status, modality) rows: honoured and missed in the past, today, this week, next week."""
    past = _working_days(today, -1, 6)
    rows = [
        (day, time(9 + 2 * (i % 3), 0), status, M.PRESENTIEL)
        for i, (day, status) in enumerate(
            zip(past, [S.HONORE, S.MANQUE, S.HONORE, S.EXCUSE, S.HONORE, S.MANQUE], strict=True)
        )
    ]
    rows += [(today, time(9, 30), S.PLANIFIE, M.PRESENTIEL), (today, time(11, 0), S.PLANIFIE, M.TELEPHONE)]
    rows += [(today, time(14, 30), S.PLANIFIE, M.PRESENTIEL), (today, time(16, 0), S.PLANIFIE, M.VISIO)]
    monday_next = today + timedelta(days=7 - today.weekday())
    this_week = [d for d in _working_days(today, 1, 4) if d < monday_next] or _working_days(today, 1, 1)
    rows += [(day, time(10 + i % 5, 0), S.PLANIFIE, M.PRESENTIEL) for i, day in enumerate(this_week)]
    next_week = [monday_next + timedelta(days=i) for i in range(5)]
    rows += [
        (day, time(9 + i, 30), S.PLANIFIE, M.TELEPHONE if i % 2 else M.PRESENTIEL) for i, day in enumerate(next_week)
    ]
    rows.append((next_week[3], time(15, 0), S.ANNULE, M.PRESENTIEL))
    return rows


def seed_demo(ctx):
    today = ctx.today
    created = 0
    for org_key, email in CONSEILLERES.items():
        organisation, conseillere = ctx.orgs[org_key], ctx.users[email]
        jeunes = Jeune.objects.for_organisation(organisation).filter(
            archived_at__isnull=True, anonymised_at__isnull=True
        )
        mine = list(jeunes.filter(referent=conseillere).order_by("pk")[:40]) or list(jeunes.order_by("pk")[:40])
        if not mine:
            continue
        ctx.rng.shuffle(mine)
        for i, (day, heure, statut, modalite) in enumerate(_plan(ctx, today)):
            debut = timezone.make_aware(datetime.combine(day, heure))
            rdv = RendezVous(
                organisation=organisation,
                jeune=mine[i % len(mine)],
                conseillere=conseillere,
                debut=debut,
                duree_minutes=ctx.rng.choice([30, 45, 60]),
                modalite=modalite,
                lieu=LIEUX[org_key] if modalite == M.PRESENTIEL else "",
                objet=ctx.rng.choice(OBJETS),
                statut=statut,
                cree_par=conseillere,
                statut_change_le=debut + timedelta(hours=1) if statut != S.PLANIFIE else None,
            )
            rdv.save()
            created += 1
        # She runs some of her organisation's upcoming workshop sessions.
        upcoming = list(
            Seance.objects.for_organisation(organisation)
            .filter(date__gte=today, date__lte=today + timedelta(days=21), animatrice__isnull=True)
            .order_by("date", "heure_debut")[:4]
        )
        for seance in upcoming:
            seance.animatrice = conseillere
            seance.save(update_fields=["animatrice", "updated_at"])
    ctx.log(f"Agenda : {created} rendez-vous autour d'aujourd'hui pour les conseillères de démonstration.")
