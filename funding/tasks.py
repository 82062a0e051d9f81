"""Background jobs of the funding app."""
from celery import shared_task


@shared_task(acks_late=True)
def lapse_conversions() -> list[int]:
    """Nightly: close as grants the convertible grants past their deadline without a qualifying round."""
    from poc.roles import SYSTEM

    from .services import lapse_conversions as run

    return run(SYSTEM)


@shared_task(bind=True, acks_late=True, max_retries=3)
def export_fund_investments(self, job_id: int, fund_id: int) -> bool:
    """A fund's investments ledger as XLSX for the job's owner (officers and the fund's managers: re-checked)."""
    from poc.jobs import Progress, execute

    from . import selectors
    from .exports import file_name, investments_of, investments_workbook

    def build(job):
        fund = selectors.funds_visible_to(job.owner).get(pk=fund_id)  # DoesNotExist: no longer theirs to see
        content = investments_workbook(fund, progress=Progress(job_id, investments_of(fund).count()))
        return file_name(fund, "investments"), content

    return execute(self, job_id, build)
