"""Bilan PDF jobs: one row per generation, updated by the Celery task (status, progress, heartbeat)."""

from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.permissions import Record
from core.scope import ScopedQuerySet, Scoping
from core.uploads import upload_to


# A running job whose worker has not reported for this long is considered interrupted (worker killed, lost task).
STALE_RUNNING_AFTER = timedelta(minutes=5)
# A pending job that no worker picked up for this long is considered interrupted too.
STALE_PENDING_AFTER = timedelta(minutes=30)


def bilan_upload_to(instance, filename):
    return upload_to("bilans")(instance, filename)


class JobQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(status__in=TrackedJob.ACTIVE_STATUSES)


class TrackedJob(models.Model):
    """A row a Celery job keeps up to date (status, progress, heartbeat), so the page shows where it is, tells an
    interrupted job from a running one, and offers a relaunch. BilanJob and CsfPack are such rows."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Terminé"
        FAILED = "failed", "Échec"

    ACTIVE_STATUSES = (Status.PENDING, Status.RUNNING)

    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField("progression (%)", default=0)
    message = models.CharField("étape", max_length=200, blank=True)
    error = models.TextField("erreur", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    heartbeat_at = models.DateTimeField("dernier signe de vie", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    celery_task_id = models.CharField("tâche Celery", max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)

    class Meta:
        abstract = True

    @property
    def is_active(self):
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_interrupted(self):
        """Active but silent for too long: the worker died or the task was lost."""
        now = timezone.now()
        if self.status == self.Status.RUNNING:
            last = self.heartbeat_at or self.started_at or self.created_at
            return now - last > STALE_RUNNING_AFTER
        if self.status == self.Status.PENDING:
            return now - (self.heartbeat_at or self.created_at) > STALE_PENDING_AFTER
        return False

    @property
    def is_polling(self):
        return self.is_active and not self.is_interrupted

    @property
    def can_relaunch(self):
        return self.status == self.Status.FAILED or self.is_interrupted

    @property
    def display_status(self):
        if self.is_interrupted:
            return "Interrompu"
        return self.get_status_display()


class BilanJob(TrackedJob):
    organisation = models.ForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="bilan_jobs")
    operation = models.ForeignKey("funding.Operation", on_delete=models.CASCADE, related_name="bilan_jobs")
    du = models.DateField("du")
    au = models.DateField("au")
    fichier = models.FileField("PDF", upload_to=bilan_upload_to, blank=True)

    objects = JobQuerySet.as_manager()
    scoping = Scoping(record=Record.BILAN)

    class Meta:
        verbose_name = "génération de bilan"
        verbose_name_plural = "générations de bilans"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Two coordinators launching the same bilan get the same job, never two.
            models.UniqueConstraint(
                fields=["operation", "du", "au"],
                condition=models.Q(status__in=["pending", "running"]),
                name="unique_active_bilan_job",
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="bilan_job_progress_lte_100"),
        ]
        indexes = [models.Index(fields=["organisation", "operation", "-created_at"])]

    def __str__(self):
        return f"Bilan {self.operation_id} du {self.du:%d/%m/%Y} au {self.au:%d/%m/%Y} ({self.get_status_display()})"

    @property
    def download_name(self):
        code = self.operation.code if self.operation_id else "operation"
        return f"bilan-{code}-{self.du:%Y-%m-%d}-{self.au:%Y-%m-%d}.pdf"


# --- Reference data: INSEE commune density grid (EECO17, participants from rural areas) -----------------------


class GrilleDensiteQuerySet(ScopedQuerySet):
    def for_date(self, day):
        """The grid in force on ``day``: the latest one valid from that date or before (else the oldest one)."""
        grids = list(self.order_by("valable_du", "pk"))  # a handful of editions: one query
        valid = [g for g in grids if g.valable_du <= day]
        return valid[-1] if valid else (grids[0] if grids else None)


class GrilleDensite(models.Model):
    """One loaded edition of the INSEE « grille communale de densité » (dated reference data, kept after a newer
    edition is loaded so that an old bilan can be recomputed). 4 levels (1 dense … 4 très peu dense) or 7 levels
    (since 2022). Rural in the DEGURBA sense: levels 3–4 of the 4-level grid, 5–7 of the 7-level grid."""

    organisation = models.ForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="+")
    millesime = models.PositiveSmallIntegerField("millésime")
    valable_du = models.DateField("valable à partir du")
    niveaux = models.PositiveSmallIntegerField("nombre de niveaux", choices=[(4, "4 niveaux"), (7, "7 niveaux")])
    nom_fichier = models.CharField("fichier chargé", max_length=200, blank=True)
    communes = models.PositiveIntegerField("communes", default=0)
    chargee_le = models.DateTimeField("chargée le", default=timezone.now)
    chargee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = GrilleDensiteQuerySet.as_manager()
    scoping = Scoping(record=Record.BILAN)

    class Meta:
        verbose_name = "grille communale de densité"
        verbose_name_plural = "grilles communales de densité"
        ordering = ["-valable_du", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "millesime"], name="unique_grille_densite_millesime")
        ]

    def __str__(self):
        return f"Grille communale de densité {self.millesime} ({self.niveaux} niveaux)"

    @property
    def degres_ruraux(self):
        return (5, 6, 7) if self.niveaux == 7 else (3, 4)


class CommuneDensite(models.Model):
    grille = models.ForeignKey(GrilleDensite, on_delete=models.CASCADE, related_name="lignes")
    code_insee = models.CharField("code INSEE", max_length=5)
    degre = models.PositiveSmallIntegerField("degré de densité")

    class Meta:
        verbose_name = "commune (grille de densité)"
        constraints = [models.UniqueConstraint(fields=["grille", "code_insee"], name="unique_commune_grille")]

    def __str__(self):
        return f"{self.code_insee} : {self.degre}"


class BilanTexte(models.Model):
    """The texts of one bilan (period) written by the coordinator; empty fields fall back to the operation's."""

    operation = models.ForeignKey("funding.Operation", on_delete=models.CASCADE, related_name="bilan_textes")
    du = models.DateField("du")
    au = models.DateField("au")
    principes_horizontaux = models.TextField("principes horizontaux", blank=True)
    publicite = models.TextField("mesures de publicité", blank=True)
    ecarts = models.TextField("explication des écarts entre prévu et réalisé", blank=True)
    lieu_signature = models.CharField("fait à", max_length=100, blank=True)
    date_signature = models.DateField("le", null=True, blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.BILAN, organisation="operation__organisation")

    class Meta:
        verbose_name = "textes du bilan"
        verbose_name_plural = "textes des bilans"
        constraints = [models.UniqueConstraint(fields=["operation", "du", "au"], name="unique_bilan_texte")]

    def __str__(self):
        return f"Textes du bilan {self.du:%d/%m/%Y} – {self.au:%d/%m/%Y}"


