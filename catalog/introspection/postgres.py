"""PostgreSQL introspection: bulk pg_catalog queries, one per object kind, mapped to a SchemaModel.

The session is read-only (one REPEATABLE READ READ ONLY transaction, so every query sees the
same catalog), with statement and lock timeouts and application_name=schemajoy. Only
relations that are not partitions are read after the first query: partitions are folded
into their parent, so their inherited columns, keys and indexes never appear twice.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import errors as pg_errors

from catalog.introspection import model as m
from catalog.introspection.dsn import Target
from catalog.introspection.errors import IntrospectionError
from catalog.introspection.limits import Limits
from catalog.introspection.model import SchemaModel
from catalog.sql import POSTGRESQL

MIN_SERVER_VERSION = 120000  # PostgreSQL 12: the first with generated columns and pg_constraint.conparentid everywhere

RELATIONS_SQL = """
SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispartition, i.inhparent, c.reltuples,
       d.description,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid, true) END
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid AND c.relispartition
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'
  AND NOT EXISTS (
      SELECT FROM pg_catalog.pg_depend e
      WHERE e.classid = 'pg_catalog.pg_namespace'::regclass AND e.objid = n.oid AND e.deptype = 'e'
  )
  AND NOT EXISTS (
      SELECT FROM pg_catalog.pg_depend e
      WHERE e.classid = 'pg_catalog.pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e'
  )
"""

# Columns in the order of Column's fields, so rows map to it with little Python work.
COLUMNS_SQL = """
SELECT a.attrelid, a.attnum, a.atttypid, a.attname,
       pg_catalog.format_type(a.atttypid, a.atttypmod),
       NOT a.attnotnull,
       CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END,
       d.description,
       CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END,
       CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END,
       a.attnum::pg_catalog.text,
       CASE WHEN a.atttypid IN ('pg_catalog.varchar'::pg_catalog.regtype,
                                'pg_catalog.bpchar'::pg_catalog.regtype)
             AND a.atttypmod >= 4 THEN a.atttypmod - 4 END
FROM pg_catalog.pg_attribute a
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = a.attrelid AND d.classoid = 'pg_catalog.pg_class'::regclass
      AND d.objsubid = a.attnum
