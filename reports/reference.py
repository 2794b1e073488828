"""Reference data loaded by a coordinator: the INSEE commune density grid (« grille communale de densité »).

``load_density_grid(path, organisation=, millesime=, valable_du=, user=None)`` reads a CSV or XLSX file with one row
per commune: a commune code column (``CODGEO``, ``code commune``, ``COM``…) and a density column (``DENS``,
``degré``, ``typo_degre``, ``grille``…) holding 1–4 (4-level grid) or 1–7 (7-level grid, since 2022). The grid is
kept as a dated edition (``reports.GrilleDensite``): loading the same millésime again replaces it.
"""

from django.db import transaction

from reports.importer import ImportFileError, read_table
from reports.models import CommuneDensite, GrilleDensite


CODE_HEADERS = ("codgeo", "code_commune", "code_insee", "com", "code", "depcom", "insee")
DEGRE_HEADERS = ("dens", "degre", "degre_de_densite", "typo_degre", "grille", "densite", "gcd", "niveau")


def _column(headers, candidates):
    for candidate in candidates:
        if candidate in headers:
            return headers.index(candidate)
    for i, header in enumerate(headers):
        if any(header.startswith(c) for c in candidates):
            return i
    return None


def parse_density_grid(path):
    """``({code: degre}, problems)``; problems are French lines naming the line."""
    headers, rows = read_table(path)
    code_col, degre_col = _column(headers, CODE_HEADERS), _column(headers, DEGRE_HEADERS)
    if code_col is None or degre_col is None:
        raise ImportFileError(
            "Colonnes attendues : le code de la commune (CODGEO) et le degré de densité (DENS, 1 à 4 ou 1 à 7)."
        )
    communes, problems = {}, []
    for index, row in enumerate(rows, start=2):
        if not any(row):
            continue
        code = (row[code_col] if code_col < len(row) else "").strip().upper().zfill(5)
        text = (row[degre_col] if degre_col < len(row) else "").strip()
        digit = text[:1]
        if len(code) != 5 or not digit.isdigit() or not 1 <= int(digit) <= 7:
            problems.append(f"ligne {index} : commune « {code} », degré « {text} » illisible")
            continue
        communes[code] = int(digit)
    if not communes:
        problems.append("Aucune commune lue dans le fichier.")
    return communes, problems


@transaction.atomic
def load_density_grid(path, *, organisation, millesime, valable_du, user=None, nom_fichier=""):
    """Load (or replace) the edition ``millesime`` for ``organisation``. Returns ``(grid, problems)``; nothing is
    written when there is any problem."""
    communes, problems = parse_density_grid(path)
    if problems:
        return None, problems
    niveaux = 7 if max(communes.values()) > 4 else 4
    GrilleDensite.objects.for_organisation(organisation).filter(millesime=millesime).delete()
    grid = GrilleDensite.objects.create(
        organisation=organisation,
        millesime=millesime,
        valable_du=valable_du,
        niveaux=niveaux,
        nom_fichier=nom_fichier or str(path).rsplit("/", 1)[-1],
        communes=len(communes),
        chargee_par=user,
    )
    CommuneDensite.objects.bulk_create(
        [CommuneDensite(grille=grid, code_insee=code, degre=degre) for code, degre in communes.items()],
        batch_size=5000,
    )
    from core import dataversion

    dataversion.bump(organisation.pk)  # bulk_create sends no signal
    return grid, []
