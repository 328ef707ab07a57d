"""SQLite introspection: sqlite_master plus table-valued PRAGMAs, one SELECT per object kind.

The file is opened through a `file:...?mode=ro` URI, so SchemaJoy can neither write to it
nor create it; a busy timeout bounds waits on writers' locks and a progress handler
interrupts any statement that runs past the statement timeout. Everything lives in the
schema "main" (attached databases are not read).

What the PRAGMAs do not say is read from the CREATE statements kept in sqlite_master, with
a small tokenizer: check constraints, generation expressions, expression index parts,
partial index predicates, view bodies, WITHOUT ROWID and AUTOINCREMENT. Names of primary
keys, unique constraints and foreign keys are not read: SQLite reports none.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from catalog.introspection import model as m
from catalog.introspection.dsn import Target
from catalog.introspection.errors import IntrospectionError
from catalog.introspection.limits import Limits
from catalog.introspection.model import SchemaModel
from catalog.sql import SQLITE

SCHEMA = "main"

OBJECTS_SQL = """
SELECT type, name, tbl_name, sql
FROM sqlite_master
WHERE type IN ('table', 'view', 'index', 'trigger') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
"""

COLUMNS_SQL = """
SELECT m.name, p.cid, p.name, p.type, p."notnull", p.dflt_value, p.pk, p.hidden
FROM sqlite_master m JOIN pragma_table_xinfo(m.name) p
WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
ORDER BY m.name, p.cid
"""

# The fallback when one relation cannot be read (a view over a dropped table breaks the join).
RELATION_COLUMNS_SQL = """
SELECT ?, p.cid, p.name, p.type, p."notnull", p.dflt_value, p.pk, p.hidden
FROM pragma_table_xinfo(?) p
ORDER BY p.cid
"""

FOREIGN_KEYS_SQL = """
SELECT m.name, p.id, p."table", p."from", p."to", p.on_update, p.on_delete
FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
ORDER BY m.name, p.id, p.seq
"""

INDEXES_SQL = """
SELECT m.name, il.name, il."unique", il.origin, il.partial, ii.cid, ii.name
FROM sqlite_master m
JOIN pragma_index_list(m.name) il
JOIN pragma_index_info(il.name) ii
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
ORDER BY m.name, il.name, ii.seqno
"""

# ANALYZE's statistics: the first number of a table's entries is its row count.
STAT1_SQL = "SELECT tbl, stat FROM sqlite_stat1"
HAS_STAT1_SQL = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"

# Progress handler period, in SQLite virtual machine instructions.
_PROGRESS_STEPS = 10_000


@dataclass(frozen=True)
class CatalogRows:
    """What the catalog queries return, as fetched: the raw material of a SchemaModel."""

    server_version: str
    objects: list[tuple[Any, ...]]
    columns: list[tuple[Any, ...]]
    foreign_keys: list[tuple[Any, ...]]
    indexes: list[tuple[Any, ...]]
    row_counts: dict[str, int] = field(default_factory=dict)


# Public interface ---------------------------------------------------------


def introspect(target: Target, *, limits: Limits) -> SchemaModel:
    with read_only_session(target, limits) as read:
        rows = fetch_catalog(read)
    return build_model(rows, database=target.database)


def probe(target: Target, *, limits: Limits) -> tuple[str, list[str]]:
    with read_only_session(target, limits) as read:
        read("SELECT count(*) FROM sqlite_master")  # proves the file is a database
    return f"SQLite {sqlite3.sqlite_version}", []


def read_only_role_sql(target: Target) -> str:
    return SQLITE.role_sql(database=target.database)


# Reading -------------------------------------------------------------------

# read(sql, params=()) -> rows, under the session's timeouts.
Read = Callable[..., list[tuple[Any, ...]]]


def fetch_catalog(read: Read) -> CatalogRows:
    objects = read(OBJECTS_SQL)
    try:
        columns = read(COLUMNS_SQL)
    except sqlite3.OperationalError as exc:
        if _is_interrupt(exc):
            raise
        columns = _columns_one_by_one(read, objects)
    row_counts: dict[str, int] = {}
    if read(HAS_STAT1_SQL):
        for table, stat in read(STAT1_SQL):
            count = int(str(stat).split()[0]) if stat and str(stat).split()[0].isdigit() else 0
            row_counts[table] = max(row_counts.get(table, 0), count)
    return CatalogRows(
        server_version=f"SQLite {sqlite3.sqlite_version}",
        objects=objects,
        columns=columns,
        foreign_keys=read(FOREIGN_KEYS_SQL),
        indexes=read(INDEXES_SQL),
        row_counts=row_counts,
    )


def _columns_one_by_one(read: Read, objects: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    columns: list[tuple[Any, ...]] = []
    for kind, name, _, _ in sorted(objects, key=lambda o: o[1]):
        if kind not in ("table", "view"):
            continue
        try:
            columns.extend(read(RELATION_COLUMNS_SQL, (name, name)))
        except sqlite3.OperationalError as exc:
            if _is_interrupt(exc):
                raise
            # A view over a dropped table or column has no columns to show; keep the view.
    return columns


def build_model(rows: CatalogRows, *, database: str) -> SchemaModel:
    relations: dict[str, tuple[str, str | None]] = {}
    triggers: dict[str, list[str]] = defaultdict(list)
    index_sql: dict[str, str | None] = {}
    for kind, name, table, sql in rows.objects:
        if kind in ("table", "view"):
            relations[name] = (kind, sql)
        elif kind == "trigger":
            triggers[table].append(name)
        else:
            index_sql[name] = sql
    parsed = {
        name: parse_create_table(sql or "") for name, (k, sql) in relations.items() if k == "table"
    }

    pk_parts: dict[str, list[tuple[int, str]]] = defaultdict(list)
    raw_columns: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows.columns:
        table, _, name, _, _, _, pk, hidden = row
        if table not in relations or hidden == 1:  # hidden 1: a virtual table's hidden column
            continue
        raw_columns[table].append(row)
        if pk:
            pk_parts[table].append((pk, name))
    pks = {t: tuple(n for _, n in sorted(parts)) for t, parts in pk_parts.items()}

    columns: dict[str, list[m.Column]] = {}
    for table, table_rows in raw_columns.items():
        info = parsed.get(table, CreateTable())
        rowid_alias = _rowid_alias(table_rows, pks.get(table, ()), info)
        columns[table] = [_column(row, info=info, rowid_alias=rowid_alias) for row in table_rows]

    fks: dict[str, list[m.ForeignKey]] = defaultdict(list)
    fk_parts: dict[tuple[str, int], list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows.foreign_keys:
        fk_parts[(row[0], row[1])].append(row)
    for (table, _), parts in sorted(fk_parts.items()):
        ref_table = parts[0][2]
        ref_columns = tuple(p[4] for p in parts)
        if any(c is None for c in ref_columns):  # REFERENCES t with no columns: t's key
            ref_columns = pks.get(ref_table, ref_columns)
        fks[table].append(
            m.ForeignKey(
                name=None,
                columns=tuple(p[3] for p in parts),
                ref_schema=SCHEMA,
                ref_table=ref_table,
                ref_columns=tuple(c or "" for c in ref_columns),
                on_delete=parts[0][6],
                on_update=parts[0][5],
            )
        )

    indexes, uniques = _indexes(rows.indexes, index_sql)
    tables = []
    for name, (kind, sql) in sorted(relations.items()):
        info = parsed.get(name, CreateTable())
        is_table = kind == "table"
        pk = pks.get(name)
        tables.append(
            m.Table(
                schema=SCHEMA,
                name=name,
                kind=m.TABLE if is_table else m.VIEW,
                columns=tuple(columns.get(name, ())),
                primary_key=m.PrimaryKey(name=None, columns=pk) if pk and is_table else None,
                unique_constraints=tuple(uniques.get(name, ())),
                foreign_keys=tuple(fks.get(name, ())),
                indexes=tuple(indexes.get(name, ())),
                checks=info.checks,
                triggers=tuple(sorted(triggers.get(name, ()))),
                view_definition=None if is_table else parse_view_body(sql or ""),
                row_estimate=rows.row_counts.get(name) if is_table else None,
            )
        )
    return SchemaModel(
        dialect="sqlite",
        database=database,
        tables=tuple(tables),
        server_version=rows.server_version,
    )


def _rowid_alias(rows: list[tuple[Any, ...]], pk: tuple[str, ...], info: CreateTable) -> str | None:
    """The column that is the rowid: a lone INTEGER PRIMARY KEY of a rowid table."""
    if len(pk) != 1 or info.without_rowid:
        return None
    declared = next((r[3] for r in rows if r[2] == pk[0]), "")
    return pk[0] if (declared or "").strip().upper() == "INTEGER" else None


def _column(row: tuple[Any, ...], *, info: CreateTable, rowid_alias: str | None) -> m.Column:
    _, _, name, declared, notnull, default, pk, hidden = row
    declared = declared or ""
    family = type_family(declared)
    is_rowid = name == rowid_alias
    identity = None
    if is_rowid:
        identity = "autoincrement" if info.autoincrement else "rowid"
    size = re.search(r"\(\s*(\d+)\s*\)", declared)
    return m.Column(
        name=name,
        data_type=declared,
        type_family=family,
        # The rowid and the keys of WITHOUT ROWID tables are never NULL; other key columns
        # of rowid tables may be (a SQLite quirk), so they keep what was declared.
        nullable=not notnull and not is_rowid and not (pk and info.without_rowid),
        default=default,
        identity=identity,
        generated=info.generated.get(name, "") if hidden in (2, 3) else None,
        max_length=int(size[1])
        if size and family == m.TEXT and "CHAR" in declared.upper()
        else None,
    )


def type_family(declared: str) -> str:
    """SQLite's affinity rules (section 3.1 of its datatype page), refined by common names."""
    t = declared.upper()
    if not t.strip():
        return m.OTHER
    if "BOOL" in t:
        return m.BOOLEAN
    if "INT" in t:
        return m.INTEGER
    if "DATETIME" in t or "TIMESTAMP" in t:
        return m.TIMESTAMPTZ if "TZ" in t or "TIME ZONE" in t else m.TIMESTAMP
    if "DATE" in t:
        return m.DATE
    if "TIME" in t:
        return m.TIME
    if "JSON" in t:
        return m.JSON
    if "UUID" in t:
        return m.UUID
    if "CHAR" in t or "CLOB" in t or "TEXT" in t:
        return m.TEXT
    if "BLOB" in t:
        return m.BINARY
    if "REAL" in t or "FLOA" in t or "DOUB" in t:
        return m.FLOAT
    if "NUMERIC" in t or "DECIMAL" in t:
        return m.DECIMAL
    return m.OTHER


