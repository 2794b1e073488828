"""The dossier's link to the rights of the young person (access, export, erasure), for coordination only."""

from core.dossier import Contribution
from core.roles import Role


def contribute(ctx):
    """No query: a panel with the link to ``/rgpd/jeunes/<id>/`` when the user may open it (coordination)."""
    if ctx.scope.role != Role.COORDINATEUR:
        return None
    return Contribution(template="privacy/panel_dossier.html", context={"jeune": ctx.jeune})
