from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """Expert pool, conflicts, assignment, rubrics, reviews and ranking (builds on poc)."""

    name = "review"
    verbose_name = _("Expert review")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from poc.homes import register_home
        from poc.roles import EXPERT

        register_home(EXPERT, "review:queue")  # where this role lands after signing in
        from poc import gates

        from . import policies  # noqa: F401  (declares access to this app's models; widens poc's)
        from .gates import reviews_complete

        gates.reviews_complete.register(reviews_complete)

        # An application's team (or institution, or exclusion request) edited in poc: re-check its assignments.
        from poc.signals import conflict_facts_changed

        from .rechecks import on_conflict_facts_changed

        conflict_facts_changed.connect(on_conflict_facts_changed, dispatch_uid="review.rechecks")

        # What poc asks of review, answered by registration (poc never names review): the rules of its events,
        # its reminder, and its document types (registered as review.documents is imported).
        from poc.notifications.registry import notification_rules, reminder_checks

        from . import (
            documents,  # noqa: F401  (registers the score sheet and the review summary)
            notifications,
            reminders,
        )

        notification_rules.register(self.name, transitions=notifications.TRANSITIONS,
                                    creations=notifications.CREATIONS, batches=notifications.BATCHES)
        reminder_checks.register(reminders.REMINDER)

        from .exports import register_review_exports

        register_review_exports()  # reviews and the ranking, through poc's export framework

        from poc.signals import demo_seeded

        from .demo import seed

        demo_seeded.connect(seed, dispatch_uid="review.demo.seed")

        from poc.charts import CALL, register_chart

        from . import charts

        register_chart(CALL, 30, charts.progress_per_expert)
        register_chart(CALL, 40, charts.score_spread)
        register_chart(CALL, 50, charts.calibrated_vs_raw)
