"""Import of participants from a spreadsheet (CSV or XLSX), all or nothing.

``read_table(path)`` → header + rows; ``validate(...)`` → cleaned rows and French problems naming the line
(header = line 1) and the column; ``apply(...)`` writes everything with bulk operations (history recorded)
in one transaction. The ``import_participants`` command chains them; see docs/reports-indicators.md.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from core.models import Organisation
from youth.models import Jeune, Participation, Sexe, TriState, age_on


REQUIRED_COLUMNS = ("reference", "nom", "prenom", "sexe", "date_naissance", "date_reperage", "origine")
OPTIONAL_COLUMNS = (
    "telephone",
    "email",
    "contact_nom",
    "statut_entree",
    "diplome",
    "nationalite",
    "parent_ne_etranger",
    "handicap",
    "sans_logement",
    "date_entree",
    "date_sortie",
    "situation_sortie",
    "emploi_pendant_parcours",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# Jeune / Participation fields each optional column feeds.
JEUNE_COLUMNS = ("telephone", "email", "contact_nom")
PARTICIPATION_CHOICE_COLUMNS = {
    "statut_entree": Participation.StatutEntree,
    "diplome": Participation.Diplome,
    "nationalite": Participation.Nationalite,
    "parent_ne_etranger": TriState,
    "handicap": TriState,
    "sans_logement": TriState,
    "situation_sortie": Participation.SituationSortie,
}
MAX_LENGTHS = {
    "reference": 50,
    "nom": 150,
    "prenom": 150,
    "telephone": 30,
    "email": 254,
    "contact_nom": 150,
}
ALLER_VERS = {"aller-vers", "aller_vers", "aller vers", "allervers"}
SPONTANE = {"spontane", "demarche spontanee"}
OUI = {"oui", "o", "yes", "y", "1", "vrai", "true", "x"}
NON = {"non", "n", "no", "0", "faux", "false", ""}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHANGE_REASON = "Import de participants"


def normalise(text):
    """Lower case, no accents, no surrounding spaces (used for headers, codes and organisation names)."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return " ".join(text.lower().split())


def header_key(text):
    return normalise(text).replace(" ", "_").replace("-", "_")


def fr_date(value):
    return value.strftime("%d/%m/%Y")


class ImportFileError(Exception):
    """The file cannot be read at all (format, encoding, no header)."""


def _cell_to_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _clean_cell(value):
    text = _cell_to_text(value).strip()
    # Undo the neutralisation of our own exports ('=…, '+33…) so a round trip keeps the value.
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        text = text[1:]
    return text


def read_table(path):
    """Return ``(headers, rows)``: headers normalised, rows as lists of stripped strings (dates ISO for XLSX)."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(f"Fichier introuvable : {path}")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raw_rows = _read_xlsx(path)
    elif path.suffix.lower() in (".csv", ".txt", ""):
        raw_rows = _read_csv(path)
    else:
        raise ImportFileError(f"Format non pris en charge ({path.suffix}) : fichier CSV ou XLSX attendu.")
    if not raw_rows or not any(_clean_cell(c) for c in raw_rows[0]):
        raise ImportFileError("Le fichier est vide ou n'a pas de ligne d'en-tête.")
    headers = [header_key(_clean_cell(c)) for c in raw_rows[0]]
    rows = [[_clean_cell(c) for c in row] for row in raw_rows[1:]]
    return headers, rows


def _read_csv(path):
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "Le fichier CSV n'est pas encodé en UTF-8 (enregistrez-le en « CSV UTF-8 » depuis votre tableur)."
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _read_xlsx(path):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
        raise ImportFileError(f"Le fichier XLSX ne peut pas être lu ({exc.__class__.__name__}).") from exc
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def parse_date(text):
    """``AAAA-MM-JJ`` or ``JJ/MM/AAAA`` → date; ``None`` when invalid."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
    return None


@dataclass
class CleanRow:
    line: int
    reference: str
    jeune: dict
    participation: dict
    columns: set = field(default_factory=set)


@dataclass
class ImportResult:
    rows: list
    errors: list
    warnings: list
    ignored_columns: list
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _partner_index():
    index = {}
    for org in Organisation.objects.filter(kind=Organisation.Kind.PARTENAIRE, is_active=True):
        for name in (org.nom, org.sigle):
            if name:
                index.setdefault(normalise(name), org)
    return index


