"""The pages the benchmark measures, with the data they need on top of bench/seed_scale.py."""

from datetime import date, time

from django.urls import NoReverseMatch, reverse

from core.models import Membership, Organisation, Role


def _extra_data(porteur, partenaire, jeunes, operation):
    """Orientations from one partner and one workshop session, sized with the scale (idempotent)."""
    from outreach.models import Orientation
    from workshops.models import Atelier, Inscription, Seance

    if not Orientation.objects.filter(partenaire=partenaire).exists():
        count = max(50, len(jeunes) // 10)
        Orientation.objects.bulk_create(
            [
                Orientation(
                    organisation=porteur,
                    partenaire=partenaire,
                    statut="recue",
                    nom=f"Orienté{i}",
                    prenom="Bench",
                    sexe="F",
                    date_naissance=date(2005, 1, 1),
                    motif="Orientation de test",
                    attestation_information=True,
                )
                for i in range(count)
            ],
            batch_size=5000,
        )
    atelier, _ = Atelier.objects.get_or_create(
        organisation=porteur, intitule="Atelier bench", defaults={"theme": "tre", "operation": operation}
    )
    seance = atelier.seances.first()
    if seance is None:
        seance = Seance.objects.create(
            atelier=atelier,
            date=date(2026, 11, 20),
            heure_debut=time(9),
            heure_fin=time(12),
            lieu="Salle 1",
            capacite=40,  # places left: the page shows its registration form, as it usually does
        )
        Inscription.objects.bulk_create([Inscription(seance=seance, jeune_id=pk) for pk in jeunes[:30]])
    return seance


def pages():
    """Yield (name, user, url); url is None when the page does not exist in this version."""
    from funding.models import Operation
    from youth.models import Jeune

    porteur = Organisation.objects.get(sigle="BENCH-0")
    partenaire = Organisation.objects.get(sigle="BP-0")
    members = Membership.objects.select_related("user").filter(organisation=porteur).order_by("pk")
    conseillere = members.filter(role=Role.CONSEILLERE).first().user
    coordinateur = members.filter(role=Role.COORDINATEUR).first().user
    partner_user = Membership.objects.filter(organisation=partenaire).first().user
    dossier = Jeune.objects.get(reference="BENCH-DOSSIER")
    jeunes = list(Jeune.objects.filter(organisation=porteur).order_by("pk").values_list("pk", flat=True)[:200])
    operation = Operation.objects.get(organisation=porteur)

    def url(name, **kwargs):
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            return None

    try:
        seance = _extra_data(porteur, partenaire, jeunes, operation)
        seance_url = url("workshops:seance_detail", pk=seance.pk)
    except ImportError:
        seance_url = None
    list_url = url("youth:jeune_list")
    bilan_url = url("reports:bilan_operation", pk=operation.pk)
    yield "caseload", conseillere, "/"
    yield "jeunes (liste)", conseillere, list_url
    yield "jeunes (recherche)", conseillere, list_url and f"{list_url}?q=lefevre&statut=en_parcours&sexe=F"
    yield "dossier", conseillere, url("youth:jeune_detail", pk=dossier.pk)
    yield "portail partenaire", partner_user, url("portal:home")
    yield "séance d'atelier", conseillere, seance_url
    yield "bilan", coordinateur, bilan_url and f"{bilan_url}?du=2025-01-01&au=2025-12-31"
