"""Kept for the migrations, which import ``poc.models.projects.agreement_path`` (the model lives in ``poc.projects.models``)."""
from poc.projects.models import agreement_path  # noqa: F401
