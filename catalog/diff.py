"""diff_schemas(old, new): what changed between two schema models, and what it breaks (pure).

"Breaking" means breaking for someone who *reads* the database (a dbt model, a report): a
table, view or column dropped or renamed; a type change to another family or one that
narrows; a primary key changed or dropped; an enum value removed; a view that lost a column.
Adding things, widening, comments, indexes, defaults and nullability are not breaking.

Objects are matched by name. On PostgreSQL a table or column whose name left but whose
stable identity (``ident``: oid, attnum) reappears under a name that is new is a rename, an
exact one. Where there is no identity (MySQL/MariaDB, SQLite), one column dropped and one
added in the same table with the same type, nullability and position is a *probable* rename,
and a table dropped and one added with the identical column list likewise; when two
candidates have the same shape, no rename is guessed. Identities never make a change by
themselves: a table dropped and recreated identically reports nothing.

Order: breaking changes first, then by table, object and the order of ``KINDS``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import orjson

from catalog.introspection import model as m
from catalog.introspection.model import Column, SchemaModel, Table, from_document

# The change kinds: an interface (stored, filtered on, matched by announcements).
TABLE_ADDED = "table_added"
TABLE_DROPPED = "table_dropped"
TABLE_RENAMED = "table_renamed"
COLUMN_ADDED = "column_added"
COLUMN_DROPPED = "column_dropped"
COLUMN_RENAMED = "column_renamed"
TYPE_CHANGED = "type_changed"
NULLABILITY_CHANGED = "nullability_changed"
DEFAULT_CHANGED = "default_changed"
PRIMARY_KEY_CHANGED = "primary_key_changed"
FOREIGN_KEY_ADDED = "foreign_key_added"
FOREIGN_KEY_DROPPED = "foreign_key_dropped"
UNIQUE_ADDED = "unique_added"
UNIQUE_DROPPED = "unique_dropped"
INDEX_ADDED = "index_added"
INDEX_DROPPED = "index_dropped"
COMMENT_CHANGED = "comment_changed"
VIEW_CHANGED = "view_changed"
ENUM_VALUES_CHANGED = "enum_values_changed"
KINDS = (
    TABLE_ADDED,
    TABLE_DROPPED,
    TABLE_RENAMED,
    COLUMN_ADDED,
    COLUMN_DROPPED,
    COLUMN_RENAMED,
    TYPE_CHANGED,
    NULLABILITY_CHANGED,
    DEFAULT_CHANGED,
    PRIMARY_KEY_CHANGED,
    FOREIGN_KEY_ADDED,
    FOREIGN_KEY_DROPPED,
    UNIQUE_ADDED,
    UNIQUE_DROPPED,
    INDEX_ADDED,
    INDEX_DROPPED,
    COMMENT_CHANGED,
    VIEW_CHANGED,
    ENUM_VALUES_CHANGED,
)
RENAME_KINDS = frozenset({TABLE_RENAMED, COLUMN_RENAMED})
_KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class Change:
    kind: str  # one of KINDS
    object: str  # schema.table or schema.table.column (the new name for a rename)
    table: str  # the unit: schema.table (the new name for a rename)
    before: str | None = None  # the old name, type, default, ... (None when nothing was)
    after: str | None = None
    breaking: bool = False
    reason: str = ""  # one line a reader understands
    probable: bool = False  # a guessed rename (no stable identity to follow)
    # A rename whose old name stayed readable (a view, a column of the old name).
    transition: bool = False

    @property
    def schema(self) -> str:
        return self.table.partition(".")[0]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def sort_changes(changes: Iterable[Change]) -> list[Change]:
    """Breaking first, then by table, object and kind (the order of KINDS)."""
    return sorted(changes, key=lambda c: (not c.breaking, c.table, c.object, _KIND_ORDER[c.kind]))


def diff_schemas(old: SchemaModel, new: SchemaModel) -> list[Change]:
    """Every change from old to new, classified, in a stable order (see the module doc)."""
    dialect = new.dialect or old.dialect
    pairs, dropped, added, renamed = _match_tables(old, new)
    changes: list[Change] = []
    new_names = {t.key for t in new.tables}
    for ot in dropped:
        changes.append(
            Change(
                TABLE_DROPPED,
                ot.qualified_name,
                ot.qualified_name,
                before=ot.qualified_name,
                breaking=True,
                reason=f"{_noun(ot)} dropped: every query that reads it fails",
            )
        )
    for nt in added:
        changes.append(
            Change(
                TABLE_ADDED,
                nt.qualified_name,
                nt.qualified_name,
                after=nt.qualified_name,
                reason=f"new {_noun(nt)}",
            )
        )
    # Column renames of every table, so that keys and references compare across them.
    column_renames: dict[tuple[str, str], dict[str, str]] = {}
    matched: list[tuple[Table, Table, list[tuple[Column, Column]], list[Column], list[Column]]]
    matched = []
    for ot, nt in pairs:
        if ot == nt:
            continue
        # A view's renamed column is, for its readers, one lost and one gained.
        views = ot.is_view or nt.is_view
        col_pairs, col_dropped, col_added, col_renamed = _match_columns(
            ot, nt, follow_renames=not views
        )
        column_renames[nt.key] = {o.name: n.name for o, n, _ in col_renamed}
        matched.append((ot, nt, col_pairs, col_dropped, col_added))
        qn = nt.qualified_name
        if ot.key != nt.key:
            probable = ot.key in renamed
            changes.append(
                Change(
                    TABLE_RENAMED,
                    qn,
                    qn,
                    before=ot.qualified_name,
                    after=qn,
                    breaking=True,
                    reason=(
                        f"{_noun(nt)} renamed from {ot.qualified_name}"
                        f"{' (probably: same columns)' if probable else ''}: "
                        "queries of the old name fail"
                    ),
                    probable=probable,
                    transition=ot.key in new_names,
                )
            )
        if nt.is_view or ot.is_view:
            continue
        for oc, nc, probable in col_renamed:
            changes.append(
                Change(
                    COLUMN_RENAMED,
                    f"{qn}.{nc.name}",
                    qn,
                    before=oc.name,
                    after=nc.name,
                    breaking=True,
                    reason=(
                        f"renamed from {oc.name}"
                        f"{' (probably: same type, nullability and position)' if probable else ''}"
                        ": queries of the old name fail"
                    ),
                    probable=probable,
                    transition=nt.column(oc.name) is not None,
                )
            )
    for ot, nt, col_pairs, col_dropped, col_added in matched:
        if nt.is_view or ot.is_view:
            changes.extend(_view_changes(ot, nt, col_pairs, col_dropped, col_added, dialect))
            continue
        qn = nt.qualified_name
        for oc in col_dropped:
            changes.append(
                Change(
                    COLUMN_DROPPED,
                    f"{qn}.{oc.name}",
                    qn,
                    before=oc.data_type,
                    breaking=True,
                    reason="column dropped: every query that selects it fails",
                )
            )
        for nc in col_added:
            changes.append(
                Change(
                    COLUMN_ADDED,
                    f"{qn}.{nc.name}",
                    qn,
                    after=nc.data_type,
                    reason="new column",
                )
            )
        for oc, nc in col_pairs:
            if oc != nc:
                changes.extend(_column_changes(qn, oc, nc, dialect))
        changes.extend(_table_changes(ot, nt, column_renames, renamed_tables=pairs))
    changes.extend(_enum_label_changes(old, new, pairs, column_renames))
    return sort_changes(changes)


def diff_documents(old_document: str, new_document: str) -> list[Change]:
    """diff_schemas of two canonical documents (model.to_document), parsing only what differs.

    Building 100,000 columns costs five times the diff itself, and a snapshot usually
    changes a few tables; so the documents are cut into their tables' texts, and the tables
    whose text is identical on both sides are left out of both models before parsing. They
    cannot change the result: they are matched by name, hold no rename, and references into
    them map to themselves. Only offsets are kept, not copies: documents weigh 20 MB.
    """
    old_spans, new_spans = _table_spans(old_document), _table_spans(new_document)
    if old_spans is None or new_spans is None:  # not the layout expected: parse it all
        return diff_schemas(from_document(old_document), from_document(new_document))
    same = set()
    for key, (start, end) in new_spans.items():
        old_span = old_spans.get(key)
        if (
            old_span is not None
            and old_span[1] - old_span[0] == end - start
            and old_document[old_span[0] : old_span[1]] == new_document[start:end]
        ):
            same.add(key)
    if (
        same
        and old_document[: _tables_at(old_document)] != new_document[: _tables_at(new_document)]
    ):
        # Enum labels changed: the tables using those types must be parsed, though their
        # own text is the same (a column names its enum type, not the labels).
        needles = [
            '"data_type":' + orjson.dumps(data_type).decode()[:-1]  # also matches "type[]"
            for data_type in changed_enum_types(
                _partial_model(old_document, old_spans, set(old_spans)),
                _partial_model(new_document, new_spans, set(new_spans)),
            )
        ]
        same = {
            key
            for key in same
            if not any(needle in new_document[slice(*new_spans[key])] for needle in needles)
        }
    return diff_schemas(
        _partial_model(old_document, old_spans, same), _partial_model(new_document, new_spans, same)
    )


_TABLE_START = '{"schema":'
_TABLE_KEY = re.compile(r'\{"schema":("(?:[^"\\]|\\.)*"),"name":("(?:[^"\\]|\\.)*")')
_TABLES_OPEN = '"tables":['


def _table_spans(document: str) -> dict[tuple[str, str], tuple[int, int]] | None:
    """{(schema, name): (start, end) of the table's JSON text} in a canonical document.

    Exact there: every table is an object whose first key is "schema", and inside JSON
    strings a quote is escaped, so '{"schema":' starts a table and nothing else. None when
    the document is not laid out so (the caller then parses it whole).
    """
    opening = document.find(_TABLES_OPEN)
    if opening < 0:
        return None
    starts = []
    at = document.find(_TABLE_START, opening)
    if at >= 0 and at != opening + len(_TABLES_OPEN):
        return None
    while at >= 0:
        starts.append(at)
        at = document.find(_TABLE_START, at + 1)
    spans: dict[tuple[str, str], tuple[int, int]] = {}
    for n, start in enumerate(starts):
        if n + 1 < len(starts):
            end = starts[n + 1] - 1  # the comma between two tables
            if document[end] != ",":
                return None
        else:
            end = document.rfind("}]") + 1
            if end <= start:
                return None
        match = _TABLE_KEY.match(document, start)
        if match is None:
            return None
        spans[(orjson.loads(match[1]), orjson.loads(match[2]))] = (start, end)
    return spans


def _tables_at(document: str) -> int:
    """Where the tables' list opens: what comes before (dialect, enum types) is the head."""
    return document.find(_TABLES_OPEN)


def _partial_model(
    document: str, spans: dict[tuple[str, str], tuple[int, int]], leave_out: set[tuple[str, str]]
) -> SchemaModel:
    """The document's model without the tables in ``leave_out`` (only the rest is parsed)."""
    opening = document.find(_TABLES_OPEN) + len(_TABLES_OPEN)
    closing = max((end for _, end in spans.values()), default=opening)
    kept = ",".join(document[a:b] for key, (a, b) in spans.items() if key not in leave_out)
    return from_document(document[:opening] + kept + document[closing:])


def _noun(t: Table) -> str:
    return "view" if t.is_view else "table"


# Matching -------------------------------------------------------------------------------


def _match_tables(
    old: SchemaModel, new: SchemaModel
) -> tuple[list[tuple[Table, Table]], list[Table], list[Table], set[tuple[str, str]]]:
    """(matched pairs, dropped, added, keys of old tables guessed as renamed)."""
    old_by_key = {t.key: t for t in old.tables}
    new_by_key = {t.key: t for t in new.tables}
    pairs: list[tuple[Table, Table]] = []
    old_left = dict(old_by_key)
    new_left = dict(new_by_key)
    # Exact renames: an identity that reappears under a name the old model did not have.
    # Both models must carry identities; when one does not (a stored document without
    # them), renames are guessed as on dialects without identities.
    exact = any(t.ident for t in old.tables) and any(t.ident for t in new.tables)
    new_by_ident = {t.ident: t for t in new.tables if t.ident} if exact else {}
    for key, ot in old_by_key.items():
        nt = new_by_ident.get(ot.ident) if ot.ident else None
        if nt is not None and nt.key != key and nt.key not in old_by_key:
            pairs.append((ot, nt))
            del old_left[key]
            del new_left[nt.key]
    for key in list(old_left):
        if key in new_left:
            pairs.append((old_left.pop(key), new_left.pop(key)))
    guessed = _guess_renames(
        [t for t in old_left.values() if not (exact and t.ident)],
        [t for t in new_left.values() if not (exact and t.ident)],
        shape=lambda t, _i: (t.kind, tuple((c.name, c.data_type, c.nullable) for c in t.columns)),
    )
    for ot, nt in guessed:
        pairs.append((ot, nt))
        del old_left[ot.key]
        del new_left[nt.key]
    return pairs, list(old_left.values()), list(new_left.values()), {o.key for o, _ in guessed}


def _match_columns(
    ot: Table, nt: Table, *, follow_renames: bool = True
) -> tuple[
    list[tuple[Column, Column]], list[Column], list[Column], list[tuple[Column, Column, bool]]
]:
    """(pairs incl. renames, dropped, added, renames as (old, new, probable))."""
    old_names = {c.name: c for c in ot.columns}
    new_names = {c.name: c for c in nt.columns}
    if old_names.keys() == new_names.keys() or not follow_renames:
        return (
            [(c, new_names[c.name]) for c in ot.columns if c.name in new_names],
            [c for c in ot.columns if c.name not in new_names],
            [c for c in nt.columns if c.name not in old_names],
            [],
        )
    renames: list[tuple[Column, Column, bool]] = []
    old_left = dict(old_names)
    new_left = dict(new_names)
    # Attribute numbers name a column only within one table: follow them within the same
    # table (same oid, or no oid recorded), never across a drop and a recreate.
    exact = any(c.ident for c in ot.columns) and any(c.ident for c in nt.columns)
    if exact and (ot.ident == nt.ident or not ot.ident or not nt.ident):
        new_by_ident = {c.ident: c for c in nt.columns if c.ident}
        for name, oc in old_names.items():
            nc = new_by_ident.get(oc.ident) if oc.ident else None
            if nc is not None and nc.name != name and nc.name not in old_names:
                renames.append((oc, nc, False))
                del old_left[name]
                del new_left[nc.name]
    old_positions = {c.name: i for i, c in enumerate(ot.columns)}
    new_positions = {c.name: i for i, c in enumerate(nt.columns)}
    unmatched_old = [c for n, c in old_left.items() if n not in new_left and not exact]
    unmatched_new = [c for n, c in new_left.items() if n not in old_left and not exact]
    for oc, nc in _guess_renames(
        unmatched_old,
        unmatched_new,
        shape=lambda c, side: (
            c.data_type,
            c.nullable,
            (old_positions if side == 0 else new_positions)[c.name],
        ),
        loose=lambda c: (c.data_type, c.nullable),
    ):
        renames.append((oc, nc, True))
        del old_left[oc.name]
        del new_left[nc.name]
    pairs = [(o, n) for o, n, _ in renames]
    pairs += [(o, new_left[name]) for name, o in old_left.items() if name in new_left]
    dropped = [o for name, o in old_left.items() if name not in new_left]
    added = [n for name, n in new_left.items() if name not in old_left]
    return pairs, dropped, added, renames


def _guess_renames(
    old: list[Any], new: list[Any], *, shape: Any, loose: Any = None
) -> list[tuple[Any, Any]]:
    """Pairs (old, new) of the same shape, where each shape has exactly one candidate a side.

    ``loose`` is the shape without the position: two columns of the same type and
    nullability dropped (or added) at once make every guess among them ambiguous.
    """
    if not old or not new:
        return []
    loose = loose or (lambda x: shape(x, 0))
    ambiguous = {
        k
        for k, n in (Counter(loose(x) for x in old) + Counter(loose(x) for x in new)).items()
        if n > 2
    }
    olds: dict[Any, list[Any]] = {}
    for x in old:
        olds.setdefault(shape(x, 0), []).append(x)
    news: dict[Any, list[Any]] = {}
    for x in new:
        news.setdefault(shape(x, 1), []).append(x)
    return [
        (xs[0], news[k][0])
        for k, xs in olds.items()
        if len(xs) == 1 and len(news.get(k, ())) == 1 and loose(xs[0]) not in ambiguous
    ]


# Columns --------------------------------------------------------------------------------


def _column_changes(qn: str, oc: Column, nc: Column, dialect: str) -> Iterable[Change]:
    obj = f"{qn}.{nc.name}"
    if oc.data_type != nc.data_type:
        old_values, new_values = enum_values(oc.data_type), enum_values(nc.data_type)
        if old_values is not None and new_values is not None:
            yield _enum_change(obj, qn, old_values, new_values)
        else:
            verdict = compare_types(oc, nc, dialect=dialect)
            if verdict is not None:
                breaking, reason = verdict
                yield Change(
                    TYPE_CHANGED,
                    obj,
                    qn,
                    before=oc.data_type,
                    after=nc.data_type,
                    breaking=breaking,
                    reason=reason,
                )
    if oc.nullable != nc.nullable:
        yield Change(
            NULLABILITY_CHANGED,
            obj,
            qn,
            before="NULL" if oc.nullable else "NOT NULL",
            after="NULL" if nc.nullable else "NOT NULL",
            reason=("now nullable: readers may meet NULLs" if nc.nullable else "now NOT NULL"),
        )
    if (oc.default or None) != (nc.default or None):
        yield Change(
            DEFAULT_CHANGED,
            obj,
            qn,
            before=oc.default,
            after=nc.default,
            reason="default changed: only new rows are affected",
        )
    if (oc.comment or None) != (nc.comment or None):
        yield Change(
            COMMENT_CHANGED, obj, qn, before=oc.comment, after=nc.comment, reason="comment changed"
        )


def _enum_change(
    obj: str, qn: str, old_values: tuple[str, ...], new_values: tuple[str, ...]
) -> Change:
    removed = [v for v in old_values if v not in new_values]
    added = [v for v in new_values if v not in old_values]
    if removed:
        reason = (
            f"removes {_quoted(removed)}: rows, filters and accepted-values tests using it break"
        )
    elif added:
        reason = f"adds {_quoted(added)}"
    else:
        reason = "the same values in another order"
    return Change(
        ENUM_VALUES_CHANGED,
        obj,
        qn,
        before=", ".join(old_values),
        after=", ".join(new_values),
        breaking=bool(removed),
        reason=reason,
    )


def changed_enum_types(old: SchemaModel, new: SchemaModel) -> set[str]:
    """The PostgreSQL enum types (as columns print them) present on both sides whose labels
    differ: a value added, removed or renamed, or the type dropped and re-created."""
    if not old.enum_types or not new.enum_types:
        return set()
    old_labels, new_labels = old.enum_labels_by_type, new.enum_labels_by_type
    return {
        data_type
        for data_type, labels in new_labels.items()
        if data_type in old_labels and old_labels[data_type] != labels
    }


def _enum_label_changes(
    old: SchemaModel,
    new: SchemaModel,
    pairs: list[tuple[Table, Table]],
    column_renames: dict[tuple[str, str], dict[str, str]],
) -> Iterable[Change]:
    """enum_values_changed for each column (of a table or view) of a PostgreSQL enum type
    whose labels changed. Its type name did not change, so no column differs: the labels
    live on the model's enum types."""
    changed = changed_enum_types(old, new)
    if not changed:
        return
    for ot, nt in pairs:
        old_names = {n: o for o, n in column_renames.get(nt.key, {}).items()}
        for nc in nt.columns:
            base = nc.data_type.removesuffix("[]")
            if base not in changed:
                continue
            oc = ot.column(old_names.get(nc.name, nc.name))
            if oc is None or oc.data_type != nc.data_type:
                continue  # a new column, or one retyped: column_added / type_changed say so
            old_values, new_values = old.enum_labels(base), new.enum_labels(base)
            if old_values is not None and new_values is not None:
                yield _enum_change(
                    f"{nt.qualified_name}.{nc.name}", nt.qualified_name, old_values, new_values
                )


_ENUM = re.compile(r"^\s*(enum|set)\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)
_QUOTED = re.compile(r"'((?:[^']|'')*)'")


def enum_values(data_type: str) -> tuple[str, ...] | None:
    """The values of a MySQL ``enum('a','b')`` or ``set(...)`` type, else None."""
    match = _ENUM.match(data_type)
    if match is None:
        return None
    return tuple(v.replace("''", "'") for v in _QUOTED.findall(match[2]))


def _quoted(values: list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


# Types: widening and narrowing, per dialect ----------------------------------------------

_TYPE = re.compile(
    r"^(?P<base>[a-z_][a-z0-9_]*(?: (?!unsigned\b|zerofill\b|with\b|without\b)[a-z_][a-z0-9_]*)*)"
    r"\s*(?:\((?P<args>[^)]*)\))?\s*(?P<rest>[a-z0-9_ ]*)$",
    re.IGNORECASE,
)
_ALIASES = {
    "int": "integer",
    "int4": "integer",
    "int8": "bigint",
    "int2": "smallint",
    "serial": "integer",
    "serial4": "integer",
    "bigserial": "bigint",
    "serial8": "bigint",
    "smallserial": "smallint",
    "serial2": "smallint",
    "character varying": "varchar",
    "character": "char",
    "bpchar": "char",
    "nchar": "char",
    "nvarchar": "varchar",
    "varchar2": "varchar",
    "decimal": "numeric",
    "dec": "numeric",
    "float8": "double",
    "double precision": "double",
    "float4": "real",
    "bool": "boolean",
    "timestamp with time zone": "timestamptz",
    "time with time zone": "timetz",
    "timestamp without time zone": "timestamp",
    "time without time zone": "time",
}
# Signed byte widths of the integer types.
_INT_BYTES = {"tinyint": 1, "smallint": 2, "mediumint": 3, "integer": 4, "bigint": 8, "year": 1}
_FLOAT_BYTES = {"real": 4, "float": 4, "double": 8}
# MySQL's text and blob types by capacity (bytes, the best a character count can compare to).
_LOB_CAPACITY = {
    "tinytext": 255,
    "text": 65_535,
    "mediumtext": 16_777_215,
    "longtext": 4_294_967_295,
    "tinyblob": 255,
    "blob": 65_535,
    "mediumblob": 16_777_215,
    "longblob": 4_294_967_295,
}
_UNBOUNDED = float("inf")


@dataclass(frozen=True)
class _Type:
    base: str
    args: tuple[str, ...]
    unsigned: bool
    array: bool


def _parse_type(data_type: str) -> _Type:
    text = data_type.strip().lower()
    array = text.endswith("[]")
    text = text.removesuffix("[]").strip()
    match = _TYPE.match(text)
    if match is None:
        return _Type(text, (), False, array)
    base, rest = match["base"].strip(), (match["rest"] or "").strip()
    args = tuple(a.strip() for a in match["args"].split(",")) if match["args"] else ()
    unsigned = "unsigned" in rest.split()
    # "timestamp(3) with time zone": the zone words follow the precision.
    if rest.startswith("with time zone") or rest.startswith("without time zone"):
        base = f"{base} {rest.split(' unsigned')[0]}".strip()
    base = _ALIASES.get(base, base)
    return _Type(base, args, unsigned, array)


def _storage_family(column: Column, t: _Type) -> str:
    # MySQL spells booleans tinyint(1): stored as an integer, and widened as one.
    if column.type_family == m.BOOLEAN and t.base in ("tinyint", "bit"):
        return m.INTEGER if t.base == "tinyint" else m.BINARY
    return column.type_family


def compare_types(old: Column, new: Column, *, dialect: str) -> tuple[bool, str] | None:
    """(breaking, reason) for a type change, or None when only the spelling moved
    (MySQL display widths: int(11) and int are one type)."""
    if old.data_type == new.data_type:
        return None
    ot, nt = _parse_type(old.data_type), _parse_type(new.data_type)
    of, nf = _storage_family(old, ot), _storage_family(new, nt)
    spelled = f"{old.data_type} -> {new.data_type}"
    if of != nf:
        if of == m.TIMESTAMPTZ and nf == m.TIMESTAMP:
            return True, f"{spelled} loses the time zone: readers' instants shift"
        return True, f"{spelled} is another type family ({of} -> {nf}): readers' casts break"
    if ot.array != nt.array:
        return True, f"{spelled} is another shape (array vs scalar): readers' casts break"
    family = of
    if family == m.INTEGER:
        return _compare_integers(ot, nt, dialect=dialect, spelled=spelled, old=old, new=new)
    if dialect == "sqlite" and family in (m.TEXT, m.DECIMAL, m.FLOAT, m.BINARY, m.TIMESTAMP):
        # SQLite stores by affinity: declared widths, precisions and sizes are not enforced.
        return False, f"{spelled}: SQLite does not enforce declared sizes; values are unchanged"
    if family == m.TEXT or family == m.BINARY:
        return _compare_capacity(
            _capacity(old, ot, dialect), _capacity(new, nt, dialect), spelled, "longer values"
        )
    if family == m.DECIMAL:
        return _compare_numeric(ot, nt, dialect=dialect, spelled=spelled)
    if family == m.FLOAT:
        before, after = _float_bytes(ot, dialect), _float_bytes(nt, dialect)
        if after < before:
            return True, f"{spelled} narrows: values lose precision"
        return False, f"{spelled} widens" if after > before else f"{spelled}: same precision"
    if family in (m.TIMESTAMP, m.TIMESTAMPTZ, m.TIME, m.TIMETZ, m.INTERVAL):
        default = 0 if dialect == "mysql" else 6
        before_p = int(ot.args[0]) if ot.args and ot.args[0].isdigit() else default
        after_p = int(nt.args[0]) if nt.args and nt.args[0].isdigit() else default
        if after_p < before_p:
            return True, f"{spelled} narrows: fractional seconds are cut"
        return False, f"{spelled} widens" if after_p > before_p else f"{spelled}: same values"
    if family == m.ARRAY or family == m.ENUM or family == m.OTHER:
        if ot.base == nt.base and ot.args == nt.args and ot.unsigned == nt.unsigned:
            return None
        return True, f"{spelled} is another type: readers' casts and comparisons may break"
    # The rest (json/jsonb, uuid, boolean, date, money, ...): one family, one kind of value.
    return False, f"{spelled}: the same kind of value"


def _compare_integers(
    ot: _Type, nt: _Type, *, dialect: str, spelled: str, old: Column, new: Column
) -> tuple[bool, str] | None:
    if dialect == "sqlite":
        # Every SQLite integer is a 64-bit signed value whatever its declared name.
        return False, f"{spelled}: SQLite stores both as the same 64-bit integer"
    before, after = _int_range(ot), _int_range(nt)
    if before == after:
        if old.type_family != new.type_family:
            # tinyint(1) <-> tinyint(4): the same storage, spelled as a boolean or not.
            return False, f"{spelled}: the same storage, no longer read as the same type"
        return None  # display widths (int(11) -> int) are not a change
    if after[0] <= before[0] and after[1] >= before[1]:
        return False, f"{spelled} widens"
    if after[0] > before[0]:
        return True, f"{spelled} narrows: negative values no longer fit"
    return True, f"{spelled} narrows: larger values no longer fit"


def _int_range(t: _Type) -> tuple[int, int]:
    size = _INT_BYTES.get(t.base, 8)
    if t.unsigned:
        return 0, 2 ** (8 * size) - 1
    return -(2 ** (8 * size - 1)), 2 ** (8 * size - 1) - 1


def _capacity(column: Column, t: _Type, dialect: str) -> float:
    if t.base in _LOB_CAPACITY:
        return _LOB_CAPACITY[t.base]
    if column.max_length is not None:
        return column.max_length
    if t.args and t.args[0].isdigit():
        return int(t.args[0])
    if dialect == "mysql" and t.base in ("char", "binary"):
        return 1  # MySQL's CHAR and BINARY without a length hold one
    return _UNBOUNDED


def _compare_capacity(
    before: float, after: float, spelled: str, what: str
) -> tuple[bool, str] | None:
    if after < before:
        return True, f"{spelled} narrows: {what} no longer fit"
    if after > before:
        return False, f"{spelled} widens"
    return False, f"{spelled}: the same capacity"


def _numeric(t: _Type, dialect: str) -> tuple[float, float]:
    """(integer digits, scale); unbounded when the type says no precision."""
    if not t.args or not t.args[0].isdigit():
        # MySQL's bare DECIMAL is DECIMAL(10, 0); PostgreSQL's bare NUMERIC is unbounded.
        return (10.0, 0.0) if dialect == "mysql" else (_UNBOUNDED, _UNBOUNDED)
    precision = int(t.args[0])
    scale = int(t.args[1]) if len(t.args) > 1 and t.args[1].lstrip("-").isdigit() else 0
    return float(precision - scale), float(scale)


def _compare_numeric(ot: _Type, nt: _Type, *, dialect: str, spelled: str) -> tuple[bool, str]:
    (before_int, before_scale), (after_int, after_scale) = (
        _numeric(ot, dialect),
        _numeric(nt, dialect),
    )
    if after_scale < before_scale:
        return True, f"{spelled} narrows: less scale, digits after the point are rounded away"
    if after_int < before_int:
        return True, f"{spelled} narrows: less precision, larger values no longer fit"
    if nt.unsigned and not ot.unsigned:
        return True, f"{spelled} narrows: negative values no longer fit"
    if (after_int, after_scale) == (before_int, before_scale) and ot.unsigned == nt.unsigned:
        return False, f"{spelled}: the same values"
    return False, f"{spelled} widens"


def _float_bytes(t: _Type, dialect: str) -> int:
    if dialect == "sqlite":
        return 8
    if t.base == "float" and t.args and t.args[0].isdigit():
        # float(p): single precision up to 24 binary digits, double above.
        return 4 if int(t.args[0]) <= 24 else 8
    if t.base == "float" and dialect == "postgresql":
        return 8  # PostgreSQL's bare float is double precision
    return _FLOAT_BYTES.get(t.base, 8)


# Tables: keys, references, uniques, indexes, comments ------------------------------------


def _table_changes(
    ot: Table,
    nt: Table,
    column_renames: dict[tuple[str, str], dict[str, str]],
    *,
    renamed_tables: list[tuple[Table, Table]],
) -> Iterable[Change]:
    qn = nt.qualified_name
    own = column_renames.get(nt.key, {})

    def cols(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(own.get(n, n) for n in names)

    def obj(columns: tuple[str, ...]) -> str:
        return f"{qn}.{columns[0]}" if len(columns) == 1 else qn

    old_pk = cols(ot.primary_key.columns) if ot.primary_key else None
    new_pk = nt.primary_key.columns if nt.primary_key else None
    if old_pk != new_pk:
        if old_pk is None:
            yield Change(
                PRIMARY_KEY_CHANGED,
                qn,
                qn,
                after=_cols(new_pk),
                reason=f"primary key added on {_cols(new_pk)}",
            )
        elif new_pk is None:
            yield Change(
                PRIMARY_KEY_CHANGED,
                qn,
                qn,
                before=_cols(old_pk),
                breaking=True,
                reason="primary key dropped: rows are no longer identified, joins may fan out",
            )
        else:
            yield Change(
                PRIMARY_KEY_CHANGED,
                qn,
                qn,
                before=_cols(old_pk),
                after=_cols(new_pk),
                breaking=True,
                reason=(
                    f"primary key moved from {_cols(old_pk)} to {_cols(new_pk)}: "
                    "joins and deduplication on the old key break"
                ),
            )

    table_map = {o.key: n.key for o, n in renamed_tables if o.key != n.key}

    def fk_shape(fk: m.ForeignKey, *, mapped: bool) -> tuple[Any, ...]:
        ref = (fk.ref_schema, fk.ref_table)
        ref_cols = fk.ref_columns
        columns = fk.columns
        if mapped:
            columns = cols(columns)
            ref = table_map.get(ref, ref)
            ref_renames = column_renames.get(ref, {})
            ref_cols = tuple(ref_renames.get(c, c) for c in ref_cols)
        return (columns, ref, ref_cols)

    old_fks = {fk_shape(fk, mapped=True) for fk in ot.foreign_keys}
    new_fks = {fk_shape(fk, mapped=False) for fk in nt.foreign_keys}
    for shape in sorted(old_fks - new_fks):
        yield Change(
            FOREIGN_KEY_DROPPED,
            obj(shape[0]),
            qn,
            before=_fk_text(shape),
            reason="foreign key dropped: the relationship is no longer declared",
        )
    for shape in sorted(new_fks - old_fks):
        yield Change(
            FOREIGN_KEY_ADDED,
            obj(shape[0]),
            qn,
            after=_fk_text(shape),
            reason="foreign key added",
        )

    old_uniques = {cols(u.columns) for u in ot.unique_constraints}
    new_uniques = {u.columns for u in nt.unique_constraints}
    for columns in sorted(old_uniques - new_uniques):
        yield Change(
            UNIQUE_DROPPED,
            obj(columns),
            qn,
            before=_cols(columns),
            reason=f"unique constraint on {_cols(columns)} dropped: duplicates may appear",
        )
    for columns in sorted(new_uniques - old_uniques):
        yield Change(
            UNIQUE_ADDED,
            obj(columns),
            qn,
            after=_cols(columns),
            reason=f"unique constraint on {_cols(columns)} added",
        )

    old_indexes = Counter(_index_shape(i, cols) for i in _plain_indexes(ot))
    new_indexes = Counter(_index_shape(i, lambda c: c) for i in _plain_indexes(nt))
    for shape in sorted((old_indexes - new_indexes).elements()):
        yield Change(INDEX_DROPPED, qn, qn, before=_index_text(shape), reason="index dropped")
    for shape in sorted((new_indexes - old_indexes).elements()):
        yield Change(INDEX_ADDED, qn, qn, after=_index_text(shape), reason="index added")

    if (ot.comment or None) != (nt.comment or None):
        yield Change(
            COMMENT_CHANGED, qn, qn, before=ot.comment, after=nt.comment, reason="comment changed"
        )


def _plain_indexes(t: Table) -> list[m.Index]:
    # Indexes that back a key or a unique constraint are reported as that constraint.
    constraint_names = {u.name for u in t.unique_constraints if u.name}
    if t.primary_key and t.primary_key.name:
        constraint_names.add(t.primary_key.name)
    return [i for i in t.indexes if not i.primary and i.name not in constraint_names]


def _index_shape(i: m.Index, cols: Any) -> tuple[Any, ...]:
    return (cols(i.columns), i.unique, i.predicate or "", i.method or "")


def _index_text(shape: tuple[Any, ...]) -> str:
    columns, unique, predicate, method = shape
    text = f"{'unique ' if unique else ''}({', '.join(columns)})"
    if method and method != "btree":
        text += f" using {method}"
    if predicate:
        text += f" where {predicate}"
    return text


def _cols(columns: tuple[str, ...] | None) -> str:
    return f"({', '.join(columns or ())})"


def _fk_text(shape: tuple[Any, ...]) -> str:
    columns, (ref_schema, ref_table), ref_columns = shape
    return f"{_cols(columns)} -> {ref_schema}.{ref_table}{_cols(ref_columns)}"


# Views ----------------------------------------------------------------------------------


def _view_changes(
    ot: Table,
    nt: Table,
    col_pairs: list[tuple[Column, Column]],
    col_dropped: list[Column],
    col_added: list[Column],
    dialect: str,
) -> Iterable[Change]:
    qn = nt.qualified_name
    retyped = [
        (oc, nc, verdict)
        for oc, nc in col_pairs
        if (verdict := compare_types(oc, nc, dialect=dialect)) is not None
    ]
    lost = [c.name for c in col_dropped]
    columns_moved = lost or col_added or retyped or ot.kind != nt.kind
    if columns_moved or (ot.view_definition or "") != (nt.view_definition or ""):
        parts = []
        if ot.kind != nt.kind:
            parts.append(f"was a {ot.kind.replace('_', ' ')}, now a {nt.kind.replace('_', ' ')}")
        if lost:
            parts.append(f"lost {', '.join(lost)}: queries selecting them fail")
        if col_added:
            parts.append(f"gained {', '.join(c.name for c in col_added)}")
        parts.extend(f"{nc.name}: {verdict[1]}" for oc, nc, verdict in retyped)
        if not parts:
            parts.append("definition changed; the same columns")
        breaking = bool(lost) or any(v[0] for _, _, v in retyped)
        before: str | None
        after: str | None
        if columns_moved:
            before = ", ".join(c.name for c in ot.columns)
            after = ", ".join(c.name for c in nt.columns)
        else:
            before, after = ot.view_definition, nt.view_definition
        yield Change(
            VIEW_CHANGED,
            qn,
            qn,
            before=before,
            after=after,
            breaking=breaking,
            reason="; ".join(parts),
        )
    if (ot.comment or None) != (nt.comment or None):
        yield Change(
            COMMENT_CHANGED, qn, qn, before=ot.comment, after=nt.comment, reason="comment changed"
        )
    for oc, nc in col_pairs:
        if (oc.comment or None) != (nc.comment or None):
            yield Change(
                COMMENT_CHANGED,
                f"{qn}.{nc.name}",
                qn,
                before=oc.comment,
                after=nc.comment,
                reason="comment changed",
            )