WHERE a.attrelid = ANY(%(oids)s::pg_catalog.oid[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
"""

# Every type a column uses, and for domains the chain down to their base type.
TYPES_SQL = """
SELECT t.oid, t.typname, t.typtype, t.typcategory, t.typbasetype, t.typtypmod, tn.nspname
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
WHERE t.oid IN (
    SELECT a.atttypid FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = ANY(%(oids)s::pg_catalog.oid[]) AND a.attnum > 0 AND NOT a.attisdropped
) OR t.typtype = 'd'
"""

# Every enum's labels in one pass over pg_enum (never a query per type), as their columns
# print the type (format_type, in this same session), outside system and extension objects.
ENUMS_SQL = """
SELECT n.nspname, t.typname, pg_catalog.format_type(t.oid, NULL),
       COALESCE(ARRAY(
           SELECT e.enumlabel FROM pg_catalog.pg_enum e
           WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder
       ), '{}')
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'
  AND NOT EXISTS (
      SELECT FROM pg_catalog.pg_depend d
      WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
  )
ORDER BY n.nspname, t.typname
"""

# Read for partitions too, since some schemas (Pagila) declare FKs on partitions only.
# conparentid <> 0 marks clones: keys a partition inherits, and FKs pointing at each
# partition of a referenced partitioned table.
CONSTRAINTS_SQL = """
SELECT c.conrelid, c.conname, c.contype, c.conkey, c.confrelid, c.confkey,
       c.confupdtype, c.confdeltype, rn.nspname, r.relname,
       CASE WHEN c.contype = 'c' THEN pg_catalog.pg_get_expr(c.conbin, c.conrelid, true) END
FROM pg_catalog.pg_constraint c
LEFT JOIN pg_catalog.pg_class r ON r.oid = c.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
WHERE c.conrelid = ANY(%(oids)s::pg_catalog.oid[]) AND c.contype IN ('p', 'u', 'f', 'c')
  AND c.conparentid = 0
ORDER BY c.conrelid, c.conname
"""

# Index columns come from indkey; pg_get_indexdef only for expression parts (indkey 0),
# because calling it for every index costs 8x the whole query (DESIGN.md).
INDEXES_SQL = """
SELECT i.indrelid, ic.relname, i.indisunique, i.indisprimary, i.indkey::pg_catalog.int2[],
       i.indnkeyatts, am.amname,
       CASE WHEN i.indpred IS NOT NULL THEN pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) END,
       CASE WHEN 0 = ANY(i.indkey::pg_catalog.int2[]) THEN ARRAY(
           SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true)
           FROM pg_catalog.generate_series(1, i.indnkeyatts) k ORDER BY k
       ) END
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE i.indrelid = ANY(%(oids)s::pg_catalog.oid[])
ORDER BY i.indrelid, ic.relname
"""

TRIGGERS_SQL = """
SELECT t.tgrelid, t.tgname
FROM pg_catalog.pg_trigger t
WHERE t.tgrelid = ANY(%(oids)s::pg_catalog.oid[]) AND NOT t.tgisinternal
ORDER BY t.tgrelid, t.tgname
"""

# Column names of partitions and outside relations that foreign keys name.
EXTRA_COLUMN_NAMES_SQL = """
SELECT a.attrelid, a.attnum, a.attname
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = ANY(%(oids)s::pg_catalog.oid[]) AND a.attnum > 0
"""

SCHEMAS_SQL = """
SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'
  AND NOT EXISTS (
      SELECT FROM pg_catalog.pg_depend e
      WHERE e.classid = 'pg_catalog.pg_namespace'::regclass AND e.objid = n.oid AND e.deptype = 'e'
  ) ORDER BY n.nspname
"""

PROBE_SQL = """
SELECT r.rolsuper, pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE')
FROM pg_catalog.pg_roles r WHERE r.rolname = current_user
"""

PROBE_SCHEMAS_SQL = """
SELECT n.nspname FROM pg_catalog.pg_namespace n
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'
  AND NOT EXISTS (
      SELECT FROM pg_catalog.pg_depend e
      WHERE e.classid = 'pg_catalog.pg_namespace'::regclass AND e.objid = n.oid AND e.deptype = 'e'
  ) AND pg_catalog.has_schema_privilege(n.oid, 'CREATE')
ORDER BY n.nspname
"""

# Partitions are left out: writing into them is writing into their parent.
PROBE_TABLES_SQL = """
SELECT n.nspname, c.relname,
       pg_catalog.has_table_privilege(c.oid, 'INSERT'),
       pg_catalog.has_table_privilege(c.oid, 'UPDATE'),
       pg_catalog.has_table_privilege(c.oid, 'DELETE'),
       pg_catalog.has_table_privilege(c.oid, 'TRUNCATE')
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'f') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'
  AND NOT EXISTS (
      SELECT FROM pg_catalog.pg_depend e
      WHERE e.classid = 'pg_catalog.pg_namespace'::regclass AND e.objid = n.oid AND e.deptype = 'e'
  )
