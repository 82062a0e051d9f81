"""Kept for the migrations, which import ``poc.models.centers.evidence_path`` (the model lives in ``poc.centers.models``)."""
from poc.centers.models import evidence_path  # noqa: F401
