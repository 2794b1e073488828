"""What the dossier page shows: youth's own contribution (core.dossier), alerts, history."""

import calendar
from datetime import timedelta

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from core.dossier import Contribution, Event
from core.permissions import Record
from youth.history import describe
from youth.models import Document, Entretien, EtapePlan, Frein, Jeune, Participation, SuiviPostSortie


def add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def questionnaire_complet(participation):
    return all(
        getattr(participation, name)
        for name in ("statut_entree", "diplome", "nationalite", "parent_ne_etranger", "handicap", "sans_logement")
    )


def _contact_alert(jeune, today):
    """The "no contact for 30 days" alert, only when it is true: the last contact noted, else the repérage (an
    aller-vers contact is met on that day), else the opening of the dossier (an orientation accepted today)."""
    limit = today - timedelta(days=30)
    if jeune.date_dernier_contact is not None:
        if jeune.date_dernier_contact >= limit:
            return None
        return f"Pas de contact depuis plus de 30 jours (dernier contact le {jeune.date_dernier_contact:%d/%m/%Y})."
    ouvert_le = timezone.localdate(jeune.created_at) if jeune.created_at else today
    if jeune.date_reperage >= limit or ouvert_le >= limit:
        return None
    if jeune.date_reperage >= ouvert_le:
        return f"Aucun contact noté depuis le repérage du {jeune.date_reperage:%d/%m/%Y} (plus de 30 jours)."
    return f"Aucun contact noté depuis l'ouverture du dossier le {ouvert_le:%d/%m/%Y} (plus de 30 jours)."


def sans_contact_condition(today):
    """``Jeune`` rows for which ``_contact_alert`` speaks (the same rule, in SQL)."""
    limit = today - timedelta(days=30)
    return Q(date_dernier_contact__lt=limit) | Q(
        date_dernier_contact__isnull=True, date_reperage__lt=limit, created_at__date__lt=limit
    )


def alerts_for(jeune, participations, today=None):
    """French alert messages (level, text) from already-loaded data: no query."""
    today = today or timezone.localdate()
    alerts = []
    if not jeune.est_joignable:
        alerts.append(
            (
                "danger",
                "Coordonnées manquantes : ni téléphone, ni e-mail, ni personne à contacter (exigé par le FSE+).",
            )
        )
    if jeune.statut != Jeune.Statut.SORTI:
        alert = _contact_alert(jeune, today)
        if alert:
            alerts.append(("warning", alert))
    for participation in participations:
        if participation.date_entree is None or participation.date_sortie is not None:
            continue
        code = participation.operation.code
        if participation.date_entree < today - timedelta(weeks=4) and not questionnaire_complet(participation):
            alerts.append(
                (
                    "warning",
                    f"{code} : questionnaire d'entrée incomplet plus de 4 semaines après l'entrée "
                    f"({participation.date_entree:%d/%m/%Y}).",
                )
            )
        fin = add_months(participation.date_entree, 6)
        if fin <= today + timedelta(days=30):
            verbe = "s'achève le" if fin >= today else "s'est achevé le"
            alerts.append(("info", f"{code} : le parcours de 6 mois {verbe} {fin:%d/%m/%Y} — préparez la sortie."))
    return alerts


# Fields kept up to date by other records (an entretien sets the last contact): their change alone is no event.
TIMELINE_BOOKKEEPING_FIELDS = {"date_dernier_contact", "recherche", "updated_at", "created_at"}


# The rows the timeline and the dossier page both show, read once per page (``DossierContext.rows``).
def participations_of(ctx):
    return ctx.rows(
        "participations",
        lambda: list(
            Participation.objects.for_scope(ctx.scope)
            .filter(jeune=ctx.jeune)
            .select_related("operation")
            .prefetch_related(
                Prefetch("suivis", queryset=SuiviPostSortie.objects.for_scope(ctx.scope).order_by("echeance", "pk"))
            )
            .order_by("-date_entree", "pk")
        ),
    )


