"""Demo ledger of NOE and EME, generated entry by entry (never typed totals).

The generated entries reproduce the seeds' budgets from the ledger itself: NOE 100 400 € of direct staff costs
(monthly time sheets: cost × hours share, to the cent), 7 900 € of prestations externes, 5 300 € of dépenses liées
aux participants → 15 060 € indirect costs and 128 660 € in total; EME 1 006 076 € in total and 60,00 % of FSE.
A few unpaid invoices and missing proofs are added on purpose: they show in the ledger and are never counted.
"""

import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from simple_history.utils import bulk_create_with_history

from expenses.finance import month_end, month_starts
from expenses.models import (
    Depense,
    FeuilleTemps,
    Poste,
    PrevisionAnnuelle,
    RessourceRecue,
    Salarie,
    eligible_staff_cost,
    feuille_temps_upload_to,
    justificatif_upload_to,
)


CENTS = Decimal("0.01")

PLANS = {
    "NOE": {
        "staff": [
            ("Conseillère d'insertion référente", "Nadia Lefebvre"),
            ("Conseiller d'insertion", "Karim Benali"),
            ("Coordinatrice (0,7 ETP)", "Sophie Caron"),
        ],
        "amounts": {
            Poste.PERSONNEL: Decimal("100400"),
            Poste.PRESTATIONS: Decimal("7900"),
            Poste.PARTICIPANTS: Decimal("5300"),
        },
        "fse_payments": [("avance", "2016-03-01", "35467.70"), ("acompte", "2017-10-16", "41378.98")],
    },
    "EME": {
        "staff": [
            ("Conseillère d'insertion", "Julie Moreau"),
            ("Conseillère d'insertion", "Samia Haddad"),
            ("Conseiller d'insertion", "Thomas Dufour"),
            ("Chargée de relation entreprise", "Élodie Lambert"),
            ("Coordinatrice", "Claire Dubois"),
        ],
        "amounts": {
            Poste.PERSONNEL: Decimal("700000"),
            Poste.FONCTIONNEMENT: Decimal("60000"),
            Poste.PRESTATIONS: Decimal("80000"),
            Poste.PARTICIPANTS: Decimal("61076"),
        },
        "fse_payments": [("avance", "2023-04-03", "181093.50"), ("acompte", "2025-06-16", "150000.00")],
    },
}
PAYEES = {
    Poste.FONCTIONNEMENT: [("Loyer des locaux", "SCI Les Tisserands"), ("Téléphonie et internet", "Orange Pro")],
    Poste.PRESTATIONS: [("Atelier théâtre-forum", "Compagnie du Sablier"), ("Atelier image de soi", "Studio Reflets")],
    Poste.PARTICIPANTS: [("Permis AM", "Auto-école du Centre"), ("Titres de transport", "Transvilles")],
}
SUPPLIER_INVOICES = {Poste.FONCTIONNEMENT: 30, Poste.PRESTATIONS: 12, Poste.PARTICIPANTS: 24}


def demo_pdf(title):
    """A small valid one-page PDF (a fake proof: never real data)."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 60 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _store(upload_to, title):
    return default_storage.save(upload_to(None, "piece.pdf"), ContentFile(demo_pdf(title)))


def split(total, parts, rng):
    """``parts`` random positive amounts (to the cent) summing exactly to ``total``."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    cents = int(total * 100)
    shares = [int(cents * w / sum(weights)) for w in weights]
    shares[-1] += cents - sum(shares)
    return [Decimal(s) / 100 for s in shares]


def cost_for(target, heures_operation, heures_travaillees):
    """A monthly loaded cost whose eligible share rounds exactly to ``target``."""
    share = heures_operation / heures_travaillees
    cost = (target / share).quantize(CENTS, rounding=ROUND_HALF_UP)
    for step in range(0, 200):
        for candidate in (cost + step * CENTS, cost - step * CENTS):
            if eligible_staff_cost(candidate, heures_operation, heures_travaillees) == target:
                return candidate
    raise ValueError(f"aucun coût ne donne {target}")  # unreachable: the share is at most 1


