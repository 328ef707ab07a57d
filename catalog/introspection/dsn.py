"""Connection strings of target databases: parse them and show them without secrets."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from catalog.introspection.limits import Limits

SCHEMES = {
    "postgres": "postgresql",
    "postgresql": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}
DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306}


class InvalidDSN(ValueError):
    """The connection string cannot be used. The message never repeats the password."""


@dataclass(frozen=True)
class Target:
    dialect: str
    database: str  # database name, or the file path for SQLite
    host: str | None = None
    port: int | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    options: tuple[tuple[str, str], ...] = ()

    def redacted(self) -> str:
        """The connection string with the password replaced: safe for pages and logs."""
        if self.dialect == "sqlite":
            return f"sqlite:///{self.database}"
        auth = ""
        if self.user:
            auth = self.user + (":***" if self.password else "") + "@"
        port = f":{self.port}" if self.port else ""
        return f"{self.dialect}://{auth}{self.host or ''}{port}/{self.database}"


def parse_dsn(dsn: str) -> Target:
    dsn = dsn.strip()
    scheme, sep, _ = dsn.partition("://")
    dialect = SCHEMES.get(scheme.lower())
    if not sep or dialect is None:
        raise InvalidDSN(
            "Connection strings start with postgresql://, mysql://, mariadb:// or sqlite:///."
        )
    if dialect == "sqlite":
        # SQLAlchemy's convention: sqlite:///relative.db, sqlite:////absolute/app.db
        rest = dsn[len(scheme) + 3 :]
        path = unquote(rest[1:].split("?", 1)[0]) if rest.startswith("/") else ""
        if not path:
            raise InvalidDSN("A SQLite connection string names a file: sqlite:////path/to/app.db.")
        return Target(dialect="sqlite", database=path)
    rest = dsn[len(scheme) + 3 :]
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    after = rest[len(authority) :]
    if "@" in after.split("?", 1)[0] or ("@" not in authority and "@" in after):
        # An unencoded "/", "?" or "#" in the password cut the authority short: urlsplit
        # would read the rest of the password as the path and show it ("app:/S3cret@host"
        # was shown as "app:5432/S3cret@host"). No "@" belongs in a host or database name.
        raise InvalidDSN(
            "The password (or user name) holds a character that must be percent-encoded "
            "in a connection string: write / as %2F, ? as %3F, # as %23 and @ as %40."
        )
    try:
        parts = urlsplit(dsn)
        port = parts.port
    except ValueError:
        raise InvalidDSN(
            "The host or port of the connection string cannot be read; percent-encode "
            "special characters in the password ([ as %5B, ] as %5D)."
        ) from None
    database = unquote(parts.path.lstrip("/"))
    if not parts.hostname:
        raise InvalidDSN("The connection string names no host.")
    if not database:
        raise InvalidDSN("The connection string names no database (…/dbname at the end).")
    return Target(
        dialect=dialect,
        database=database,
        host=parts.hostname,
        port=port or DEFAULT_PORTS[dialect],
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        options=tuple(parse_qsl(parts.query)),
    )


def check_target_allowed(target: Target, limits: Limits) -> None:
    """InvalidDSN unless the target lies where this installation lets members point it:
    a member must not probe arbitrary files of the SchemaJoy host or hosts of its network."""
    if target.dialect == "sqlite":
        if limits.sqlite_root is None:
            return
        root = os.path.realpath(limits.sqlite_root)
        path = os.path.realpath(target.database)  # symlinks and ".." resolved first
        if os.path.commonpath([root, path]) != root:
            raise InvalidDSN(
                f"SQLite databases must lie under {root} (SCHEMAJOY_SQLITE_ROOT); "
                "copy the file there or ask an administrator to change the setting."
            )
        return
    allowed = {host.lower() for host in limits.allowed_hosts}
    if allowed and (target.host or "").lower() not in allowed:
        raise InvalidDSN(
            "This installation connects only to these hosts (SCHEMAJOY_TARGET_HOSTS): "
            + ", ".join(sorted(allowed))
            + "."
        )


def redact_dsn(dsn: str) -> str:
    try:
        return parse_dsn(dsn).redacted()
    except InvalidDSN:
        return "(invalid connection string)"
