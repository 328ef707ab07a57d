"""The schema model: a plain, immutable picture of one target database.

Everything between the target database and the page flows through these
frozen dataclasses: introspection builds them, rules, diffs and ERDs read
them, snapshots store them. No Django here (a test keeps it so).

Observations (row estimates, counters) ride along on the model but are left
out of the canonical document, so they never change the fingerprint.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from operator import attrgetter
from typing import Any

import orjson

# Table kinds.
TABLE = "table"
PARTITIONED = "partitioned"
VIEW = "view"
MATERIALIZED_VIEW = "materialized_view"
FOREIGN = "foreign"
BASE_KINDS = frozenset({TABLE, PARTITIONED})
VIEW_KINDS = frozenset({VIEW, MATERIALIZED_VIEW})

# Type families: the dialect-neutral shape of a column type, set by each
# dialect's introspection so that rules never parse type names.
INTEGER = "integer"
DECIMAL = "decimal"
FLOAT = "float"
MONEY = "money"
TEXT = "text"
BOOLEAN = "boolean"
DATE = "date"
TIMESTAMP = "timestamp"  # without time zone (MySQL datetime)
TIMESTAMPTZ = "timestamptz"  # with time zone (MySQL timestamp)
TIME = "time"
TIMETZ = "timetz"
INTERVAL = "interval"
UUID = "uuid"
JSON = "json"
BINARY = "binary"
ENUM = "enum"
ARRAY = "array"
OTHER = "other"
TYPE_FAMILIES = frozenset(
    {
        INTEGER,
        DECIMAL,
        FLOAT,
        MONEY,
        TEXT,
        BOOLEAN,
        DATE,
        TIMESTAMP,
        TIMESTAMPTZ,
        TIME,
        TIMETZ,
        INTERVAL,
        UUID,
        JSON,
        BINARY,
        ENUM,
        ARRAY,
        OTHER,
    }
)


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str  # as the dialect prints it: "character varying(255)", "int(11)"
    type_family: str  # one of TYPE_FAMILIES
    nullable: bool = True
    default: str | None = None
    comment: str | None = None
    identity: str | None = None  # "always", "by default", "auto_increment"
    generated: str | None = None  # generation expression
    ident: str | None = None  # stable identity that survives a rename (PostgreSQL attnum)
    # Text width for char/varchar columns, where the dialect has one.
    max_length: int | None = None


@dataclass(frozen=True)
class PrimaryKey:
    name: str | None
    columns: tuple[str, ...]


@dataclass(frozen=True)
class UniqueConstraint:
    name: str | None
    columns: tuple[str, ...]


@dataclass(frozen=True)
class ForeignKey:
    name: str | None
    columns: tuple[str, ...]
    ref_schema: str
    ref_table: str
    ref_columns: tuple[str, ...]
    on_delete: str = "NO ACTION"  # NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT
    on_update: str = "NO ACTION"


@dataclass(frozen=True)
class Index:
    name: str
    columns: tuple[str, ...]  # column names, or the expression text for expression parts
    unique: bool = False
    primary: bool = False
    predicate: str | None = None  # partial index condition
    method: str | None = None  # btree, hash, gin, ...

    @property
    def partial(self) -> bool:
        return self.predicate is not None


@dataclass(frozen=True)
class CheckConstraint:
    name: str | None
    expression: str


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    kind: str = TABLE
    columns: tuple[Column, ...] = ()
    primary_key: PrimaryKey | None = None
    unique_constraints: tuple[UniqueConstraint, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    indexes: tuple[Index, ...] = ()
    checks: tuple[CheckConstraint, ...] = ()
    triggers: tuple[str, ...] = ()
    partitions: tuple[str, ...] = ()  # names of partitions folded into this parent
    comment: str | None = None
    view_definition: str | None = None
    ident: str | None = None  # stable identity that survives a rename (PostgreSQL oid)
    # Observation, not structure: left out of the document and the fingerprint.
    row_estimate: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # Rules ask for these a million times a run: computed once. Underscored, so the
        # canonical document (orjson writes __dict__ but skips such names) never holds them.
        object.__setattr__(self, "_qualified_name", f"{self.schema}.{self.name}")
        object.__setattr__(self, "_key", (self.schema, self.name))

    qualified_name = property(attrgetter("_qualified_name"), doc="schema.name")
    key = property(attrgetter("_key"), doc="(schema, name)")

    @property
    def is_base_table(self) -> bool:
        return self.kind in BASE_KINDS

    @property
    def is_view(self) -> bool:
        return self.kind in VIEW_KINDS

    def column(self, name: str) -> Column | None:
        # Built on first use and set like a field (cached_property would reach for
        # __dict__, which costs every later attribute read its fast path). Underscored:
        # orjson writes __dict__ but skips such names, so the document never holds it.
        try:
            by_name: dict[str, Column] = self._columns_by_name  # type: ignore[attr-defined]
        except AttributeError:
            by_name = {c.name: c for c in reversed(self.columns)}  # the first of a name wins
            object.__setattr__(self, "_columns_by_name", by_name)
        return by_name.get(name)


@dataclass(frozen=True)
class EnumType:
    """A PostgreSQL enum type and its labels, in their sort order. (MySQL enums live in
    their column's type: ``enum('a','b')``.)"""

    schema: str
    name: str
    data_type: str  # as a column of this type prints it: "mood", "sales.status"
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class SchemaModel:
    dialect: str  # "postgresql", "mysql", "sqlite"
    database: str
    tables: tuple[Table, ...] = ()
    # Observation, not structure.
    server_version: str | None = field(default=None, compare=False)
    enum_types: tuple[EnumType, ...] = ()  # PostgreSQL only, sorted by (schema, name)

    @cached_property
    def enum_labels_by_type(self) -> dict[str, tuple[str, ...]]:
        """{the type as columns print it: its labels} (PostgreSQL enums)."""
        return {e.data_type: e.labels for e in self.enum_types}

    def enum_labels(self, data_type: str) -> tuple[str, ...] | None:
        """The labels of the enum a column of this type (or an array of it) holds, else None."""
        if not self.enum_types:
            return None
        return self.enum_labels_by_type.get(data_type.removesuffix("[]"))

    @cached_property
    def _by_key(self) -> dict[tuple[str, str], Table]:
        return {t.key: t for t in self.tables}

    def table(self, schema: str, name: str) -> Table | None:
        return self._by_key.get((schema, name))

    @property
    def schemas(self) -> tuple[str, ...]:
        return tuple(sorted({t.schema for t in self.tables}))

    @property
    def column_count(self) -> int:
        return sum(len(t.columns) for t in self.tables)

    def sorted(self) -> SchemaModel:
        """The same model with tables in canonical (schema, name) order."""
        return replace(self, tables=tuple(sorted(self.tables, key=lambda t: t.key)))


# Descriptions --------------------------------------------------------------

# Where the description a reader sees comes from.
SCHEMAJOY = "schemajoy"  # written in SchemaJoy (Markdown)
COMMENT = "comment"  # the database's own COMMENT
DBT = "dbt"  # imported from a dbt project


def pick_description(own: str | None, comment: str | None, dbt: str | None) -> tuple[str, str]:
    """The effective description and its source: SchemaJoy's own, else the database
    comment, else dbt's; blank text counts as none. ("", "") when there is none."""
    for text, source in ((own, SCHEMAJOY), (comment, COMMENT), (dbt, DBT)):
        if text and text.strip():
            return text, source
    return "", ""


# Canonical document -------------------------------------------------------

# Which fields hold nested dataclasses (the others hold plain values or tuples of them).
_NESTED: dict[tuple[type, str], type] = {
    (SchemaModel, "tables"): Table,
    (Table, "columns"): Column,
    (Table, "primary_key"): PrimaryKey,
    (Table, "unique_constraints"): UniqueConstraint,
    (Table, "foreign_keys"): ForeignKey,
    (Table, "indexes"): Index,
    (Table, "checks"): CheckConstraint,
    (SchemaModel, "enum_types"): EnumType,
}


def _from_plain(cls: type, data: dict[str, Any]) -> Any:
    # Hot path: 100,000 columns. A scalar class with only known keys takes them as they are.
    known = _SCALAR_NAMES.get(cls)
    if known is not None and data.keys() <= known:
        # cls(**data), not a filled __dict__: instances built by __init__ keep Python's
        # inline attribute values, which the rules read millions of times (10% faster).
        return cls(**data)
    kwargs: dict[str, Any] = {}
    for name, nested in _from_spec(cls):
        if name not in data:
            continue
        value = data[name]
        if nested is not None and value is not None:
            value = (
                tuple(_from_plain(nested, v) for v in value)
                if isinstance(value, list)
                else _from_plain(nested, value)
            )
        elif isinstance(value, list):
            value = tuple(value)
        kwargs[name] = value
    return cls(**kwargs)


# Classes whose every field is a plain scalar: their dicts become instances as they are.
_SCALAR_NAMES: dict[type, frozenset[str]] = {
    cls: frozenset(f.name for f in fields(cls)) for cls in (Column, CheckConstraint)
}
_FROM_SPECS: dict[type, tuple[tuple[str, type | None], ...]] = {}


def _from_spec(cls: type) -> tuple[tuple[str, type | None], ...]:
    """(field name, nested class or None) for every field, computed once per class."""
    spec = _FROM_SPECS.get(cls)
    if spec is None:
        spec = _FROM_SPECS[cls] = tuple((f.name, _NESTED.get((cls, f.name))) for f in fields(cls))
    return spec


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building or reading a big model.

    Hundreds of thousands of acyclic objects (columns, dicts, findings) make it rescan
    the growing heap for nothing: a third of the time on 100,000 columns. On the way
    out, what survived the pause (a model, a scorecard: long-lived by nature) moves to
    the oldest generation unscanned (freeze, then unfreeze), rather than all of it being
    scanned at the next allocation: 0.15 s of 1 s when scoring 100,000 columns. Cycles
    among them are still collected, by the next full collection.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def to_document(model: SchemaModel) -> str:
    """Canonical JSON of the structure: same schema, same text, same fingerprint.

    orjson writes dataclass fields in their declared order and tables come sorted, so the
    text is canonical without sorting keys; it is six times faster than the json module on
    100,000 columns. Observations are blanked first: they are not structure.
    """
    structure: dict[str, Any] = {"dialect": model.dialect, "database": model.database}
    # Before the tables (the diff cuts the document at its tables' texts), and only when
    # there are some: a document without enums reads as it did before they were modelled,
    # so its fingerprint stays.
    if model.enum_types:
        structure["enum_types"] = sorted(model.enum_types, key=lambda e: (e.schema, e.name))
    structure["tables"] = [
        replace(t, row_estimate=None) if t.row_estimate is not None else t
        for t in sorted(model.tables, key=lambda t: t.key)
    ]
    structure["server_version"] = None  # an observation, blank as it always was
    with paused_gc():
        return orjson.dumps(structure).decode()


def from_document(document: str, *, row_estimates: dict[str, int] | None = None) -> SchemaModel:
    with paused_gc():
        model: SchemaModel = _from_plain(SchemaModel, orjson.loads(document))
    if row_estimates:
        model = replace(
            model,
            tables=tuple(
                replace(t, row_estimate=row_estimates.get(t.qualified_name)) for t in model.tables
            ),
        )
    return model


# Idents as the document writes them: only ever a key (a quote inside a string value is
# escaped, so the text "ident": cannot come from a name or a comment).
_IDENTS = re.compile(r'"ident":"[^"]*"')


def fingerprint(document: str) -> str:
    """sha256 of the structure without idents (PostgreSQL oids and attnums): they are kept
    in the model and the document to follow renames, but a schema dropped and re-created
    identically is the same schema, so they must not decide "changed"."""
    return hashlib.sha256(_IDENTS.sub('"ident":null', document).encode()).hexdigest()


def row_estimates(model: SchemaModel) -> dict[str, int]:
    return {t.qualified_name: t.row_estimate for t in model.tables if t.row_estimate is not None}