def seed_ledger(operation, plan, rng, user=None, proofs=True):
    """Generate the ledger of ``operation``: staff, signed monthly sheets, supplier invoices, FSE payments."""
    months = list(month_starts(operation.date_debut, operation.date_fin))
    staff = [
        Salarie(operation=operation, nom=nom, fonction=fonction, date_debut=operation.date_debut)
        for fonction, nom in plan["staff"]
    ]
    staff = bulk_create_with_history(staff, Salarie, default_user=user)
    sheets, sheet_targets = [], []
    slots = [(salarie, month) for salarie in staff for month in months]
    targets = split(plan["amounts"][Poste.PERSONNEL], len(slots), rng)
    for index, ((salarie, month), target) in enumerate(zip(slots, targets, strict=True)):
        worked = Decimal(rng.choice(("151.67", "140.00", "147.00", "151.67")))
        on_operation = (worked * Decimal(rng.uniform(0.55, 1.0))).quantize(CENTS)
        signed = month_end(month) + timedelta(days=rng.randint(1, 10))
        sheets.append(
            FeuilleTemps(
                salarie=salarie,
                mois=month,
                heures_operation=on_operation,
                heures_travaillees=worked,
                cout_charge_mensuel=cost_for(target, on_operation, worked),
                signee_salarie_le=signed,
                signee_responsable_le=signed,
                # one sheet in 25 without its signed scan: the CSF index lists it
                scan_signe=_store(feuille_temps_upload_to, f"Feuille de temps {salarie.nom} {month:%m/%Y}")
                if proofs and index % 25
                else "",
            )
        )
        sheet_targets.append(target)
    sheets = bulk_create_with_history(sheets, FeuilleTemps, default_user=user)
    lignes = {ligne.categorie: ligne for ligne in operation.lignes_budgetaires.all()}
    depenses = []
    for index, (sheet, target) in enumerate(zip(sheets, sheet_targets, strict=True)):
        depenses.append(
            Depense(
                operation=operation,
                ligne_budgetaire=lignes.get("personnel"),
                reference=f"SAL-{sheet.mois:%Y-%m}-{sheet.salarie_id}-{index:04d}",
                poste=Poste.PERSONNEL,
                libelle=f"Salaire chargé {sheet.mois:%m/%Y} — {sheet.salarie.nom}",
                beneficiaire=sheet.salarie.nom,
                montant=target,
                date=month_end(sheet.mois),
                date_paiement=month_end(sheet.mois) - timedelta(days=2),
                nature_justificatif=Depense.Justificatif.BULLETIN_PAIE,
                justificatif=_store(justificatif_upload_to, f"Bulletin de paie {sheet.mois:%m/%Y}") if proofs else "",
                feuille_temps=sheet,
                created_by=user,
            )
        )
    categories = {Poste.FONCTIONNEMENT: "fonctionnement", Poste.PRESTATIONS: "prestations_externes"}
    categories[Poste.PARTICIPANTS] = "participants"
    for poste, count in SUPPLIER_INVOICES.items():
        if poste not in plan["amounts"]:
            continue
        for index, amount in enumerate(split(plan["amounts"][poste], count, rng)):
            libelle, payee = rng.choice(PAYEES[poste])
            month = months[min(len(months) - 1, index * len(months) // count)]
            piece = month + timedelta(days=rng.randint(0, 20))
            depenses.append(
                Depense(
                    operation=operation,
                    ligne_budgetaire=lignes.get(categories[poste]),
                    reference=f"FAC-{poste[:4].upper()}-{index + 1:03d}",
                    poste=poste,
                    libelle=f"{libelle} ({piece:%m/%Y})",
                    beneficiaire=payee,
                    montant=amount,
                    date=piece,
                    date_paiement=min(piece + timedelta(days=rng.randint(5, 25)), operation.date_fin),
                    nature_justificatif=Depense.Justificatif.FACTURE,
                    # one invoice in 10 without its proof: the CSF index lists it
                    justificatif=_store(justificatif_upload_to, f"Facture {payee}") if proofs and index % 10 else "",
                    created_by=user,
                )
            )
    # Received but not yet paid: listed « non acquittée », never counted.
    depenses.append(
        Depense(
            operation=operation,
            ligne_budgetaire=lignes.get("fonctionnement") or lignes.get("prestations_externes"),
            reference="FAC-ATTENTE-001",
            poste=Poste.PRESTATIONS,
            libelle="Atelier de fin d'opération (facture en attente de paiement)",
            beneficiaire="Compagnie du Sablier",
            montant=Decimal("450.00"),
            date=operation.date_fin - timedelta(days=10),
            nature_justificatif=Depense.Justificatif.FACTURE,
            created_by=user,
        )
    )
    bulk_create_with_history(depenses, Depense, default_user=user)
    years = range(operation.date_debut.year, operation.date_fin.year + 1)
    previsions = []
    for poste, amount in plan["amounts"].items():
        for year, share in zip(
            years, split(amount, len(years), random.Random(f"{operation.code}-{poste}")), strict=True
        ):
            previsions.append(PrevisionAnnuelle(operation=operation, poste=poste, annee=year, montant_prevu=share))
    bulk_create_with_history(previsions, PrevisionAnnuelle, default_user=user)
    ressources = [
        RessourceRecue(
            operation=operation,
            kind=kind,
            fse=True,
            financeur="FSE" if operation.programme != "iej" else "FSE – IEJ",
            montant=Decimal(montant),
            date_reception=date.fromisoformat(day),
            reference=f"{kind.upper()}-{operation.code}",
            created_by=user,
        )
        for kind, day, montant in plan["fse_payments"]
    ]
    bulk_create_with_history(ressources, RessourceRecue, default_user=user)
    return len(depenses), len(sheets)


def seed_demo(ctx):
    for code, plan in PLANS.items():
        operation = ctx.operations.get(code)
        if operation is None or operation.depenses.exists():
            continue
        depenses, sheets = seed_ledger(operation, plan, random.Random(f"{ctx.rng.random()}-{code}"))
        ctx.log(f"Dépenses : {code}, {depenses} dépenses et {sheets} feuilles de temps générées.")
