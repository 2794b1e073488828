"""Import of an expense ledger from a spreadsheet (CSV or XLSX), all or nothing, idempotent on ``reference``.

Columns: ``reference``, ``poste``, ``libelle``, ``beneficiaire``, ``montant``, ``date``, ``date_paiement`` (empty:
non acquittée); for staff lines also ``salarie``, ``mois`` (AAAA-MM), ``heures_operation``, ``heures_travaillees``,
``cout_charge_mensuel`` — then ``montant`` may be empty (computed as cost × hours on the operation / hours worked,
to the cent) and, when given, must match to the cent. Amounts take ``.`` or ``,`` as decimal separator.

``import_depenses(path_or_file, operation, user=None, dry_run=False)`` validates every row first; one problem
and nothing is written. Problems are ``Problem(line, column, message)`` (header = line 1), printed in French.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from expenses.models import Depense, FeuilleTemps, Poste, Salarie, eligible_staff_cost


REQUIRED_COLUMNS = ("reference", "poste", "libelle", "beneficiaire", "montant", "date")
OPTIONAL_COLUMNS = ("date_paiement",)
STAFF_COLUMNS = ("salarie", "mois", "heures_operation", "heures_travaillees", "cout_charge_mensuel")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS + STAFF_COLUMNS
MAX_LENGTHS = {"reference": 50, "libelle": 200, "beneficiaire": 200, "salarie": 200}
CHANGE_REASON = "Import du registre des dépenses"
MAX_AMOUNT = Decimal("9999999999.99")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell a spreadsheet would run as a formula gets a leading quote (the error file quotes the input)."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class ImportFileError(Exception):
    """The file cannot be read at all (format, encoding, no header)."""


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self):
        return f"ligne {self.line}, colonne {self.column} : {self.message}"


@dataclass
class Row:
    line: int
    reference: str
    depense: dict
    staff: dict | None = None


@dataclass
class ImportResult:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _normalise(text):
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return "_".join(text.lower().replace("-", " ").split())


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(source, name=None):
    """``(headers, rows)`` from a path or an uploaded file; headers normalised, cells stripped strings."""
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.exists():
            raise ImportFileError(f"Fichier introuvable : {path}")
        name, data = path.name, path.read_bytes()
    else:
        name, data = name or getattr(source, "name", ""), source.read()
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raw = _read_xlsx(data)
    elif suffix in (".csv", ".txt", ""):
        raw = _read_csv(data)
    else:
        raise ImportFileError(f"Format non pris en charge ({suffix}) : fichier CSV ou XLSX attendu.")
    if not raw or not any(_cell(c) for c in raw[0]):
        raise ImportFileError("Le fichier est vide ou n'a pas de ligne d'en-tête.")
    return [_normalise(_cell(c)) for c in raw[0]], [[_cell(c) for c in row] for row in raw[1:]]


def _read_csv(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "Le fichier CSV n'est pas encodé en UTF-8 (enregistrez-le en « CSV UTF-8 » depuis votre tableur)."
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
        raise ImportFileError(f"Le fichier XLSX ne peut pas être lu ({exc.__class__.__name__}).") from exc
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def parse_date(text):
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
    return None


def parse_month(text):
    for fmt in ("%Y-%m", "%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date().replace(day=1)  # noqa: DTZ007 - a calendar month
        except ValueError:
            continue
    return None


def parse_amount(text):
    """« 1 234,56 », « 1234.56 » → Decimal; None when invalid (more than 2 decimals is invalid)."""
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value.as_tuple().exponent < -2 or abs(value) > MAX_AMOUNT:
        return None
    return value


def fr_amount(value):
    integer, _, fraction = f"{value:.2f}".partition(".")
    return f"{int(integer):,}".replace(",", " ") + f",{fraction} €"


def validate(headers, rows, operation):
    result = ImportResult()
    errors = result.errors
    for column in REQUIRED_COLUMNS:
        if column not in headers:
            errors.append(Problem(1, column, "colonne obligatoire absente de l'en-tête"))
    for column in sorted({h for h in headers if h and headers.count(h) > 1}):
        errors.append(Problem(1, column, "colonne présente plusieurs fois dans l'en-tête"))
    result.ignored_columns = [h for h in headers if h and h not in COLUMNS]
    if errors:
        return result
    index = {h: i for i, h in enumerate(headers)}
    postes = set(Poste.values)
    seen_refs, seen_months = {}, {}
    for offset, raw in enumerate(rows):
        line = offset + 2
        cells = {col: (raw[i] if i < len(raw) else "") for col, i in index.items()}
        if not any(cells.values()):
            continue
        problems = []

        def problem(column, message, problems=problems, line=line):
            problems.append(Problem(line, column, message))

        for column, limit in MAX_LENGTHS.items():
            if len(cells.get(column, "")) > limit:
                problem(column, f"{limit} caractères au plus")
        reference = cells["reference"]
        if not reference:
            problem("reference", "obligatoire (numéro de pièce unique dans l'opération)")
        elif reference in seen_refs:
            problem("reference", f"« {reference} » déjà présente ligne {seen_refs[reference]}")
        else:
            seen_refs[reference] = line
        poste = cells["poste"].strip().lower()
        if poste not in postes:
            problem("poste", f"« {cells['poste']} » inconnu (attendu : {', '.join(Poste.values)})")
        if not cells["libelle"]:
            problem("libelle", "obligatoire")
        piece = parse_date(cells["date"])
        if piece is None:
            problem("date", f"« {cells['date']} » n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA)")
        paid = None
        if cells.get("date_paiement"):
            paid = parse_date(cells["date_paiement"])
            if paid is None:
                problem("date_paiement", f"« {cells['date_paiement']} » n'est pas une date (vide : non acquittée)")
        montant = None
        if cells["montant"]:
            montant = parse_amount(cells["montant"])
            if montant is None:
                problem("montant", f"« {cells['montant']} » n'est pas un montant (ex. 1234,56 ou 1234.56)")
            elif montant < 0:
                problem("montant", "négatif : saisissez les recettes sur le poste « recettes », en positif")
        staff_given = any(cells.get(c) for c in STAFF_COLUMNS)
        staff = None
        if staff_given and poste != Poste.PERSONNEL:
            problem("poste", "les colonnes de temps (salarie, mois, heures…) ne valent que pour le poste personnel")
        elif staff_given:
            staff = {}
            for column in STAFF_COLUMNS:
                if not cells.get(column):
                    problem(column, "obligatoire pour une ligne de personnel détaillée")
            if cells.get("mois"):
                staff["mois"] = parse_month(cells["mois"])
                if staff["mois"] is None:
                    problem("mois", f"« {cells['mois']} » n'est pas un mois (AAAA-MM)")
            for column in ("heures_operation", "heures_travaillees", "cout_charge_mensuel"):
                if cells.get(column):
                    staff[column] = parse_amount(cells[column])
                    if staff[column] is None or staff[column] < 0:
                        problem(column, f"« {cells[column]} » n'est pas un nombre positif")
            if staff.get("heures_travaillees") == 0:
                problem("heures_travaillees", "doit être supérieur à zéro")
            staff["salarie"] = " ".join(cells.get("salarie", "").split())
            key = (staff["salarie"].lower(), staff.get("mois"))
            if staff["salarie"] and staff.get("mois"):
                if key in seen_months:
                    problem("mois", f"feuille de temps de {staff['salarie']} déjà présente ligne {seen_months[key]}")
                seen_months.setdefault(key, line)
            numbers = [staff.get(c) for c in ("heures_operation", "heures_travaillees", "cout_charge_mensuel")]
            if not problems and all(n is not None for n in numbers):
                computed = eligible_staff_cost(numbers[2], numbers[0], numbers[1])
                if montant is None:
                    montant = computed
                elif montant != computed:
                    problem(
                        "montant",
                        f"{fr_amount(montant)} ne correspond pas au coût × heures sur l'opération / heures "
                        f"travaillées ({fr_amount(computed)})",
                    )
        if montant is None and not staff_given and not any(p.column == "montant" for p in problems):
            problem("montant", "obligatoire (sauf ligne de personnel détaillée, où il est calculé)")
        if piece and operation and not (operation.date_debut.year - 1 <= piece.year <= operation.date_fin.year + 1):
            problem("date", f"{piece:%d/%m/%Y} est hors de la période de la convention")
        if problems:
            errors.extend(problems)
            continue
        result.rows.append(
            Row(
                line=line,
                reference=reference,
                depense={
                    "poste": poste,
                    "libelle": cells["libelle"],
                    "beneficiaire": cells["beneficiaire"] or (staff or {}).get("salarie", ""),
                    "montant": montant,
                    "date": piece,
                    "date_paiement": paid,
                },
                staff=staff,
            )
        )
    _check_against_database(result, operation)
    return result


def _check_against_database(result, operation):
    """A row may not take over a time sheet tied to another reference, nor turn a staff line into another."""
    if not result.rows or operation is None:
        return
    existing = {d.reference: d for d in operation.depenses.filter(reference__in=[r.reference for r in result.rows])}
    sheets = {
        (s.salarie.nom.lower(), s.mois): s
        for s in FeuilleTemps.objects.for_organisation(operation.organisation_id)
        .filter(salarie__operation=operation)
        .select_related("salarie", "depense")
    }
    for row in result.rows:
        depense = existing.get(row.reference)
        if depense is not None and depense.feuille_temps_id and row.staff is None:
            result.errors.append(
                Problem(
                    row.line, "salarie", "cette référence est une ligne de personnel détaillée : gardez ses heures"
                )
            )
        if row.staff:
            sheet = sheets.get((row.staff["salarie"].lower(), row.staff["mois"]))
            sheet_ref = getattr(getattr(sheet, "depense", None), "reference", None) if sheet else None
            if sheet is not None and sheet_ref != row.reference:
                result.errors.append(
                    Problem(
                        row.line,
                        "mois",
                        f"la feuille de temps de {row.staff['salarie']} pour {row.staff['mois']:%m/%Y} existe déjà "
                        f"(référence « {sheet_ref or 'sans référence'} »)",
                    )
                )


def _apply(result, operation, user):
    from expenses.services import default_ligne, depense_save, feuille_temps_save

    existing = {
        d.reference: d
        for d in operation.depenses.filter(reference__in=[r.reference for r in result.rows]).select_related(
            "feuille_temps"
        )
    }
    salaries = {s.nom.lower(): s for s in operation.salaries.all()}
    lignes = {poste: default_ligne(operation, poste) for poste in Poste.values}
    for row in result.rows:
        depense = existing.get(row.reference)
        if row.staff:
            staff = row.staff
            salarie = salaries.get(staff["salarie"].lower())
            if salarie is None:
                salarie = Salarie.objects.create(operation=operation, nom=staff["salarie"], date_debut=staff["mois"])
                salaries[salarie.nom.lower()] = salarie
            elif staff["mois"] < salarie.date_debut:
                salarie.date_debut = staff["mois"]
                salarie.save(update_fields=["date_debut", "updated_at"])
            feuille = depense.feuille_temps if depense is not None and depense.feuille_temps_id else None
            values = {k: staff[k] for k in ("mois", "heures_operation", "heures_travaillees", "cout_charge_mensuel")}
            if feuille is not None:
                before = (feuille.salarie_id, *(getattr(feuille, k) for k in values))
                before_dep = (depense.date, depense.date_paiement, depense.libelle, depense.beneficiaire)
                feuille.salarie = salarie
                for key, value in values.items():
                    setattr(feuille, key, value)
                after = (feuille.salarie_id, *(getattr(feuille, k) for k in values))
                after_dep = (row.depense["date"], row.depense["date_paiement"])
                if before == after and before_dep[:2] == after_dep:
                    result.unchanged += 1
                    continue
                result.updated += 1
            else:
                feuille = FeuilleTemps(salarie=salarie, **values)
                result.created += 1
            saved = feuille_temps_save(
                feuille=feuille,
                user=user,
                date_paiement=row.depense["date_paiement"],
                reference=row.reference,
                reason=CHANGE_REASON,
            )
            # The file's own piece date and label win over the defaults of a time sheet.
            saved.date = row.depense["date"]
            saved.date_paiement = row.depense["date_paiement"]
            saved.libelle = row.depense["libelle"]
            saved.beneficiaire = row.depense["beneficiaire"]
            saved._change_reason = CHANGE_REASON
            saved.save()
            continue
        if depense is None:
            depense = Depense(
                operation=operation, reference=row.reference, ligne_budgetaire=lignes[row.depense["poste"]]
            )
            result.created += 1
        else:
            if all(getattr(depense, k) == v for k, v in row.depense.items()):
                result.unchanged += 1
                continue
            result.updated += 1
            if depense.poste != row.depense["poste"]:
                depense.ligne_budgetaire = lignes[row.depense["poste"]]
        for key, value in row.depense.items():
            setattr(depense, key, value)
        depense_save(depense=depense, user=user, reason=CHANGE_REASON)


def import_depenses(source, operation, user=None, dry_run=False, name=None):
    headers, rows = read_table(source, name=name)
    result = validate(headers, rows, operation)
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        _apply(result, operation, user)
    return result


def errors_csv(errors):
    """The problems as a CSV to download (UTF-8 with BOM for spreadsheets, ``;``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["ligne", "colonne", "probleme"])
    for error in errors:
        writer.writerow([error.line, neutralise(error.column), neutralise(error.message)])
    return "\ufeff" + buffer.getvalue()
