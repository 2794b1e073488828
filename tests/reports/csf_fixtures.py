"""A small operation with participants, proofs, sessions and a ledger, for the CSF pack tests and the bench."""

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from expenses.models import Poste
from tests.expenses.factories import DepenseFactory, FeuilleTempsFactory, SalarieFactory
from tests.reports.factories import participant
from tests.workshops.factories import AtelierFactory, InscriptionFactory, SeanceFactory
from tests.youth.factories import DocumentFactory


PDF = b"%PDF-1.4\n%preuve\n"


def csf_world(operation):
    """Two participants (one complete, one with every proof missing), a session, three expenses (one unproved)."""
    complete = participant(operation, entree=date(2025, 2, 1), sortie=date(2025, 9, 1), situation="emploi_cdi")
    incomplete = participant(operation, entree=date(2025, 3, 1))
    for kind in ("piece_identite", "attestation_neet", "justificatif_domicile"):
        DocumentFactory(jeune=complete.jeune, kind=kind, obtenu_le=date(2025, 1, 20))
    DocumentFactory(jeune=complete.jeune, kind="preuve_sortie", obtenu_le=date(2025, 9, 2))
    DocumentFactory(jeune=incomplete.jeune, kind="piece_identite", fichier=None, vu_non_conserve=True)
    atelier = AtelierFactory(organisation=operation.organisation, operation=operation, intitule="CV et lettre")
    seance = SeanceFactory(atelier=atelier, date=date(2025, 4, 10))
    seance.emargement_signe.save("emargement.pdf", ContentFile(PDF))
    unsigned = SeanceFactory(atelier=atelier, date=date(2025, 5, 10))
    for jeune in (complete.jeune, incomplete.jeune):
        InscriptionFactory(seance=seance, jeune=jeune, presence="present")
    InscriptionFactory(seance=unsigned, jeune=complete.jeune, presence="present")
    proved = DepenseFactory(operation=operation, reference="FAC-1", montant=Decimal("120.00"))
    proved.justificatif.save("facture.pdf", ContentFile(PDF))
    DepenseFactory(operation=operation, reference="FAC-2", montant=Decimal("80.00"))
    feuille = FeuilleTempsFactory(salarie=SalarieFactory(operation=operation, nom="Awa Diallo"), mois=date(2025, 3, 1))
    staff = DepenseFactory(operation=operation, reference="SAL-1", poste=Poste.PERSONNEL, feuille_temps=feuille)
    staff.justificatif.save("bulletin.pdf", ContentFile(PDF))
    return complete, incomplete