def validate(headers, rows, operation):
    """Check every row; return an ``ImportResult`` with cleaned rows and the French problems."""
    errors, warnings = [], []
    missing = [col for col in REQUIRED_COLUMNS if col not in headers]
    for col in missing:
        errors.append(f"ligne 1, colonne {col} : colonne obligatoire absente de l'en-tête")
    duplicates = {h for h in headers if h and headers.count(h) > 1}
    for col in sorted(duplicates):
        errors.append(f"ligne 1, colonne {col} : colonne présente plusieurs fois dans l'en-tête")
    ignored = [h for h in headers if h and h not in COLUMNS]
    if errors:
        return ImportResult([], errors, warnings, ignored)

    positions = {h: i for i, h in enumerate(headers) if h in COLUMNS}
    partners = _partner_index()
    seen = {}
    cleaned = []
    for index, raw in enumerate(rows):
        line = index + 2
        if not any(raw):
            continue
        values = {col: (raw[pos] if pos < len(raw) else "") for col, pos in positions.items()}
        row_errors = []

        def problem(col, message, line=line, row_errors=row_errors):
            row_errors.append(f"ligne {line}, colonne {col} : {message}")

        for col in REQUIRED_COLUMNS:
            if not values[col]:
                problem(col, "valeur obligatoire manquante")
        for col, limit in MAX_LENGTHS.items():
            if col in values and len(values[col]) > limit:
                problem(col, f"valeur trop longue ({len(values[col])} caractères, {limit} au plus)")

        reference = values["reference"]
        if reference:
            if reference in seen:
                problem("reference", f"référence « {reference} » déjà utilisée à la ligne {seen[reference]}")
            else:
                seen[reference] = line

        sexe = values["sexe"].upper()
        if values["sexe"] and sexe not in Sexe.values:
            problem("sexe", f"code inconnu « {values['sexe']} » (attendu : F, H ou X)")

        dates = {}
        for col in ("date_naissance", "date_reperage", "date_entree", "date_sortie"):
            text = values.get(col, "")
            if text:
                dates[col] = parse_date(text)
                if dates[col] is None:
                    problem(col, f"date invalide « {text} » (attendu : AAAA-MM-JJ ou JJ/MM/AAAA)")
            else:
                dates[col] = None

        codes = {}
        for col, choices in PARTICIPATION_CHOICE_COLUMNS.items():
            text = values.get(col, "")
            if not text:
                codes[col] = ""
                continue
            code = _match_choice(text, choices)
            if code is None:
                allowed = ", ".join(choices.values)
                problem(col, f"code inconnu « {text} » (attendu : {allowed})")
            codes[col] = code or ""

        emploi_pendant = False
        if "emploi_pendant_parcours" in values:
            text = normalise(values["emploi_pendant_parcours"])
            if text in OUI:
                emploi_pendant = True
            elif text not in NON:
                problem(
                    "emploi_pendant_parcours", f"valeur inconnue « {values['emploi_pendant_parcours']} » (oui/non)"
                )

        if values.get("email"):
            try:
                validate_email(values["email"])
            except ValidationError:
                problem("email", f"adresse e-mail invalide « {values['email']} »")

        origine, orienteuse = None, None
        if values["origine"]:
            key = normalise(values["origine"])
            if key in ALLER_VERS:
                origine = Jeune.Origine.ALLER_VERS
            elif key in SPONTANE:
                origine = Jeune.Origine.SPONTANE
            elif key in partners:
                origine, orienteuse = Jeune.Origine.PARTENAIRE, partners[key]
            else:
                problem(
                    "origine",
                    f"organisation orienteuse inconnue « {values['origine']} » "
                    "(nom ou sigle d'un partenaire, ou « aller-vers »)",
                )

        entree, sortie, naissance = dates["date_entree"], dates["date_sortie"], dates["date_naissance"]
        if sortie and not entree and not values.get("date_entree"):
            problem("date_sortie", f"sortie le {fr_date(sortie)} sans date d'entrée")
        if sortie and entree and sortie < entree:
            problem("date_sortie", f"la sortie ({fr_date(sortie)}) précède l'entrée ({fr_date(entree)})")
        if codes["situation_sortie"] and not sortie and not values.get("date_sortie"):
            problem("situation_sortie", "situation de sortie indiquée sans date de sortie")
        age = age_on(naissance, entree)
        if age is not None and not operation.age_min <= age <= operation.age_max:
            problem(
                "date_naissance",
                f"âge à l'entrée de {age} ans (entrée le {fr_date(entree)}) hors des bornes de l'opération "
                f"{operation.code} ({operation.age_min} à {operation.age_max} ans)",
            )
        if entree and not operation.date_debut <= entree <= operation.date_fin:
            warnings.append(
                f"ligne {line}, colonne date_entree : entrée le {fr_date(entree)} hors de la convention "
                f"({fr_date(operation.date_debut)} – {fr_date(operation.date_fin)})"
            )

        if row_errors:
            errors.extend(row_errors)
            continue

        jeune = {
            "nom": values["nom"],
            "prenom": values["prenom"],
            "sexe": sexe,
            "date_naissance": naissance,
            "date_reperage": dates["date_reperage"],
            "origine": origine,
            "organisation_orienteuse": orienteuse,
            "reference": reference,
        }
        for col in JEUNE_COLUMNS:
            if col in values:
                jeune[col] = values[col]
        participation = {}
        if "date_entree" in values:  # a column absent from the file leaves the stored value untouched
            participation.update(date_entree=entree, age_entree=age)
        if "date_sortie" in values:
            participation["date_sortie"] = sortie
        for col in PARTICIPATION_CHOICE_COLUMNS:
            if col in values:
                participation[col] = codes[col]
        if "emploi_pendant_parcours" in values:
            participation["emploi_pendant_parcours"] = emploi_pendant
        cleaned.append(CleanRow(line, reference, jeune, participation, set(values)))
    return ImportResult(cleaned, errors, warnings, ignored)


