"""Import of participants from a spreadsheet (CSV or XLSX), all or nothing.

``read_table(path)`` → header + rows; ``validate(...)`` → cleaned rows and French problems naming the line
(header = line 1) and the column; ``apply(...)`` writes everything with bulk operations (history recorded)
in one transaction. The ``import_participants`` command chains them; see docs/reports-indicators.md.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from core.models import Organisation
from youth import rules
from youth.models import Jeune, Participation, Sexe, SuiviPostSortie, TriState, age_on, identity_key
from youth.services import email_key, phone_key


REQUIRED_COLUMNS = ("reference", "nom", "prenom", "sexe", "date_naissance", "date_reperage", "origine")
OPTIONAL_COLUMNS = (
    "telephone",
    "email",
    "contact_nom",
    "contact_telephone",
    "contact_email",
    "commune_insee",
    "statut_entree",
    "date_debut_chomage",
    "inscrit_france_travail",
    "diplome",
    "nationalite",
    "parent_ne_etranger",
    "handicap",
    "sans_logement",
    "qpv",
    "date_entree",
    "date_sortie",
    "situation_sortie",
    "date_situation_sortie",
    "qualification_obtenue",
    "situation_6_mois",
    "emploi_pendant_parcours",
    "representant_legal_nom",
    "representant_legal_telephone",
    "obligation_formation",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
DATE_COLUMNS = (
    "date_naissance",
    "date_reperage",
    "date_entree",
    "date_sortie",
    "date_debut_chomage",
    "date_situation_sortie",
)
# Jeune / Participation fields each optional column feeds.
JEUNE_COLUMNS = (
    "telephone",
    "email",
    "contact_nom",
    "contact_telephone",
    "contact_email",
    "commune_insee",
    "representant_legal_nom",
    "representant_legal_telephone",
)
PHONE_COLUMNS = ("telephone", "contact_telephone", "representant_legal_telephone")
EMAIL_COLUMNS = ("email", "contact_email")
PARTICIPATION_CHOICE_COLUMNS = {
    "statut_entree": Participation.StatutEntree,
    "inscrit_france_travail": TriState,
    "diplome": Participation.Diplome,
    "nationalite": Participation.Nationalite,
    "parent_ne_etranger": TriState,
    "handicap": TriState,
    "sans_logement": TriState,
    "qpv": TriState,
    "situation_sortie": Participation.SituationSortie,
}
PARTICIPATION_DATE_COLUMNS = ("date_debut_chomage", "date_situation_sortie")
MAX_LENGTHS = {
    "reference": 50,
    "nom": 150,
    "prenom": 150,
    "telephone": 30,
    "email": 254,
    "contact_nom": 150,
    "representant_legal_nom": 150,
    "representant_legal_telephone": 30,
    "contact_telephone": 30,
    "contact_email": 254,
}
# Human-readable headers of the participant export (reports/columns.py, MDFSE maps) → import columns, so an
# export re-imports as is. Computed columns of the export are skipped without a warning.
EXPORT_HEADERS = {
    "identifiant_du_participant": "reference",
    "nom": "nom",
    "prenom": "prenom",
    "sexe": "sexe",
    "date_de_naissance": "date_naissance",
    "date_de_reperage": "date_reperage",
    "origine": "origine",
    "code_insee_de_la_commune_de_residence": "commune_insee",
    "telephone": "telephone",
    "courriel": "email",
    "personne_a_contacter": "contact_nom",
    "telephone_de_la_personne_a_contacter": "contact_telephone",
    "courriel_de_la_personne_a_contacter": "contact_email",
    "date_d'entree": "date_entree",
    "situation_sur_le_marche_du_travail_a_l'entree": "statut_entree",
    "au_chomage_depuis_le": "date_debut_chomage",
    "inscrit_a_france_travail": "inscrit_france_travail",
    "plus_haut_diplome_obtenu": "diplome",
    "nationalite": "nationalite",
    "parent(s)_ne(s)_a_l'etranger": "parent_ne_etranger",
    "handicap_reconnu": "handicap",
    "sans_domicile_ou_exclusion_du_logement": "sans_logement",
    "reside_en_qpv": "qpv",
    "date_de_sortie": "date_sortie",
    "situation_a_la_sortie": "situation_sortie",
    "situation_de_sortie_constatee_le": "date_situation_sortie",
    "qualification_obtenue": "qualification_obtenue",
    "situation_a_6_mois": "situation_6_mois",
    "emploi_court_pendant_le_parcours": "emploi_pendant_parcours",
}
EXPORT_COMPUTED_HEADERS = {
    "age_a_l'entree",
    "niveau_cite",
    "questionnaire_d'entree_complet",
    "categorie_de_sortie",
    "a_termine_le_parcours",
    "identifiant_pseudonyme",
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
    key = normalise(text).replace(" ", "_").replace("-", "_").replace("’", "'")
    return EXPORT_HEADERS.get(key, key)


def clean_phone(text):
    """A phone number read as a number by a spreadsheet lost its leading 0 (612345678 → 0612345678)."""
    digits = text.replace(" ", "").replace(".", "")
    if digits.isdigit() and len(digits) == 9 and digits[0] in "123456789":
        return "0" + digits
    return text


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


def read_table(path, *, source=None):
    """Return ``(headers, rows)``: headers normalised, rows as lists of stripped strings (dates ISO for XLSX).

    ``path`` names the file (its extension gives the format); ``source``, a binary file object, is read instead of
    the disk when given (an upload, or a file kept in the storage: local disk or S3)."""
    path = Path(path)
    if source is None and not path.exists():
        raise ImportFileError(f"Fichier introuvable : {path}")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raw_rows = _read_xlsx(path if source is None else source)
    elif path.suffix.lower() in (".csv", ".txt", ""):
        raw_rows = _read_csv(path.read_bytes() if source is None else source.read())
    else:
        raise ImportFileError(f"Format non pris en charge ({path.suffix}) : fichier CSV ou XLSX attendu.")
    if not raw_rows or not any(_clean_cell(c) for c in raw_rows[0]):
        raise ImportFileError("Le fichier est vide ou n'a pas de ligne d'en-tête.")
    headers = [header_key(_clean_cell(c)) for c in raw_rows[0]]
    rows = [[_clean_cell(c) for c in row] for row in raw_rows[1:]]
    return headers, rows


def read_raw(path, *, source=None):
    """The cells as they are in the file (header first), for the error file given back to the user."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path if source is None else source)
    return _read_csv(path.read_bytes() if source is None else source.read())


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
    attach_to: int | None = None  # an existing dossier (same person) without a participation in the operation
    situation_6_mois: str | None = None  # None: column absent
    jeune_obj: object = None  # set by plan() for attach_to rows


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
    ignored = [h for h in headers if h and h not in COLUMNS and h not in EXPORT_COMPUTED_HEADERS]
    if errors:
        return ImportResult([], errors, warnings, ignored)

    positions = {h: i for i, h in enumerate(headers) if h in COLUMNS}
    partners = _partner_index()
    seen = {}
    seen_persons = {}
    persons = _person_index(operation)
    today = timezone.localdate()
    cleaned = []
    for index, raw in enumerate(rows):
        line = index + 2
        if not any(raw):
            continue
        values = {col: (raw[pos] if pos < len(raw) else "") for col, pos in positions.items()}
        for col in PHONE_COLUMNS:
            if values.get(col):
                values[col] = clean_phone(values[col])
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
            sexe = _match_choice(values["sexe"], Sexe) or ""
            if not sexe:
                problem("sexe", f"code inconnu « {values['sexe']} » (attendu : F, H ou X, ou Femme, Homme)")

        dates = {}
        for col in DATE_COLUMNS:
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

        situation_6_mois = ""
        if values.get("situation_6_mois"):
            situation_6_mois = _match_choice(values["situation_6_mois"], Participation.SituationSortie)
            if situation_6_mois is None:
                problem(
                    "situation_6_mois",
                    f"code inconnu « {values['situation_6_mois']} » "
                    f"(attendu : {', '.join(Participation.SituationSortie.values)})",
                )
                situation_6_mois = ""

        qualification = None
        if values.get("qualification_obtenue"):
            text = normalise(values["qualification_obtenue"])
            if text in OUI:
                qualification = True
            elif text in NON:
                qualification = False
            else:
                problem("qualification_obtenue", f"valeur inconnue « {values['qualification_obtenue']} » (oui/non)")

        if values.get("commune_insee"):
            values["commune_insee"] = values["commune_insee"].upper().zfill(5)
            code = values["commune_insee"]
            if len(code) != 5 or not (code.isdigit() or code[:2] in ("2A", "2B")):
                problem(
                    "commune_insee", f"code INSEE invalide « {values['commune_insee']} » (5 caractères, ex. 59122)"
                )

        emploi_pendant = False
        if "emploi_pendant_parcours" in values:
            text = normalise(values["emploi_pendant_parcours"])
            if text in OUI:
                emploi_pendant = True
            elif text not in NON:
                problem(
                    "emploi_pendant_parcours", f"valeur inconnue « {values['emploi_pendant_parcours']} » (oui/non)"
                )

        for col in EMAIL_COLUMNS:
            if values.get(col):
                try:
                    validate_email(values[col])
                except ValidationError:
                    problem(col, f"adresse e-mail invalide « {values[col]} »")

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
        if entree and entree > today:
            problem("date_entree", f"entrée le {fr_date(entree)} : une date d'entrée ne peut pas être dans le futur")
        elif entree and not operation.date_debut <= entree <= operation.date_fin:
            problem(
                "date_entree",
                f"entrée le {fr_date(entree)} hors de la convention "
                f"({fr_date(operation.date_debut)} – {fr_date(operation.date_fin)})",
            )
        reperage = dates["date_reperage"]
        if entree and reperage and reperage > entree:
            problem("date_reperage", f"le repérage ({fr_date(reperage)}) suit l'entrée ({fr_date(entree)})")
        if entree and codes["statut_entree"] == "emploi" and not operation.emploi_entree_autorise:
            problem(
                "statut_entree",
                f"personne en emploi à l'entrée : l'opération {operation.code} est réservée aux jeunes ni en emploi, "
                "ni en études, ni en formation",
            )
        debut_chomage = dates["date_debut_chomage"]
        if debut_chomage and entree and debut_chomage > entree:
            problem("date_debut_chomage", f"le chômage ({fr_date(debut_chomage)}) commence après l'entrée")
        if debut_chomage and codes["statut_entree"] and codes["statut_entree"] != "chomeur":
            problem(
                "date_debut_chomage", "date de début de chômage pour une personne qui n'est pas chômeuse à l'entrée"
            )
        constatee = dates["date_situation_sortie"]
        if constatee and (not sortie or constatee < sortie):
            problem("date_situation_sortie", "la situation de sortie se constate à la sortie ou après")
        if situation_6_mois and not sortie:
            problem("situation_6_mois", "situation à 6 mois indiquée sans date de sortie")

        # One person, one record per operation: same folded names + birth date under another reference.
        attach_to = None
        if naissance and values["nom"] and values["prenom"]:
            key = identity_key(values["nom"], values["prenom"], naissance)
            first = seen_persons.get(key)
            if first and first[1] != reference:
                problem(
                    "nom",
                    f"même personne ({values['prenom']} {values['nom']}, née le {fr_date(naissance)}) qu'à la "
                    f"ligne {first[0]} sous une autre référence (« {first[1]} ») : une personne n'a qu'un "
                    "dossier par opération",
                )
            else:
                seen_persons.setdefault(key, (line, reference))
            for jeune_pk, participation_reference in persons.get(key, ()):
                if participation_reference == reference:
                    continue
                if participation_reference in (None, ""):
                    if reference not in persons["__references__"]:
                        attach_to = jeune_pk  # known dossier: no participation, or one without a reference
                    continue
                problem(
                    "reference",
                    f"{values['prenom']} {values['nom']} (née le {fr_date(naissance)}) est déjà enregistrée dans "
                    f"l'opération {operation.code} sous la référence « {participation_reference or '(sans)'} » : "
                    "réutilisez cette référence (une ré-entrée rouvre la même participation)",
                )

        obligation = ""
        if values.get("obligation_formation"):
            obligation = _match_choice(values["obligation_formation"], Jeune.ObligationFormation)
            if obligation is None:
                allowed = ", ".join(Jeune.ObligationFormation.values)
                problem(
                    "obligation_formation", f"code inconnu « {values['obligation_formation']} » (attendu : {allowed})"
                )
        # A new dossier of a minor names the guardian and the obligation de formation, as on every path.
        if reference not in persons["__references__"] and attach_to is None:
            minor = {
                "date_naissance": naissance,
                "representant_legal_nom": values.get("representant_legal_nom", ""),
                "obligation_formation": obligation,
            }
            for col, message in rules.minor_errors(minor, today=today).items():
                problem(col, message)

        if row_errors:
            errors.extend(row_errors)
            continue
        if attach_to is None and reference not in persons["__references__"]:
            warnings.extend(_contact_warnings(values, naissance, persons, line))

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
        if "obligation_formation" in values:
            jeune["obligation_formation"] = obligation or ""
        participation = {}
        if "date_entree" in values:  # a column absent from the file leaves the stored value untouched
            participation["date_entree"] = entree
        if "date_sortie" in values:
            participation["date_sortie"] = sortie
        for col in PARTICIPATION_DATE_COLUMNS:
            if col in values:
                participation[col] = dates[col]
        if "qualification_obtenue" in values:
            participation["qualification_obtenue"] = qualification
        for col in PARTICIPATION_CHOICE_COLUMNS:
            if col in values:
                participation[col] = codes[col]
        if "emploi_pendant_parcours" in values:
            participation["emploi_pendant_parcours"] = emploi_pendant
        row = CleanRow(line, reference, jeune, participation, set(values))
        row.attach_to = attach_to
        row.situation_6_mois = situation_6_mois if "situation_6_mois" in values else None
        cleaned.append(row)
    return ImportResult(cleaned, errors, warnings, ignored)


