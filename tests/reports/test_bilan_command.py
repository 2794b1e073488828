"""The ``bilan`` command: json/xlsx/pdf, to stdout or a file; bad arguments → French error, exit 1."""

import io
import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from funding.models import Operation
from tests.reports.factories import participant


pytestmark = pytest.mark.django_db


@pytest.fixture
def noe():
    call_command("seed_demo", "--empty", stdout=StringIO())
    operation = Operation.objects.get(code="NOE")
    participant(operation, entree=date(2017, 2, 1), sortie=date(2017, 9, 1), situation="formation_qualifiante")
    participant(operation, entree=date(2017, 3, 1), sexe="H")
    return operation


def bilan(*args):
    out = StringIO()
    call_command("bilan", "--operation", "NOE", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_json_to_stdout_and_file(noe, tmp_path):
    data = json.loads(bilan("--du", "2017-01-01", "--au", "2017-12-31", "--format", "json"))
    assert data["operation"] == "NOE"
    assert data["periode"] == {"du": "2017-01-01", "au": "2017-12-31"}
    assert data["entrees"] == 2
    assert data["sorties_par_categorie"]["formation"] == 1
    assert data["objectifs"]["entrees"]["cible"] == 160
    target = tmp_path / "bilan.json"
    bilan("--du", "2017-01-01", "--au", "2017-12-31", "--format", "json", "--output", str(target))
    text = target.read_text(encoding="utf-8")
    assert json.loads(text) == data
    assert "Jeunes repérés" in text  # ensure_ascii=False


def test_xlsx_to_file(noe, tmp_path):
    target = tmp_path / "bilan.xlsx"
    bilan("--du", "2017-01-01", "--au", "2017-12-31", "--format", "xlsx", "--output", str(target))
    workbook = load_workbook(io.BytesIO(target.read_bytes()))
    synthese = {row[0]: row[1] for row in workbook["Synthèse"].iter_rows(min_row=2, values_only=True)}
    assert synthese["Entrées"] == 2
    assert synthese["Sorties"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--du", "2017-13-01", "--au", "2017-12-31"], "--du : date invalide"),
        (["--du", "2017-01-01", "--au", "31/12/2017"], "--au : date invalide"),
        (["--du", "2017-12-31", "--au", "2017-01-01"], "Période invalide"),
        (["--du", "2017-01-01", "--au", "2017-12-31", "--format", "doc"], "--format"),
    ],
)
def test_bad_arguments(noe, args, message):
    with pytest.raises(CommandError, match=message) as excinfo:
        bilan(*args)
    assert excinfo.value.returncode == 1


def test_unknown_operation(noe):
    with pytest.raises(CommandError, match="Opération inconnue"):
        call_command("bilan", "--operation", "ZZZ", "--du", "2017-01-01", "--au", "2017-12-31", stdout=StringIO())


def test_pdf_to_file(noe, tmp_path):
    from pypdf import PdfReader

    target = tmp_path / "bilan.pdf"
    bilan("--du", "2017-01-01", "--au", "2017-12-31", "--format", "pdf", "--output", str(target))
    payload = target.read_bytes()
    assert payload.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(payload)).pages)
    assert "NOE" in text


def test_real_process_exit_status_and_french_message():
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    completed = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "bilan", "--skip-checks", "--operation", "NOE", "--du", "2017-02-30",
         "--au", "2017-12-31"],
        cwd=Path(settings.BASE_DIR), capture_output=True, text=True, timeout=120, env=os.environ.copy(),
        check=False,
    )  # fmt: skip
    assert completed.returncode == 1
    assert "--du : date invalide « 2017-02-30 » (attendu : AAAA-MM-JJ)." in completed.stderr
    assert completed.stdout == ""
