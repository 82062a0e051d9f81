"""Helpers shared by the workflow rule tests (tests/poc/test_workflow_table.py, test_conditions.py…)."""
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.forms.models import model_to_dict
from django.test import override_settings
from django.utils import timezone, translation

from poc.models import Application, Attachment, Center, Objection, Project, SiteVisit, TransitionLog

SHANGHAI = ZoneInfo("Asia/Shanghai")


# Hashing passwords the production way costs a third of a second per user; these tests make many users.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def rules_environment(moment=None):
    """English messages (the exact texts the rules promise), fast password hashing and, if given,
    the bureau's clock stopped at ``moment``."""
    with translation.override("en"), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        if moment is None:
            yield
        else:
            with time_machine.travel(moment, tick=False):
                yield


def local_moment(year, month, day, hour=10, minute=0, second=0) -> datetime:
    """A moment on the bureau's clock (Asia/Shanghai)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


@contextmanager
def gate_answers(gate, check):
    """Plug ``check`` into ``gate`` as the review or funding app would; ``None`` unplugs it.

    Whatever was plugged in before is put back afterwards, so a gate a higher app registers in its
    ``ready()`` survives these tests.
    """
    previous = gate._check
    if check is None:
        gate.reset()
    else:
        gate.register(check)
    try:
        yield
    finally:
        gate._check = previous


def always_passes(application):
    return None


def set_notice_over(application, *, days=7):
    """The public notice ran ``days`` days and ended yesterday."""
    today = timezone.localdate()
    Application.objects.filter(pk=application.pk).update(
        notice_starts_on=today - timedelta(days=days), notice_ends_on=today - timedelta(days=1)
    )
    application.refresh_from_db()
    return application


def open_objection(application, by=None):
    return Objection.objects.create(
        application=application, objector="王某", signed=True, received_on=timezone.localdate(),
        content="The applicant's site is rented for one year only.", recorded_by=by,
    )


def audit_rows(obj):
    return list(TransitionLog.objects.for_object(obj).order_by("id"))


def snapshot(application) -> dict:
    """Everything a refused transition must leave as it was, read afresh from the database."""
    app = Application.objects.get(pk=application.pk)
    details = app.details
    return {
        "application": {f.attname: getattr(app, f.attname) for f in Application._meta.concrete_fields},
        "details": model_to_dict(details) if details is not None else None,
        "objections": list(Objection.objects.filter(application=app).order_by("id").values()),
        "site_visits": list(SiteVisit.objects.filter(application=app).values_list("id", flat=True)),
        "attachments": list(Attachment.objects.filter(application=app).order_by("id").values()),
        "centers": list(Center.objects.filter(application=app).values_list("id", flat=True)),
        "projects": list(Project.objects.filter(application=app).values_list("id", flat=True)),
        "audit": [r.pk for r in audit_rows(app)],
        "audit_total": TransitionLog.objects.count(),
    }


def storage_root() -> Path:
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


def stored_files() -> set[str]:
    root = storage_root()
    if not root.exists():
        return set()
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
