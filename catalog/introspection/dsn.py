"""Connection strings of target databases: parse them and show them without secrets."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

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
    try:
        parts = urlsplit(dsn)
        port = parts.port
    except ValueError:
        raise InvalidDSN("The port in the connection string is not a number.") from None
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


def redact_dsn(dsn: str) -> str:
    try:
        return parse_dsn(dsn).redacted()
    except InvalidDSN:
        return "(invalid connection string)"
