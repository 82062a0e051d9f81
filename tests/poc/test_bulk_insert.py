"""poc.bulk.insert_rows writes what the ORM would have written, in as few statements as the database allows
(on PostgreSQL one per table: ``INSERT … SELECT FROM unnest`` of one array per column)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from poc.bulk import insert_rows
from poc.models import TransitionLog
from tests.factories import InstitutionFactory, make_application, officer

pytestmark = pytest.mark.django_db


def test_rows_read_back_as_the_orm_would_have_written_them():
    from django.contrib.contenttypes.models import ContentType

    application = make_application(institution=InstitutionFactory())
    actor = officer()
    at = timezone.now()
    content_type = ContentType.objects.get_for_model(application)
    insert_rows(TransitionLog, ["content_type", "object_id", "transition", "source", "target", "actor", "comment",
                                "created_at"],
                [(content_type.pk, application.pk, "create", "", "draft", actor.pk, "第一条", at),
                 (content_type.pk, application.pk, "create", "", "draft", None, "", at)])
    first, second = TransitionLog.objects.filter(object_id=application.pk, created_at=at).order_by("pk")
    assert (first.subject, first.actor, first.comment, first.created_at) == (application, actor, "第一条", at)
    assert second.actor is None and second.comment == ""


def test_many_rows_take_one_statement_per_batch():
    from django.contrib.contenttypes.models import ContentType

    application = make_application(institution=InstitutionFactory())
    content_type = ContentType.objects.get_for_model(application)
    at = timezone.now()
    rows = [(content_type.pk, application.pk, "create", "", "draft", None, f"row {i}", at) for i in range(2500)]
    with CaptureQueriesContext(connection) as queries:
        assert insert_rows(TransitionLog, ["content_type", "object_id", "transition", "source", "target", "actor",
                                           "comment", "created_at"], rows) == 2500
    if connection.vendor == "postgresql":  # one statement with an array per column, whatever the row count
        per_statement = len(rows)
    else:
        per_statement = min(1000, connection.ops.bulk_batch_size(["x"] * 8, rows))
    assert len(queries) == -(-2500 // per_statement)
    assert TransitionLog.objects.filter(created_at=at).count() == 2500


def test_nothing_to_insert_runs_no_statement():
    with CaptureQueriesContext(connection) as queries:
        assert insert_rows(TransitionLog, ["comment"], []) == 0
    assert len(queries) == 0
