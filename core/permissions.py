"""The role table: who reads and who writes each kind of record (docs/architecture.md, docs/security.md).

Every check reads this one table: the scoped querysets (``core.scope``), the view decorators below, the
dossier panels and the notification recipients. A role absent from a line neither reads nor writes it.

Roles act in their *current* organisation only (``request.scope``); a partner organisation's users read
the portal records of their organisation (and, for an account limited to a partnership, of that porteur only).
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

from core.roles import Role


C, E, K, P = Role.CONSEILLERE, Role.CHARGE_ENTREPRISES, Role.COORDINATEUR, Role.PARTENAIRE
STAFF = frozenset({C, E, K})


class Record:
    """Kinds of records. Each model declares its kind in ``scoping = Scoping(record=...)``."""

    DOSSIER = "dossier"  # identity, contacts, parcours summary, participations, follow-ups
    DOSSIER_ARCHIVE = "dossier_archive"  # an archived dossier (retention), any of its records
    NOTE = "note"  # entretiens, plan d'actions, freins, documents of the dossier
    NOTE_CONFIDENTIELLE = "note_confidentielle"  # a confidential entretien of another author
    DIAGNOSTIC = "diagnostic"  # evaluations and their answers
    QUESTIONNAIRE = "questionnaire"  # the organisation's diagnostic questionnaires
    REPERAGE = "reperage"  # repérage actions and contacts (aller-vers)
    ORIENTATION = "orientation"  # orientations received from / sent to partners, on the porteur's side
    PARTENARIAT = "partenariat"  # partnerships and partner accounts managed by the porteur
    PORTAIL = "portail"  # a partner's own orientations, messages and attachments
    ATELIER = "atelier"  # workshops, sessions, attendance
    IMMERSION = "immersion"  # PMSMP conventions
    EMPLOYEUR = "employeur"  # employer CRM, offers, placements, follow-up in post
    OPERATION = "operation"  # operations and their targets (read by all staff: forms pick them)
    FINANCE = "finance"  # budget lines, resources, caps
    AIDE = "aide"  # material aids
    DEPENSES = "depenses"  # expense ledger, staff time sheets, proofs, resources received (coordination)
    BILAN = "bilan"  # indicators, bilans, exports, imports, contrôle de service fait packs
    AUDIT = "audit"  # reads and changes log
    COMPTES = "comptes"  # the organisation's accounts and the partner accounts it invited
    RENDEZ_VOUS = "rendez_vous"  # rendez-vous with a young person, the agenda, the iCalendar feed
    MESSAGE = "message"  # invitations and reminders sent to a young person (SMS, e-mail) and their delivery
    NOTIFICATION = "notification"  # in-app notifications, each read by its recipient only


READERS = {
    Record.DOSSIER: STAFF,
    Record.DOSSIER_ARCHIVE: {K},
    Record.NOTE: {C, K},
    Record.NOTE_CONFIDENTIELLE: {K},
    Record.DIAGNOSTIC: {C, K},
    Record.QUESTIONNAIRE: {C, K},
    Record.REPERAGE: STAFF,
    Record.ORIENTATION: {C, K},
    Record.PARTENARIAT: {C, K},
    Record.PORTAIL: {P},
    Record.ATELIER: STAFF,
    Record.IMMERSION: STAFF,
    Record.EMPLOYEUR: STAFF,
    Record.OPERATION: STAFF,
    Record.FINANCE: {C, K},  # a conseillère charges an aid to a budget line
    Record.AIDE: {C, K},
    Record.DEPENSES: {K},
    Record.BILAN: {K},
    Record.AUDIT: {K},
    Record.COMPTES: {K},
    Record.RENDEZ_VOUS: {C, K},
    Record.MESSAGE: {C, K},
    Record.NOTIFICATION: STAFF | {P},
}

WRITERS = {
    Record.DOSSIER: {C, K},
    Record.DOSSIER_ARCHIVE: {K},
    Record.NOTE: {C, K},
    Record.NOTE_CONFIDENTIELLE: {K},
    Record.DIAGNOSTIC: {C, K},
    Record.QUESTIONNAIRE: {K},
    Record.REPERAGE: {C, K},
    Record.ORIENTATION: {C, K},
    Record.PARTENARIAT: {K},
    Record.PORTAIL: {P},
    Record.ATELIER: STAFF,
    Record.IMMERSION: STAFF,
    Record.EMPLOYEUR: {E, K},
    Record.OPERATION: {K},
    Record.FINANCE: {K},
    Record.AIDE: {C, K},
    Record.DEPENSES: {K},
    Record.BILAN: {K},
    Record.AUDIT: set(),
    Record.COMPTES: {K},
    Record.RENDEZ_VOUS: {C, K},
    Record.MESSAGE: {C, K},
    Record.NOTIFICATION: STAFF | {P},
}


def can_read(role, record):
    return role in READERS[record]


def can_write(role, record):
    return role in WRITERS[record]


def readers_of(record):
    """Roles that read ``record`` (notification recipients, panels)."""
    return frozenset(READERS[record])


def current_role(request):
    scope = getattr(request, "scope", None)
    return scope.role if scope is not None else None


def role_required(*roles):
    """Restrict a view to members whose *current* role is one of ``roles`` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if current_role(request) not in roles:
                raise PermissionDenied("Votre rôle ne permet pas d'accéder à cette page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def read_required(record):
    """The current role reads ``record`` (403 otherwise)."""
    return role_required(*READERS[record])


def write_required(record):
    """The current role writes ``record`` (403 otherwise)."""
    return role_required(*WRITERS[record])


staff_required = role_required(*STAFF)
coordinateur_required = role_required(K)
partenaire_required = read_required(Record.PORTAIL)
