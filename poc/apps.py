from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PocConfig(AppConfig):
    name = "poc"
    verbose_name = _("Applications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .access import policies  # noqa: F401  (declares who may see and do what with poc's models)

        self._cache_groups_per_request()
        from django.apps import apps

        from . import choice_labels

        choice_labels.install(apps.get_models(include_auto_created=True))

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

    @staticmethod
    def _cache_groups_per_request():
        """A request reads each user's groups once (poc.access.relations.in_group), forgotten on any change."""
        from django.contrib.auth import get_user_model
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import m2m_changed

        from .access.relations import end_request_cache, forget_groups, start_request_cache

        request_started.connect(start_request_cache, dispatch_uid="poc.access.groups.start")
        request_finished.connect(end_request_cache, dispatch_uid="poc.access.groups.end")
        m2m_changed.connect(forget_groups, sender=get_user_model().groups.through, dispatch_uid="poc.access.groups.changed")
