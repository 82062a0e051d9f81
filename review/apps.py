from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """Expert pool, conflicts, assignment, rubrics, reviews and ranking (builds on poc)."""

    name = "review"
    verbose_name = _("Expert review")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from poc import gates

        from . import signals  # noqa: F401  (connects the receivers)
        from .gates import reviews_complete

        gates.reviews_complete.register(reviews_complete)

        from poc.signals import demo_seeded

        from . import documents  # noqa: F401  (registers the score sheet and the review summary)
        from .demo import seed

        demo_seeded.connect(seed, dispatch_uid="review.demo.seed")
