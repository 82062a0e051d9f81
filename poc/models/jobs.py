"""Long-running work a user started (bulk exports): its state and progress, shown on a page that polls it, and a
heartbeat by which a job whose worker died is found (poc.jobs.recover_stale)."""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def job_result_path(instance, filename: str) -> str:
    # private storage (the default), served only by the owner-checked download view; an unguessable name
    return f"jobs/{instance.owner_id}/{uuid.uuid4().hex}/{filename}"


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BackgroundJob(models.Model):
    """One run of a background task for ``owner``; the task reports ``progress`` (0–100) as it goes."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="background_jobs",
                              verbose_name=_("owner"))
    kind = models.CharField(_("kind"), max_length=60)
    language = models.CharField(_("language"), max_length=15, blank=True)  # the starter's, for the file's texts
    state = models.CharField(_("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    result = models.FileField(_("result file"), upload_to=job_result_path, blank=True, max_length=300)
    result_name = models.CharField(_("result file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    # What to run (the task and its arguments, the job's id first), so a job whose worker died can be re-queued.
    task_name = models.CharField(_("task"), max_length=200, blank=True)
    task_args = models.JSONField(_("task arguments"), default=list, blank=True)
    # Each run claims the job (attempts + 1) and beats while it works; a running job whose beat stopped is stale.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)
