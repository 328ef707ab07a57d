"""Insert and update many rows fast at the ORM edge: COPY and UPDATE from arrays on
PostgreSQL, bulk_create and bulk_update elsewhere."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models, router
from psycopg import sql


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert rows (values in ``fields`` order, FKs as ids) without reading ids back.

    A first snapshot of 5,000 tables writes over 100,000 column rows: Django's
    bulk_create took 5 s for 22,000 of them on PostgreSQL, COPY a fraction of that.
    """
    db = router.db_for_write(model)
    connection = connections[db]
    if connection.vendor != "postgresql":
        model._default_manager.using(db).bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=500
        )
        return
    # COPY knows nothing of Django's defaults: send them for every other field.
    defaults = [
        f
        for f in model._meta.concrete_fields
        if f.attname not in fields and f.name not in fields and not f.primary_key
    ]
    extra = tuple(f.get_db_prep_save(f.get_default(), connection) for f in defaults)
    given: list[Any] = [model._meta.get_field(f) for f in fields]  # concrete fields
    # Plain values go as they are; JSON needs Django's adapter (prepping every value
    # would cost more than the COPY itself).
    json_positions = [i for i, f in enumerate(given) if f.get_internal_type() == "JSONField"]
    columns = [f.column for f in given] + [f.column for f in defaults]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            if json_positions:
                row = list(row)
                for i in json_positions:
                    row[i] = given[i].get_db_prep_save(row[i], connection)
            copy.write_row((*row, *extra))


_UPDATE_BATCH = 20_000


def update_rows(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Set ``fields`` of many rows by primary key; each row is ``(pk, *values)`` in
    ``fields`` order (FKs as ids).

    On PostgreSQL one UPDATE ... FROM unnest(arrays) per 20,000 rows; Django's bulk_update,
    a CASE per row and field, took 50 s for 75,000 findings. A busy database moves
    thousands of row estimates per snapshot, a severity override tens of thousands of
    findings. Elsewhere, bulk_update.
    """
    if not rows:
        return
    db = router.db_for_write(model)
    connection = connections[db]
    given: list[Any] = [model._meta.get_field(f) for f in fields]  # concrete fields
    if connection.vendor != "postgresql":
        model._default_manager.using(db).bulk_update(
            [
                model(pk=pk, **{f.attname: v for f, v in zip(given, values, strict=True)})
                for pk, *values in rows
            ],
            [f.name for f in given],
            batch_size=500,
        )
        return
    pk: Any = model._meta.pk
    names = [sql.Identifier(f"v{i}") for i in range(len(given))]
    statement = sql.SQL(
        "UPDATE {table} AS t SET {sets} FROM unnest({arrays}) AS v(pk, {names}) WHERE t.{pk} = v.pk"
    ).format(
        table=sql.Identifier(model._meta.db_table),
        sets=sql.SQL(", ").join(
            sql.SQL("{} = v.{}").format(sql.Identifier(f.column), name)
            for f, name in zip(given, names, strict=True)
        ),
        arrays=sql.SQL(", ").join(
            sql.SQL("%s::{}[]").format(sql.SQL(f.db_type(connection))) for f in (pk, *given)
        ),
        names=sql.SQL(", ").join(names),
        pk=sql.Identifier(pk.column),
    )
    json_positions = [i for i, f in enumerate(given, 1) if f.get_internal_type() == "JSONField"]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _UPDATE_BATCH):
            columns = [
                list(column) for column in zip(*rows[start : start + _UPDATE_BATCH], strict=True)
            ]
            for i in json_positions:
                columns[i] = [given[i - 1].get_db_prep_save(v, connection) for v in columns[i]]
            cursor.execute(statement, columns)


def update_objects(objects: Sequence[models.Model], fields: Sequence[str]) -> None:
    """update_rows for model instances whose ``fields`` were set in memory."""
    if not objects:
        return
    model = type(objects[0])
    attnames = [model._meta.get_field(f).attname for f in fields]  # type: ignore[union-attr]
    update_rows(model, fields, [(o.pk, *(getattr(o, a) for a in attnames)) for o in objects])
