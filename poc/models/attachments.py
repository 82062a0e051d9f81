"""Kept for the migrations, which import ``poc.models.attachments.attachment_path`` (the model lives in ``poc.applications.attachments``)."""
from poc.applications.attachments import attachment_path  # noqa: F401
