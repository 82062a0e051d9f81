from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PocConfig(AppConfig):
    name = "poc"
    verbose_name = _("Applications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .documents import poc_documents  # noqa: F401  (registers poc's document types)
        from .notifications import receivers  # noqa: F401  (connects the inbox and email to the workflow signals)
