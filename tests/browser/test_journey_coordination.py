"""Journey 3 — the coordinatrice logs in with two-factor authentication (REQUIRE_2FA on, a TOTP device enrolled
during set-up), launches last year's bilan PDF, watches the progress bar until it is ready, downloads it and
the first page of the PDF names the operation and the period."""

import io
import re
from datetime import date

import pytest
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.support import login


pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def current_code(device):
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)).zfill(
        device.digits
    )


@pytest.fixture
def coordination(demo, settings, monkeypatch):
    """2FA enforced, a confirmed TOTP device, EME participants last year; the "worker" is held back so the
    progress bar can be seen, then the test runs the real task."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from reports import tasks
    from tests.youth.factories import JeuneFactory, ParticipationFactory

    settings.REQUIRE_2FA = True
    user = demo.users["coordination@acsrv.demo"]
    device = TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    year = timezone.localdate().year - 1
    acsrv, eme = demo.orgs["acsrv"], demo.operations["EME"]
    for index, (nom, sexe) in enumerate([("Hennebert", "F"), ("Dupuis", "H"), ("Wattiez", "F"), ("Lemaire", "H")]):
        jeune = JeuneFactory(organisation=acsrv, nom=nom, sexe=sexe, date_reperage=date(year, 1, 5 + index))
        participation = ParticipationFactory(jeune=jeune, operation=eme, entree=True)
        participation.date_signature_contrat = participation.date_entree = date(year, 2, 1 + index)
        if index == 0:
            participation.date_sortie, participation.situation_sortie = date(year, 9, 30), "emploi_cdi"
        participation.save()
    queued = []
    monkeypatch.setattr(tasks.build_bilan_pdf, "apply_async", lambda args, **kwargs: queued.append(args[0]))
    return {"device": device, "year": year, "queued": queued, "task": tasks.build_bilan_pdf}


def test_coordination_logs_in_with_2fa_and_downloads_the_yearly_bilan(page, base_url, coordination, check):
    year = coordination["year"]
    login(page, base_url, "coordination@acsrv.demo", check=check)

    # Second step: the one-time code of the enrolled authenticator.
    assert "/connexion/verification/" in page.url
    check(page, "double authentification")
    page.get_by_label("Code à usage unique").fill(current_code(coordination["device"]))
    page.get_by_role("button", name="Valider").click()
    expect(
        page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Bilans")
    ).to_be_visible()
    check(page, "tableau de bord")

    # The bilan of last year for "En mode emploi".
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Bilans").click()
    check(page, "bilans")
    page.get_by_role("link", name=re.compile("^EME")).click()
    page.get_by_role("link", name=f"Année {year}").click()
    expect(page.get_by_role("heading", name=f"Période : du 01/01/{year} au 31/12/{year}")).to_be_visible()
    check(page, "bilan annuel")

    # Launch the PDF: the job waits for a worker and the page shows its progress bar.
    page.get_by_role("button", name=re.compile("^Générer le PDF")).click()
    expect(page.get_by_role("status").filter(has_text="La génération du PDF a commencé")).to_be_visible()
    progress = page.get_by_role("progressbar", name="Progression de la génération du PDF")
    expect(progress).to_be_visible()
    check(page, "bilan progression")
    assert len(coordination["queued"]) == 1

    # The worker runs the real task; htmx polling swaps the progress bar for the download link.
    coordination["task"].apply(args=[coordination["queued"][0]])
    download_link = page.get_by_role("link", name=re.compile("^Télécharger le PDF"))
    expect(download_link).to_be_visible(timeout=20_000)
    expect(progress).to_have_count(0)
    check(page, "bilan pret")

    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    content = download.path().read_bytes()
    assert content.startswith(b"%PDF")
    first_page = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "En mode emploi" in first_page
    assert f"01/01/{year}" in first_page
    assert f"31/12/{year}" in first_page
