"""Background jobs of the review app (started through ``poc.jobs.start_job``; the job's id comes first)."""
from celery import shared_task


@shared_task(bind=True, acks_late=True, max_retries=3)
def export_expert_pool(self, job_id: int) -> bool:
    """The expert pool as XLSX for the job's owner (officers only: the pool is re-checked against the owner)."""
    from django.utils import timezone

    from poc.jobs import Progress, execute
    from poc.roles import is_officer

    from . import selectors
    from .importing import export_experts

    def build(job):
        if not is_officer(job.owner):  # roles may have changed since the job was started
            raise PermissionError("the expert pool is for officers only")
        experts = selectors.experts_visible_to(job.owner)
        content = export_experts(experts, progress=Progress(job_id, experts.count()))
        return f"experts-{timezone.localdate():%Y%m%d}.xlsx", content

    return execute(self, job_id, build)
