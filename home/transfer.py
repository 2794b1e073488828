"""Caseload transfer (coordination): a conseillère's dossiers and her future rendez-vous go to another, in one
transaction, recorded in each dossier's history (docs/conseillere.md, "Transfert de portefeuille")."""

from django import forms
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from agenda.models import RendezVous
from core.forms import ScopedFormMixin
from core.models import Membership, Role, User
from notifications.models import Notification
from notifications.services import notifier
from youth.models import Jeune


TRANSFER_ROLES = (Role.CONSEILLERE, Role.COORDINATEUR)


def _members(scope, active_only):
    members = Membership.objects.filter(organisation=scope.organisation, role__in=TRANSFER_ROLES)
    if active_only:
        members = members.active()
    return User.objects.filter(pk__in=members.values("user_id")).order_by("last_name", "first_name", "pk")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class TransferForm(ScopedFormMixin, forms.Form):
    source = UserChoiceField(label="Portefeuille de", queryset=User.objects.none(), empty_label="Choisir…")
    cible = UserChoiceField(label="Transférer à", queryset=User.objects.none(), empty_label="Choisir…")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the source may have left (inactive account); the target is an active member
        self.fields["source"].queryset = _members(self.scope, active_only=False)
        self.fields["cible"].queryset = _members(self.scope, active_only=True)
        self._scope_choices()

    def clean(self):
        data = super().clean()
        if data.get("source") and data.get("source") == data.get("cible"):
            self.add_error("cible", "Choisissez une autre personne que celle dont le portefeuille est transféré.")
        return data


def dossiers(scope, source):
    return Jeune.objects.for_scope(scope).filter(referent=source)


def future_rendez_vous(scope, source, now=None):
    return RendezVous.objects.for_scope(scope).filter(
        conseillere=source, statut=RendezVous.Statut.PLANIFIE, debut__gt=now or timezone.now()
    )


def preview(scope, source):
    return {"dossiers": dossiers(scope, source).count(), "rendez_vous": future_rendez_vous(scope, source).count()}


def reason(source, cible):
    de, a = source.get_full_name() or source.email, cible.get_full_name() or cible.email
    return f"Transfert de portefeuille de {de} à {a}"[:100]


@transaction.atomic
def transfer(scope, source, cible, by):
    """Move ``Jeune.referent`` and the future planned ``RendezVous.conseillere`` from ``source`` to ``cible``.
    Each row gets a history record (who, when, the reason): the audit of changes shows it. Returns the counts."""
    now = timezone.now()
    why = reason(source, cible)
    jeunes = list(dossiers(scope, source).select_for_update())
    for jeune in jeunes:
        jeune.referent = cible
        jeune.updated_at = now
    bulk_update_with_history(
        jeunes, Jeune, ["referent", "updated_at"], default_user=by, default_change_reason=why, default_date=now
    )
    rdvs = list(future_rendez_vous(scope, source, now).select_for_update())
    for rdv in rdvs:
        rdv.conseillere = cible
        rdv.updated_at = now
    bulk_update_with_history(
        rdvs, RendezVous, ["conseillere", "updated_at"], default_user=by, default_change_reason=why, default_date=now
    )
    if jeunes or rdvs:
        notifier(
            scope.organisation,
            [cible],
            Notification.Kind.PORTEFEUILLE,
            f"{len(jeunes)} dossier{'s' if len(jeunes) > 1 else ''} et {len(rdvs)} rendez-vous à venir vous ont été "
            f"transférés ({source.get_full_name() or source.email})",
            "/jeunes/?mes_jeunes=1",
        )
    return {"dossiers": len(jeunes), "rendez_vous": len(rdvs)}
