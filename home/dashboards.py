"""Context for the role home pages. Each block is a bounded number of queries; the organisation-wide counts of
coordination are kept by ``core.dataversion`` until a write changes them."""

from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from core import dataversion
from core.models import Role
from funding.models import Operation
from home import todo
from reports import indicators
from youth.models import Jeune, Participation


def build(request):
    user = request.user
    jeunes = Jeune.objects.for_request(request).filter(anonymised_at__isnull=True)
    context = {}
    if request.scope.role == Role.CONSEILLERE:
        mine = jeunes.filter(referent=user).exclude(statut=Jeune.Statut.SORTI)
        context["caseload"] = mine.order_by("date_dernier_contact", "nom")[:50]
        context["caseload_count"] = mine.count()
    else:
        today = timezone.localdate()
        # Counts over the whole organisation: kept until one of its records is written (core.dataversion).
        context.update(
            dataversion.cached(
                "tableau-de-bord",
                request.scope.organisation_id,
                [request.scope.role],
                lambda: _structure(request, jeunes),
            )
        )
        context["year"] = today.year
    if request.scope.role in (Role.CONSEILLERE, Role.COORDINATEUR):
        context["todo"] = todo.build(request)
        context["todo_by_key"] = {item.key: item for item in context["todo"]}
        context["sans_contact"] = context["todo_by_key"]["sans_contact"].count  # the badge: the same list
    return context


def _structure(request, jeunes):
    today = timezone.localdate()
    year_start = date(today.year, 1, 1)
    operations = Operation.objects.for_request(request).annotate(
        # entries and exits of the year to date, counted as the bilan of the same period counts them
        **indicators.operation_flow_annotations(year_start, today),
        nb_actifs=Count(
            "participations",
            filter=Q(participations__date_entree__isnull=False, participations__date_sortie__isnull=True),
        ),
    )
    return {
        "operations": list(operations),
        "counts": jeunes.aggregate(
            total=Count("id"),
            reperes=Count(
                "id", filter=Q(statut__in=[Jeune.Statut.REPERE, Jeune.Statut.ORIENTE, Jeune.Statut.CONTACT])
            ),
            en_parcours=Count("id", filter=Q(statut=Jeune.Statut.EN_PARCOURS)),
        ),
        "participations_count": Participation.objects.for_request(request).count(),
    }
