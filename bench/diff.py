"""diff_schemas on the synthetic 5,000-table model (bench/scoring.py: 100,000 columns), two
documents that differ in 10 places, as snapshots see them.

    python -m bench.diff

Goal (issue 9): under 0.2 s. Also timed: ``diff_documents``, what take_snapshot runs when
the fingerprint changed (the previous document against the new one), and, for scale, a
whole document parsed into a model.
"""

from __future__ import annotations

from dataclasses import replace

from bench.scoring import median_seconds, report, synthetic_model
from catalog.diff import diff_documents, diff_schemas
from catalog.introspection import model as m
from catalog.introspection.model import Column, SchemaModel, from_document, to_document


def ten_changes(model: SchemaModel) -> SchemaModel:
    """Ten edits spread over the schema: adds, drops, a rename, retypes, a default, a key."""
    tables = list(model.tables)

    def edit(i: int, **fields: object) -> None:
        tables[i] = replace(tables[i], **fields)

    t = tables
    edit(10, columns=(*t[10].columns, Column("added", "integer", m.INTEGER)))
    edit(500, columns=t[500].columns[:-1])
    edit(
        999,
        columns=tuple(replace(c, name="label") if c.name == "name" else c for c in t[999].columns),
    )
    edit(
        1500,
        columns=tuple(
            replace(c, data_type="character varying(20)", max_length=20) if c.name == "code" else c
            for c in t[1500].columns
        ),
    )
    edit(
        2000,
        columns=tuple(
            replace(c, default="'old'::text") if c.name == "status" else c for c in t[2000].columns
        ),
    )
    edit(2501, primary_key=None)
    edit(3000, comment="Renamed comment")
    edit(
        3500,
        columns=tuple(
            replace(c, nullable=not c.nullable) if c.name == "code" else c for c in t[3500].columns
        ),
    )
    edit(4000, unique_constraints=())
    del tables[4999]
    return replace(model, tables=tuple(tables))


def main() -> None:
    base = synthetic_model(5000)
    old_document = to_document(base)
    new_document = to_document(ten_changes(base))
    # Separate objects parsed from documents, as take_snapshot compares them.
    old, new = from_document(old_document), from_document(new_document)
    columns = old.column_count

    wall, cpu, changes = median_seconds(lambda: diff_schemas(old, new))
    report(
        "diff, 5,000 tables, 10 places",
        wall,
        0.2,
        f"cpu {cpu:.3f} s, {len(changes)} changes, {columns:,} columns",
    )
    wall, cpu, recorded = median_seconds(lambda: diff_documents(old_document, new_document))
    assert recorded == changes
    report(
        "snapshot's share: diff_documents",
        wall,
        None,
        f"cpu {cpu:.3f} s: documents cut per table, only changed tables parsed",
    )
    wall, cpu, _ = median_seconds(lambda: from_document(old_document))
    report("(for scale: parse a whole document)", wall, None, f"cpu {cpu:.3f} s")


if __name__ == "__main__":
    main()
