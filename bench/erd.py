"""ERD benchmark: build + render times on MusicBrainz and a synthetic 1,000-table schema.

    .venv/bin/python -m bench.erd     # from the repo root; loads MusicBrainz into a scratch DB

Goals (issue 4): a MusicBrainz neighbourhood under 1 s (median of 20 random tables), the
whole of MusicBrainz and a synthetic 1,000-table schema in compact form under 20 s each,
and the cache hit under 20 ms: the cache key alone, and the real path through the Diagram
table (service and pages, ``pages()``). Needs PostgreSQL (SCHEMAJOY_TEST_PG) and graphviz.
"""

from __future__ import annotations

import os
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


def median_ms(action: Callable[[], Any], runs: int) -> tuple[float, float]:
    """(median, max) seconds of ``runs`` calls."""
    times = [timed(action)[0] for _ in range(runs)]
    return statistics.median(times), max(times)


def pages(dsn: str) -> None:
    """The real web path on MusicBrainz: first renders and cache hits through the Diagram table.

    Runs Django against a scratch test database (``test_`` + DATABASE_URL's name, created
    and destroyed here); Celery runs in-process unless REDIS_URL is set.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schemajoy_site.settings")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sj_bench_erd")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection as db
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from catalog import models
    from catalog.diagrams import View, get_diagram
    from catalog.models import Connection, Team
    from catalog.snapshots import take_snapshot

    setup_test_environment()
    old_name = db.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        team = Team.objects.create(name="bench", slug="bench")
        connection = Connection(name="musicbrainz", team=team)
        connection.set_dsn(dsn)
        connection.save()
        snapshot = take_snapshot(connection)
        assert snapshot.succeeded, snapshot.error_message
        client = Client()
        client.force_login(User.objects.create_user("bench", is_staff=True))
        artist = models.Table.objects.get(connection=connection, name="artist")
        neighbourhood = reverse("catalog:table_diagram", args=[connection.pk, artist.pk])
        diagram = reverse("catalog:connection_diagram", args=[connection.pk])
        cases = [
            ("artist neighbourhood, depth 1", neighbourhood, {"HTTP_HX_REQUEST": "true"}, 1.0),
            ("artist neighbourhood, depth 2", neighbourhood + "?depth=2", {}, 1.0),
            ("subject-area map (the default page)", diagram, {}, 20.0),
            ("whole database, compact (worker)", diagram + "?all=1", {}, 20.0),
            ("whole database as PNG (worker)", diagram + "?all=1&format=png", {}, 20.0),
        ]
        for label, url, headers, goal in cases:
            first, response = timed(lambda url=url, headers=headers: client.get(url, **headers))
            assert response.status_code == 200, (url, response.status_code)
            hit, worst = median_ms(lambda url=url, headers=headers: client.get(url, **headers), 20)
            report(f"page {label}, first request", first, goal, f"{len(response.content):,} bytes")
            report(
                f"page {label}, cache hit (median of 20)", hit, 0.020, f"max {worst * 1000:.0f} ms"
            )
        for label, view in (
            ("service cache hit, neighbourhood", View(scope="table", focus=artist_key(artist))),
            ("service cache hit, whole database", View(scope="database")),
        ):
            hit, worst = median_ms(lambda view=view: get_diagram(connection, view), 200)
            report(label + " (median of 200)", hit, 0.020, f"max {worst * 1000:.1f} ms")
        print(f"Diagram rows: {models.Diagram.objects.count()}")
    finally:
        db.creation.destroy_test_db(old_name, verbosity=0)


def artist_key(table: Any) -> tuple[str, str]:
    return (table.schema, table.name)


def main() -> None:
    database = unique_name("bench_erd_musicbrainz")
    try:
        load_seconds, _ = timed(lambda: load_corpus("musicbrainz", database))
        musicbrainz = introspect(dsn_for(database))
        pages(dsn_for(database))
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
