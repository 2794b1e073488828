"""Demo messages: the young people of the demo conseillères' rendez-vous accept SMS and e-mail, and the invitations
of the rendez-vous already planned are listed as sent (all data fake; nothing leaves the machine).

Runs after agenda. Rows are written directly, as the console backend would have recorded them: one failed SMS
shows what a provider error looks like on the dossier.
"""

from datetime import timedelta

from django.utils import timezone

from agenda.models import RendezVous
from core import phones
from messaging import services
from messaging.models import Message
from messaging.texts import message_text


def seed_demo(ctx):
    now = timezone.now()
    created = 0
    for organisation in ctx.orgs.values():
        rdvs = list(
            RendezVous.objects.for_organisation(organisation)
            .filter(statut=RendezVous.Statut.PLANIFIE, debut__gte=now)
            .select_related("jeune", "conseillere", "organisation")
            .order_by("debut")[:12]
        )
        for index, rdv in enumerate(rdvs):
            jeune = rdv.jeune
            jeune.accepte_sms = phones.can_receive_sms(jeune.telephone)
            jeune.accepte_email = bool(jeune.email)
            jeune.save(update_fields=["accepte_sms", "accepte_email", "updated_at"])
            for destinataire, channel, adresse in services.destinations(rdv):
                sujet, texte = message_text(rdv, Message.Kind.INVITATION)
                failed = index == 0 and channel == Message.Channel.SMS
                Message.objects.create(
                    organisation=organisation,
                    jeune=jeune,
                    rendez_vous=rdv,
                    kind=Message.Kind.INVITATION,
                    channel=channel,
                    destinataire=destinataire,
                    adresse=adresse,
                    sujet=sujet[:200],
                    texte=texte,
                    statut=Message.Statut.ECHEC if failed else Message.Statut.ENVOYE,
                    erreur="Brevo 400 : invalid_parameter : numéro non joignable" if failed else "",
                    tentatives=1,
                    envoye_le=None if failed else rdv.created_at or now - timedelta(days=1),
                    dedupe_key=services.dedupe_key(rdv, Message.Kind.INVITATION, channel, destinataire),
                )
                created += 1
    ctx.log(f"Messages : {created} invitations de rendez-vous listées sur les dossiers de démonstration.")
