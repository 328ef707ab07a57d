"""Theme ``types``: data stored with its proper type (and the references between tables)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from functools import lru_cache
from itertools import chain, compress
from operator import attrgetter
from typing import Any

from catalog.inflection import split_words
from catalog.introspection.model import (
    BINARY,
    BOOLEAN,
    DATE,
    DECIMAL,
    FLOAT,
    INTEGER,
    JSON,
    MONEY,
    TEXT,
    TIMESTAMP,
    TIMESTAMPTZ,
    UUID,
    Column,
    Table,
)
from catalog.relations import DEFAULT_IGNORE, reference_target
from catalog.sql import BIGINT, MONEY_NUMERIC, NUMERIC, TIMESTAMP_TYPE
from scoring import observations as obs
from scoring.observations import ValueProfile
from scoring.rules.base import (
    COLUMN,
    ESCALATE,
    RELATION,
    TYPES,
    ColumnRef,
    Outcome,
    Rule,
    Schema,
    Severity,
    Verdict,
    passed,
    passes,
)
from scoring.rules.timestamps import is_moment_name, is_stored_moment_name

_SYNONYMS = {
    "int": "integer",
    "int4": "integer",
    "int8": "bigint",
    "int2": "smallint",
    "serial": "integer",
    "bigserial": "bigint",
    "varchar": "character varying",
    "char": "character",
    "bpchar": "character",
    "bool": "boolean",
    "float8": "double precision",
    "float4": "real",
    "timestamptz": "timestamp with time zone",
}
_NAME = attrgetter("name")
_FAMILY = attrgetter("type_family")
_WIDTH = re.compile(r"\s*\(\s*\d+\s*\)")


def normal_type(column: Column) -> str:
    """A column's type for comparison: synonyms folded, integer display widths dropped."""
    return _normal_type(column.data_type, column.type_family)


@lru_cache(maxsize=4096)
def _normal_type(data_type: str, family: str) -> str:
    text = " ".join(data_type.lower().split())
    if family == INTEGER:
        text = _WIDTH.sub("", text)
    head, sep, rest = text.partition("(")
    head = _SYNONYMS.get(head.strip(), head.strip())
    return head + (sep + rest if sep else "")


def _alter_to(schema: Schema, table: Table, column: Column, target: Column) -> str | None:
    return schema.sql.alter_type(table, column, target.data_type)


