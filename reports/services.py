"""Bilan PDF jobs: launch (without duplicates), run (with progress and heartbeat), relaunch."""

import logging
import uuid

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from reports.models import BilanJob


logger = logging.getLogger(__name__)


class JobAlreadyDone(Exception):
    pass


# --- The lifecycle of a TrackedJob row (bilan PDF, CSF pack, participant import): one set of functions -------

INTERRUPTED = "Génération interrompue : le traitement ne donnait plus signe de vie (service arrêté ?)."


def job_mark_interrupted(job):
    job.status = job.Status.FAILED
    job.error = INTERRUPTED
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


def job_progress(model, *, pk, progress, message):
    """Record a step of the task (also the heartbeat that tells an alive job from an interrupted one)."""
    model.objects.for_platform().filter(pk=pk, status=model.Status.RUNNING).update(
        progress=max(0, min(100, int(progress))), message=message[:200], heartbeat_at=timezone.now()
    )


def job_start(model, *, pk, task_id=None, related=()):
    """Mark the job running. Returns the row, or None when there is nothing to do (done, failed, or unknown)."""
    with transaction.atomic():
        job = model.objects.for_platform().select_for_update().select_related(*related).filter(pk=pk).first()
        if job is None or job.status in (model.Status.DONE, model.Status.FAILED):
            return None
        now = timezone.now()
        if job.status == model.Status.RUNNING:
            job.attempts += 1  # redelivered after a worker loss (acks_late): start again from zero
        job.status = model.Status.RUNNING
        job.progress = 1
        job.message = "Démarrage"
        job.started_at = now
        job.heartbeat_at = now
        job.error = ""
        if task_id:
            job.celery_task_id = task_id
        job.save()
    return job


def job_fail(model, *, pk, error):
    """Mark the job failed (never a finished one). True the first time it fails, so its launcher hears once."""
    rows = model.objects.for_platform().filter(pk=pk)
    first_failure = rows.exclude(status__in=[model.Status.DONE, model.Status.FAILED]).exists()
    rows.exclude(status=model.Status.DONE).update(
        status=model.Status.FAILED, error=str(error)[:2000] or "Erreur inconnue", finished_at=timezone.now()
    )
    return first_failure


def job_retrying(model, *, pk, error):
    model.objects.for_platform().filter(pk=pk, status=model.Status.RUNNING).update(
        status=model.Status.PENDING,
        message=f"Erreur passagère ({str(error)[:120]}), nouvelle tentative…",
        heartbeat_at=timezone.now(),
    )


def _queue(job):
    from reports.tasks import build_bilan_pdf

    job_id, task_id = job.pk, job.celery_task_id
    transaction.on_commit(lambda: build_bilan_pdf.apply_async(args=[job_id], task_id=task_id))


def _mark_interrupted(job):
    job_mark_interrupted(job)


@transaction.atomic
def bilan_job_launch(*, operation, du, au, user):
    """Create and queue the PDF job of ``operation`` for [du, au], or return the one already pending/running.

    Returns ``(job, created)``. Two coordinators clicking at the same time get the same job: the partial unique
    constraint ``unique_active_bilan_job`` settles the race, the loser fetches the winner's row.
    """
    existing = operation.bilan_jobs.select_for_update().active().filter(du=du, au=au).first()
    if existing is not None:
        if not existing.is_interrupted:
            return existing, False
        _mark_interrupted(existing)
    job = BilanJob(
        organisation=operation.organisation,
        operation=operation,
        du=du,
        au=au,
        created_by=user,
        celery_task_id=uuid.uuid4().hex,
        message="En attente d'un processus de génération…",
        attempts=1,
    )
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:
        winner = operation.bilan_jobs.active().get(du=du, au=au)
        return winner, False
    _queue(job)
    return job, True


