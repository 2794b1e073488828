"""Exports of a bilan: the figures (XLSX, CSV) and the participant list (versioned column maps).

Every text cell goes through ``neutralise()``: a value starting with ``= + - @``, a tab or a carriage return
gets a leading apostrophe, so a spreadsheet never evaluates it as a formula (CSV/formula injection).
CSV files use ``;`` and start with a UTF-8 BOM so that Excel opens them correctly.

The caller scopes the operation (``get_for_request_or_404``); the participant export then reads the
participations of that operation only.
"""

import csv
import io
from datetime import date, datetime

from reports.columns import get_column_map
from reports.indicators import (
    AGE_BANDS,
    CATEGORIES,
    LIBELLES_CATEGORIES,
    LIBELLES_INDICATEURS,
    SEXES,
)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
DATE_FORMAT = "DD/MM/YYYY"


def neutralise(value):
    """Text that a spreadsheet could read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", ",")
    return neutralise(str(value))


def _xlsx_value(value):
    if isinstance(value, bool):
        return "oui" if value else "non"
    return neutralise(value)


def _to_csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return BOM + buffer.getvalue()


def _fr_date(iso):
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


# ---------------------------------------------------------------- figures


def figures_table(data):
    """The figures as sections of rows: ``[(title, header, rows)]`` (shared by the CSV and the XLSX)."""
    sections = []
    periode = f"du {_fr_date(data['periode']['du'])} au {_fr_date(data['periode']['au'])}"
    sections.append(
        (
            "Synthèse",
            ["Indicateur", "Valeur"],
            [
                ["Opération", data["operation"]],
                ["Période", periode],
                ["Jeunes repérés", data["reperes"]],
                ["Entrées", data["entrees"]],
                ["Participants actifs", data["actifs"]],
                ["Sorties", data["sorties"]],
                ["Sorties positives", data.get("sorties_positives", 0)],
                ["Taux de sorties positives", data["taux_sorties_positives"]],
                ["Emploi court pendant le parcours (actifs)", data["emploi_pendant_parcours"]],
                ["Complétude des questionnaires", data["completude"]["taux"]],
                ["Alerte complétude (< 65 %)", "oui" if data["completude"]["alerte"] else "non"],
                ["Contactabilité", data["contactabilite"]["taux"]],
            ],
        )
    )
    sections.append(
        (
            "Objectifs",
            ["Objectif", "Cible", "Réalisé", "Taux de réalisation"],
            [[o.get("libelle", name), o["cible"], o["realise"], o["taux"]] for name, o in data["objectifs"].items()],
        )
    )
    sorties = data["sorties"]
    sections.append(
        (
            "Sorties par catégorie",
            ["Catégorie", "Nombre", "Part des sorties"],
            [
                [LIBELLES_CATEGORIES[cat], n, round(n / sorties, 4) if sorties else 0.0]
                for cat, n in data["sorties_par_categorie"].items()
            ],
        )
    )
    from youth.models import Participation

    labels = dict(Participation.SituationSortie.choices)
    labels["non_renseignee"] = "Situation non renseignée"
    situation_rows = []
    for cat, codes in CATEGORIES.items():
        for code in codes:
            situation_rows.append([labels[code], LIBELLES_CATEGORIES[cat], data["sorties_par_situation"].get(code, 0)])
    situation_rows.append(
        [
            labels["non_renseignee"],
            LIBELLES_CATEGORIES["autre"],
            data["sorties_par_situation"].get("non_renseignee", 0),
        ]
    )
    sections.append(("Sorties par situation", ["Situation", "Catégorie", "Nombre"], situation_rows))
    par_sexe_age = data["entrees_par_sexe_et_age"]
    sections.append(
        (
            "Entrées par sexe et âge",
            ["Sexe", *AGE_BANDS, "Total"],
            [
                [sexe, *[par_sexe_age[sexe][band] for band in AGE_BANDS], data["entrees_par_sexe"][sexe]]
                for sexe in SEXES
            ]
            + [["Total", *[data["entrees_par_age"][band] for band in AGE_BANDS], data["entrees"]]],
        )
    )
    par_sexe = data.get("indicateurs_par_sexe", {})
    sections.append(
        (
            "Indicateurs communs",
            ["Code", "Indicateur", "Total", *SEXES],
            [
                [code, LIBELLES_INDICATEURS.get(code, code), n, *[par_sexe.get(s, {}).get(code, "") for s in SEXES]]
                for code, n in data["indicateurs"].items()
            ],
        )
    )
    refus = data.get("indicateurs_refus", {})
    if refus:
        sections.append(
            (
                "Réponses « ne souhaite pas répondre »",
                ["Code", "Indicateur", "Refus"],
                [[code, LIBELLES_INDICATEURS.get(code, code), n] for code, n in refus.items()],
            )
        )
    return sections


def figures_csv(data) -> str:
    """The figures as one CSV (``;``, UTF-8 with BOM): blocks separated by an empty line."""
    rows = []
    for title, header, body in figures_table(data):
        if rows:
            rows.append([])
        rows.append([title])
        rows.append(header)
        rows.extend(body)
    return _to_csv(rows)


def figures_xlsx(data) -> bytes:
    """The figures as an XLSX workbook: one sheet per section."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, body in figures_table(data):
        sheet = workbook.create_sheet(_sheet_title(title))
        sheet.append([_xlsx_value(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in body:
            sheet.append([_xlsx_value(v) for v in row])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, float):
                    cell.number_format = "0.00%"  # every float of the figures is a rate
        _autosize(sheet)
    return _save(workbook)


def _sheet_title(title):
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31]


def _autosize(sheet):
    for column in sheet.columns:
        width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- participants


def participants_queryset(operation, du, au):
    """Participations of ``operation`` that count for the funder and were active in [du, au]."""
    from django.db.models import OuterRef, Q, Subquery

    from youth.models import SuiviPostSortie

    six_months = (
        SuiviPostSortie.objects.for_organisation(operation.organisation_id)
        .filter(participation=OuterRef("pk"), echeance=SuiviPostSortie.Echeance.SIX_MOIS)
        .values("situation")[:1]
    )
    return (
        operation.participations.all()
        .fse()
        .filter(Q(date_entree__lte=au) & (Q(date_sortie__isnull=True) | Q(date_sortie__gte=du)))
        .annotate(_s6=Subquery(six_months))
        .select_related("jeune", "jeune__organisation_orienteuse")
        .order_by("date_entree", "jeune__nom", "jeune__prenom", "pk")
    )


def participants_rows(operation, du, au, column_map=None):
    """``(headers, rows)``: one row per participant, raw values (dates as ``date``), in the column map's order.

    ``column_map`` is the name of a map in ``reports.columns.COLUMN_MAPS`` (default: the latest)."""
    if isinstance(du, str):
        du = date.fromisoformat(du)
    if isinstance(au, str):
        au = date.fromisoformat(au)
    columns = get_column_map(column_map)
    headers = [header for header, _ in columns]
    rows = [[accessor(p) for _, accessor in columns] for p in participants_queryset(operation, du, au)]
    return headers, rows


def participants_csv(operation, du, au, column_map=None) -> str:
    headers, rows = participants_rows(operation, du, au, column_map)
    return _to_csv([headers, *rows])


def participants_xlsx(operation, du, au, column_map=None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    headers, rows = participants_rows(operation, du, au, column_map)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Participants"
    sheet.append([_xlsx_value(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, (date, datetime)):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    _autosize(sheet)
    return _save(workbook)


# ---------------------------------------------------------------- error file of a browser import

ERROR_COLUMN = "erreurs"


def import_error_rows(raw_rows, problems):
    """The original rows (header first) with one more column, ``erreurs``, giving each line's problems. The file
    can be fixed and imported again as is: the importer ignores the ``erreurs`` column."""
    by_line = {}
    for problem in problems:
        by_line.setdefault(problem.line, []).append(f"{problem.column} : {problem.message}")
    header = list(raw_rows[0]) if raw_rows else []
    title = ERROR_COLUMN
    if by_line.get(1) or by_line.get(None):
        title = f"{ERROR_COLUMN} (en-tête : {' ; '.join(by_line.get(1, []) + by_line.get(None, []))})"
    rows = [[*header, title]]
    width = len(header)
    for index, raw in enumerate(raw_rows[1:], start=2):
        cells = list(raw) + [""] * (width - len(raw))
        rows.append([*cells, " ; ".join(by_line.get(index, []))])
    return rows


def import_error_csv(raw_rows, problems) -> bytes:
    return _to_csv(import_error_rows(raw_rows, problems)).encode("utf-8")


def import_error_xlsx(raw_rows, problems) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Participants"
    for row in import_error_rows(raw_rows, problems):
        sheet.append([_xlsx_value(value) for value in row])
    _autosize(sheet)
    return _save(workbook)