def _match_choice(text, choices):
    key = normalise(text)
    for value, label in choices.choices:
        if key in (normalise(value), normalise(label)) or key.replace(" ", "_").replace("-", "_") == value:
            return value
    return None


def _jeune_statut(jeune_data, participation_data):
    if participation_data.get("date_sortie"):
        return Jeune.Statut.SORTI
    if participation_data.get("date_entree"):
        return Jeune.Statut.EN_PARCOURS
    if jeune_data["origine"] == Jeune.Origine.PARTENAIRE:
        return Jeune.Statut.ORIENTE
    return Jeune.Statut.REPERE


def plan(result, operation):
    """Match cleaned rows with existing participations (by reference); fill created/updated counts."""
    existing = {p.reference: p for p in operation.participations.exclude(reference="").select_related("jeune")}
    result.created = sum(1 for row in result.rows if row.reference not in existing)
    result.updated = len(result.rows) - result.created
    return existing


@transaction.atomic
def apply(result, operation, existing=None, *, write=True):
    """Write the cleaned rows (bulk; history records with the reason « Import de participants »).

    ``write=False`` (dry run) only counts what would change: ``result.updated`` / ``result.unchanged``."""
    from simple_history.utils import bulk_create_with_history

    if existing is None:
        existing = plan(result, operation)
    now = timezone.now()
    organisation = operation.organisation
    new_jeunes, new_rows = [], []
    updated_jeunes, updated_participations = [], []
    jeune_fields, participation_fields = {"statut", "updated_at"}, {"updated_at"}
    for row in result.rows:
        statut = _jeune_statut(row.jeune, row.participation)
        participation = existing.get(row.reference)
        if participation is None:
            jeune = Jeune(organisation=organisation, statut=statut, **row.jeune)
            jeune.recherche = jeune.build_search_key()  # bulk_create skips save(), which fills it
            new_jeunes.append(jeune)
            new_rows.append(row)
            continue
        jeune = participation.jeune
        for name, value in row.jeune.items():
            setattr(jeune, name, value)
            jeune_fields.add(name)
        jeune.recherche = jeune.build_search_key()  # the bulk UPDATE skips save(), which refreshes it
        jeune_fields.add("recherche")
        jeune.updated_at = now
        for name, value in row.participation.items():
            setattr(participation, name, value)
            participation_fields.add(name)
        jeune.statut = _jeune_statut(
            row.jeune, {"date_entree": participation.date_entree, "date_sortie": participation.date_sortie}
        )
        if participation.date_entree and not participation.date_signature_contrat:
            participation.date_signature_contrat = participation.date_entree
            participation_fields.add("date_signature_contrat")
        participation.updated_at = now
        updated_jeunes.append(jeune)
        updated_participations.append(participation)

    if new_jeunes and write:
        for jeune in new_jeunes:
            jeune.created_at = jeune.updated_at = now
        created = bulk_create_with_history(new_jeunes, Jeune, batch_size=1000, default_change_reason=CHANGE_REASON)
        new_participations = []
        for jeune, row in zip(created, new_rows, strict=True):
            p = Participation(
                organisation=organisation,
                jeune=jeune,
                operation=operation,
                reference=row.reference,
                date_signature_contrat=row.participation.get("date_entree"),
                created_at=now,
                updated_at=now,
                **row.participation,
            )
            new_participations.append(p)
        bulk_create_with_history(
            new_participations, Participation, batch_size=1000, default_change_reason=CHANGE_REASON
        )
    changed_jeunes = _update_changed(updated_jeunes, Jeune, sorted(jeune_fields - {"updated_at"}), write=write)
    changed_participations = _update_changed(
        updated_participations, Participation, sorted(participation_fields - {"updated_at"}), write=write
    )
    result.updated = sum(
        1 for p in updated_participations if p.pk in changed_participations or p.jeune_id in changed_jeunes
    )
    result.unchanged = len(updated_participations) - result.updated
    return result