@transaction.atomic
def bilan_job_relaunch(*, job, user):
    """Relaunch a failed or interrupted job (a new job row, so the history of attempts stays visible)."""
    job = BilanJob.objects.for_platform().select_for_update().get(pk=job.pk)
    if not job.can_relaunch:
        return job, False
    if job.is_active:
        _mark_interrupted(job)
    return bilan_job_launch(operation=job.operation, du=job.du, au=job.au, user=user)


def bilan_job_progress(*, job_id, progress, message):
    job_progress(BilanJob, pk=job_id, progress=progress, message=message)


def bilan_job_start(*, job_id, task_id=None):
    """Mark the job running. Returns the job, or None when there is nothing to do (done, or unknown)."""
    return job_start(BilanJob, pk=job_id, task_id=task_id, related=("operation",))


def bilan_job_run(*, job_id, task_id=None):
    """Build the PDF of a job, reporting progress. Exceptions propagate (the task decides: retry or fail)."""
    from reports.pdf import render_bilan_pdf

    job = bilan_job_start(job_id=job_id, task_id=task_id)
    if job is None:
        return None

    def progress(value, message):
        bilan_job_progress(job_id=job_id, progress=value, message=message)

    pdf = render_bilan_pdf(job.operation, job.du, job.au, progress=progress)
    progress(98, "Enregistrement du fichier")
    with transaction.atomic():
        job = BilanJob.objects.for_platform().select_for_update().get(pk=job_id)
        job.fichier.save(job.download_name, ContentFile(pdf), save=False)
        job.status = BilanJob.Status.DONE
        job.progress = 100
        job.message = "PDF prêt"
        job.finished_at = timezone.now()
        job.heartbeat_at = job.finished_at
        job.save()
        _notify_job(job, "reports:bilan_job_progress", f"Bilan PDF {job.operation.code} prêt")
    return job


def _notify_job(job, url_name, titre):
    """The bell of who launched the job: it is done (or failed). The title names the operation, nothing else."""
    from django.urls import reverse

    from notifications.models import Notification
    from notifications.services import notifier

    if job.created_by_id:
        period = f" ({job.du:%d/%m/%Y} – {job.au:%d/%m/%Y})" if getattr(job, "du", None) else ""
        notifier(
            job.organisation_id,
            [job.created_by_id],
            Notification.Kind.TRAVAIL,
            titre + period,
            reverse(url_name, args=[job.pk]),
        )


def bilan_job_fail(*, job_id, error):
    if job_fail(BilanJob, pk=job_id, error=error):  # its launcher hears of it once
        job = BilanJob.objects.for_platform().select_related("operation").get(pk=job_id)
        _notify_job(job, "reports:bilan_job_progress", f"Échec du bilan PDF {job.operation.code}")


def bilan_job_retrying(*, job_id, error):
    job_retrying(BilanJob, pk=job_id, error=error)


@transaction.atomic
def bilan_texte_save(*, operation, du, au, user, par_defaut=False, **texts):
    """Store the texts of the bilan [du, au]; ``par_defaut`` also makes them the operation's default texts."""
    texte, _created = operation.bilan_textes.update_or_create(du=du, au=au, defaults={**texts, "updated_by": user})
    if par_defaut:
        operation.texte_principes_horizontaux = texts.get("principes_horizontaux", "")
        operation.texte_publicite = texts.get("publicite", "")
        operation.texte_ecarts = texts.get("ecarts", "")
        operation.save(update_fields=["texte_principes_horizontaux", "texte_publicite", "texte_ecarts", "updated_at"])
    return texte


