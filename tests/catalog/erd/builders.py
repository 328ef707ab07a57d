"""Hand-built schema models the ERD tests share (integer and text columns, PostgreSQL)."""

from __future__ import annotations

from catalog.introspection.model import (
    INTEGER,
    TEXT,
    Column,
    ForeignKey,
    PrimaryKey,
    SchemaModel,
    Table,
)

HOSTILE = ['<b>"x"</b>', "a&b", 'it\'s "quoted"', "back\\slash \\N \\G", "ünï ☃ 🎸", "&amp;"]


def col(name: str, data_type: str = "integer") -> Column:
    return Column(
        name=name, data_type=data_type, type_family=INTEGER if "int" in data_type else TEXT
    )


def table(
    name: str,
    *columns: str,
    schema: str = "public",
    pk: tuple[str, ...] = ("id",),
    fks: tuple[ForeignKey, ...] = (),
    kind: str = "table",
) -> Table:
    names = columns or ("id",)
    return Table(
        schema=schema,
        name=name,
        kind=kind,
        columns=tuple(col(c) for c in names),
        primary_key=PrimaryKey(name=f"{name}_pkey", columns=pk) if pk else None,
        foreign_keys=fks,
    )


def fk(
    columns: tuple[str, ...],
    ref: str,
    ref_columns: tuple[str, ...] = ("id",),
    schema: str = "public",
) -> ForeignKey:
    return ForeignKey(
        name=f"fk_{'_'.join(columns)}_{ref}",
        columns=columns,
        ref_schema=schema,
        ref_table=ref,
        ref_columns=ref_columns,
    )


def model(*tables: Table) -> SchemaModel:
    return SchemaModel(dialect="postgresql", database="shop", tables=tables)


def hostile_model() -> SchemaModel:
    return model(
        *(
            Table(
                schema='sch"<i>',
                name=name,
                columns=(Column(name=name, data_type=f"{name}(1)", type_family=TEXT),),
                primary_key=PrimaryKey(name=None, columns=(name,)),
            )
            for name in HOSTILE
        )
    )


def wide(count: int, *, refs: int = 1) -> SchemaModel:
    return model(
        table("t0", "id", "name"),
        *(
            table(
                f"t{i}",
                "id",
                "name",
                *(f"ref{j}" for j in range(refs)),
                fks=tuple(fk((f"ref{j}",), f"t{(i * 7 + j) % i}") for j in range(refs)),
            )
            for i in range(1, count)
        ),
    )