ORDER BY n.nspname, c.relname
"""

_KINDS = {
    "r": m.TABLE,
    "p": m.PARTITIONED,
    "v": m.VIEW,
    "m": m.MATERIALIZED_VIEW,
    "f": m.FOREIGN,
}
_FK_ACTIONS = {
    "a": "NO ACTION",
    "r": "RESTRICT",
    "c": "CASCADE",
    "n": "SET NULL",
    "d": "SET DEFAULT",
}
# Types of pg_catalog (and citext, wherever its extension lives) by family.
_FAMILIES = {
    "int2": m.INTEGER,
    "int4": m.INTEGER,
    "int8": m.INTEGER,
    "numeric": m.DECIMAL,
    "float4": m.FLOAT,
    "float8": m.FLOAT,
    "money": m.MONEY,
    "text": m.TEXT,
    "varchar": m.TEXT,
    "bpchar": m.TEXT,
    "citext": m.TEXT,
    "bool": m.BOOLEAN,
    "date": m.DATE,
    "timestamp": m.TIMESTAMP,
    "timestamptz": m.TIMESTAMPTZ,
    "time": m.TIME,
    "timetz": m.TIMETZ,
    "interval": m.INTERVAL,
    "uuid": m.UUID,
    "json": m.JSON,
    "jsonb": m.JSON,
    "bytea": m.BINARY,
}
_SIZED_TEXT = frozenset({"varchar", "bpchar"})


@dataclass(frozen=True)
class CatalogRows:
    """What the catalog queries return, as fetched: the raw material of a SchemaModel."""

    server_version: str
    relations: list[tuple[Any, ...]]
    columns: list[tuple[Any, ...]]
    types: list[tuple[Any, ...]]
    constraints: list[tuple[Any, ...]]
    indexes: list[tuple[Any, ...]]
    triggers: list[tuple[Any, ...]]
    extra_column_names: list[tuple[Any, ...]]
    enums: list[tuple[Any, ...]] = field(default_factory=list)


# Public interface ---------------------------------------------------------


def introspect(target: Target, *, limits: Limits) -> SchemaModel:
    with read_only_session(target, limits) as conn:
        rows = fetch_catalog(conn)
    return build_model(rows, database=target.database)


def probe(target: Target, *, limits: Limits) -> tuple[str, list[str]]:
    with read_only_session(target, limits) as conn:
        version = _server_version(conn)
        superuser, create_db = conn.execute(PROBE_SQL).fetchone() or (False, False)
        if superuser:
            return version, ["superuser"]
        schemas = [r[0] for r in conn.execute(PROBE_SCHEMAS_SQL)]
        tables = conn.execute(PROBE_TABLES_SQL).fetchall()
    return version, describe_write_privileges(
        create_on_database=bool(create_db), schemas_with_create=schemas, table_privileges=tables
    )


def read_only_role_sql(target: Target) -> str:
    """GRANTs for a read-only role; lists the target's schemas when it can be reached."""
    try:
        with read_only_session(target, Limits(connect_timeout=5, statement_timeout=10)) as conn:
            schemas = [r[0] for r in conn.execute(SCHEMAS_SQL)]
    except IntrospectionError:
        schemas = []
    return POSTGRESQL.role_sql(database=target.database, schemas=schemas)


def describe_write_privileges(
    *,
    create_on_database: bool,
    schemas_with_create: list[str],
    table_privileges: list[tuple[Any, ...]],
) -> list[str]:
    """Human-readable write privileges, from rows (schema, table, insert, update, delete, truncate)."""
    found: list[str] = []
    if create_on_database:
        found.append("CREATE on the database")
    if schemas_with_create:
        found.append("CREATE on schema " + ", ".join(schemas_with_create))
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for schema, name, *flags in table_privileges:
        privileges = tuple(
            p for p, ok in zip(("INSERT", "UPDATE", "DELETE", "TRUNCATE"), flags, strict=True) if ok
        )
        if privileges:
            groups[privileges].append(f"{schema}.{name}")
    for privileges, tables in sorted(groups.items(), key=lambda g: (-len(g[1]), g[0])):
        noun = "table" if len(tables) == 1 else "tables"
        found.append(f"{', '.join(privileges)} on {len(tables)} {noun} (e.g. {tables[0]})")
    return found


# Fetching ----------------------------------------------------------------------


