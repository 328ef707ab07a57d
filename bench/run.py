"""`make bench`: every benchmark in one run, each in its own process (clean memory figures).

Benchmarks print their own tables with the goals they measure against; none is a test.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHES = [
    ("introspection_postgres", "PostgreSQL introspection vs the raw catalog floor and SQLAlchemy"),
    ("snapshot", "snapshot: introspect + store + live catalog sync"),
    ("diff", "diff of two 5,000-table models differing in 10 places"),
    ("introspection_mysql", "MariaDB introspection"),
    ("sampling", "sampling within its time budget"),
    ("scoring", "scoring all rules"),
    ("erd", "ERD rendering and cache"),
    ("search", "search latency"),
    ("pages", "SQL queries per page, 10 vs 1,000 tables"),
    ("digests", "weekly e-mails: 200 teams composed, queries per team at 1 vs 20 connections"),
]


def main(names: list[str]) -> int:
    failed = []
    for name, title in BENCHES:
        if names and name not in names:
            continue
        if not (ROOT / "bench" / f"{name}.py").exists():
            continue
        print(f"\n=== {name}: {title}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", f"bench.{name}"], cwd=ROOT, check=False)
        print(f"=== {name}: {time.perf_counter() - started:.0f} s", flush=True)
        if result.returncode:
            failed.append(name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
