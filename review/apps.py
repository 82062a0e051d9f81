from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """Expert pool, conflicts, assignment, rubrics, reviews and ranking (builds on poc)."""

    name = "review"
    verbose_name = _("Expert review")
    default_auto_field = "django.db.models.BigAutoField"
