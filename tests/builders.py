"""Small helpers to hand-build SchemaModels for pure tests.

    model(
        table("customers", col("id", "integer", pk=True), col("name", "text")),
        table("orders", col("id", "bigint", pk=True), col("customer_id", "integer", fk="customers.id")),
        dialect="postgresql",
    )

Tables without ``schema=`` land in the dialect's default schema (public, main, the MySQL
database); a column's type family is derived from its type name unless ``family=`` says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from catalog.introspection import model as m
from catalog.introspection.model import (
    Column,
    ForeignKey,
    Index,
    PrimaryKey,
    SchemaModel,
    Table,
    UniqueConstraint,
)
from scoring.rules import RULES_BY_ID
from scoring.rules.base import Outcome, RuleContext

_FAMILIES = (
    (r"tinyint\(1\)|bool(ean)?", m.BOOLEAN),
    (
        r"(big|small|tiny|medium)?int(eger)?\d?(\(\d+\))?( unsigned)?|(big)?serial|int[248]",
        m.INTEGER,
    ),
    (r"numeric.*|decimal.*", m.DECIMAL),
    (r"real|double( precision)?|float\d?", m.FLOAT),
    (r"money", m.MONEY),
    (r"(character varying|varchar|character|char|bpchar)(\((\d+)\))?|text|longtext|clob", m.TEXT),
    (r"date", m.DATE),
    (r"timestamp( without time zone)?(\(\d\))?|datetime(\(\d\))?", m.TIMESTAMP),
    (r"timestamptz|timestamp with time zone|timestamp\(\d\) with time zone", m.TIMESTAMPTZ),
    (r"time( without time zone)?", m.TIME),
    (r"timetz|time with time zone", m.TIMETZ),
    (r"interval", m.INTERVAL),
    (r"uuid", m.UUID),
    (r"jsonb?", m.JSON),
    (r"bytea|blob|binary.*", m.BINARY),
)


def family_of(data_type: str) -> str:
    text = data_type.lower().strip()
    for pattern, family in _FAMILIES:
        if re.fullmatch(pattern, text):
            return family
    return m.OTHER


def _width(data_type: str) -> int | None:
    match = re.fullmatch(
        r"(?:character varying|varchar|character|char)\((\d+)\)", data_type.lower()
    )
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class ColumnSpec:
    column: Column
    pk: bool = False
    fk: str | None = None  # "table.column" or "schema.table.column"
    on_delete: str = "NO ACTION"
    unique: bool = False


def col(
    name: str,
    data_type: str = "integer",
    *,
    family: str | None = None,
    pk: bool = False,
    nullable: bool | None = None,
    default: str | None = None,
    comment: str | None = None,
    identity: str | None = None,
    fk: str | None = None,
    on_delete: str = "NO ACTION",
    unique: bool = False,
) -> ColumnSpec:
    column = Column(
        name=name,
        data_type=data_type,
        type_family=family or family_of(data_type),
        nullable=(not pk) if nullable is None else nullable,
        default=default,
        comment=comment,
        identity=identity,
        max_length=_width(data_type),
    )
    return ColumnSpec(column, pk=pk, fk=fk, on_delete=on_delete, unique=unique)


def table(
    name: str,
    *columns: ColumnSpec,
    schema: str | None = None,
    kind: str = m.TABLE,
    comment: str | None = None,
    primary_key: tuple[str, ...] | None = None,
    foreign_keys: tuple[ForeignKey, ...] = (),
    unique: tuple[tuple[str, ...], ...] = (),
    indexes: tuple[Index, ...] = (),
) -> Table:
    pk_columns = primary_key or tuple(spec.column.name for spec in columns if spec.pk)
    fks = list(foreign_keys)
    for spec in columns:
        if spec.fk:
            *ref_schema, ref_table, ref_column = spec.fk.split(".")
            fks.append(
                ForeignKey(
                    name=f"{name}_{spec.column.name}_fkey",
                    columns=(spec.column.name,),
                    ref_schema=ref_schema[0] if ref_schema else "",
                    ref_table=ref_table,
                    ref_columns=(ref_column,),
                    on_delete=spec.on_delete,
                )
            )
    uniques = [UniqueConstraint(f"{name}_{'_'.join(cols)}_key", cols) for cols in unique]
    uniques += [
        UniqueConstraint(f"{name}_{spec.column.name}_key", (spec.column.name,))
        for spec in columns
        if spec.unique
    ]
    return Table(
        schema=schema or "",
        name=name,
        kind=kind,
        columns=tuple(spec.column for spec in columns),
        primary_key=PrimaryKey(f"{name}_pkey", pk_columns) if pk_columns else None,
        unique_constraints=tuple(uniques),
        foreign_keys=tuple(fks),
        indexes=indexes,
        comment=comment,
    )


DEFAULT_SCHEMAS = {"postgresql": "public", "sqlite": "main"}


def model(*tables: Table, dialect: str = "postgresql", database: str = "shop") -> SchemaModel:
    default = DEFAULT_SCHEMAS.get(dialect, database)
    homed = []
    for t in tables:
        fks = tuple(
            replace(fk, ref_schema=fk.ref_schema or t.schema or default) for fk in t.foreign_keys
        )
        homed.append(replace(t, schema=t.schema or default, foreign_keys=fks))
    return SchemaModel(dialect=dialect, database=database, tables=tuple(homed))


def outcomes(rule_id: str, schema: SchemaModel, ctx: RuleContext | None = None) -> list[Outcome]:
    """Every outcome of one rule on a model."""
    return RULES_BY_ID[rule_id].outcomes(schema, ctx)


def failing(rule_id: str, schema: SchemaModel, ctx: RuleContext | None = None) -> set[str]:
    """Objects that fail one rule."""
    return {o.object for o in outcomes(rule_id, schema, ctx) if o.failed}


def applicable(rule_id: str, schema: SchemaModel, ctx: RuleContext | None = None) -> set[str]:
    """Objects one rule applies to."""
    return {o.object for o in outcomes(rule_id, schema, ctx)}