def fetch_catalog(conn: psycopg.Connection[Any]) -> CatalogRows:
    """Run the catalog queries, one per object kind, and return their rows untouched."""
    version = _server_version(conn)
    relations = conn.execute(RELATIONS_SQL).fetchall()
    params = {"oids": [r[0] for r in relations if not r[4]]}
    constraints = conn.execute(CONSTRAINTS_SQL, {"oids": [r[0] for r in relations]}).fetchall()
    read = set(params["oids"])
    missing = sorted(
        {oid for r in constraints if r[2] == "f" for oid in (r[0], r[4]) if oid not in read}
    )
    return CatalogRows(
        server_version=version,
        relations=relations,
        columns=conn.execute(COLUMNS_SQL, params).fetchall(),
        types=conn.execute(TYPES_SQL, params).fetchall(),
        constraints=constraints,
        indexes=conn.execute(INDEXES_SQL, params).fetchall(),
        triggers=conn.execute(TRIGGERS_SQL, params).fetchall(),
        extra_column_names=(
            conn.execute(EXTRA_COLUMN_NAMES_SQL, {"oids": missing}).fetchall() if missing else []
        ),
        enums=conn.execute(ENUMS_SQL).fetchall(),
    )


def check_server_version(version_num: int, version: str) -> None:
    if version_num < MIN_SERVER_VERSION:
        raise IntrospectionError(
            f"This server runs PostgreSQL {version}; SchemaJoy supports PostgreSQL 12 and newer."
        )


def _server_version(conn: psycopg.Connection[Any]) -> str:
    version = conn.info.parameter_status("server_version") or str(conn.info.server_version)
    check_server_version(conn.info.server_version, version)
    return version


# Mapping -----------------------------------------------------------------------


def build_model(rows: CatalogRows, *, database: str) -> SchemaModel:
    """Turn catalog rows into a SchemaModel: pure, so it is cheap to test and to time."""
    with m.paused_gc():
        return _build_model(rows, database=database)