def _person_index(operation):
    """{identity key: [(jeune pk, reference of its participation in ``operation`` or None)]} for the porteur's
    dossiers, plus ``"__references__"``: the references already used in the operation. Two queries."""
    participations = dict(operation.participations.values_list("jeune_id", "reference"))
    index = {"__references__": set(participations.values())}
    index["__contacts__"] = {}  # {phone or e-mail key: (jeune pk, identity key, « Prénom Nom »)}
    jeunes = (
        Jeune.objects.for_organisation(operation.organisation_id)
        .filter(anonymised_at=None)
        .values_list("pk", "nom", "prenom", "date_naissance", "telephone", "email")
    )
    for pk, nom, prenom, naissance, telephone, email in jeunes.iterator(chunk_size=5000):
        key = identity_key(nom, prenom, naissance)
        index.setdefault(key, []).append((pk, participations.get(pk)))
        for contact in (f"tel:{phone_key(telephone)}" if phone_key(telephone) else "", f"mail:{email_key(email)}"):
            if contact != "mail:":
                index["__contacts__"].setdefault(contact, (pk, key, f"{prenom} {nom}"))
    return index


def _contact_warnings(values, naissance, persons, line):
    """The likely duplicates of a new person (``youth.services.jeune_duplicates``): a dossier of another identity
    with the same phone or e-mail. A warning, not an error: siblings may share a number."""
    key = identity_key(values["nom"], values["prenom"], naissance) if naissance else None
    warnings = []
    for label, contact in (
        ("téléphone", f"tel:{phone_key(values.get('telephone', ''))}"),
        ("e-mail", f"mail:{email_key(values.get('email', ''))}"),
    ):
        found = persons["__contacts__"].get(contact) if contact not in ("tel:", "mail:") else None
        if found and found[1] != key:
            warnings.append(
                f"ligne {line}, colonne {'telephone' if label == 'téléphone' else 'email'} : même {label} que le "
                f"dossier n° {found[0]} ({found[2]}) : vérifiez qu'il ne s'agit pas de la même personne "
                "(un doublon se fusionne depuis le dossier)"
            )
    return warnings


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
    """Match cleaned rows with existing participations (by reference, else by person: a dossier of the same
    person whose participation has no reference yet); fill created/updated counts. Rows naming a known dossier
    without participation in the operation get ``row.jeune_obj``."""
    participations = list(operation.participations.select_related("jeune"))
    existing = {p.reference: p for p in participations if p.reference}
    by_jeune = {p.jeune_id: p for p in participations}
    attach = [row for row in result.rows if row.reference not in existing and row.attach_to]
    jeunes = (
        Jeune.objects.for_organisation(operation.organisation_id).in_bulk([row.attach_to for row in attach])
        if attach
        else {}
    )
    for row in attach:
        participation = by_jeune.get(row.attach_to)
        if participation is not None:
            existing[row.reference] = participation
            participation.reference = row.reference
        else:
            row.jeune_obj = jeunes[row.attach_to]
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
    jeune_fields, participation_fields = {"statut", "updated_at"}, {"updated_at", "reference"}
    known_new_rows = []  # (jeune already in the database, row): a new participation for a known dossier
    for row in result.rows:
        statut = _jeune_statut(row.jeune, row.participation)
        participation = existing.get(row.reference)
        if participation is None and row.jeune_obj is not None:
            jeune = row.jeune_obj
            for name, value in row.jeune.items():
                setattr(jeune, name, value)
                jeune_fields.add(name)
            jeune.recherche = jeune.build_search_key()
            jeune.statut = statut
            jeune.updated_at = now
            updated_jeunes.append(jeune)
            known_new_rows.append((jeune, row))
            continue
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
        values = dict(row.participation)
        new_entree = values.get("date_entree")
        if (
            new_entree
            and participation.date_entree
            and participation.date_sortie
            and new_entree > participation.date_sortie
        ):
            # Re-entry after an exit: the same participation is reopened; it keeps the first entry date.
            values["date_entree"] = participation.date_entree
            result.warnings.append(
                f"ligne {row.line}, colonne date_entree : ré-entrée le {fr_date(new_entree)} après la sortie du "
                f"{fr_date(participation.date_sortie)} : la participation est rouverte, l'entrée reste le "
                f"{fr_date(participation.date_entree)} (première entrée)"
            )
        for name, value in values.items():
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

    new_participations = []
    if (new_jeunes or known_new_rows) and write:
        for jeune in new_jeunes:
            jeune.created_at = jeune.updated_at = now
        created = bulk_create_with_history(new_jeunes, Jeune, batch_size=1000, default_change_reason=CHANGE_REASON)
        pairs = [*zip(created, new_rows, strict=True), *known_new_rows]
        for jeune, row in pairs:
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
        new_participations = bulk_create_with_history(
            new_participations, Participation, batch_size=1000, default_change_reason=CHANGE_REASON
        )
    changed_jeunes = _update_changed(updated_jeunes, Jeune, sorted(jeune_fields - {"updated_at"}), write=write)
    changed_participations = _update_changed(
        updated_participations, Participation, sorted(participation_fields - {"updated_at"}), write=write
    )
    changed_suivis = _apply_suivis_6_mois(result, operation, existing, new_participations, write=write)
    result.updated = sum(
        1
        for p in updated_participations
        if p.pk in changed_participations or p.jeune_id in changed_jeunes or p.pk in changed_suivis
    )
    result.unchanged = len(updated_participations) - result.updated
    if write:  # bulk_create and update() send no signal: the kept figures of the organisation are stale
        from core import dataversion

        dataversion.bump(operation.organisation_id)
    return result