def etapes_of(ctx):
    return ctx.rows("etapes", lambda: list(EtapePlan.objects.for_scope(ctx.scope).filter(jeune=ctx.jeune)))


def freins_of(ctx):
    return ctx.rows("freins", lambda: list(Frein.objects.for_scope(ctx.scope).filter(jeune=ctx.jeune)))


def documents_of(ctx):
    return ctx.rows(
        "documents",
        lambda: list(
            Document.objects.for_scope(ctx.scope).filter(jeune=ctx.jeune).select_related("participation__operation")
        ),
    )


def contribute(ctx):
    """Youth's own timeline events: a fixed number of queries whatever the size of the dossier."""
    jeune, scope, limit = ctx.jeune, ctx.scope, ctx.limit
    events = [Event(when=jeune.date_reperage, kind="reperage", title=f"Repérage ({jeune.get_origine_display()})")]
    participations = participations_of(ctx)
    for p in participations:
        url = reverse("youth:participation_detail", args=[jeune.pk, p.pk])
        if p.date_entree:
            events.append(
                Event(
                    when=p.date_entree,
                    kind="entree",
                    title=f"Entrée dans {p.operation.code} (contrat d'engagement signé)",
                    detail=f"Âge à l'entrée : {p.age_entree} ans" if p.age_entree is not None else "",
                    url=url,
                )
            )
        if p.date_sortie:
            events.append(
                Event(
                    when=p.date_sortie,
                    kind="sortie",
                    title=f"Sortie de {p.operation.code}",
                    detail=p.get_situation_sortie_display(),
                    url=url,
                )
            )
    codes = {p.pk: p.operation.code for p in participations}
    for s in (s for p in participations for s in p.suivis.all()):
        events.append(
            Event(
                when=s.date,
                kind="suivi",
                title=f"Suivi à {s.get_echeance_display()} après la sortie ({codes.get(s.participation_id, '')})",
                detail=s.get_situation_display() + (f" — {s.commentaire}" if s.commentaire else ""),
            )
        )
    entretiens = (
        Entretien.objects.for_scope(scope).filter(jeune=jeune).select_related("auteur").order_by("-date", "-pk")
    )
    for e in entretiens[:limit]:
        auteur = e.auteur.get_full_name() if e.auteur else ""
        events.append(
            Event(
                when=e.date,
                kind="entretien",
                title=f"Entretien {e.get_kind_display().lower()} ({e.duree_minutes} min)"
                + (" — confidentiel" if e.confidentielle else ""),
                detail=", ".join(e.sujets_display),
                extra={"auteur": auteur, "notes": e.notes, "prochaines_etapes": e.prochaines_etapes},
            )
        )
    done = sorted((e for e in etapes_of(ctx) if e.fait_le), key=lambda e: e.fait_le, reverse=True)
    for step in done[:limit] if limit else done:
        events.append(Event(when=step.fait_le, kind="etape", title=f"Étape réalisée : {step.libelle}"))
    for frein in freins_of(ctx):
        events.append(Event(when=frein.identifie_le, kind="frein", title=f"Frein identifié : {frein}"))
        if frein.leve_le:
            events.append(Event(when=frein.leve_le, kind="frein", title=f"Frein levé : {frein}"))
    for doc in documents_of(ctx):
        events.append(
            Event(
                when=doc.obtenu_le,
                kind="document",
                title=f"Document : {doc.get_kind_display()}",
                detail="vu, non conservé" if doc.vu_non_conserve else "fichier déposé",
            )
        )
    for change in history_entries(jeune, scope, models=("jeune", "participation"), limit=limit):
        # an entretien saves the young person's last contact: the entretien is already on the timeline
        shown = [c for c in change["changes"] if c["name"] not in TIMELINE_BOOKKEEPING_FIELDS]
        if change["object_label"] == "Identité" and change.get("reason", "").startswith("Fusion"):
            events.append(
                Event(
                    when=change["when"],
                    kind="modification",
                    title=change["reason"],  # youth.merge: « Fusion du dossier n° Y dans le dossier n° X »
                    detail=f"par {change['user'].get_full_name() or change['user'].email}" if change["user"] else "",
                    url=reverse("youth:jeune_history", args=[jeune.pk]),
                    extra={"changes": shown},
                )
            )
        elif change["type"] == "modification" and shown:
            fields = ", ".join(c["field"] for c in shown)
            events.append(
                Event(
                    when=change["when"],
                    kind="modification",
                    title=f"{change['object_label']} modifié(e) : {fields}",
                    detail=f"par {change['user'].get_full_name() or change['user'].email}" if change["user"] else "",
                    url=reverse("youth:jeune_history", args=[jeune.pk]),
                    extra={"changes": shown},
                )
            )
    return Contribution(events=events)