def _build_model(rows: CatalogRows, *, database: str) -> SchemaModel:
    relations = {r[0]: r for r in rows.relations}
    root = {oid: _partition_root(oid, relations) for oid, r in relations.items() if r[4]}
    partitions: dict[int, list[str]] = defaultdict(list)
    partition_rows: dict[int, list[float]] = defaultdict(list)
    for oid, parent in root.items():
        r = relations[oid]
        same_schema = r[1] == relations[parent][1] if parent in relations else True
        partitions[parent].append(r[2] if same_schema else f"{r[1]}.{r[2]}")
        if r[3] != "p":  # leaf partitions hold the rows
            partition_rows[parent].append(r[6])

    types = _type_families({t[0]: t for t in rows.types})
    names: dict[int, dict[int, str]] = {}
    columns: dict[int, list[m.Column]] = {}
    column, other, relid_seen = m.Column, (m.OTHER, None), None
    table_columns: list[m.Column] = []
    table_names: dict[int, str] = {}
    # The hot loop (110,000 rows for 5,000 tables): rows arrive grouped by table.
    for (
        relid,
        attnum,
        typid,
        name,
        data_type,
        nullable,
        default,
        comment,
        identity,
        generated,
        ident,
        max_length,
    ) in rows.columns:
        if relid != relid_seen:
            relid_seen, table_columns, table_names = relid, [], {}
            columns[relid], names[relid] = table_columns, table_names
        table_names[attnum] = name
        family, domain_length = types.get(typid, other)
        table_columns.append(
            column(
                name,
                data_type,
                family,
                nullable,
                default,
                comment,
                identity,
                generated,
                ident,
                max_length if domain_length is None else domain_length,
            )
        )
    for relid, attnum, name in rows.extra_column_names:
        names.setdefault(relid, {})[attnum] = name

    no_names: dict[int, str] = {}
    pks: dict[int, m.PrimaryKey] = {}
    uniques: dict[int, list[m.UniqueConstraint]] = defaultdict(list)
    fks: dict[int, list[m.ForeignKey]] = defaultdict(list)
    checks: dict[int, list[m.CheckConstraint]] = defaultdict(list)
    partition_fks = []
    for relid, name, kind, key, frelid, fkey, upd, dele, fschema, ftable, expr in rows.constraints:
        table_names = names.get(relid, no_names)
        cols = tuple([table_names.get(n) or str(n) for n in key or ()])
        if relid in root:
            if kind == "f":
                partition_fks.append(
                    (
                        relations[relid][2],
                        name,
                        relid,
                        cols,
                        frelid,
                        fkey,
                        upd,
                        dele,
                        fschema,
                        ftable,
                    )
                )
        elif kind == "p":
            pks[relid] = m.PrimaryKey(name=name, columns=cols)
        elif kind == "u":
            uniques[relid].append(m.UniqueConstraint(name=name, columns=cols))
        elif kind == "c":
            checks[relid].append(m.CheckConstraint(name=name, expression=expr))
        else:
            fks[relid].append(
                _foreign_key(
                    name, cols, frelid, fkey, upd, dele, fschema, ftable, names, relations, root
                )
            )
    # A partition's own FKs (not inherited) belong to its parent, once per distinct reference.
    for _partition, name, relid, cols, frelid, fkey, upd, dele, fschema, ftable in sorted(
        partition_fks
    ):
        parent = root[relid]
        fk = _foreign_key(
            name, cols, frelid, fkey, upd, dele, fschema, ftable, names, relations, root
        )
        if all(_fk_shape(fk) != _fk_shape(other) for other in fks[parent]):
            fks[parent].append(fk)

    indexes: dict[int, list[m.Index]] = defaultdict(list)
    for relid, name, unique, primary, indkey, nkeys, method, predicate, exprs in rows.indexes:
        table_names = names.get(relid, no_names)
        if exprs is None:
            cols = tuple([table_names.get(n) or str(n) for n in indkey[:nkeys]])
        else:
            cols = tuple(
                [
                    table_names.get(n) or str(n) if n else exprs[k]
                    for k, n in enumerate(indkey[:nkeys])
                ]
            )
        indexes[relid].append(m.Index(name, cols, unique, primary, predicate, method))

    triggers: dict[int, list[str]] = defaultdict(list)
    for relid, name in rows.triggers:
        triggers[relid].append(name)

    tables = []
    for (
        oid,
        _schema,
        _name,
        relkind,
        is_partition,
        _parent,
        reltuples,
        comment,
        view,
    ) in rows.relations:
        if is_partition:
            continue
        if relkind == "p":
            estimate = _sum_estimates(partition_rows.get(oid, []))
        else:
            estimate = int(reltuples) if reltuples >= 0 else None
        tables.append(
            m.Table(
                schema=_schema,
                name=_name,
                kind=_KINDS[relkind],
                columns=tuple(columns.get(oid, ())),
                primary_key=pks.get(oid),
                unique_constraints=tuple(uniques.get(oid, ())),
                foreign_keys=tuple(fks.get(oid, ())),
                indexes=tuple(indexes.get(oid, ())),
                checks=tuple(checks.get(oid, ())),
                triggers=tuple(triggers.get(oid, ())),
                partitions=tuple(sorted(partitions.get(oid, ()))),
                comment=comment,
                view_definition=view,
                ident=str(oid),
                row_estimate=estimate,
            )
        )
    tables.sort(key=lambda t: (t.schema, t.name))
    return SchemaModel(
        dialect="postgresql",
        database=database,
        tables=tuple(tables),
        server_version=rows.server_version,
        enum_types=tuple(
            m.EnumType(schema=schema, name=name, data_type=printed, labels=tuple(labels))
            for schema, name, printed, labels in rows.enums
        ),
    )


