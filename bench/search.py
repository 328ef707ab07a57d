"""Search benchmark: catalog search over MusicBrainz plus a synthetic 5,000-table schema.

    .venv/bin/python -m bench.search          # from the repo root

Both catalogs sit in one SchemaJoy database (search spans every connection): MusicBrainz
snapshotted from the corpus, and 5,000 synthetic tables (about 110,000 columns) synced
through the real live-catalog code, a fifth of the columns given descriptions. Each term
is timed through the real view (test client, server time: middleware, two queries,
template) and through search_catalog() alone; medians. Then the trigram indexes are
dropped and the service timed again, to show what they buy. Goal: median under 100 ms.

Runs Django against a scratch test database (``test_`` + DATABASE_URL's name, created and
destroyed here). Needs PostgreSQL (SCHEMAJOY_TEST_PG for the corpus target).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench.erd import synthetic_model
from tests.fixtures.postgres_targets import drop_database, dsn_for, load_corpus, unique_name

GOAL = 0.100
RUNS = 15
TERMS = (
    "artist",  # many names in MusicBrainz
    "release_group",
    "gid",
    "entity_04217",  # one synthetic table
    "attr_7",  # 5,000 columns
    "warehouse",  # words in descriptions only
    "zzqx",  # nothing
    "id",  # two characters: the index cannot help, worst case
    "musicbrainz.artist",  # qualified: schema.table (and table.column)
    "musicbrainz.release.gid",  # qualified: schema.table.column
)


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def median(action: Callable[[], Any], runs: int = RUNS) -> float:
    action()  # warm
    return statistics.median(timed(action) for _ in range(runs))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schemajoy_site.settings")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sj_bench_search")
    import django

    django.setup()
    from django.db import connection as db
    from django.test.utils import setup_test_environment

    setup_test_environment()
    database = unique_name("bench_search_musicbrainz")
    old_name = db.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        load_corpus("musicbrainz", database)
        run(dsn_for(database))
    finally:
        db.creation.destroy_test_db(old_name, verbosity=0)
        drop_database(database)


def run(musicbrainz_dsn: str) -> None:
    from importlib import import_module

    from django.contrib.auth.models import User
    from django.db import connection as db
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from catalog.models import Column, Connection, Snapshot, Team
    from catalog.search import search_catalog
    from catalog.snapshots import sync_live_catalog, take_snapshot

    # The index names and expression, as the migration creates them.
    migration = import_module("catalog.migrations.0004_search_trigram")
    indexes, search_text = migration.INDEXES, migration.SEARCH_TEXT

    team = Team.objects.create(name="bench", slug="bench")
    musicbrainz = Connection(name="musicbrainz", team=team)
    musicbrainz.set_dsn(musicbrainz_dsn)
    musicbrainz.save()
    assert take_snapshot(musicbrainz).succeeded

    synthetic = Connection(name="synthetic", team=team)
    synthetic.set_dsn("postgresql://bench@db.invalid/synthetic")
    synthetic.save()
    snapshot = Snapshot.objects.create(
        connection=synthetic, started_at=timezone.now(), status=Snapshot.Status.SUCCEEDED
    )
    started = time.perf_counter()
    sync_live_catalog(synthetic, snapshot, synthetic_model(5000))
    sync_seconds = time.perf_counter() - started
    with db.cursor() as cursor:
        # A fifth of the columns documented, some mentioning the warehouse.
        cursor.execute(
            "UPDATE catalog_column SET description = 'Set when the parcel leaves the warehouse "
            "' || id WHERE id %% 5 = 0 AND table_id IN "
            "(SELECT id FROM catalog_table WHERE connection_id = %s)",
            [synthetic.pk],
        )
        cursor.execute("ANALYZE catalog_table; ANALYZE catalog_column")
    print(
        f"catalog: {Column.objects.count():,} columns in "
        f"{Column.objects.values('table').distinct().count():,} tables "
        f"(synthetic sync with the trigram indexes: {sync_seconds:.1f} s)"
    )

    client = Client()
    client.force_login(User.objects.create_user("bench"))
    url = reverse("catalog:search")

    def view(term: str) -> None:
        response = client.get(url, {"q": term}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200

    print(f"{'term':16s} {'hits (t/c)':>11s} {'view':>10s} {'service':>10s} {'no index':>10s}")
    rows = []
    for term in TERMS:
        results = search_catalog(term)
        rows.append(
            [
                term,
                f"{len(results.tables)}/{len(results.columns)}",
                median(lambda term=term: view(term)),
                median(lambda term=term: search_catalog(term)),
            ]
        )
    with db.cursor() as cursor:
        plans = []
        for where in ("UPPER(name::text)", search_text):
            cursor.execute(
                f"EXPLAIN SELECT id FROM catalog_column WHERE {where} LIKE %s", ["%RELEASE_GROUP%"]
            )
            plans += [row[0] for row in cursor.fetchall()]
        plan = "\n    ".join(plans)
        for index in indexes:
            cursor.execute(f"DROP INDEX {index}")
    for row in rows:
        row.append(median(lambda term=row[0]: search_catalog(term), 5))
    for term, hits, view_s, service_s, bare_s in rows:
        verdict = "ok" if view_s < GOAL else "OVER GOAL"
        print(
            f"{term:16s} {hits:>11s} {view_s * 1000:8.1f} ms {service_s * 1000:7.1f} ms "
            f"{bare_s * 1000:7.1f} ms  {verdict}"
        )
    overall = statistics.median(r[2] for r in rows)
    print(f"median over terms, through the view: {overall * 1000:.1f} ms (goal < 100 ms)")
    print(f"plan with the index:\n    {plan}")


if __name__ == "__main__":
    main()
