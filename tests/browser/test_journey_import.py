"""Journey — coordination imports participants in the browser: a file with one bad row shows the problem (line,
column) and its error file, and imports nothing; the fixed file is imported by a background job whose progress
bar is seen, and the participants appear in the list of young people."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import login


pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

HEADER = "reference;nom;prenom;sexe;date_naissance;date_reperage;origine;date_entree"
FIXED = [
    "IMP1;Zyxwabec;Léonie;F;2004-03-04;2026-01-10;aller-vers;2026-02-01",
    "IMP2;Zyxwadoc;Yanis;H;12/12/2003;2026-01-12;aller-vers;",
]
BAD = [FIXED[0], FIXED[1].replace(";H;", ";Q;")]


@pytest.fixture
def held_worker(monkeypatch):
    """The import job waits for a "worker" so the progress bar can be seen; the test then runs the real task."""
    from reports import tasks

    queued = []
    monkeypatch.setattr(tasks.run_participant_import, "apply_async", lambda args, **kw: queued.append(args[0]))
    return {"queued": queued, "task": tasks.run_participant_import}


def _write(tmp_path, name, lines):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_coordination_imports_participants_after_fixing_the_file(page, base_url, demo, held_worker, check, tmp_path):
    from youth.models import Jeune

    eme = demo.operations["EME"]
    login(page, base_url, "coordination@acsrv.demo")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Bilans").click()
    page.get_by_role("link", name="Importer des participants (CSV ou XLSX)").click()
    expect(page.get_by_role("heading", name="Import de participants", exact=True)).to_be_visible()
    check(page, "import")

    # A file with one bad row: the problem is listed by line and column, nothing is written.
    page.get_by_label("Opération").select_option(str(eme.pk))
    page.get_by_label("Fichier des participants").set_input_files(_write(tmp_path, "participants.csv", BAD))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("alert").filter(has_text="Import impossible : 1 problème(s)")).to_be_visible()
    problems = page.get_by_role("table", name="Problèmes du fichier")
    row = problems.get_by_role("row").nth(1)
    expect(row.get_by_role("cell").nth(0)).to_have_text("3")
    expect(row.get_by_role("cell").nth(1)).to_have_text("sexe")
    expect(row.get_by_role("cell").nth(2)).to_contain_text("code inconnu « Q »")
    expect(page.get_by_role("button", name=re.compile("^Importer"))).to_have_count(0)
    check(page, "import refuse")
    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger le fichier avec une colonne « erreurs »").click()
    assert info.value.suggested_filename == "participants-erreurs.csv"
    error_file = info.value.path().read_text(encoding="utf-8-sig")
    assert error_file.splitlines()[0].endswith(";erreurs")
    assert "sexe : code inconnu « Q »" in error_file.splitlines()[2]
    assert not Jeune.objects.filter(nom__startswith="Zyxwa").exists()

    # The fixed file: valid, imported by the background job with its progress bar.
    page.get_by_label("Opération").select_option(str(eme.pk))
    page.get_by_label("Fichier des participants").set_input_files(_write(tmp_path, "participants.csv", FIXED))
    page.get_by_role("button", name="Vérifier le fichier").click()
    valid = page.get_by_role("status").filter(has_text="Fichier valide : 2 ligne(s), 2 participant(s) à créer")
    expect(valid).to_be_visible()
    page.get_by_role("button", name=re.compile("^Importer")).click()
    progress = page.get_by_role("progressbar", name="Progression de l'import")
    expect(progress).to_be_visible()
    check(page, "import progression")
    assert len(held_worker["queued"]) == 1
    assert not Jeune.objects.filter(nom__startswith="Zyxwa").exists()

    held_worker["task"].apply(args=[held_worker["queued"][0]])
    expect(page.get_by_role("status").filter(has_text="Import terminé : 2 participant(s) créé(s)")).to_be_visible(
        timeout=20_000
    )
    expect(progress).to_have_count(0)
    check(page, "import termine")

    page.get_by_role("link", name="Voir les jeunes").click()
    expect(page.get_by_text("Zyxwabec").first).to_be_visible()
    expect(page.get_by_text("Zyxwadoc").first).to_be_visible()
    assert Jeune.objects.filter(nom__startswith="Zyxwa", organisation=demo.orgs["acsrv"]).count() == 2