def _foreign_key(
    name: str,
    cols: tuple[str, ...],
    frelid: int,
    fkey: list[int],
    upd: str,
    dele: str,
    fschema: str,
    ftable: str,
    names: dict[int, dict[int, str]],
    relations: dict[int, tuple[Any, ...]],
    root: dict[int, int],
) -> m.ForeignKey:
    if frelid in root and root[frelid] in relations:
        # A reference to a partition is drawn to the table people see: its parent.
        fschema, ftable = relations[root[frelid]][1], relations[root[frelid]][2]
    return m.ForeignKey(
        name=name,
        columns=cols,
        ref_schema=fschema,
        ref_table=ftable,
        ref_columns=tuple(names.get(frelid, {}).get(n, str(n)) for n in fkey),
        on_delete=_FK_ACTIONS.get(dele, "NO ACTION"),
        on_update=_FK_ACTIONS.get(upd, "NO ACTION"),
    )


def _fk_shape(fk: m.ForeignKey) -> tuple[Any, ...]:
    return (fk.columns, fk.ref_schema, fk.ref_table, fk.ref_columns)


def _partition_root(oid: int, relations: dict[int, tuple[Any, ...]]) -> int:
    """The topmost parent of a partition: sub-partitions fold into the table people query."""
    seen = {oid}
    while True:
        r = relations.get(oid)
        if r is None or not r[4] or r[5] is None or r[5] in seen:
            return oid
        oid = r[5]
        seen.add(oid)


def _sum_estimates(estimates: list[float]) -> int | None:
    known = [e for e in estimates if e >= 0]
    return int(sum(known)) if known else None


def _type_families(types: dict[int, tuple[Any, ...]]) -> dict[int, tuple[str, int | None]]:
    """type oid -> (family, max_length a varchar/char domain gives); domains resolved."""
    result: dict[int, tuple[str, int | None]] = {}
    for oid, t in types.items():
        typmod = -1
        seen = set()
        # Follow a domain chain down to its base type, keeping the outermost length.
        while t[2] == "d" and t[0] not in seen:
            seen.add(t[0])
            if typmod < 0:
                typmod = t[5]
            base = types.get(t[4])
            if base is None:
                break
            t = base
        _oid, typname, typtype, category, _base, _typmod, schema = t
        builtin = schema == "pg_catalog"
        if typtype == "e":
            family = m.ENUM
        elif category == "A":
            family = m.ARRAY
        elif typtype != "d" and (builtin or typname == "citext"):
            family = _FAMILIES.get(typname, m.OTHER)
        else:
            family = m.OTHER
        sized = builtin and typname in _SIZED_TEXT and typmod >= 4 and oid != t[0]
        result[oid] = (family, typmod - 4 if sized else None)
    return result


# Sessions and errors -------------------------------------------------------------


@contextmanager
def read_only_session(target: Target, limits: Limits) -> Iterator[psycopg.Connection[Any]]:
    """A read-only connection inside one read-only REPEATABLE READ transaction."""
    try:
        conn = psycopg.connect(**connect_kwargs(target, limits))
    except psycopg.Error as exc:
        raise translate_error(exc, target=target, limits=limits) from None
    try:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        yield conn
    except psycopg.Error as exc:
        raise translate_error(exc, target=target, limits=limits) from None
    finally:
        # Nothing to commit: the transaction only read.
        conn.close()


def connect_kwargs(target: Target, limits: Limits) -> dict[str, Any]:
    """psycopg keyword arguments from the Target's fields: no DSN string to leak into errors."""
    options = " ".join(
        [
            "-c default_transaction_read_only=on",
            f"-c statement_timeout={_ms(limits.statement_timeout)}",
            f"-c lock_timeout={_ms(limits.lock_timeout)}",
        ]
    )
    kwargs: dict[str, Any] = dict(target.options)
    kwargs.update(
        host=target.host,
        port=target.port,
        dbname=target.database,
        user=target.user,
        password=target.password,
        application_name="schemajoy",
        # libpq counts whole seconds and treats values under 2 as 2.
        connect_timeout=max(2, math.ceil(limits.connect_timeout)),
        options=options,
    )
    return {k: v for k, v in kwargs.items() if v is not None}


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


