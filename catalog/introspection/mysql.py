"""MySQL and MariaDB introspection: information_schema views read one at a time, joined here.

Each view is read on its own with a `TABLE_SCHEMA = %s` filter and the rows are joined in
Python: DESIGN.md measured server-side joins of these views 33x slower, and a filter on only
one side of a join makes the server scan every schema. The session is read-only
(`SET SESSION TRANSACTION READ ONLY`) with a statement timeout (MariaDB
`max_statement_time`, MySQL `max_execution_time`), a metadata lock timeout, socket
timeouts and the connection attribute program_name=schemajoy.

MySQL has no stable identity for tables or columns, so `ident` stays None: a rename looks
like a drop plus an add to the diff.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from typing import Any

import pymysql

from catalog.introspection import model as m
from catalog.introspection.dsn import Target
from catalog.introspection.errors import IntrospectionError
from catalog.introspection.limits import Limits
from catalog.introspection.model import SchemaModel
from catalog.sql import MYSQL

# GENERATION_EXPRESSION and CHECK_CONSTRAINTS arrived in these releases.
MIN_MYSQL = (5, 7)
MIN_MARIADB = (10, 2)
# Socket timeouts trail the server's statement timeout, so the server's clearer error wins.
_SOCKET_MARGIN = 5.0

TABLES_SQL = """
SELECT TABLE_NAME, TABLE_TYPE, TABLE_COMMENT, TABLE_ROWS
FROM information_schema.TABLES
WHERE TABLE_SCHEMA = %s
"""

COLUMNS_SQL = """
SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA,
       GENERATION_EXPRESSION, COLUMN_COMMENT, CHARACTER_MAXIMUM_LENGTH
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = %s
ORDER BY TABLE_NAME, ORDINAL_POSITION
"""

TABLE_CONSTRAINTS_SQL = """
SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE
FROM information_schema.TABLE_CONSTRAINTS
WHERE TABLE_SCHEMA = %s
"""

KEY_COLUMNS_SQL = """
SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA,
       REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA = %s
ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION
"""

REFERENTIAL_SQL = """
SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE
FROM information_schema.REFERENTIAL_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = %s
"""

# EXPRESSION (functional key parts) exists from MySQL 8.0.13; MariaDB indexes generated
# columns instead, so it has no such column.
_STATISTICS_SQL = """
SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, INDEX_TYPE, {expression}
FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA = %s
ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX
"""
STATISTICS_SQL = _STATISTICS_SQL.format(expression="NULL")
STATISTICS_EXPRESSION_SQL = _STATISTICS_SQL.format(expression="EXPRESSION")

# MariaDB names column-level checks after their column, so names repeat across tables and
# the view carries TABLE_NAME; MySQL's check names are unique per schema and it has none.
MARIADB_CHECKS_SQL = """
SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = %s
"""
MYSQL_CHECKS_SQL = """
SELECT NULL, CONSTRAINT_NAME, CHECK_CLAUSE
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = %s
"""

TRIGGERS_SQL = """
SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME
FROM information_schema.TRIGGERS
WHERE EVENT_OBJECT_SCHEMA = %s
"""

VIEWS_SQL = """
SELECT TABLE_NAME, VIEW_DEFINITION
FROM information_schema.VIEWS
WHERE TABLE_SCHEMA = %s
"""

_KINDS = {"BASE TABLE": m.TABLE, "SYSTEM VERSIONED": m.TABLE, "VIEW": m.VIEW}
_FAMILIES = {
    "tinyint": m.INTEGER,
    "smallint": m.INTEGER,
    "mediumint": m.INTEGER,
    "int": m.INTEGER,
    "integer": m.INTEGER,
    "bigint": m.INTEGER,
    "year": m.INTEGER,
    "decimal": m.DECIMAL,
    "numeric": m.DECIMAL,
    "float": m.FLOAT,
    "double": m.FLOAT,
    "double precision": m.FLOAT,
    "real": m.FLOAT,
    "char": m.TEXT,
    "varchar": m.TEXT,
    "tinytext": m.TEXT,
    "text": m.TEXT,
    "mediumtext": m.TEXT,
    "longtext": m.TEXT,
    "date": m.DATE,
    "datetime": m.TIMESTAMP,
    # MySQL stores TIMESTAMP in UTC and converts on the way in and out: an instant.
    "timestamp": m.TIMESTAMPTZ,
    "time": m.TIME,
    "json": m.JSON,
    "binary": m.BINARY,
    "varbinary": m.BINARY,
    "tinyblob": m.BINARY,
    "blob": m.BINARY,
    "mediumblob": m.BINARY,
    "longblob": m.BINARY,
    "enum": m.ENUM,
    "set": m.ENUM,
    "uuid": m.UUID,
}
_SIZED_TEXT = frozenset({"char", "varchar"})
_NUMERIC_FAMILIES = frozenset({m.INTEGER, m.DECIMAL, m.FLOAT, m.BOOLEAN})
# tinyint(1) and bit(1) are how MySQL schemas (and their ORMs) spell boolean.
_BOOLEAN_TYPE = re.compile(r"^(tinyint|bit)\(1\)", re.IGNORECASE)
_GENERATED_EXTRA = re.compile(r"\b(VIRTUAL|STORED|PERSISTENT)\b", re.IGNORECASE)
_JSON_CHECK = re.compile(r"^json_valid\(`((?:[^`]|``)+)`\)$", re.IGNORECASE)

# Statement timeouts (MariaDB 1969, MySQL 3024), interrupted queries, lock waits.
_TIMEOUT_CODES = frozenset({1969, 3024, 1317, 1205})
# Lost, gone away, shut down, killed, out of connections.
_LOST_CODES = frozenset({2013, 2006, 2055, 1053, 1927, 1040, 1203, 1226})
_UNREACHABLE_CODES = frozenset({2003, 2005})
_READ_ONLY_PRIVILEGES = frozenset({"SELECT", "SHOW VIEW", "USAGE"})


@dataclass(frozen=True)
class CatalogRows:
    """What the catalog queries return, as fetched: the raw material of a SchemaModel."""

    server_version: str
    tables: list[tuple[Any, ...]]
    columns: list[tuple[Any, ...]]
    table_constraints: list[tuple[Any, ...]]
    key_columns: list[tuple[Any, ...]]
    referential: list[tuple[Any, ...]]
    statistics: list[tuple[Any, ...]]
    checks: list[tuple[Any, ...]]
    triggers: list[tuple[Any, ...]]
    views: list[tuple[Any, ...]]


@dataclass(frozen=True)
class Server:
    flavour: str  # "MariaDB" or "MySQL"
    version: tuple[int, ...]
    version_text: str  # what VERSION() says

    @property
    def label(self) -> str:
        return f"{self.flavour} {'.'.join(map(str, self.version))}"

    @property
    def is_mariadb(self) -> bool:
        return self.flavour == "MariaDB"


# Public interface ---------------------------------------------------------


def introspect(target: Target, *, limits: Limits) -> SchemaModel:
    with read_only_session(target, limits) as (conn, server):
        rows = fetch_catalog(conn, server=server, database=target.database)
        if not rows.tables and not _can_read_database(_grants(conn), target.database):
            raise IntrospectionError(
                f"No tables are visible in database {target.database!r} to user "
                f"{target.user!r}: MySQL hides the tables a user has no privilege on, so the "
                "user probably lacks SELECT. Grant it with: "
                f"GRANT SELECT, SHOW VIEW ON {MYSQL.grant_database(target.database)}.* TO ..."
            )
    return build_model(rows, database=target.database)


def probe(target: Target, *, limits: Limits) -> tuple[str, list[str]]:
    with read_only_session(target, limits) as (conn, server):
        grants = _grants(conn)
    return server.label, describe_write_privileges(grants)


def read_only_role_sql(target: Target) -> str:
    return MYSQL.role_sql(database=target.database)


# Privileges ----------------------------------------------------------------

_IDENT = r"(?:`(?:[^`]|``)*`|\*)"
_GRANT = re.compile(
    rf"^GRANT (?P<privileges>.+?) ON (?P<scope>(?:(?:PROCEDURE|FUNCTION|PACKAGE(?: BODY)?) )?"
    rf"{_IDENT}(?:\.{_IDENT})?|'[^']*'@'[^']*') TO .*?(?P<grant_option> WITH GRANT OPTION)?$",
    re.DOTALL,
)


@dataclass(frozen=True)
class Grant:
    privileges: tuple[str, ...]  # as SHOW GRANTS spells them, column lists included
    scope: str  # *.*, `db`.*, `db`.`table`, PROCEDURE `db`.`p`, 'user'@'host'
    grant_option: bool = False


def parse_grants(lines: list[str]) -> list[Grant]:
    """Privilege grants from SHOW GRANTS; role grants (GRANT `role` TO ...) carry no ON."""
    grants = []
    for line in lines:
        match = _GRANT.match(line.strip())
        if match:
            grants.append(
                Grant(
                    privileges=tuple(_split_top_level(match["privileges"])),
                    scope=match["scope"],
                    grant_option=bool(match["grant_option"]),
                )
            )
    return grants


def describe_write_privileges(grants: list[Grant]) -> list[str]:
    """Every privilege beyond SELECT, SHOW VIEW and USAGE, with its scope, one line per grant."""
    described = []
    for grant in grants:
        extra = [p for p in grant.privileges if _privilege_name(p) not in _READ_ONLY_PRIVILEGES]
        if grant.grant_option:
            extra.append("GRANT OPTION")
        if extra:
            described.append(f"{', '.join(extra)} on {grant.scope}")
    return described


def _privilege_name(privilege: str) -> str:
    return privilege.split("(", 1)[0].strip().upper()


def _split_top_level(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        depth += (char == "(") - (char == ")")
        current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def _can_read_database(grants: list[Grant], database: str) -> bool:
    """Whether a grant gives SELECT on every table of the database (global or database-wide)."""
    for grant in grants:
        names = {_privilege_name(p) for p in grant.privileges}
        if not names & {"SELECT", "ALL", "ALL PRIVILEGES"}:
            continue
        if grant.scope == "*.*":
            return True
        db, _, table = grant.scope.partition(".")
        if table == "*" and db.startswith("`") and _grant_pattern(db[1:-1]).fullmatch(database):
            return True
    return False


def _grant_pattern(pattern: str) -> re.Pattern[str]:
    # Database names in GRANT are LIKE patterns: % and _ are wildcards, \ escapes them.
    out, chars = [], iter(pattern.replace("``", "`"))
    for char in chars:
        if char == "\\":
            out.append(re.escape(next(chars, "\\")))
        elif char == "%":
            out.append(".*")
        elif char == "_":
            out.append(".")
        else:
            out.append(re.escape(char))
    return re.compile("".join(out), re.DOTALL)


def _grants(conn: pymysql.connections.Connection) -> list[Grant]:
    with conn.cursor() as cur:
        cur.execute("SHOW GRANTS")
        return parse_grants([row[0] for row in cur.fetchall()])


# Reading -------------------------------------------------------------------


def fetch_catalog(
    conn: pymysql.connections.Connection, *, server: Server, database: str
) -> CatalogRows:
    def rows(sql: str) -> list[tuple[Any, ...]]:
        with conn.cursor() as cur:
            cur.execute(sql, (database,))
            return list(cur.fetchall())

    functional_indexes = not server.is_mariadb and server.version >= (8, 0, 13)
    checks_supported = server.is_mariadb or server.version >= (8, 0, 16)
    return CatalogRows(
        server_version=server.label,
        tables=rows(TABLES_SQL),
        columns=rows(COLUMNS_SQL),
        table_constraints=rows(TABLE_CONSTRAINTS_SQL),
        key_columns=rows(KEY_COLUMNS_SQL),
        referential=rows(REFERENTIAL_SQL),
        statistics=rows(STATISTICS_EXPRESSION_SQL if functional_indexes else STATISTICS_SQL),
        checks=(
            rows(MARIADB_CHECKS_SQL if server.is_mariadb else MYSQL_CHECKS_SQL)
            if checks_supported
            else []
        ),
        triggers=rows(TRIGGERS_SQL),
        views=rows(VIEWS_SQL),
    )


def build_model(rows: CatalogRows, *, database: str) -> SchemaModel:
    """Join the rows of each view by (table, constraint name) into a SchemaModel."""
    kinds: dict[str, str] = {}
    comments: dict[str, str | None] = {}
    estimates: dict[str, int | None] = {}
    for name, table_type, comment, table_rows in rows.tables:
        kind = _KINDS.get(table_type)
        if kind is None:  # sequences, system views, temporary tables
            continue
        kinds[name] = kind
        # MariaDB and older MySQL put the word VIEW in a view's comment.
        comments[name] = None if not comment or kind == m.VIEW else comment
        estimates[name] = int(table_rows) if table_rows is not None and kind == m.TABLE else None

    # One name can serve several constraints of a table (MariaDB names a column's CHECK after
    # the column, whose UNIQUE key may carry the same name), so types come in sets.
    constraint_types: dict[tuple[str, str], set[str]] = defaultdict(set)
    for table, name, ctype in rows.table_constraints:
        constraint_types[(table, name)].add(ctype)
    checks, json_columns = _checks(rows, constraint_types)
    columns: dict[str, list[m.Column]] = defaultdict(list)
    for row in rows.columns:
        if row[0] in kinds:
            columns[row[0]].append(_column(row, json=(row[0], row[1]) in json_columns))

    key_columns: dict[tuple[str, str, bool], list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows.key_columns:
        key_columns[(row[0], row[1], row[4] is not None)].append(row)
    rules = {(t, name): (upd, dele) for t, name, upd, dele in rows.referential}
    pks: dict[str, m.PrimaryKey] = {}
    uniques: dict[str, list[m.UniqueConstraint]] = defaultdict(list)
    fks: dict[str, list[m.ForeignKey]] = defaultdict(list)
    for (table, name, references), parts in key_columns.items():
        types = constraint_types.get((table, name), set())
        cols = tuple(p[2] for p in parts)
        if references:
            on_update, on_delete = rules.get((table, name), ("NO ACTION", "NO ACTION"))
            fks[table].append(
                m.ForeignKey(
                    name=name,
                    columns=cols,
                    ref_schema=parts[0][3],
                    ref_table=parts[0][4],
                    ref_columns=tuple(p[5] for p in parts),
                    on_delete=on_delete,
                    on_update=on_update,
                )
            )
        elif "PRIMARY KEY" in types:
            pks[table] = m.PrimaryKey(name=name, columns=cols)
        elif "UNIQUE" in types:
            uniques[table].append(m.UniqueConstraint(name=name, columns=cols))

    indexes = _indexes(rows.statistics)
    triggers: dict[str, list[str]] = defaultdict(list)
    for table, name in rows.triggers:
        triggers[table].append(name)
    definitions = dict(rows.views)

    tables = tuple(
        m.Table(
            schema=database,
            name=name,
            kind=kind,
            columns=_small_integers(tuple(columns.get(name, ())), checks.get(name, ())),
            primary_key=pks.get(name),
            unique_constraints=tuple(sorted(uniques.get(name, ()), key=_by_name)),
            foreign_keys=tuple(sorted(fks.get(name, ()), key=_by_name)),
            indexes=tuple(sorted(indexes.get(name, ()), key=_by_name)),
            checks=tuple(sorted(checks.get(name, ()), key=_by_name)),
            triggers=tuple(sorted(triggers.get(name, ()))),
            comment=comments[name],
            view_definition=definitions.get(name) if kind == m.VIEW else None,
            row_estimate=estimates[name],
        )
        for name, kind in sorted(kinds.items())
    )
    return SchemaModel(
        dialect="mysql", database=database, tables=tables, server_version=rows.server_version
    )


def _by_name(item: Any) -> str:
    return item.name or ""


def _checks(
    rows: CatalogRows, constraint_types: dict[tuple[str, str], set[str]]
) -> tuple[dict[str, list[m.CheckConstraint]], set[tuple[str, str]]]:
    """Check constraints by table, and MariaDB JSON columns (longtext + json_valid check)."""
    table_of = {name: t for (t, name), types in constraint_types.items() if "CHECK" in types}
    checks: dict[str, list[m.CheckConstraint]] = defaultdict(list)
    json_columns: set[tuple[str, str]] = set()
    for table, name, clause in rows.checks:
        table = table or table_of.get(name)
        if table is None:
            continue
        match = _JSON_CHECK.match(clause.strip())
        # MariaDB's JSON type is longtext plus this check: part of the type, not a rule.
        if match and match[1].replace("``", "`") == name:
            json_columns.add((table, name))
            continue
        checks[table].append(m.CheckConstraint(name=name, expression=clause))
    return checks, json_columns


def _column(row: tuple[Any, ...], *, json: bool) -> m.Column:
    _, name, data_type, column_type, is_nullable, default, extra, gen_expr, comment, max_len = row
    data_type = data_type.lower()
    family = _type_family(data_type, column_type)
    if json and family == m.TEXT:
        family = m.JSON
    generated = gen_expr if gen_expr and _GENERATED_EXTRA.search(extra or "") else None
    return m.Column(
        name=name,
        data_type=column_type,
        type_family=family,
        nullable=is_nullable == "YES",
        default=None if generated else _default(default, extra or "", family),
        comment=comment or None,
        identity="auto_increment" if "auto_increment" in (extra or "").lower() else None,
        generated=generated,
        max_length=int(max_len) if max_len is not None and data_type in _SIZED_TEXT else None,
    )


_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?")
_ZERO_ONE = frozenset({"0", "1"})


def _beyond_zero_one(text: str | None) -> bool:
    return bool(text) and not _ZERO_ONE.issuperset(_NUMBER.findall((text or "").strip("'")))


def _small_integers(
    columns: tuple[m.Column, ...], checks: Iterable[m.CheckConstraint]
) -> tuple[m.Column, ...]:
    """tinyint(1) is a boolean only if nothing says otherwise: a default or a check naming
    the column with a value outside 0/1 (PrestaShop's DEFAULT 2) makes it a small integer."""
    if not any(c.type_family == m.BOOLEAN for c in columns):
        return columns
    out = []
    for column in columns:
        if column.type_family == m.BOOLEAN and _BOOLEAN_TYPE.match(column.data_type):
            quoted = re.compile(rf"(?<!\w)`?{re.escape(column.name)}`?(?!\w)")
            if _beyond_zero_one(column.default) or any(
                quoted.search(check.expression) and _beyond_zero_one(check.expression)
                for check in checks
            ):
                column = replace(column, type_family=m.INTEGER)
        out.append(column)
    return tuple(out)


def _type_family(data_type: str, column_type: str) -> str:
    if _BOOLEAN_TYPE.match(column_type):
        return m.BOOLEAN
    return _FAMILIES.get(data_type, m.OTHER)


def _default(value: str | None, extra: str, family: str) -> str | None:
    """Defaults as SQL expressions, as MariaDB 10.2+ already reports them.

    MariaDB says 'NULL' for an explicit or implicit NULL default; MySQL reports string
    literals bare, and marks expression defaults DEFAULT_GENERATED (8.0.13+).
    """
    if value is None or value == "NULL":
        return None
    if value.startswith("'") or value.lower().startswith("current_timestamp"):
        return value
    if "DEFAULT_GENERATED" in extra.upper() or family in _NUMERIC_FAMILIES:
        return value
    if re.fullmatch(r"-?\d+(\.\d+)?", value) or re.fullmatch(r"\w+\(.*\)", value):
        return value
    return MYSQL.literal(value)


def _indexes(statistics: list[tuple[Any, ...]]) -> dict[str, list[m.Index]]:
    parts: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    for row in statistics:
        parts[(row[0], row[1])].append(row)
    indexes: dict[str, list[m.Index]] = defaultdict(list)
    for (table, name), rows in parts.items():
        indexes[table].append(
            m.Index(
                name=name,
                columns=tuple(
                    column if column is not None else expr for _, _, _, column, _, expr in rows
                ),
                unique=not int(rows[0][2]),
                primary=name == "PRIMARY",
                method=(rows[0][4] or "").lower() or None,
            )
        )
    return indexes


# Session -------------------------------------------------------------------


def parse_server(version_text: str) -> Server:
    flavour = "MariaDB" if "mariadb" in version_text.lower() else "MySQL"
    numbers = re.match(r"(\d+)\.(\d+)\.(\d+)", version_text)
    version = tuple(int(n) for n in numbers.groups()) if numbers else (0, 0, 0)
    return Server(flavour=flavour, version=version, version_text=version_text)


@contextmanager
def read_only_session(
    target: Target, limits: Limits
) -> Iterator[tuple[pymysql.connections.Connection, Server]]:
    try:
        conn = pymysql.connect(
            host=target.host,
            port=target.port or 3306,
            user=target.user or "",
            password=target.password or "",
            database=target.database,
            charset="utf8mb4",
            autocommit=True,
            connect_timeout=limits.connect_timeout,
            # PyMySQL reads the server's greeting and the login reply under read_timeout: a
            # listener that never answers would hold us for the statement bound, not this.
            read_timeout=limits.connect_timeout,
            write_timeout=limits.connect_timeout,
            program_name="schemajoy",
        )
    except (pymysql.MySQLError, OSError) as exc:
        raise _error(exc, target, limits, connecting=True) from None
    # Logged in: statements get their own bound (PyMySQL applies these on the next read/write).
    conn._read_timeout = conn._write_timeout = limits.statement_timeout + _SOCKET_MARGIN
    try:
        server = _configure(conn, limits)
        yield conn, server
    except (pymysql.MySQLError, OSError) as exc:
        raise _error(exc, target, limits) from None
    finally:
        # A connection that is already gone has nothing left to release.
        with suppress(pymysql.MySQLError):
            conn.close()


def _configure(conn: pymysql.connections.Connection, limits: Limits) -> Server:
    with conn.cursor() as cur:
        cur.execute("SELECT VERSION()")
        server = parse_server(cur.fetchone()[0])
        minimum = MIN_MARIADB if server.is_mariadb else MIN_MYSQL
        if server.version[:2] < minimum:
            raise IntrospectionError(
                f"{server.label} is too old: SchemaJoy reads {server.flavour} "
                f"{'.'.join(map(str, minimum))} and later."
            )
        cur.execute("SET SESSION TRANSACTION READ ONLY")
        lock_wait = max(1, math.ceil(limits.lock_timeout))
        if server.is_mariadb:
            cur.execute(
                "SET SESSION max_statement_time = %s, lock_wait_timeout = %s",
                (float(limits.statement_timeout), lock_wait),
            )
        else:
            cur.execute(
                "SET SESSION max_execution_time = %s, lock_wait_timeout = %s",
                (max(1, math.ceil(limits.statement_timeout * 1000)), lock_wait),
            )
    return server


def _error(
    exc: BaseException, target: Target, limits: Limits, *, connecting: bool = False
) -> IntrospectionError:
    """A message for the connection's owner; server messages never contain the password."""
    if isinstance(exc, IntrospectionError):
        return exc
    code = exc.args[0] if isinstance(exc, pymysql.MySQLError) and exc.args else None
    detail = exc.args[1] if isinstance(exc, pymysql.MySQLError) and len(exc.args) > 1 else str(exc)
    where = f"{target.host}:{target.port or 3306}"
    # A connection lost before the handshake ended is a listener that never answered.
    lost_early = connecting and (code in _LOST_CODES or code is None)
    if code in _UNREACHABLE_CODES or lost_early:
        # No detail: refused, timed out and unknown host read alike (no port scanning).
        return IntrospectionError(
            f"Could not reach a MySQL server at {where} within {limits.connect_timeout:g} s "
            "(refused, no answer, or unknown host).",
            transient=True,
        )
    if code == 1045:
        return IntrospectionError(
            f"The server at {where} refused user {target.user!r}: wrong password, or the user "
            "may not connect from this host.",
        )
    if code == 1044:
        return IntrospectionError(
            f"User {target.user!r} has no privileges on database {target.database!r}. "
            f"Grant read access with: GRANT SELECT, SHOW VIEW ON "
            f"{MYSQL.grant_database(target.database)}.* TO ...",
        )
    if code == 1049:
        return IntrospectionError(f"Database {target.database!r} does not exist on {where}.")
    if code in _TIMEOUT_CODES:
        return IntrospectionError(
            f"Reading the catalog took longer than the {limits.statement_timeout:g} s statement "
            f"timeout (or waited on a lock): {detail}",
            transient=True,
        )
    if code in _LOST_CODES or (code is None and isinstance(exc, OSError)):
        return IntrospectionError(
            f"The connection to the MySQL server at {where} was lost: {detail}", transient=True
        )
    if code in (1142, 1143, 1227):
        return IntrospectionError(f"User {target.user!r} lacks a privilege: {detail}")
    return IntrospectionError(f"MySQL error {code}: {detail}" if code else f"MySQL error: {detail}")
