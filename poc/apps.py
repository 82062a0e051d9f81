from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PocConfig(AppConfig):
    name = "poc"
    verbose_name = _("Applications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .access import policies  # noqa: F401  (declares who may see and do what with poc's models)

        # poc registers its own notification rules, reminders and document types the way review and funding
        # register theirs (poc.notifications.registry, poc.documents.issuing).
        from .documents import poc_documents  # noqa: F401  (registers poc's document types)
        from .exports.tables import register_poc_exports

        register_poc_exports()
        from .notifications import (
            events,
            receivers,  # noqa: F401  (connects the inbox and email to the workflow signals)
            reminders,
        )
        from .notifications.registry import notification_rules, reminder_checks

        notification_rules.register(self.name, transitions=events.TRANSITIONS, creations=events.CREATIONS)
        for reminder in reminders.REMINDERS:
            reminder_checks.register(reminder)

        from . import charts
        from .charts import calls, programme

        charts.register_chart(charts.CALL, 10, calls.applications_by_state)
        charts.register_chart(charts.CALL, 20, calls.submissions_per_day)
        charts.register_chart(charts.PROGRAMME, 10, programme.centers_by_grade)
        charts.register_chart(charts.PROGRAMME, 20, programme.centers_by_state)
        charts.register_chart(charts.PROGRAMME, 30, programme.projects_by_state)
        charts.register_chart(charts.PROGRAMME, 40, programme.milestones_by_month)
        charts.register_chart(charts.PROGRAMME, 50, programme.obligations_by_month)