UNREACHABLE = (
    "Could not reach a PostgreSQL server at {address} within {connect_timeout} s "
    "(refused, no answer, or unknown host)."
)
_MESSAGES: list[tuple[str, str, bool]] = [
    # (pattern in the server's or libpq's message, what we say, transient)
    (r"password authentication failed", "The server rejected the password for role {user}.", False),
    (r'role "[^"]*" does not exist', "The server has no role named {user}.", False),
    (r'database "[^"]*" does not exist', "The server has no database named {database}.", False),
    (
        r"permission denied for database",
        "Role {user} may not connect to database {database} (it lacks CONNECT).",
        False,
    ),
    (r"is not permitted to log in", "Role {user} is not allowed to log in.", False),
    (
        r"no pg_hba\.conf entry",
        "The server refuses connections from here for role {user} (no pg_hba.conf entry).",
        False,
    ),
    # One message for refused, timed out, unknown host and no route: a member must not be
    # able to map the network from SchemaJoy's host, port by port.
    (
        r"Connection refused|timeout expired|failed to resolve host|could not translate host name"
        r"|No route to host|Network is unreachable",
        UNREACHABLE,
        True,
    ),
    (
        r"too many connections|remaining connection slots",
        "{address} has no free connection slots right now.",
        True,
    ),
    (
        r"the database system is (starting up|shutting down|in recovery mode)",
        "{address} is starting up or shutting down.",
        True,
    ),
    (
        r"server closed the connection|terminating connection|connection is (lost|closed)|consuming input failed|EOF detected",
        "The connection to {address} was lost during introspection.",
        True,
    ),
]


def translate_error(exc: psycopg.Error, *, target: Target, limits: Limits) -> IntrospectionError:
    """A message a person understands, never holding the password."""
    raw = str(exc).strip()
    context = {
        "user": repr(target.user or ""),
        "database": repr(target.database),
        "address": f"{target.host}:{target.port}",
        "connect_timeout": f"{limits.connect_timeout:g}",
    }
    if isinstance(exc, pg_errors.QueryCanceled):
        message = (
            f"A catalog query ran longer than the statement timeout "
            f"({limits.statement_timeout:g} s) and was cancelled."
        )
        return _safe(message, target, transient=True)
    if isinstance(exc, pg_errors.LockNotAvailable):
        message = (
            f"A catalog query waited longer than the lock timeout ({limits.lock_timeout:g} s) "
            "for a lock another session holds (a migration running?)."
        )
        return _safe(message, target, transient=True)
    if isinstance(exc, pg_errors.InsufficientPrivilege) and "database" not in raw:
        detail = raw.splitlines()[0] if raw else "permission denied"
        return _safe(
            f"Role {context['user']} may not read a catalog object it needs: {detail}.",
            target,
            transient=False,
        )
    if isinstance(exc, pg_errors.AdminShutdown | pg_errors.CrashShutdown):
        return _safe(
            f"The connection to {context['address']} was lost during introspection "
            "(the server ended the session).",
            target,
            transient=True,
        )
    for pattern, template, transient in _MESSAGES:
        if re.search(pattern, raw, re.IGNORECASE):
            return _safe(template.format(**context), target, transient=transient)
    transient = isinstance(exc, psycopg.OperationalError) and exc.sqlstate is None
    first = raw.splitlines()[0] if raw else type(exc).__name__
    return _safe(f"PostgreSQL at {context['address']} said: {first}", target, transient=transient)


def _safe(message: str, target: Target, *, transient: bool) -> IntrospectionError:
    if target.password:
        message = message.replace(target.password, "***")
    return IntrospectionError(message, transient=transient)
