from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Timeouts for target sessions, in seconds: a slow target never hangs a worker. And
    where targets may be: SQLite files under sqlite_root, servers among allowed_hosts."""

    connect_timeout: float = 10.0
    statement_timeout: float = 60.0
    lock_timeout: float = 5.0
    sqlite_root: str | None = None  # None: anywhere
    allowed_hosts: tuple[str, ...] = ()  # empty: any host
