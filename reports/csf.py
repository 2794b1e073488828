"""The contrôle de service fait (CSF) pack: a reproducible sample and the ZIP of its proofs.

``draw_sample(operation, du, au, graine, nb_participants, nb_depenses)`` draws, with ``random.Random(graine)``,
participants among the FSE participations active in [du, au] and expenses among those paid in [du, au] (both
populations ordered by id, so the same seed on the same data gives the same draw).

``build_zip(pack, progress)`` writes, for each sampled participant, the eligibility proofs at entry, the signed
attendance sheets of the sessions attended, the exit proof; for each sampled expense its proof, and for staff
lines the signed time sheet; then an index (PDF and CSV) listing every expected proof, found or missing. A missing
proof is never skipped silently. The number of queries does not depend on the sample size.
"""

import csv
import io
import random
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone


ELIGIBILITY_KINDS = {
    "piece_identite": "Pièce d'identité (âge à l'entrée)",
    "attestation_neet": "Attestation sur l'honneur NEET",
    "justificatif_domicile": "Justificatif de domicile (territoire éligible)",
}
EXIT_KIND = "preuve_sortie"


def _participations(operation, du, au):
    # ``operation`` was fetched in scope (or by the job for its own organisation): children via related managers.
    return (
        operation.participations.fse()
        .filter(date_entree__lte=au)
        .filter(Q(date_sortie__isnull=True) | Q(date_sortie__gte=du))
    )


def _depenses(operation, du, au):
    return operation.depenses.filter(date_paiement__gte=du, date_paiement__lte=au)


def draw_sample(operation, du, au, graine, nb_participants, nb_depenses):
    """(participation ids, expense ids, population sizes): a seeded draw without replacement, reproducible."""
    participations = list(_participations(operation, du, au).order_by("pk").values_list("pk", flat=True))
    depenses = list(_depenses(operation, du, au).order_by("pk").values_list("pk", flat=True))
    rng = random.Random(graine)
    drawn_p = sorted(rng.sample(participations, min(nb_participants, len(participations))))
    drawn_d = sorted(rng.sample(depenses, min(nb_depenses, len(depenses))))
    return drawn_p, drawn_d, len(participations), len(depenses)


@dataclass
class IndexLine:
    groupe: str  # « Participant P-001 », « Dépense FAC-… »
    objet: str
    piece: str
    statut: str  # « jointe », « manquante », « vue, non conservée », « sans objet »
    chemin: str = ""


@dataclass
class Index:
    lines: list = field(default_factory=list)

    def add(self, *args, **kwargs):
        self.lines.append(IndexLine(*args, **kwargs))

    def summary(self):
        """One row per element (participant or expense): expected, attached and missing proofs."""
        rows = {}
        for line in self.lines:
            empty = {"groupe": line.groupe, "objet": line.objet, "attendues": 0, "jointes": 0, "manquantes": 0}
            row = rows.setdefault(line.groupe, empty)
            if line.statut.startswith("sans objet"):
                continue
            row["attendues"] += 1
            row["jointes"] += line.statut == "jointe"
            row["manquantes"] += line.statut == "manquante"
        return list(rows.values())

    @property
    def missing(self):
        return [line for line in self.lines if line.statut == "manquante"]


def _safe(text):
    keep = "".join(c if c.isalnum() or c in "-_" else "-" for c in str(text))
    return keep.strip("-")[:60] or "x"


def _copy(archive, fieldfile, arcname):
    """Copy a stored file into the ZIP (stored, not recompressed: proofs are PDF/JPEG/PNG). False if missing."""
    if not fieldfile:
        return False
    try:
        with fieldfile.open("rb") as source, archive.open(arcname, "w") as target:
            while chunk := source.read(1024 * 1024):
                target.write(chunk)
    except FileNotFoundError:
        return False
    return True


def _participant_data(pack):
    from workshops.models import Inscription
    from youth.models import Document

    organisation = pack.operation.organisation_id  # the job reads what the porteur's coordination reads
    participations = list(
        pack.operation.participations.filter(pk__in=pack.participations_tirees).select_related("jeune").order_by("pk")
    )
    jeune_ids = [p.jeune_id for p in participations]
    documents = {}
    for document in (
        Document.objects.for_organisation(organisation)
        .filter(jeune_id__in=jeune_ids)
        .order_by("jeune_id", "-obtenu_le", "-pk")
    ):
        documents.setdefault((document.jeune_id, document.kind), []).append(document)
    inscriptions = {}
    for inscription in (
        Inscription.objects.for_organisation(organisation)
        .filter(
            jeune_id__in=jeune_ids, presence=Inscription.Presence.PRESENT, seance__atelier__operation=pack.operation
        )
        .select_related("seance__atelier")
        .order_by("seance__date", "pk")
    ):
        inscriptions.setdefault(inscription.jeune_id, []).append(inscription)
    return participations, documents, inscriptions


def _expense_data(pack):
    return list(
        pack.operation.depenses.filter(pk__in=pack.depenses_tirees)
        .select_related("feuille_temps__salarie")
        .order_by("date_paiement", "pk")
    )