def _apply_suivis_6_mois(result, operation, existing, new_participations, *, write=True):
    """``situation_6_mois`` feeds the existing 6-month follow-up (SuiviPostSortie, échéance 6 mois), dated 6
    months after the exit. Returns the pks of participations whose follow-up changed. Two queries at most."""
    from youth.dossier import add_months

    rows = [row for row in result.rows if row.situation_6_mois is not None]
    if not rows:
        return set()
    by_reference = {p.reference: p for p in new_participations if p.pk}
    by_reference.update(existing)
    current = {
        s.participation_id: s
        for s in SuiviPostSortie.objects.for_organisation(operation.organisation_id).filter(
            participation__operation=operation, echeance=SuiviPostSortie.Echeance.SIX_MOIS
        )
    }
    changed, to_create = set(), []
    for row in rows:
        participation = by_reference.get(row.reference)
        if participation is None or participation.pk is None:
            continue  # dry run of a new participation
        suivi = current.get(participation.pk)
        if not row.situation_6_mois:
            if suivi is not None:
                changed.add(participation.pk)
                if write:
                    suivi.delete()
            continue
        if suivi is None:
            changed.add(participation.pk)
            to_create.append(
                SuiviPostSortie(
                    participation=participation,
                    echeance=SuiviPostSortie.Echeance.SIX_MOIS,
                    date=add_months(participation.date_sortie, 6),
                    situation=row.situation_6_mois,
                    commentaire=CHANGE_REASON,
                )
            )
        elif suivi.situation != row.situation_6_mois:
            changed.add(participation.pk)
            if write:
                suivi.situation = row.situation_6_mois
                suivi.save(update_fields=["situation", "updated_at"])
    if to_create and write:
        from simple_history.utils import bulk_create_with_history

        bulk_create_with_history(to_create, SuiviPostSortie, batch_size=1000, default_change_reason=CHANGE_REASON)
    return changed


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


def import_participants(path, operation, *, dry_run=False, source=None):
    """Read, validate and (unless ``dry_run`` or any problem) write. Returns the ``ImportResult``.

    ``source``: a binary file object read instead of ``path`` on disk (``path`` still gives the format). The
    browser import's job (``reports.services.import_job_run``) chains the same steps with progress."""
    headers, rows = read_table(path, source=source)
    result = validate(headers, rows, operation)
    if result.errors:
        return result
    existing = plan(result, operation)
    apply(result, operation, existing, write=not dry_run)
    return result


PROBLEM_PATTERN = re.compile(r"^ligne (?P<line>\d+), colonne (?P<column>[^ ]+) : (?P<message>.*)$", re.DOTALL)


@dataclass
class Problem:
    line: int | None
    column: str
    message: str


def split_problem(text):
    """« ligne 3, colonne sexe : code inconnu … » → Problem(3, "sexe", "code inconnu …") (for tables and files)."""
    match = PROBLEM_PATTERN.match(text)
    if match is None:
        return Problem(None, "", text)
    return Problem(int(match["line"]), match["column"], match["message"])