def check_fk_declared_mismatch(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    model = schema.model
    for table in schema.base_tables:
        unit = table.qualified_name
        for fk in table.foreign_keys:
            ref = model.table(fk.ref_schema, fk.ref_table)
            if ref is None:
                continue
            for name, ref_name in zip(fk.columns, fk.ref_columns, strict=False):
                column, target = table.column(name), ref.column(ref_name)
                if column is None or target is None:
                    continue
                obj = f"{unit}.{name}"
                if column.data_type == target.data_type or normal_type(column) == normal_type(
                    target
                ):
                    yield passed(unit, obj)
                    continue
                kind = "width" if column.type_family == target.type_family else "type"
                yield Outcome(
                    unit,
                    obj,
                    f"{name} is {column.data_type} but references {ref.qualified_name}.{ref_name}, "
                    f"{target.data_type} (the {kind} differs).",
                    _alter_to(schema, table, column, target),
                )


def check_fk_inferred_mismatch(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    model = schema.model
    for ref in schema.references(options["ignore"]).references(include_declared=False):
        if (ref.schema, ref.table) not in schema.in_scope:
            continue
        table = model.table(ref.schema, ref.table)
        target_table = model.table(ref.ref_schema, ref.ref_table)
        column = table.column(ref.column) if table else None
        target = target_table.column(ref.ref_column) if target_table else None
        if table is None or target_table is None or column is None or target is None:
            continue
        unit = table.qualified_name
        obj = f"{unit}.{column.name}"
        if column.type_family == target.type_family:
            yield passed(unit, obj)
            continue
        yield Outcome(
            unit,
            obj,
            f"{column.name} ({column.data_type}) looks like a reference to "
            f"{target_table.qualified_name}.{target.name}, which is {target.data_type}: "
            "joins need a cast.",
            _alter_to(schema, table, column, target),
        )


GENERIC_NAMES = ("id", "name", "type", "status", "value", "data", "code", "key", "description")


# Families compared as one: numbers that differ only in width or scale (width in pixels and
# in centimetres), and moments with or without a zone (ts-without-tz's business).
_COMPARED_FAMILY = {
    INTEGER: "number",
    DECIMAL: "number",
    FLOAT: "number",
    MONEY: "number",
    TIMESTAMPTZ: TIMESTAMP,
}
_FLAG_VERBS = frozenset({"is", "has", "can", "should", "was", "allow", "allows", "needs"})


@lru_cache(maxsize=65536)
def means_one_thing(name: str) -> bool:
    """Names that mean the same thing in every table (RULES.md "Homonyms"): references,
    moments, flags and money. A width, a weight or a token may be different concepts."""
    words = split_words(name)
    return bool(words) and (
        reference_target(name) is not None
        or is_moment_name(name)
        or (len(words) > 1 and words[0] in _FLAG_VERBS)
        or is_money_name(name)
    )


def _compared(column: Column) -> str:
    return _COMPARED_FAMILY.get(column.type_family, column.type_family)


def _references_to_nothing(schema: Schema, names: set[str]) -> set[str]:
    """The names among ``names`` that mean one thing only as references, while no use of
    them refers to a table (Synapse's stream_id: a stream position, text in one table for
    a remote server's opaque id; txn_id: an appservice counter and a client's string).
    Nothing says two of them mean the same thing."""
    referring = schema.references().referring_names
    return {
        name
        for name in names - referring
        if not (is_moment_name(name) or is_money_name(name) or name.split("_")[0] in _FLAG_VERBS)
    }


def check_same_name_mismatch(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    generic = {n.lower() for n in options["ignore_names"]}
    snake = schema.snake_names.__getitem__
    # Per base table, its columns' names as words; counted and paired with their compared
    # families by C-level iteration (100,000 columns, nearly all of them passing).
    tables = [
        (table, unit, tuple(map(snake, map(_NAME, table.columns))), objects, refs)
        for table, unit, objects, refs in schema.column_groups
        if table.is_base_table
    ]
    in_tables = Counter(chain.from_iterable(set(t[2]) for t in tables))
    compared = {
        name
        for name, n in in_tables.items()
        if n > 1 and name not in generic and means_one_thing(name)
    }
    if compared:
        compared -= _references_to_nothing(schema, compared)
    if not compared:
        return
    raw = list(chain.from_iterable(map(_FAMILY, t[0].columns) for t in tables))
    families = map(_COMPARED_FAMILY.get, raw, raw)  # C speed over 100,000 columns
    pairs = set(zip(chain.from_iterable(t[2] for t in tables), families, strict=True))
    kinds = Counter(name for name, _ in pairs if name in compared)
    mixed = {name for name, n in kinds.items() if n > 1}
    agreed = compared - mixed

    # Names typed differently: every use, in table order, decides the majority.
    uses: dict[str, list[ColumnRef]] = defaultdict(list)
    for _, _, names, _, refs in tables:
        if not mixed.isdisjoint(names):
            for name, ref in zip(names, refs, strict=True):
                if name in mixed:
                    uses[name].append(ref)
    verdicts = {name: _majority(entries) for name, entries in uses.items()}

    for table, unit, names, objects, refs in tables:
        if mixed.isdisjoint(names):
            ok = tuple(compress(objects, map(agreed.__contains__, names)))
            if ok:
                yield passes(unit, ok)
            continue
        for name, (_, column, obj, _) in zip(names, refs, strict=True):
            if name in agreed:
                yield passed(unit, obj)
            elif name in mixed:
                dominant, tie, summary, model_type = verdicts[name]
                if _compared(column) == dominant and not tie:
                    yield passed(unit, obj)
                elif tie:
                    yield Outcome(
                        unit,
                        obj,
                        f"{name} has different types with no majority ({summary}).",
                    )
                else:
                    yield Outcome(
                        unit,
                        obj,
                        f"{name} is {column.data_type} here but {model_type} in most tables "
                        f"({summary}).",
                        schema.sql.alter_type(table, column, model_type),
                    )


def _majority(uses: list[ColumnRef]) -> tuple[str, bool, str, str]:
    """The dominant compared family of a name's uses, whether it ties, the counts as text,
    and the exact type a minority column should move to (the majority's most common)."""
    ranked = Counter(_compared(entry[1]) for entry in uses).most_common()
    dominant = ranked[0][0]
    summary = ", ".join(f"{family} in {n} table{'s' if n > 1 else ''}" for family, n in ranked)
    model_type = Counter(
        entry[1].data_type for entry in uses if _compared(entry[1]) == dominant
    ).most_common(1)[0][0]
    return dominant, ranked[0][1] == ranked[1][1], summary, model_type


# Sampling: what a text column's values really are ---------------------------

_FIX_TYPES = {
    obs.INT: BIGINT,
    obs.DECIMAL: NUMERIC,
    obs.BOOL: BOOLEAN,
    obs.DATE: DATE,
    obs.TIMESTAMP: TIMESTAMP_TYPE,
    obs.UUID: UUID,
    obs.JSON: JSON,
}


def encoded_kind(profile: ValueProfile, options: Mapping[str, Any]) -> str | None:
    """The most specific kind that a column's sampled values parse as, or None."""
    if profile.sampled < options["min_values"]:
        return None
    for kind in obs.KINDS:
        if kind in (obs.INT, obs.DECIMAL) and profile.leading_zero:
            continue  # zip codes, account numbers: codes, not numbers
        if profile.parses.get(kind, 0) < options["min_share"] * profile.sampled:
            continue
        # Booleans have two values by nature; the other kinds need variety to be believed.
        needed = 2 if kind == obs.BOOL else options["min_distinct"]
        if profile.distinct >= needed:
            return kind
    return None


def _encodes(kind: str) -> Any:
    def check(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
        profiles = schema.observations.columns
        if not profiles:
            return
        # Binary strings are sampled where the dialect can read them as text (MySQL).
        for table, column, obj, unit in schema.base_columns_of({TEXT, BINARY}):
            profile = profiles.get(obj)
            if profile is None or not profile.sampled:
                continue
            found = encoded_kind(profile, options)
            if found != kind:
                yield passed(unit, obj)
                continue
            if found in (obs.INT, obs.DECIMAL) and is_stored_moment_name(column.name):
                yield passed(unit, obj)  # 20261205081500 is a moment: ts-string-typed's finding
                continue
            share = profile.parses.get(kind, 0) / profile.sampled
            target = schema.sql.type_name(_FIX_TYPES[kind])
            reference = reference_target(column.name) is not None
            yield Outcome(
                unit,
                obj,
                f"{column.name} is {column.data_type}, but {share:.0%} of {profile.sampled} sampled "
                f"values ({profile.distinct} distinct) are {kind} values"
                + (", and it looks like a reference." if reference else "."),
                schema.sql.alter_type(table, column, target) if target else None,
                lane=ESCALATE if reference else None,
            )

    return check


_SAMPLING_OPTIONS = {"min_values": 50, "min_distinct": 5, "min_share": 0.98}
_SAMPLING_NOTE = (
    "Sampling: applies to text columns with a sample, and nothing without one. Fails when "
    "at least 98% of at least 50 non-null sampled values parse as the kind, with at least 5 "
    "distinct values (2 for booleans, which have two "
    "values by nature). A column is reported under its most specific kind only (bool, int, "
    "decimal, uuid, date, timestamp, json): 0/1 is a boolean, integers are not decimals. "
    "Values with a leading zero (zip codes, 00501) make a column a code, never a number. An "
    "error instead of a warning when the column looks like a reference (customer_id)."
)


def _encodes_rule(kind: str, what: str, why: str) -> Rule:
    return Rule(
        id=f"type-string-encodes-{kind}",
        title=f"{what} kept in a string",
        theme=TYPES,
        severity=Severity.WARNING,
        applies_to=COLUMN,
        rationale=why + " " + _SAMPLING_NOTE,
        check=_encodes(kind),
        options=_SAMPLING_OPTIONS,
        sampling=True,
    )


MONEY_WORDS = frozenset({"price", "amount", "cost", "total", "balance", "fee"})


@lru_cache(maxsize=65536)
def is_money_name(name: str) -> bool:
    """price, unit_price, total; also amount_usd, fee_cents (a currency or unit after it)."""
    words = split_words(name)
    if not words:
        return False
    if words[-1] in MONEY_WORDS:
        return True
    return (
        len(words) >= 2
        and words[-2] in MONEY_WORDS
        and (words[-1] == "cents" or (len(words[-1]) == 3 and words[-1].isalpha()))
    )


def check_float_money(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    target = schema.sql.type_name(MONEY_NUMERIC)
    money_names = {name for name in schema.snake_names if is_money_name(name)}
    candidates = schema.base_columns_named(money_names) + tuple(
        ref for ref in schema.base_columns_of({MONEY}) if ref[1].name not in money_names
    )
    for table, column, obj, unit in candidates:
        if column.type_family not in (FLOAT, MONEY):
            yield passed(unit, obj)
            continue
        why = (
            "money type depends on the server's lc_monetary"
            if column.type_family == MONEY
            else "binary floating point cannot hold cents exactly"
        )
        yield Outcome(
            unit,
            obj,
            f"{column.name} is {column.data_type}: {why}; use a decimal.",
            schema.sql.alter_type(table, column, target) if target else None,
        )


_NULL_STRING = re.compile(r"^\(?'null'\)?(::[\w\s]+(\(\d+\))?)?$", re.IGNORECASE)


def check_default_null_string(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    for table, column, obj, unit in schema.base_columns:
        if column.default is None:
            continue
        if _NULL_STRING.match(column.default.strip()):
            yield Outcome(
                unit,
                obj,
                f"{column.name} defaults to the string 'null', which IS NOT NULL.",
                schema.sql.drop_default(table, column),
            )
        else:
            yield passed(unit, obj)


def check_inferred_fk_undeclared(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    model = schema.model
    # Declared foreign keys pass, column by column (straight from the model: the guesser's
    # declared references are the same pairs, built as objects).
    for declaring in schema.tables:
        if declaring.foreign_keys:
            unit = declaring.qualified_name
            for fk in declaring.foreign_keys:
                for name, _ in zip(fk.columns, fk.ref_columns, strict=False):
                    yield passed(unit, f"{unit}.{name}")
    for ref in schema.references(options["ignore"]).references(include_declared=False):
        if (ref.schema, ref.table) not in schema.in_scope:
            continue
        table = model.table(ref.schema, ref.table)
        unit = f"{ref.schema}.{ref.table}"
        obj = f"{unit}.{ref.column}"
        target = model.table(ref.ref_schema, ref.ref_table)
        column = table.column(ref.column) if table else None
        key = target.column(ref.ref_column) if target else None
        same_family = (
            column is not None and key is not None and column.type_family == key.type_family
        )
        # A foreign key needs the very same type (MariaDB refuses int vs int unsigned).
        same_type = same_family and normal_type(column) == normal_type(key)  # type: ignore[arg-type]
        message = (
            f"{ref.column} looks like a reference to {ref.ref_schema}.{ref.ref_table}."
            f"{ref.ref_column} (by {ref.strategy}) but no foreign key says so"
        )
        if not same_family:
            message += "; the types differ, so fix type-fk-inferred-mismatch first"
        elif not same_type:
            message += f"; align its type with the key's ({key.data_type}) first"  # type: ignore[union-attr]
        yield Outcome(
            unit,
            obj,
            message + ".",
            schema.sql.add_foreign_key(table, ref.column, target, ref.ref_column)
            if table and target and same_type
            else None,
        )


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def check_dangling_id(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    guesser = schema.references(options["ignore"])
    for ref in guesser.references(include_declared=False):
        if (ref.schema, ref.table) in schema.in_scope:
            unit = f"{ref.schema}.{ref.table}"
            yield passed(unit, f"{unit}.{ref.column}")
    for dangling in guesser.dangling():
        if (dangling.schema, dangling.table) not in schema.in_scope:
            continue
        unit = f"{dangling.schema}.{dangling.table}"
        yield Outcome(
            unit,
            f"{unit}.{dangling.column}",
            f"{dangling.column} looks like a reference to {_article(dangling.target)} "
            f"{dangling.target}, but no table is named so.",
        )


_REFERENCES_NOTE = (
    "Reference-like names are {x}_id, {x}Id and id_{x}, resolved against singular and plural "
    "table names; polymorphic pairs (a sibling {x}_type) and ids of external systems "
    "(stripe_customer_id; a list the rule's settings can change) are skipped."
)

RULES = (
    Rule(
        id="type-fk-declared-mismatch",
        title="Foreign key and referenced column of different types",
        theme=TYPES,
        severity=Severity.ERROR,
        applies_to=RELATION,
        rationale=(
            "A bigint key referenced by an int column overflows one day; a varchar(50) "
            "referencing a varchar(100) rejects valid keys. Types are compared after "
            "folding synonyms (int4 is integer) and MySQL's integer display widths; int vs "
            "bigint and width differences fail. One outcome per column pair."
        ),
        check=check_fk_declared_mismatch,
    ),
    Rule(
        id="type-fk-inferred-mismatch",
        title="Reference by name with another type than its target",
        theme=TYPES,
        severity=Severity.ERROR,
        applies_to=COLUMN,
        rationale=(
            "customer_id is text here and integer in customers: every join needs a cast, "
            "and the cast fails on the first bad value. Compares type families (text vs "
            "integer), not widths. " + _REFERENCES_NOTE
        ),
        check=check_fk_inferred_mismatch,
        options={"ignore": DEFAULT_IGNORE},
    ),
    Rule(
        id="type-same-name-mismatch",
        title="One column name, several types",
        theme=TYPES,
        severity=Severity.WARNING,
        applies_to=COLUMN,
        rationale=(
            "The same name should hold the same kind of data in every table. Only names "
            "that mean one thing everywhere are compared: references (customer_id), "
            "moments (created_at), flags (is_active) and money (price); a width or a token "
            "may be different things in different tables. Names are compared by their "
            "words (customerId is customer_id) across base tables; types by family, since "
            "text vs integer breaks joins and unions while int vs bigint, or two decimals "
            "of different scale, do not. The majority family wins and the others fail; a "
            "tie fails all. "
            "Generic names are ignored: name, type, status, value, "
            "data, code, key, description, and id, since each table's own id identifies a "
            "different thing."
        ),
        check=check_same_name_mismatch,
        options={"ignore_names": GENERIC_NAMES},
    ),
    _encodes_rule(
        "int", "Integers", "Numbers in strings sort as text (10 < 9) and sum only after a cast."
    ),
    _encodes_rule(
        "decimal", "Decimals", "Amounts in strings need a cast, and a bad value breaks it."
    ),
    _encodes_rule(
        "bool", "Booleans", "'yes', 'Y', 'true' and '1' all mean true, until one does not."
    ),
    _encodes_rule("date", "Dates", "Dates in strings compare as text and hide their format."),
    _encodes_rule(
        "timestamp", "Timestamps", "Timestamps in strings compare as text and lose their zone."
    ),
    _encodes_rule("uuid", "UUIDs", "UUIDs in strings take twice the space and are not validated."),
    _encodes_rule(
        "json", "JSON documents", "JSON in text cannot be queried or validated by the database."
    ),
    Rule(
        id="type-float-money",
        title="Money in a float",
        theme=TYPES,
        severity=Severity.WARNING,
        applies_to=COLUMN,
        rationale=(
            "0.1 + 0.2 is not 0.3 in a float, and sums of money drift. Applies to columns "
            "named like money (last word price, amount, cost, total, balance or fee, or one "
            "of them followed by a currency code or cents) and to PostgreSQL money columns, "
            "which fail too: their meaning depends on a server setting."
        ),
        check=check_float_money,
    ),
    Rule(
        id="type-default-null-string",
        title="Default of the string 'null'",
        theme=TYPES,
        severity=Severity.WARNING,
        applies_to=COLUMN,
        rationale=(
            "A default of 'null' (the four letters) passes every IS NOT NULL test and "
            "pollutes every distinct count. Applies to columns with a default."
        ),
        check=check_default_null_string,
    ),
    Rule(
        id="rel-inferred-fk-undeclared",
        title="Reference without a foreign key",
        theme=TYPES,
        severity=Severity.INFO,
        applies_to=COLUMN,
        rationale=(
            "Undeclared references are not enforced and are invisible to tools that read "
            "the catalog; the ERD draws them dashed. Applies to declared foreign key columns "
            "(which pass) and to columns that resolve by name to exactly one table with a "
            "single-column key. " + _REFERENCES_NOTE
        ),
        check=check_inferred_fk_undeclared,
        options={"ignore": DEFAULT_IGNORE},
    ),
    Rule(
        id="rel-dangling-id",
        title="Reference-like column that points nowhere",
        theme=TYPES,
        severity=Severity.INFO,
        applies_to=COLUMN,
        rationale=(
            "A customer_id with no customers table is an id from another system, a dropped "
            "table, or a typo; say which in its description. Applies to undeclared "
            "reference-like columns that resolve or dangle (ambiguous names are neither). "
            + _REFERENCES_NOTE
        ),
        check=check_dangling_id,
        options={"ignore": DEFAULT_IGNORE},
    ),
)