def build_zip(pack, progress):
    """Write the pack's ZIP to a temporary file; return ``(file, index)``. ``progress(percent, message)``."""
    participations, documents, inscriptions = _participant_data(pack)
    depenses = _expense_data(pack)
    index = Index()
    total = max(1, len(participations) + len(depenses))
    done = 0
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - returned open to the caller, who closes it
    sheets_in_zip = set()
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for number, participation in enumerate(participations, start=1):
            jeune = participation.jeune
            ident = f"P-{number:03d}"
            folder = f"participants/{ident}-{_safe(jeune.nom)}-{_safe(jeune.prenom)}"
            objet = f"{jeune.nom} {jeune.prenom} (réf. {participation.reference or participation.pk})"
            group = f"Participant {ident}"
            for kind, label in ELIGIBILITY_KINDS.items():
                found = [
                    d
                    for d in documents.get((jeune.pk, kind), [])
                    if participation.date_entree is None or d.obtenu_le <= participation.date_entree
                ] or documents.get((jeune.pk, kind), [])
                _add_document(archive, index, group, objet, label, found, f"{folder}/eligibilite-{kind}")
            attended = [
                i
                for i in inscriptions.get(jeune.pk, [])
                if i.seance.date >= participation.date_entree
                and (participation.date_sortie is None or i.seance.date <= participation.date_sortie)
            ]
            if not attended:
                index.add(group, objet, "Feuilles d'émargement", "sans objet (aucune séance suivie)")
            for inscription in attended:
                seance = inscription.seance
                label = f"Émargement {seance.atelier} du {seance.date:%d/%m/%Y}"
                path = f"emargements/seance-{seance.pk}-{seance.date:%Y-%m-%d}{_suffix(seance.emargement_signe)}"
                if seance.pk in sheets_in_zip:
                    index.add(group, objet, label, "jointe", path)
                elif _copy(archive, seance.emargement_signe, path):
                    sheets_in_zip.add(seance.pk)
                    index.add(group, objet, label, "jointe", path)
                else:
                    index.add(group, objet, label, "manquante")
            situation = participation.get_situation_sortie_display() or "situation non renseignée"
            if participation.date_sortie is None:
                index.add(group, objet, "Justificatif de sortie", "sans objet (en parcours)")
            else:
                _add_document(
                    archive,
                    index,
                    group,
                    objet,
                    f"Justificatif de sortie ({situation})",
                    documents.get((jeune.pk, EXIT_KIND), []),
                    f"{folder}/sortie",
                )
            done += 1
            if number % 10 == 0 or number == len(participations):
                progress(5 + 80 * done // total, f"Participants : {number} sur {len(participations)}")
        for number, depense in enumerate(depenses, start=1):
            ref = depense.reference or f"n{depense.pk}"
            group = f"Dépense {ref}"
            objet = (
                f"{depense.libelle} — {depense.beneficiaire} — {depense.montant} € "
                f"payée le {depense.date_paiement:%d/%m/%Y}"
            )
            path = f"depenses/{_safe(ref)}{_suffix(depense.justificatif)}"
            label = depense.get_nature_justificatif_display() or "Justificatif de paiement"
            index.add(
                group, objet, label, "jointe" if _copy(archive, depense.justificatif, path) else "manquante", path
            )
            feuille = depense.feuille_temps
            if feuille is not None:
                path = f"temps/{_safe(feuille.salarie.nom)}-{feuille.mois:%Y-%m}{_suffix(feuille.scan_signe)}"
                hours = f"{feuille.heures_operation} h / {feuille.heures_travaillees} h"
                label = f"Feuille de temps signée {feuille.mois:%m/%Y} ({hours})"
                copied = _copy(archive, feuille.scan_signe, path)
                index.add(group, objet, label, "jointe" if copied else "manquante", path)
            done += 1
            if number % 10 == 0 or number == len(depenses):
                progress(5 + 80 * done // total, f"Dépenses : {number} sur {len(depenses)}")
        for line in index.lines:
            if line.statut != "jointe":
                line.chemin = ""
        progress(88, "Index CSV")
        archive.writestr("index.csv", index_csv(pack, index))
        progress(90, "Index PDF")
        archive.writestr("index.pdf", index_pdf(pack, index, len(participations), len(depenses)))
    handle.seek(0)
    return handle, index


def _suffix(fieldfile):
    return PurePath(fieldfile.name).suffix.lower() if fieldfile else ".pdf"


def _add_document(archive, index, group, objet, label, candidates, stem):
    for document in candidates:
        if document.fichier:
            path = f"{stem}{_suffix(document.fichier)}"
            if _copy(archive, document.fichier, path):
                index.add(group, objet, f"{label} (obtenu le {document.obtenu_le:%d/%m/%Y})", "jointe", path)
                return
    seen = next((d for d in candidates if d.vu_non_conserve), None)
    if seen is not None:
        index.add(group, objet, f"{label} (vu le {seen.obtenu_le:%d/%m/%Y})", "vue, non conservée")
        return
    index.add(group, objet, label, "manquante")


def _cell(value):
    """Labels come from typed data (libellé, bénéficiaire): never let a spreadsheet run them as formulas."""
    text = str(value)
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def index_csv(pack, index):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["element", "objet", "piece", "statut", "fichier"])
    for line in index.lines:
        writer.writerow([_cell(v) for v in (line.groupe, line.objet, line.piece, line.statut, line.chemin)])
    return "\ufeff" + buffer.getvalue()


def index_pdf(pack, index, nb_participants, nb_depenses):
    from weasyprint import HTML

    html = render_to_string(
        "reports/pdf/csf_index.html",
        {
            "pack": pack,
            "operation": pack.operation,
            "index": index,
            "missing": index.missing,
            "summary": index.summary(),
            "nb_participants": nb_participants,
            "nb_depenses": nb_depenses,
            "generated_at": timezone.localtime(),
        },
    )
    return HTML(string=html, base_url=None).write_pdf()
