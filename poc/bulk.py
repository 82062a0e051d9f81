"""Writing many rows of one model without building a model instance per row.

For the set-based paths (a whole call's assignments, their reviews and their audit rows in one commit):
on PostgreSQL one ``INSERT … SELECT FROM unnest(%s::type[], …)`` per table, one array parameter per column
(the statement stays short whatever the number of rows, so the driver does not parse thousands of
placeholders); elsewhere multi-row ``INSERT`` statements in batches the database accepts. Each value is
prepared by its field's own ``get_db_prep_save`` (so the database receives what the ORM would have written), except integers and text,
which no field changes, and once per distinct value. Defaults and ``auto_now`` are not applied and no signal
is sent: the caller passes every column the row needs and announces the batch itself.
"""
from collections.abc import Iterable, Sequence

from django.db import connections, models, router

MAX_ROWS_PER_STATEMENT = 1000
_AS_GIVEN = (models.IntegerField, models.CharField, models.TextField)


def _passes_as_given(field) -> bool:
    """Integers and text (a foreign key to an integer key included) reach the database as they are."""
    return isinstance(field.target_field if field.is_relation else field, _AS_GIVEN)


def _preparer(field, connection):
    if _passes_as_given(field):
        return lambda value: value
    memo = {}

    def prepare(value):
        try:
            return memo[value]
        except KeyError:
            memo[value] = prepared = field.get_db_prep_save(value, connection)
            return prepared
        except TypeError:  # unhashable
            return field.get_db_prep_save(value, connection)

    return prepare


def _array_type(field, connection) -> str | None:
    """The column's type for an array cast (``integer``, ``varchar(20)``…), or None when a column cannot travel
    as an array parameter (JSON, or a type the driver adapts specially)."""
    db_type = field.db_type(connection)
    if not db_type or "json" in db_type.lower():
        return None
    return db_type


def _same_throughout(column) -> bool:
    try:
        return len(set(column)) == 1
    except TypeError:  # unhashable
        return False


def _insert_unnest(connection, model, fields, flat, count) -> None:
    """One statement: a column whose rows all hold the same value travels once, as a scalar; each other column
    as one array (the driver adapts a few arrays, not every row's every value)."""
    quote = connection.ops.quote_name
    width = len(fields)
    selected, arrays, params_scalar, params_array = [], [], [], []
    for i, field in enumerate(fields):
        column = flat[i::width]
        cast = _array_type(field, connection)
        if _same_throughout(column):
            selected.append(f"%s::{cast}")
            params_scalar.append(column[0])
        else:
            selected.append(f"u.c{len(arrays)}")
            arrays.append(f"%s::{cast}[]")
            params_array.append(column)
    if arrays:
        source = f"unnest({', '.join(arrays)}) AS u({', '.join(f'c{i}' for i in range(len(arrays)))})"
        params = params_scalar + params_array
    else:
        source = "generate_series(1, %s)"
        params = params_scalar + [count]
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"SELECT {', '.join(selected)} FROM {source}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def insert_rows(model, field_names: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` (tuples in the order of ``field_names``) into ``model``'s table; return how many."""
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in field_names]
    preparers = [_preparer(field, connection) for field in fields]
    flat = []
    count = 0
    for row in rows:
        flat.extend(prepare(value) for prepare, value in zip(preparers, row, strict=True))
        count += 1
    if not count:
        return 0
    if connection.vendor == "postgresql" and all(_array_type(field, connection) for field in fields):
        _insert_unnest(connection, model, fields, flat, count)
        return count
    per_statement = max(1, min(MAX_ROWS_PER_STATEMENT, connection.ops.bulk_batch_size(fields, range(count))))
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    width = len(fields)
    with connection.cursor() as cursor:
        for start in range(0, count, per_statement):
            n = min(per_statement, count - start)
            cursor.execute(head + ", ".join([one] * n), flat[start * width:(start + n) * width])
    return count
