"""The one way to notify: ``notifier(organisation, destinataires, kind, titre, url)`` (docs/notifications.md)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from core.models import Membership, User
from core.permissions import readers_of
from notifications.models import Notification, PreferenceNotification


TITRE_MAX = 160


def est_interne(url):
    """A path of this site (``/jeunes/12/``): no scheme, no host, no ``//`` nor backslash tricks."""
    return (
        isinstance(url, str)
        and url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=False)
    )


def nom_court(prenom, nom=""):
    """What a title may say of a young person: first name and initial (« Léa M. »)."""
    prenom = (prenom or "").strip()
    initiale = (nom or "").strip()[:1].upper()
    return f"{prenom} {initiale}." if initiale else prenom


def lecteurs(organisation, record, porteur_id=None):
    """Active members of ``organisation`` whose role reads ``record`` (the role table); on a partner's side with
    ``porteur_id``, only the accounts that see that porteur (``Membership.porteurs_limites``)."""
    members = Membership.objects.active().filter(organisation=organisation, role__in=readers_of(record))
    ids = [
        user_id
        for user_id, limits in members.values_list("user_id", "porteurs_limites")
        if porteur_id is None or not limits or porteur_id in limits
    ]
    return User.objects.filter(pk__in=ids)


def notifier(organisation, destinataires, kind, titre, url):
    """Notify each of ``destinataires`` (users or user ids) who is an active member of ``organisation``.

    ``titre`` is a short sentence (at most the young person's first name and initial, see ``nom_court``) and
    ``url`` an internal path; anything else is refused (ValueError). Returns the notifications created."""
    if not est_interne(url):
        raise ValueError(f"Lien de notification non interne : {url!r}")
    if kind not in Notification.Kind.values:
        raise ValueError(f"Type de notification inconnu : {kind!r}")
    titre = " ".join(str(titre).split())
    if len(titre) > TITRE_MAX:
        titre = titre[: TITRE_MAX - 1] + "…"
    ids = {getattr(d, "pk", d) for d in destinataires}
    ids.discard(None)
    if not ids or organisation is None:
        return []
    members = (
        Membership.objects.active()
        .filter(organisation=organisation, user_id__in=ids)
        .values_list("user_id", flat=True)
        .distinct()
    )
    organisation_id = getattr(organisation, "pk", organisation)
    now = timezone.now()
    return Notification.objects.bulk_create(
        Notification(
            organisation_id=organisation_id, destinataire_id=user_id, kind=kind, titre=titre, url=url, created_at=now
        )
        for user_id in sorted(set(members))
    )


def marquer_lue(notification):
    if notification.lu_le is None:
        notification.lu_le = timezone.now()
        notification.save(update_fields=["lu_le"])


def marquer_toutes_lues(queryset):
    return queryset.filter(lu_le__isnull=True).update(lu_le=timezone.now())


def envoyer_resumes(now=None):
    """The daily digest: to each user who asked for it and has unread notifications received since the last
    digest, one e-mail with the counts per organisation and the link. No title, no case data. Returns the number
    of e-mails sent."""
    now = now or timezone.now()
    base = getattr(settings, "TREMPLIN_BASE_URL", "").rstrip("/")
    sent = 0
    preferences = PreferenceNotification.objects.filter(resume_quotidien=True, user__is_active=True).select_related(
        "user"
    )
    for preference in preferences:
        since = Q(created_at__gt=preference.dernier_resume_le) if preference.dernier_resume_le else Q()
        counts = []
        for membership in Membership.objects.active().filter(user=preference.user).select_related("organisation"):
            n = (
                Notification.objects.for_organisation(
                    membership.organisation, role=membership.role, user=preference.user
                )
                .filter(since, lu_le__isnull=True, created_at__lte=now)
                .count()
            )
            if n:
                counts.append({"organisation": str(membership.organisation), "n": n})
        if not counts:
            continue
        total = sum(row["n"] for row in counts)
        lignes = "\n".join(f"- {row['organisation']} : {row['n']}" for row in counts)
        corps = (
            f"Bonjour,\n\nVous avez {total} notification{'s' if total > 1 else ''} non lue"
            f"{'s' if total > 1 else ''} dans Tremplin :\n{lignes}\n\n"
            f"Consultez-les : {base}/notifications/\n\n"
            "Ce message ne contient volontairement aucune donnée personnelle. "
            f"Pour ne plus le recevoir : {base}/notifications/preferences/\n"
        )
        send_mail("[Tremplin] Vos notifications non lues", corps, None, [preference.user.email])
        preference.dernier_resume_le = now
        preference.save(update_fields=["dernier_resume_le"])
        sent += 1
    return sent
