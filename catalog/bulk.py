"""Insert many rows fast at the ORM edge: COPY on PostgreSQL, bulk_create elsewhere."""

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
    given = [model._meta.get_field(f) for f in fields]
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
