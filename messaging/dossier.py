"""The « Messages envoyés » panel of a dossier (core.dossier contract): one query, consent and SMS reachability."""

from core import phones
from core.dossier import Contribution
from core.permissions import Record
from messaging.models import Message


PANEL_SIZE = 20


def _sms_impossible(jeune):
    numbers = [("du jeune", jeune.telephone)]
    if jeune.est_mineur:
        numbers.append(("du représentant légal", jeune.representant_legal_telephone))
    return [{"qui": qui, "numero": numero} for qui, numero in numbers if numero and not phones.can_receive_sms(numero)]


def contribute(ctx):
    if not ctx.scope.reads(Record.MESSAGE):
        return None
    envois = list(
        Message.objects.for_scope(ctx.scope)
        .filter(jeune=ctx.jeune)
        .select_related("rendez_vous")
        .order_by("-created_at", "-pk")[: PANEL_SIZE + 1]
    )
    context = {
        "jeune": ctx.jeune,
        "envois": envois[:PANEL_SIZE],
        "plus": len(envois) > PANEL_SIZE,
        "sms_impossible": _sms_impossible(ctx.jeune),
    }
    return Contribution(template="messaging/message_panel.html", context=context)
