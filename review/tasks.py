"""Background jobs of the review app (started through ``poc.jobs.start_job``; the job's id comes first)."""
from celery import shared_task


@shared_task(bind=True, acks_late=True, max_retries=3)
def export_expert_pool(self, job_id: int) -> bool:
    """The expert pool as XLSX for the job's owner (officers only: the pool is re-checked against the owner)."""
    from django.utils import timezone

    from poc.access import can
    from poc.jobs import Progress, execute

    from . import selectors
    from .importing import export_experts
    from .models import Expert

    def build(job):
        if not can(job.owner, "export", Expert):  # roles may have changed since the job was started
            raise PermissionError("the expert pool is for officers only")
        experts = selectors.experts_visible_to(job.owner)
        content = export_experts(experts, progress=Progress(job_id, experts.count()))
        return f"experts-{timezone.localdate():%Y%m%d}.xlsx", content

    return execute(self, job_id, build)