def _indexes(
    rows: list[tuple[Any, ...]], index_sql: dict[str, str | None]
) -> tuple[dict[str, list[m.Index]], dict[str, list[m.UniqueConstraint]]]:
    parts: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        parts[(row[0], row[1])].append(row)
    indexes: dict[str, list[m.Index]] = defaultdict(list)
    uniques: dict[str, list[m.UniqueConstraint]] = defaultdict(list)
    for (table, name), index_rows in parts.items():
        _, _, unique, origin, partial, _, _ = index_rows[0]
        parsed = parse_create_index(index_sql.get(name) or "")
        columns = []
        for position, (*_, cid, column) in enumerate(index_rows):
            if column is None and cid == -2:  # an expression: its text from CREATE INDEX
                column = parsed.parts[position] if position < len(parsed.parts) else "?"
            columns.append(column if column is not None else "rowid")
        indexes[table].append(
            m.Index(
                name=name,
                columns=tuple(columns),
                unique=bool(unique),
                primary=origin == "pk",
                predicate=(parsed.predicate or "?") if partial else None,
                method="btree",
            )
        )
        if origin == "u":
            uniques[table].append(m.UniqueConstraint(name=None, columns=tuple(columns)))
    return indexes, uniques


# Reading CREATE statements -------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+|--[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<string>'(?:[^']|'')*'?)
    | (?P<quoted>"(?:[^"]|"")*"?|`(?:[^`]|``)*`?|\[[^\]]*\]?)
    | (?P<word>[\w$]+)
    | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str  # string, quoted, word, punct
    text: str
    start: int
    end: int
    depth: int  # parenthesis depth before this token

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def tokenize(sql: str) -> list[Token]:
    tokens, depth = [], 0
    for match in _TOKEN.finditer(sql):
        kind = match.lastgroup or "punct"
        if kind == "space":
            continue
        text = match.group()
        if text == ")":
            depth -= 1
        tokens.append(Token(kind, text, match.start(), match.end(), depth))
        if text == "(":
            depth += 1
    return tokens


