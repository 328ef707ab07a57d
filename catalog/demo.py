"""The bundled demo target: a small shop's SQLite database and its real history.

Each file in demo_sql/ is one release of the shop's schema, a migration a
team would write. The demo command builds version 1, snapshots it, applies
version 2, snapshots again, and so on, so the history SchemaJoy shows is the
history of real snapshots. Pure Python and sqlite3: no Django here.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

DEMO_SQL_DIR = Path(__file__).resolve().parent / "demo_sql"
_FILE_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


class DemoBuildError(RuntimeError):
    """A demo version could not be applied; the file is left as it was before it."""


@dataclass(frozen=True)
class DemoVersion:
    number: int
    name: str  # from the file name: "shipments_and_marketing_opt_in"
    summary: str  # the first line of the file's leading comment
    sql_path: Path

    @property
    def sql(self) -> str:
        return self.sql_path.read_text(encoding="utf-8")


def _summary(sql_path: Path) -> str:
    first = sql_path.read_text(encoding="utf-8").lstrip().splitlines()[0]
    if not first.startswith("--"):
        raise ValueError(f"{sql_path.name} must start with a comment saying what changed and why")
    return first.removeprefix("--").strip()


def discover_versions(directory: Path = DEMO_SQL_DIR) -> tuple[DemoVersion, ...]:
    """The versions in directory, in order; numbers must run 1, 2, 3, ... without gaps."""
    versions = []
    for sql_path in directory.glob("*.sql"):
        match = _FILE_NAME.match(sql_path.name)
        if match is None:
            raise ValueError(f"{sql_path.name} is not named like 001_what_changed.sql")
        versions.append(
            DemoVersion(
                number=int(match[1]),
                name=match[2],
                summary=_summary(sql_path),
                sql_path=sql_path,
            )
        )
    versions.sort(key=lambda v: v.number)
    numbers = [v.number for v in versions]
    if numbers != list(range(1, len(versions) + 1)):
        raise ValueError(f"demo versions in {directory} must be numbered 1..n, found {numbers}")
    return tuple(versions)


DEMO_VERSIONS: tuple[DemoVersion, ...] = discover_versions()


def applied_version(path: Path) -> int:
    """The last demo version applied to the file (0 for an empty database)."""
    if not Path(path).is_file():
        raise DemoBuildError(f"no demo database at {path}")
    with _connect(path) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def build_demo_target(path: Path, *, upto: int | None = None) -> None:
    """(Re)create the demo database at path with versions 1..upto (all when None).

    The file is built beside path and moved into place at the end, so a reader
    never sees a half-built database and a failed build leaves no file behind.
    """
    upto = len(DEMO_VERSIONS) if upto is None else upto
    if not 1 <= upto <= len(DEMO_VERSIONS):
        raise ValueError(f"upto must be between 1 and {len(DEMO_VERSIONS)}, not {upto}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + ".building")
    building.unlink(missing_ok=True)
    try:
        sqlite3.connect(building).close()  # creates the empty file apply_demo_version expects
        for version in DEMO_VERSIONS[:upto]:
            apply_demo_version(building, version)
        # A stale journal beside the old file would be replayed into the new one.
        for suffix in ("-journal", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        os.replace(building, path)
    finally:
        building.unlink(missing_ok=True)


def apply_demo_version(path: Path, version: DemoVersion) -> None:
    """Apply one version to an existing demo database, in one transaction.

    Versions go in order: the file records the last one applied (PRAGMA
    user_version), and applying any other than the next is refused.
    """
    path = Path(path)
    if not path.is_file():
        raise DemoBuildError(f"no demo database at {path}; build it with build_demo_target()")
    with _connect(path) as conn:
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        if version.number != current + 1:
            raise DemoBuildError(
                f"{path.name} is at demo version {current}; "
                f"cannot apply version {version.number} ({version.name})"
            )
        # SQLite's table-rebuild procedure (version 4) needs enforcement off,
        # and PRAGMA foreign_keys cannot change inside a transaction; every key
        # is checked below before the commit instead.
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{version.sql}\n;")
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                table, rowid, parent, _ = broken[0]
                raise DemoBuildError(
                    f"demo version {version.number} ({version.name}) leaves {len(broken)} "
                    f"broken foreign keys, first {table} rowid {rowid} -> {parent}"
                )
            conn.execute(f"PRAGMA user_version = {version.number:d}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(conn)
            raise DemoBuildError(
                f"demo version {version.number} ({version.name}) failed: {exc}"
            ) from exc
        except BaseException:
            _rollback(conn)
            raise


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def _connect(path: Path) -> closing[sqlite3.Connection]:
    # Autocommit mode: the transactions above are explicit, not Python's implicit ones.
    return closing(sqlite3.connect(path, isolation_level=None))
