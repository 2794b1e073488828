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


def _queue(job):
    from reports.tasks import build_bilan_pdf

    job_id, task_id = job.pk, job.celery_task_id
    transaction.on_commit(lambda: build_bilan_pdf.apply_async(args=[job_id], task_id=task_id))


def _mark_interrupted(job):
    job.status = BilanJob.Status.FAILED
    job.error = "Génération interrompue : le traitement ne donnait plus signe de vie (service arrêté ?)."
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


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
    """Record a step of the task (also the heartbeat that tells an alive job from an interrupted one)."""
    BilanJob.objects.for_platform().filter(pk=job_id, status=BilanJob.Status.RUNNING).update(
        progress=max(0, min(100, int(progress))), message=message[:200], heartbeat_at=timezone.now()
    )


def bilan_job_start(*, job_id, task_id=None):
    """Mark the job running. Returns the job, or None when there is nothing to do (done, or unknown)."""
    with transaction.atomic():
        job = BilanJob.objects.for_platform().select_for_update().select_related("operation").filter(pk=job_id).first()
        if job is None or job.status == BilanJob.Status.DONE:
            return None
        if job.status == BilanJob.Status.FAILED:
            return None
        now = timezone.now()
        if job.status == BilanJob.Status.RUNNING:
            # Redelivered after a worker loss (acks_late): start again from zero.
            job.attempts += 1
        job.status = BilanJob.Status.RUNNING
        job.progress = 1
        job.message = "Démarrage"
        job.started_at = now
        job.heartbeat_at = now
        job.error = ""
        if task_id:
            job.celery_task_id = task_id
        job.save()
    return job


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
    rows = BilanJob.objects.for_platform().filter(pk=job_id)
    first_failure = rows.exclude(status__in=[BilanJob.Status.DONE, BilanJob.Status.FAILED]).exists()
    rows.exclude(status=BilanJob.Status.DONE).update(
        status=BilanJob.Status.FAILED, error=str(error)[:2000] or "Erreur inconnue", finished_at=timezone.now()
    )
    if first_failure:  # its launcher hears of it once
        job = BilanJob.objects.for_platform().select_related("operation").get(pk=job_id)
        _notify_job(job, "reports:bilan_job_progress", f"Échec du bilan PDF {job.operation.code}")


def bilan_job_retrying(*, job_id, error):
    BilanJob.objects.for_platform().filter(pk=job_id, status=BilanJob.Status.RUNNING).update(
        status=BilanJob.Status.PENDING,
        message=f"Erreur passagère ({str(error)[:120]}), nouvelle tentative…",
        heartbeat_at=timezone.now(),
    )


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
        pack.status = CsfPack.Status.FAILED
        pack.error = "Génération interrompue : le traitement ne donnait plus signe de vie (service arrêté ?)."
        pack.finished_at = timezone.now()
        pack.save(update_fields=["status", "error", "finished_at"])
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

    CsfPack.objects.for_platform().filter(pk=pack_id, status=CsfPack.Status.RUNNING).update(
        progress=max(0, min(100, int(progress))), message=message[:200], heartbeat_at=timezone.now()
    )


def csf_pack_start(*, pack_id, task_id=None):
    from reports.models import CsfPack

    with transaction.atomic():
        pack = (
            CsfPack.objects.for_platform()
            .select_for_update()
            .select_related("operation__organisation")
            .filter(pk=pack_id)
            .first()
        )
        if pack is None or pack.status in (CsfPack.Status.DONE, CsfPack.Status.FAILED):
            return None
        now = timezone.now()
        if pack.status == CsfPack.Status.RUNNING:
            pack.attempts += 1  # redelivered after a worker loss (acks_late): start again from zero
        pack.status = CsfPack.Status.RUNNING
        pack.progress = 1
        pack.message = "Démarrage"
        pack.started_at = now
        pack.heartbeat_at = now
        pack.error = ""
        if task_id:
            pack.celery_task_id = task_id
        pack.save()
    return pack


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

    CsfPack.objects.for_platform().filter(pk=pack_id).exclude(status=CsfPack.Status.DONE).update(
        status=CsfPack.Status.FAILED, error=str(error)[:2000] or "Erreur inconnue", finished_at=timezone.now()
    )


def csf_pack_retrying(*, pack_id, error):
    from reports.models import CsfPack

    CsfPack.objects.for_platform().filter(pk=pack_id, status=CsfPack.Status.RUNNING).update(
        status=CsfPack.Status.PENDING,
        message=f"Erreur passagère ({str(error)[:120]}), nouvelle tentative…",
        heartbeat_at=timezone.now(),
    )