def csf_upload_to(instance, filename):
    return upload_to("controles")(instance, filename)


class CsfPack(TrackedJob):
    """A contrôle de service fait pack: a seeded random sample of participants and expenses of a period, and the
    ZIP of their proofs built by a Celery job. The seed and the draw are stored on the row, whose history is part
    of the audit log (who drew what, when)."""

    organisation = models.ForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="csf_packs")
    operation = models.ForeignKey("funding.Operation", on_delete=models.CASCADE, related_name="csf_packs")
    du = models.DateField("du")
    au = models.DateField("au")
    graine = models.BigIntegerField("graine du tirage")
    nb_participants = models.PositiveIntegerField("participants demandés")
    nb_depenses = models.PositiveIntegerField("dépenses demandées")
    population_participants = models.PositiveIntegerField("participants de la période", default=0)
    population_depenses = models.PositiveIntegerField("dépenses de la période", default=0)
    participations_tirees = models.JSONField("participations tirées (n°)", default=list)
    depenses_tirees = models.JSONField("dépenses tirées (n°)", default=list)
    pieces_manquantes = models.PositiveIntegerField("pièces manquantes", default=0)
    fichier = models.FileField("ZIP", upload_to=csf_upload_to, blank=True, editable=False)  # built by the job

    objects = JobQuerySet.as_manager()
    scoping = Scoping(record=Record.BILAN)
    history = HistoricalRecords(excluded_fields=["progress", "message", "heartbeat_at"])

    class Meta:
        verbose_name = "paquet de contrôle de service fait"
        verbose_name_plural = "paquets de contrôle de service fait"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="csf_pack_progress_lte_100"),
        ]
        indexes = [models.Index(fields=["organisation", "operation", "-created_at"])]

    def __str__(self):
        return f"CSF {self.operation_id} du {self.du:%d/%m/%Y} au {self.au:%d/%m/%Y} (graine {self.graine})"

    @property
    def download_name(self):
        code = self.operation.code if self.operation_id else "operation"
        return f"controle-service-fait-{code}-{self.du:%Y-%m-%d}-{self.au:%Y-%m-%d}-graine-{self.graine}.zip"


def import_upload_to(instance, filename):
    return upload_to("imports")(instance, filename)


class ImportJob(TrackedJob):
    """A participant import launched from the browser (reports/importer.py, the rules of ``import_participants``):
    the file checked by the dry run is kept on the row (audit trail, downloadable by coordination only) and the
    Celery job writes everything or nothing."""

    organisation = models.ForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="import_jobs")
    operation = models.ForeignKey("funding.Operation", on_delete=models.CASCADE, related_name="import_jobs")
    fichier = models.FileField("fichier importé", upload_to=import_upload_to, editable=False)
    nom_fichier = models.CharField("nom du fichier", max_length=200)
    lignes = models.PositiveIntegerField("lignes valides", default=0)
    crees = models.PositiveIntegerField("participants créés", default=0)
    mis_a_jour = models.PositiveIntegerField("participants mis à jour", default=0)
    inchanges = models.PositiveIntegerField("participants inchangés", default=0)
    problemes = models.JSONField("problèmes trouvés au moment de l'import", default=list, blank=True)

    objects = JobQuerySet.as_manager()
    scoping = Scoping(record=Record.BILAN)
    history = HistoricalRecords(excluded_fields=["progress", "message", "heartbeat_at"])

    class Meta:
        verbose_name = "import de participants"
        verbose_name_plural = "imports de participants"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="import_job_progress_lte_100"),
        ]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self):
        return f"Import {self.nom_fichier} ({self.get_status_display()})"

    @property
    def download_name(self):
        return self.nom_fichier or PurePath(self.fichier.name).name
