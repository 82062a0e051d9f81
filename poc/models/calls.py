"""Kept for the migrations, which import ``poc.models.calls.default_required_attachments`` (the model lives in ``poc.applications.calls``)."""
from poc.applications.calls import default_required_attachments  # noqa: F401