def grille_densite_upload(*, organisation, user, fichier, millesime, valable_du=None):
    """Load an uploaded density grid (kept in a temporary file only while it is read)."""
    import tempfile
    from datetime import date
    from pathlib import Path

    from reports.reference import load_density_grid

    suffix = Path(fichier.name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        for chunk in fichier.chunks():
            tmp.write(chunk)
        tmp.flush()
        return load_density_grid(
            tmp.name,
            organisation=organisation,
            millesime=millesime,
            valable_du=valable_du or date(millesime, 1, 1),
            user=user,
            nom_fichier=fichier.name,
        )


# --- Contrôle de service fait (CSF) packs ------------------------------------------------------------------


def _queue_csf(pack):
    from reports.tasks import build_csf_pack

    pack_id, task_id = pack.pk, pack.celery_task_id
    transaction.on_commit(lambda: build_csf_pack.apply_async(args=[pack_id], task_id=task_id))


def _new_pack(*, operation, du, au, user, graine, nb_participants, nb_depenses, draw, reason):
    from reports.models import CsfPack

    participations, depenses, population_p, population_d = draw
    pack = CsfPack(
        organisation=operation.organisation,
        operation=operation,
        du=du,
        au=au,
        graine=graine,
        nb_participants=nb_participants,
        nb_depenses=nb_depenses,
        population_participants=population_p,
        population_depenses=population_d,
        participations_tirees=participations,
        depenses_tirees=depenses,
        created_by=user,
        celery_task_id=uuid.uuid4().hex,
        message="En attente d'un processus de génération…",
        attempts=1,
    )
    # The creation record (who, when, seed, draw) is the pack's entry in the audit log.
    pack._change_reason = reason
    if user is not None:
        pack._history_user = user
    pack.save()
    logger.info(
        "Tirage CSF %s (%s, %s → %s) par %s : graine %s, participations %s, dépenses %s",
        pack.pk,
        operation.code,
        du,
        au,
        getattr(user, "pk", None),
        graine,
        participations,
        depenses,
    )
    _queue_csf(pack)
    return pack


@transaction.atomic
def csf_pack_launch(*, operation, du, au, user, nb_participants, nb_depenses, graine=None):
    """Draw the sample (seeded, reproducible) and queue the ZIP. ``graine`` None: a fresh random seed."""
    import secrets

    from reports.csf import draw_sample

    if graine is None:
        graine = secrets.randbelow(10**9)
    draw = draw_sample(operation, du, au, graine, nb_participants, nb_depenses)
    reason = (
        f"Tirage CSF, graine {graine} : {len(draw[0])} participant(s) sur {draw[2]}, "
        f"{len(draw[1])} dépense(s) sur {draw[3]}"
    )
    return _new_pack(
        operation=operation,
        du=du,
        au=au,
        user=user,
        graine=graine,
        nb_participants=nb_participants,
        nb_depenses=nb_depenses,
        draw=draw,
        reason=reason,
    )


@transaction.atomic
def csf_pack_relaunch(*, pack, user):
    """Build again a failed or interrupted pack: a new row with the same seed and the same draw."""
    from reports.models import CsfPack

    pack = CsfPack.objects.for_platform().select_for_update().select_related("operation").get(pk=pack.pk)
    if not pack.can_relaunch:
        return pack, False
    if pack.is_active:
        job_mark_interrupted(pack)
    draw = (pack.participations_tirees, pack.depenses_tirees, pack.population_participants, pack.population_depenses)
    new = _new_pack(
        operation=pack.operation,
        du=pack.du,
        au=pack.au,
        user=user,
        graine=pack.graine,
        nb_participants=pack.nb_participants,
        nb_depenses=pack.nb_depenses,
        draw=draw,
        reason=f"Relance du paquet CSF n° {pack.pk} (même graine {pack.graine}, même tirage)",
    )
    return new, True


def csf_pack_progress(*, pack_id, progress, message):
    from reports.models import CsfPack

    job_progress(CsfPack, pk=pack_id, progress=progress, message=message)


def csf_pack_start(*, pack_id, task_id=None):
    from reports.models import CsfPack

    return job_start(CsfPack, pk=pack_id, task_id=task_id, related=("operation__organisation",))


def csf_pack_run(*, pack_id, task_id=None):
    """Build the ZIP of a pack with progress. Exceptions propagate (the task decides: retry or fail)."""
    from reports.csf import build_zip
    from reports.models import CsfPack

    pack = csf_pack_start(pack_id=pack_id, task_id=task_id)
    if pack is None:
        return None

    def progress(value, message):
        csf_pack_progress(pack_id=pack_id, progress=value, message=message)

    progress(3, "Lecture de l'échantillon")
    handle, index = build_zip(pack, progress)
    progress(96, "Enregistrement du ZIP")
    from django.core.files import File

    with transaction.atomic():
        pack = CsfPack.objects.for_platform().select_for_update().select_related("operation").get(pk=pack_id)
        with handle:
            pack.fichier.save(pack.download_name, File(handle), save=False)
        pack.status = CsfPack.Status.DONE
        pack.progress = 100
        pack.pieces_manquantes = len(index.missing)
        pack.message = "ZIP prêt"
        pack.finished_at = timezone.now()
        pack.heartbeat_at = pack.finished_at
        pack.save()
    return pack


def csf_pack_fail(*, pack_id, error):
    from reports.models import CsfPack

    job_fail(CsfPack, pk=pack_id, error=error)


def csf_pack_retrying(*, pack_id, error):
    from reports.models import CsfPack

    job_retrying(CsfPack, pk=pack_id, error=error)


# --- Participant import from the browser (the rules of ``import_participants``, reports/importer.py) -------------

IMPORT_DRAFTS = "imports/verifications"
IMPORT_SALT = "reports.import-draft"
IMPORT_DRAFT_MAX_AGE = 24 * 3600


def import_dry_run(*, operation, name, source):
    """Check a file without writing anything: the ``ImportResult`` of the importer (ImportFileError if unreadable)."""
    from reports.importer import import_participants

    return import_participants(name, operation, dry_run=True, source=source)


def import_draft_save(*, organisation, operation, uploaded):
    """Keep the checked upload in the storage until it is imported; returns a signed token naming it (with the
    organisation and the operation), so the « Importer » button and the error file need not upload it again."""
    from pathlib import PurePath

    from django.core import signing
    from django.core.files.storage import default_storage

    import_drafts_purge()
    extension = PurePath(uploaded.name).suffix.lower()
    uploaded.seek(0)
    stored = default_storage.save(f"{IMPORT_DRAFTS}/{uuid.uuid4().hex}{extension}", uploaded)
    payload = {"f": stored, "n": uploaded.name[:200], "o": organisation.pk, "op": operation.pk}
    return signing.dumps(payload, salt=IMPORT_SALT)


def import_drafts_purge(*, now=None):
    """Delete the checked files older than a token's life that no import job kept (a dry run never followed by
    « Importer »). Called at each new check: no scheduled task needed. Returns the names deleted."""
    from datetime import timedelta

    from django.core.files.storage import default_storage

    from reports.models import ImportJob

    now = now or timezone.now()
    try:
        _dirs, files = default_storage.listdir(IMPORT_DRAFTS)
    except FileNotFoundError:
        return []
    names = [f"{IMPORT_DRAFTS}/{name}" for name in files]
    kept = set(ImportJob.objects.for_platform().filter(fichier__in=names).values_list("fichier", flat=True))
    deleted = []
    for name in names:
        if name in kept:
            continue
        if now - default_storage.get_modified_time(name) > timedelta(seconds=IMPORT_DRAFT_MAX_AGE):
            default_storage.delete(name)
            deleted.append(name)
    return deleted


def import_draft_load(token, *, organisation):
    """The draft named by a token of this organisation: ``{"f": stored name, "n": name, "op": operation pk}``.
    None when the token is forged, expired, or of another organisation."""
    from django.core import signing

    try:
        payload = signing.loads(token or "", salt=IMPORT_SALT, max_age=IMPORT_DRAFT_MAX_AGE)
    except signing.BadSignature:
        return None
    if payload.get("o") != organisation.pk or not str(payload.get("f", "")).startswith(IMPORT_DRAFTS + "/"):
        return None
    return payload


def read_stored(name):
    """The bytes of a stored file, whatever the storage (local disk or S3): never a local ``.path``."""
    from django.core.files.storage import default_storage

    with default_storage.open(name, "rb") as handle:
        return handle.read()


def _queue_import(job):
    from reports.tasks import run_participant_import

    job_id, task_id = job.pk, job.celery_task_id
    transaction.on_commit(lambda: run_participant_import.apply_async(args=[job_id], task_id=task_id))


@transaction.atomic
def import_job_launch(*, operation, user, stored_name, nom_fichier, reason="Import lancé depuis le navigateur"):
    """A job row pointing at the checked file, queued once the transaction commits."""
    from reports.models import ImportJob

    job = ImportJob(
        organisation=operation.organisation,
        operation=operation,
        nom_fichier=nom_fichier[:200],
        created_by=user,
        celery_task_id=uuid.uuid4().hex,
        message="En attente d'un processus d'import…",
        attempts=1,
    )
    job.fichier.name = stored_name  # the file checked by the dry run, kept with the job (audit trail)
    job._change_reason = reason
    if user is not None:
        job._history_user = user
    job.save()
    logger.info("Import %s (%s) lancé par %s", job.pk, operation.code, getattr(user, "pk", None))
    _queue_import(job)
    return job


@transaction.atomic
def import_job_relaunch(*, job, user):
    """Run a failed or interrupted import again: a new row on the same kept file."""
    from reports.models import ImportJob

    job = ImportJob.objects.for_platform().select_for_update().select_related("operation").get(pk=job.pk)
    if not job.can_relaunch:
        return job, False
    if job.is_active:
        job_mark_interrupted(job)
    new = import_job_launch(
        operation=job.operation,
        user=user,
        stored_name=job.fichier.name,
        nom_fichier=job.nom_fichier,
        reason=f"Relance de l'import n° {job.pk}",
    )
    return new, True


class ImportRejected(Exception):
    """The file no longer passes the checks (the data changed since the dry run): nothing was written."""


def import_job_run(*, job_id, task_id=None):
    """Import the kept file, all or nothing, reporting progress. Exceptions propagate (the task: retry or fail).

    The steps of ``importer.import_participants``; the writes and the job's « done » are one transaction, so a
    failure anywhere after the checks leaves neither participants nor a finished job."""
    import io

    from reports import importer
    from reports.models import ImportJob

    job = job_start(ImportJob, pk=job_id, task_id=task_id, related=("operation__organisation",))
    if job is None:
        return None

    def progress(value, message):
        job_progress(ImportJob, pk=job_id, progress=value, message=message)

    progress(5, "Lecture du fichier conservé")
    headers, rows = importer.read_table(job.fichier.name, source=io.BytesIO(read_stored(job.fichier.name)))
    progress(20, f"Vérification de {len(rows)} ligne(s)")
    result = importer.validate(headers, rows, job.operation)
    if result.errors:
        ImportJob.objects.for_platform().filter(pk=job_id).update(problemes=result.errors[:200])
        raise ImportRejected(
            f"Import refusé, rien n'a été écrit : {len(result.errors)} problème(s) "
            f"(le fichier ou les données ont changé depuis la vérification ?). Premier : {result.errors[0]}"
        )
    progress(60, f"Écriture de {len(result.rows)} participant(s)")
    with transaction.atomic():
        existing = importer.plan(result, job.operation)
        importer.apply(result, job.operation, existing)
        job = ImportJob.objects.for_platform().select_for_update().get(pk=job_id)
        job.status = ImportJob.Status.DONE
        job.progress = 100
        job.lignes = len(result.rows)
        job.crees, job.mis_a_jour, job.inchanges = result.created, result.updated, result.unchanged
        job.message = (
            f"{result.created} participant(s) créé(s), {result.updated} mis à jour, {result.unchanged} inchangé(s)"
        )
        job.finished_at = timezone.now()
        job.heartbeat_at = job.finished_at
        job.save()
    return job


def import_job_fail(*, job_id, error):
    from reports.models import ImportJob

    job_fail(ImportJob, pk=job_id, error=error)


def import_job_retrying(*, job_id, error):
    from reports.models import ImportJob

    job_retrying(ImportJob, pk=job_id, error=error)
