"""ERD benchmark: build + render times on MusicBrainz and a synthetic 1,000-table schema.

    .venv/bin/python -m bench.erd     # from the repo root; loads MusicBrainz into a scratch DB

Goals (issue 4): a MusicBrainz neighbourhood under 1 s (median of 20 random tables), the
whole of MusicBrainz and a synthetic 1,000-table schema in compact form under 20 s each,
and the cache-key path under 20 ms. Needs PostgreSQL (SCHEMAJOY_TEST_PG) and graphviz.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from catalog.erd import cache_key, render, schema_to_graph
from catalog.introspection import introspect
from catalog.introspection.model import (
    INTEGER,
    TEXT,
    TIMESTAMPTZ,
    Column,
    ForeignKey,
    PrimaryKey,
    SchemaModel,
    Table,
)

# The corpus loader of the test suite: one place knows how each corpus schema loads.
from tests.fixtures.postgres_targets import (
    drop_database,
    dsn_for,
    load_corpus,
    unique_name,
)

SCHEMAS = ("app", "billing", "crm", "inventory", "shipping", "analytics", "auth", "support")


def synthetic_model(tables: int = 1000, *, seed: int = 1) -> SchemaModel:
    """About 20 columns per table and 1.5 foreign keys per table, over eight schemas."""
    rnd = random.Random(seed)
    built = []
    for i in range(tables):
        schema = SCHEMAS[i % len(SCHEMAS)]
        columns = [Column("id", "bigint", INTEGER, nullable=False)]
        fks = []
        for j in range(rnd.choice((0, 1, 1, 2, 2, 3)) if i else 0):
            target = rnd.randrange(i)
            columns.append(Column(f"ref_{j}_id", "bigint", INTEGER))
            fks.append(
                ForeignKey(
                    name=f"entity_{i:05d}_ref_{j}_fkey",
                    columns=(f"ref_{j}_id",),
                    ref_schema=SCHEMAS[target % len(SCHEMAS)],
                    ref_table=f"entity_{target:05d}",
                    ref_columns=("id",),
                )
            )
        columns += [Column(f"attr_{k}", "text", TEXT) for k in range(16)]
        columns += [
            Column(c, "timestamp with time zone", TIMESTAMPTZ) for c in ("created_at", "updated_at")
        ]
        built.append(
            Table(
                schema=schema,
                name=f"entity_{i:05d}",
                columns=tuple(columns),
                primary_key=PrimaryKey(name=None, columns=("id",)),
                foreign_keys=tuple(fks),
            )
        )
    return SchemaModel(dialect="postgresql", database="synthetic", tables=tuple(built))


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def render_case(model: SchemaModel, **view: Any) -> tuple[float, float, Any, int]:
    """(build seconds, render seconds, diagram, SVG bytes)."""
    build, diagram = timed(
        lambda: schema_to_graph(model, table_url=lambda s, t: f"/t/{s}/{t}/", **view)
    )
    draw, svg = timed(lambda: render(diagram, format="svg", timeout=120))
    return build, draw, diagram, len(svg)


def report(label: str, seconds: float, goal: float, detail: str = "") -> None:
    verdict = "ok" if seconds < goal else "OVER GOAL"
    print(
        f"{label:48s} {seconds * 1000:9.2f} ms  (goal < {goal * 1000:.0f} ms, {verdict}) {detail}"
    )


def main() -> None:
    database = unique_name("bench_erd_musicbrainz")
    try:
        load_seconds, _ = timed(lambda: load_corpus("musicbrainz", database))
        musicbrainz = introspect(dsn_for(database))
    finally:
        drop_database(database)
    print(
        f"MusicBrainz loaded and introspected: {len(musicbrainz.tables)} tables ({load_seconds:.1f} s)"
    )

    rnd = random.Random(4)
    focuses = rnd.sample(sorted(t.key for t in musicbrainz.tables), 20)
    totals, sizes = [], []
    for focus in focuses:
        build, draw, diagram, _ = render_case(musicbrainz, focus=focus)
        totals.append(build + draw)
        sizes.append(len(diagram.drawn))
    report(
        "MusicBrainz neighbourhood, median of 20",
        statistics.median(totals),
        1.0,
        f"max {max(totals) * 1000:.0f} ms, tables drawn median {statistics.median(sizes)} max {max(sizes)}",
    )
    totals = []
    for focus in focuses:
        build, draw, diagram, _ = render_case(musicbrainz, focus=focus, depth=2)
        totals.append(build + draw)
    report(
        "MusicBrainz neighbourhood depth 2, median of 20",
        statistics.median(totals),
        1.0,
        f"max {max(totals) * 1000:.0f} ms",
    )
    for name, model in (
        ("MusicBrainz whole", musicbrainz),
        ("synthetic 1,000 tables", synthetic_model()),
    ):
        build, draw, diagram, size = render_case(model)
        report(
            f"{name}, compact ({diagram.engine})",
            build + draw,
            20.0,
            f"build {build * 1000:.0f} ms, {len(diagram.tables)} tables, {diagram.edges} edges, "
            f"SVG {size / 1e6:.1f} MB",
        )
        build, draw, diagram, size = render_case(model, compact=False, engine="dot")
        report(
            f"{name}, full columns, dot (for comparison)",
            build + draw,
            120.0,
            f"SVG {size / 1e6:.1f} MB",
        )

    fingerprint = "0" * 64
    runs = [
        timed(
            lambda: cache_key(
                fingerprint,
                connection=42,
                focus=("musicbrainz", "artist"),
                depth=2,
                compact=None,
                format="svg",
                dropped={"musicbrainz.old_table", "musicbrainz.older_table"},
            )
        )[0]
        for _ in range(1000)
    ]
    report(
        "cache key, median of 1,000",
        statistics.median(runs),
        0.020,
        f"max {max(runs) * 1000:.2f} ms",
    )


if __name__ == "__main__":
    main()