def unquote(text: str) -> str:
    if text[:1] == "[":
        return text[1:-1]
    if text[:1] in ('"', "`") and len(text) > 1:
        return text[1:-1].replace(text[0] * 2, text[0])
    return text


@dataclass(frozen=True)
class CreateTable:
    checks: tuple[m.CheckConstraint, ...] = ()
    generated: dict[str, str] = field(default_factory=dict)  # column -> expression
    without_rowid: bool = False
    autoincrement: bool = False


def parse_create_table(sql: str) -> CreateTable:
    tokens = tokenize(sql)
    opening = next((i for i, t in enumerate(tokens) if t.text == "(" and t.depth == 0), None)
    if opening is None:  # CREATE TABLE ... AS SELECT, or a virtual table
        return CreateTable()
    closing_at = next(
        (i for i, t in enumerate(tokens) if i > opening and t.text == ")" and t.depth == 0),
        len(tokens),
    )
    body = tokens[opening + 1 : closing_at]
    after = {t.upper for t in tokens[closing_at + 1 :]}
    checks: list[m.CheckConstraint] = []
    generated: dict[str, str] = {}
    for definition in _split(body, depth=1):
        first = definition[0]
        is_column = first.upper not in {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"}
        for i, token in enumerate(definition):
            if token.depth != 1 or i + 1 >= len(definition) or definition[i + 1].text != "(":
                continue
            if token.upper == "CHECK":
                named = i >= 2 and definition[i - 2].upper == "CONSTRAINT"
                name = unquote(definition[i - 1].text) if named else None
                checks.append(
                    m.CheckConstraint(name=name, expression=_group(sql, definition, i + 1))
                )
            elif token.upper == "AS" and is_column:
                generated[unquote(first.text)] = _group(sql, definition, i + 1)
    return CreateTable(
        checks=tuple(checks),
        generated=generated,
        without_rowid={"WITHOUT", "ROWID"} <= after,
        autoincrement=any(t.upper == "AUTOINCREMENT" for t in tokens),
    )


@dataclass(frozen=True)
class CreateIndex:
    parts: tuple[str, ...] = ()  # text of each key part: a column or an expression
    predicate: str | None = None


def parse_create_index(sql: str) -> CreateIndex:
    tokens = tokenize(sql)
    opening = next((i for i, t in enumerate(tokens) if t.text == "(" and t.depth == 0), None)
    if opening is None:  # automatic indexes of constraints keep no SQL
        return CreateIndex()
    closing_at = next(
        (i for i, t in enumerate(tokens) if i > opening and t.text == ")" and t.depth == 0),
        len(tokens),
    )
    parts = []
    for part in _split(tokens[opening + 1 : closing_at], depth=1):
        # An ordering or collation ends a key part; it is not part of the key.
        end = next(
            (
                i
                for i, t in enumerate(part)
                if t.depth == 1 and t.upper in {"ASC", "DESC", "COLLATE"}
            ),
            len(part),
        )
        kept = part[:end] or part
        text = sql[kept[0].start : kept[-1].end]
        parts.append(unquote(text) if len(kept) == 1 else text)
    where = next((t for t in tokens[closing_at + 1 :] if t.depth == 0 and t.upper == "WHERE"), None)
    predicate = sql[where.end :].strip().rstrip(";").strip() if where else None
    return CreateIndex(parts=tuple(parts), predicate=predicate or None)


def parse_view_body(sql: str) -> str | None:
    """The SELECT of CREATE VIEW v [(columns)] AS SELECT ..."""
    tokens = tokenize(sql)
    as_token = next((t for t in tokens if t.depth == 0 and t.upper == "AS"), None)
    return sql[as_token.end :].strip().rstrip(";").strip() if as_token else None


def _split(tokens: list[Token], *, depth: int) -> list[list[Token]]:
    """Tokens split at the commas of the given parenthesis depth, empty parts dropped."""
    parts: list[list[Token]] = [[]]
    for token in tokens:
        if token.text == "," and token.depth == depth:
            parts.append([])
        else:
            parts[-1].append(token)
    return [p for p in parts if p]


def _group(sql: str, tokens: list[Token], opening: int) -> str:
    """The text inside the parentheses that open at tokens[opening]."""
    depth = tokens[opening].depth
    for token in tokens[opening + 1 :]:
        if token.text == ")" and token.depth == depth:
            return sql[tokens[opening].end : token.start].strip()
    return sql[tokens[opening].end :].strip()


# Session -------------------------------------------------------------------

NO_DATABASE = "No readable SQLite database at {path} (missing, not a file, or not SQLite)."


@contextmanager
def read_only_session(target: Target, limits: Limits) -> Iterator[Read]:
    path = target.database
    # One message for missing, not a file and not SQLite: a member must not learn which
    # files exist on the SchemaJoy host.
    if not os.path.isfile(path):
        raise IntrospectionError(NO_DATABASE.format(path=path))
    try:
        conn = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True, timeout=limits.lock_timeout)
    except sqlite3.Error as exc:
        raise _error(exc, path, limits) from None
    deadline = [0.0]
    # A non-zero return interrupts the running statement: SQLite's statement timeout.
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline[0]), _PROGRESS_STEPS)

    def read(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        deadline[0] = time.monotonic() + limits.statement_timeout
        return conn.execute(sql, params).fetchall()

    with closing(conn):
        try:
            yield read
        except sqlite3.Error as exc:
            raise _error(exc, path, limits) from None


def _is_interrupt(exc: sqlite3.Error) -> bool:
    return "interrupted" in str(exc).lower()


def _error(exc: sqlite3.Error, path: str, limits: Limits) -> IntrospectionError:
    text = str(exc).lower()
    if "not a database" in text or "malformed" in text or "unable to open" in text:
        return IntrospectionError(NO_DATABASE.format(path=path))
    if "locked" in text or "busy" in text:
        return IntrospectionError(
            f"{path} stayed locked by a writer for more than {limits.lock_timeout:g} s.",
            transient=True,
        )
    if _is_interrupt(exc):
        return IntrospectionError(
            f"Reading the catalog of {path} took longer than the "
            f"{limits.statement_timeout:g} s statement timeout.",
            transient=True,
        )
    if "unable to open" in text:
        return IntrospectionError(
            f"Cannot open {path}: the account running SchemaJoy may lack permission to read "
            "the file or its directory."
        )
    return IntrospectionError(f"SQLite error on {path}: {exc}")