# What the chargé·e de relation entreprise must not see in a history (identity + parcours summary only).
SUMMARY_HIDDEN_FIELDS = (
    "parent_ne_etranger",
    "handicap",
    "sans_logement",
    "nationalite",
    "objectifs",
    "commentaire",
)


def confidential_withheld(scope):
    """For an entretien's history: the versions this scope could not read when they were current.

    A version saved as confidential is readable by its author and the roles that read confidential notes (as
    ``youth.models.confidential_rows``), even after the note became non-confidential: None when the scope reads
    them all.
    """
    if scope.reads(Record.NOTE_CONFIDENTIELLE):
        return None
    user_id = getattr(scope.user, "pk", None)
    return lambda record: record.confidentielle and (user_id is None or record.auteur_id != user_id)


def history_entries(jeune, scope, models=None, limit=None):
    """Change history (who, when, before/after) of everything in the dossier the user may read.

    With ``limit`` (the dossier timeline), only the ``limit`` latest versions of the identity are described: each
    entretien saves the young person (last contact), so that history grows with the life of the dossier."""
    entries = []
    wanted = set(models or ("jeune", "participation", "suivi", "entretien", "etape", "frein", "document"))
    hidden = ()
    if not scope.reads(Record.NOTE):  # notes, documents and the FSE questionnaire; others read a summary
        wanted &= {"jeune", "participation", "suivi"}
        hidden = SUMMARY_HIDDEN_FIELDS
    hist = "history_user"
    participation_ids = Participation.objects.for_scope(scope).filter(jeune=jeune).values("pk")
    if "jeune" in wanted:
        records = Jeune.history.filter(id=jeune.pk).select_related(hist)
        baseline = None
        if limit:
            records = list(records.order_by("-history_date", "-history_id")[: limit + 1])
            baseline = records[-1] if len(records) > limit else None  # compared against, not shown
        entries += describe(records, Jeune, "Identité", hidden_fields=hidden, baseline=baseline)
    if "participation" in wanted:
        records = list(Participation.history.filter(jeune_id=jeune.pk).select_related(hist, "operation"))
        entries += describe(
            records,
            Participation,
            "Participation",
            object_str=lambda r: f"Participation {r.operation.code}",
            hidden_fields=hidden,
        )
    if "suivi" in wanted:
        records = SuiviPostSortie.history.filter(participation_id__in=participation_ids).select_related(hist)
        entries += describe(records, SuiviPostSortie, "Suivi post-sortie", hidden_fields=hidden)
    scoped = {
        "entretien": (Entretien, "Entretien"),
        "etape": (EtapePlan, "Étape du plan"),
        "frein": (Frein, "Frein"),
        "document": (Document, "Document"),
    }
    for key, (model, label) in scoped.items():
        if key not in wanted:
            continue
        # deleted records stay in the history (core.softdelete), with their deletion and its reason
        visible = model.objects.for_scope(scope, deleted=None).filter(jeune=jeune).values("pk")
        records = model.history.filter(jeune_id=jeune.pk, id__in=visible).select_related(hist)
        withheld = confidential_withheld(scope) if model is Entretien else None
        entries += describe(records, model, label, withheld=withheld)
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries
