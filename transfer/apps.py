from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    """Results library, enterprise demands, matching, the 四个一批 pipeline, roadshows and 先用后转 licences.

    Builds on poc, review (the affinity engine) and funding (investments as landing evidence); none of them
    names this app.
    """

    name = "transfer"
    verbose_name = _("Technology transfer")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from poc import gates
        from poc.signals import demo_seeded

        from . import policies  # noqa: F401  (declares the access policy of the transfer models)
        from .obligations import project_transfer_records

        gates.transfer_records.register(self.name, project_transfer_records)
        from .demo import seed

        demo_seeded.connect(seed, dispatch_uid="transfer.demo.seed")