def _update_changed(objects, model, fields, *, write=True):
    """Save only the objects whose imported fields changed (one UPDATE each: far faster than bulk_update's
    CASE expressions on thousands of rows), then record their history in bulk. Returns the changed pks."""
    if not objects:
        return set()
    fields = [model._meta.get_field(f).attname for f in fields]
    current = {row["pk"]: row for row in model.objects.filter(pk__in=[o.pk for o in objects]).values("pk", *fields)}
    changed = [o for o in objects if any(current[o.pk][f] != getattr(o, f) for f in fields)]
    if not write:
        return {o.pk for o in changed}
    now = timezone.now()
    for obj in changed:
        obj.updated_at = now
    _bulk_update_rows(model, changed, [*fields, "updated_at"])
    if changed:
        model.history.bulk_history_create(
            changed, batch_size=1000, update=True, default_change_reason=CHANGE_REASON, default_date=now
        )
    return {o.pk for o in changed}


def _bulk_update_rows(model, objects, attnames, batch_size=1000):
    """PostgreSQL: ``UPDATE … FROM (VALUES …)`` per batch (a handful of queries for 10 000 rows).
    Other databases: one UPDATE per row (SQLite is local, each statement is cheap)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        for obj in objects:
            model.objects.filter(pk=obj.pk).update(**{name: getattr(obj, name) for name in attnames})
        return
    meta = model._meta
    fields = [next(f for f in meta.concrete_fields if f.attname == name) for name in attnames]
    pk = meta.pk
    qn = connection.ops.quote_name
    casts = [pk.db_type(connection), *[f.db_type(connection) for f in fields]]
    row_sql = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    columns = ", ".join(qn(c) for c in ["pk_", *[f.column for f in fields]])
    assignments = ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in fields)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch_size):
            batch = objects[start : start + batch_size]
            params = []
            for obj in batch:
                params.append(pk.get_db_prep_value(obj.pk, connection))
                params.extend(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields)
            sql = (
                f"UPDATE {qn(meta.db_table)} SET {assignments} "  # noqa: S608 - identifiers from the model, values bound
                f"FROM (VALUES {', '.join([row_sql] * len(batch))}) AS v({columns}) "
                f"WHERE {qn(meta.db_table)}.{qn(pk.column)} = v.{qn('pk_')}"
            )
            cursor.execute(sql, params)


def import_participants(path, operation, *, dry_run=False):
    """Read, validate and (unless ``dry_run`` or any problem) write. Returns the ``ImportResult``."""
    headers, rows = read_table(path)
    result = validate(headers, rows, operation)
    if result.errors:
        return result
    existing = plan(result, operation)
    apply(result, operation, existing, write=not dry_run)
    return result
