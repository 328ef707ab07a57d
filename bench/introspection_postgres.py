"""PostgreSQL introspection benchmark: ours against the raw catalog queries and SQLAlchemy.

    .venv/bin/python bench/introspection_postgres.py [--sizes 1000,5000] [--runs 5]

Loads MusicBrainz from the corpus and builds synthetic schemas (bench/synthetic.py) into
uniquely named databases (sjb_pg_<what>_<random>), then measures side by side, as medians:

- ours:    catalog.introspection.postgres.introspect() (connect + queries + SchemaModel);
- floor:   the same catalog queries alone, fetched into tuples (connect + queries);
- sa_multi: SQLAlchemy 2's inspect(engine).get_multi_columns / _pk_constraint /
            _foreign_keys / _indexes, per schema;
- reflect: SQLAlchemy's MetaData().reflect(), per schema (once on the largest schema).

Prints a table with each figure's ratio to the floor; the target is ours <= 1.5x the floor.
Every database it creates is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: python bench/introspection_postgres.py
    sys.path.insert(0, str(ROOT))

from sqlalchemy import MetaData, create_engine, inspect  # noqa: E402 - see above
from sqlalchemy.pool import NullPool  # noqa: E402 - see above

from bench import synthetic  # noqa: E402 - see above
from catalog.introspection import postgres  # noqa: E402 - see above
from catalog.introspection.dsn import parse_dsn  # noqa: E402 - see above
from catalog.introspection.limits import Limits  # noqa: E402 - see above
from tests.fixtures.postgres_targets import (  # noqa: E402 - see above
    create_database,
    drop_database,
    dsn_for,
    run_psql,
)

CORPUS = Path(os.environ.get("SCHEMAJOY_CORPUS", ROOT / "../shared/corpus"))
LIMITS = Limits(connect_timeout=10, statement_timeout=600, lock_timeout=10)


def load_musicbrainz(database: str) -> None:
    create_database(database)
    script = (CORPUS / "musicbrainz" / "schema.sql").read_text(encoding="utf-8")
    run_psql(dsn_for(database), script)


def load_synthetic(database: str, tables: int) -> None:
    create_database(database)
    synthetic.build_database(dsn_for(database), tables)


# What we time ------------------------------------------------------------------------


def run_ours(dsn: str) -> int:
    return len(postgres.introspect(parse_dsn(dsn), limits=LIMITS).tables)


def run_floor(dsn: str) -> int:
    with postgres.read_only_session(parse_dsn(dsn), LIMITS) as conn:
        return len(postgres.fetch_catalog(conn).relations)


def user_schemas(dsn: str) -> list[str]:
    with postgres.read_only_session(parse_dsn(dsn), LIMITS) as conn:
        return [row[0] for row in conn.execute(postgres.SCHEMAS_SQL)]


def sqlalchemy_url(dsn: str) -> str:
    return dsn.replace("postgresql://", "postgresql+psycopg://", 1)


def run_sa_multi(dsn: str, schemas: list[str]) -> int:
    engine = create_engine(sqlalchemy_url(dsn), poolclass=NullPool)
    try:
        insp = inspect(engine)  # a fresh inspector: it caches what it has read
        count = 0
        for schema in schemas:
            count += len(insp.get_multi_columns(schema=schema))
            insp.get_multi_pk_constraint(schema=schema)
            insp.get_multi_foreign_keys(schema=schema)
            insp.get_multi_indexes(schema=schema)
        return count
    finally:
        engine.dispose()


def run_reflect(dsn: str, schemas: list[str]) -> int:
    engine = create_engine(sqlalchemy_url(dsn), poolclass=NullPool)
    try:
        metadata = MetaData()
        for schema in schemas:
            metadata.reflect(engine, schema=schema)
        return len(metadata.tables)
    finally:
        engine.dispose()


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(dsn: str, *, runs: int, reflect_runs: int) -> dict[str, float]:
    schemas = user_schemas(dsn)
    run_ours(dsn)  # warm the server's catalog caches once, for everyone
    samples: dict[str, list[float]] = {"floor": [], "ours": [], "sa_multi": []}
    # Interleaved, so that a busy moment on the machine hits every contender alike.
    for _ in range(runs):
        samples["floor"].append(timed(lambda: run_floor(dsn)))
        samples["ours"].append(timed(lambda: run_ours(dsn)))
        samples["floor"].append(timed(lambda: run_floor(dsn)))
        samples["ours"].append(timed(lambda: run_ours(dsn)))
    for _ in range(max(1, runs // 2)):
        samples["sa_multi"].append(timed(lambda: run_sa_multi(dsn, schemas)))
    result = {name: statistics.median(values) for name, values in samples.items()}
    result["reflect"] = statistics.median(
        timed(lambda: run_reflect(dsn, schemas)) for _ in range(reflect_runs)
    )
    return result


def format_table(results: dict[str, dict[str, float]]) -> str:
    header = f"{'schema':<16}{'floor':>9}{'ours':>16}{'sa_multi':>16}{'reflect':>16}"
    lines = [header, "-" * len(header)]
    for name, r in results.items():
        floor = r["floor"]
        cells = [f"{floor:8.3f}s"]
        for key in ("ours", "sa_multi", "reflect"):
            cells.append(f"{r[key]:8.3f}s {r[key] / floor:4.1f}x")
        lines.append(
            f"{name:<16}" + "".join(f"{c:>16}" if i else f"{c:>9}" for i, c in enumerate(cells))
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    # SQLAlchemy warns about types it does not know (cube, point, tid): noise here.
    warnings.filterwarnings("ignore", message="Did not recognize type")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000", help="synthetic schema sizes, in tables")
    parser.add_argument("--runs", type=int, default=5, help="pairs of runs for ours and the floor")
    parser.add_argument("--no-musicbrainz", action="store_true")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]

    suffix = secrets.token_hex(4)
    targets: list[tuple[str, str, Callable[[str], None]]] = []
    if not args.no_musicbrainz:
        targets.append(("musicbrainz", f"sjb_pg_musicbrainz_{suffix}", load_musicbrainz))
    for size in sizes:
        targets.append(
            (
                f"synthetic {size}",
                f"sjb_pg_{size}_{suffix}",
                lambda db, n=size: load_synthetic(db, n),
            )
        )

    created: list[str] = []
    results: dict[str, dict[str, float]] = {}
    try:
        for label, database, load in targets:
            started = time.perf_counter()
            created.append(database)
            load(database)
            dsn = dsn_for(database)
            tables = run_ours(dsn)
            print(
                f"{label}: loaded {tables} tables in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            # MetaData.reflect() is 10-20x the floor: once is enough on the biggest schema.
            reflect_runs = 1 if tables >= 2000 else 3
            results[label] = measure(dsn, runs=args.runs, reflect_runs=reflect_runs)
            print(format_table({label: results[label]}).splitlines()[-1], flush=True)
    finally:
        for database in created:
            drop_database(database)

    print()
    print("PostgreSQL introspection, medians (ratios to the floor; target: ours <= 1.5x)")
    print(format_table(results))
    worst = max(r["ours"] / r["floor"] for r in results.values())
    print(f"\nworst ours/floor ratio: {worst:.2f}x ({'within' if worst <= 1.5 else 'OVER'} 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
