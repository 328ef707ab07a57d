"""Theme ``naming``: one consistent convention, judged against the database's own.

Each dimension (casing, table plurality, foreign key suffix, boolean prefix) classifies every
identifier, drops the ambiguous ones (a single lowercase word is both snake_case and
camelCase), and takes the most common class if its share reaches the threshold (60% by
default). An ambiguous name then passes when the dominant class is among its readings
("orders" passes in a camelCase database, fails in a PascalCase one). The ``expected``
option turns a rule into fixed checking.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, lru_cache
from typing import Any

from catalog.inflection import (
    PLURAL,
    SINGULAR,
    plurality,
    pluralize,
    singularize,
    snake,
    split_words,
    strip_prefix,
)
from catalog.introspection.model import BOOLEAN, Table
from catalog.relations import table_prefixes
from scoring.rules.base import (
    COLUMN,
    DATABASE,
    DATABASE_LEVEL,
    NAMING,
    TABLE,
    Choice,
    Outcome,
    Rule,
    Schema,
    Severity,
    Verdict,
    passed,
    passes,
    percent,
)
from scoring.rules.timestamps import CREATED, UPDATED

SNAKE = "snake_case"
CAMEL = "camelCase"
PASCAL = "PascalCase"
SCREAMING = "SCREAMING_SNAKE_CASE"
MIXED = "mixed case"  # Order_Details, order-date: a class, never a convention
CASINGS = (SNAKE, CAMEL, PASCAL, SCREAMING)
ANY = frozenset(CASINGS)

THRESHOLD = 0.6
_PLAIN = re.compile(r"[A-Za-z0-9_]+")


@lru_cache(maxsize=65536)
def casings(name: str) -> frozenset[str]:
    """The casings a name can be read as: one, several (ambiguous), or {MIXED}."""
    core = name.strip("_")
    if not _PLAIN.fullmatch(core or "_"):
        return frozenset({MIXED})
    has_lower = any(c.islower() for c in core)
    has_upper = any(c.isupper() for c in core)
    underscore = "_" in core
    if not has_lower and not has_upper:
        return ANY  # digits only
    if not has_upper:
        return frozenset({SNAKE}) if underscore else frozenset({SNAKE, CAMEL})
    if not has_lower:
        return frozenset({SCREAMING}) if underscore else frozenset({SCREAMING, PASCAL})
    if underscore:
        return frozenset({MIXED})
    return frozenset({PASCAL}) if core[0].isupper() else frozenset({CAMEL})


def spell(words: tuple[str, ...], casing: str) -> str:
    if casing == SNAKE:
        return "_".join(words)
    if casing == SCREAMING:
        return "_".join(words).upper()
    titled = [w[:1].upper() + w[1:] for w in words]
    if casing == CAMEL and words:
        return words[0] + "".join(titled[1:])
    return "".join(titled)


class Dominance:
    """The dominant class of a population of classified names (None: no class dominates).

    ``readings`` are the classes each name can be read as, optionally with how many times
    the name occurs; names with several readings are ambiguous and not counted.
    """

    def __init__(
        self,
        readings: Iterable[frozenset[str] | tuple[frozenset[str], int]],
        *,
        threshold: float,
        never: str = MIXED,
    ):
        self.counts: Counter[str] = Counter()
        for reading in readings:
            classes, times = reading if isinstance(reading, tuple) else (reading, 1)
            if len(classes) == 1:
                for cls in classes:
                    self.counts[cls] += times
        self.classified = sum(self.counts.values())
        self.dominant: str | None = None
        if self.classified:
            top, count = self.counts.most_common(1)[0]
            if top != never and count / self.classified >= threshold:
                self.dominant = top

    def share(self, cls: str) -> str:
        return percent(self.counts[cls], self.classified)

    def spread(self) -> str:
        return ", ".join(
            f"{percent(n, self.classified)} {cls}" for cls, n in self.counts.most_common()
        )


def _expected(options: Mapping[str, Any], population: str) -> str | None:
    expected = options.get("expected")
    if isinstance(expected, Mapping):
        return expected.get(population)
    return expected


# One table's names: (table, unit, names, object names). A table name is a group of one.
NameGroup = tuple[Table, str, tuple[str, ...], tuple[str, ...]]


def _populations(schema: Schema) -> dict[str, tuple[list[NameGroup], Counter[str]]]:
    """tables/columns -> every name in scope by table, and how often each distinct name occurs."""

    def build() -> dict[str, tuple[list[NameGroup], Counter[str]]]:
        tables: list[NameGroup] = [
            (t, t.qualified_name, (t.name,), (t.qualified_name,)) for t in schema.tables
        ]
        columns = [
            (t, unit, tuple(c.name for c in t.columns), objects)
            for t, unit, objects, _ in schema.column_groups
        ]
        column_counts: Counter[str] = Counter()
        for group in columns:
            column_counts.update(group[2])
        return {
            "tables": (tables, Counter(t.name for t in schema.tables)),
            "columns": (columns, column_counts),
        }

    return schema.memo("naming.populations", build)


def _judge(
    schema: Schema,
    population: str,
    groups: list[NameGroup],
    bad: Mapping[str, tuple[str, str | None]],
) -> Iterator[Verdict]:
    """Outcomes of a rule that judges names alone. ``bad`` maps each failing name to its
    message and its new name (None: no rename fixes it). A group without a bad name is
    one Passes: 100,000 columns, mostly clean, need not be yielded one by one."""
    for table, unit, names, objects in groups:
        if bad.keys().isdisjoint(names):
            yield passes(unit, objects)
            continue
        for name, obj in zip(names, objects, strict=True):
            verdict = bad.get(name)
            if verdict is None:
                yield passed(unit, obj)
                continue
            message, new = verdict
            fix = None
            if new is not None:
                fix = (
                    schema.sql.rename_table(table, new)
                    if population == "tables"
                    else schema.sql.rename_column(table, name, new)
                )
            yield Outcome(unit, obj, message, fix)


def _casing_dominance(
    schema: Schema, population: str, counts: Counter[str], threshold: float
) -> Dominance:
    return schema.memo(
        f"naming.casing.{population}.{threshold}",
        lambda: Dominance(((casings(n), k) for n, k in counts.items()), threshold=threshold),
    )


def check_casing_outlier(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    threshold = options["threshold"]
    for population, (names, counts) in _populations(schema).items():
        expected = _expected(options, population)
        if expected:
            dominant, evidence = expected, f"the expected casing is {expected}"
        else:
            found = _casing_dominance(schema, population, counts, threshold)
            if found.dominant is None:
                continue
            dominant = found.dominant
            evidence = f"{found.share(dominant)} of {found.classified} {population} are {dominant}"
        bad = {
            name: (
                f"{evidence}; {name} is {' or '.join(sorted(casings(name)))}.",
                spell(split_words(name), dominant),
            )
            for name in counts
            if dominant not in casings(name)
        }
        yield from _judge(schema, population, names, bad)


def check_no_dominant_convention(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    if options.get("expected"):
        return  # fixed checking: there is a convention by decree
    problems = []
    classified = 0
    for population, (_, counts) in _populations(schema).items():
        found = _casing_dominance(schema, population, counts, options["threshold"])
        classified += found.classified
        if found.classified and found.dominant is None:
            problems.append(
                f"no casing reaches {percent(round(options['threshold'] * 100), 100)} of "
                f"{found.classified} {population} ({found.spread()})"
            )
    if not classified:
        return  # nothing to judge: an empty database, or only one-word names
    if problems:
        text = "; ".join(problems)
        yield Outcome(DATABASE, DATABASE, text[:1].upper() + text[1:] + ".")
    else:
        yield passed(DATABASE, DATABASE)


def _unquoted_ok(name: str, folds_to_lower: bool) -> str | None:
    """Why a name needs quoting, or None."""
    if not name:
        return "it is empty"
    if name[0].isdigit():
        return "it starts with a digit"
    if " " in name:
        return "it contains a space"
    if "-" in name:
        return "it contains a dash"
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_$]*", name):
        return "it contains characters other than letters, digits and underscores"
    if folds_to_lower and name != name.lower():  # ASCII only, as checked above
        return "it has upper case letters, which PostgreSQL folds to lower case unless quoted"
    return None


def check_needs_quoting(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    folds = schema.sql.dialect.folds_to_lower
    for population, (names, counts) in _populations(schema).items():
        bad = {}
        for name in counts:
            reason = _unquoted_ok(name, folds)
            if reason is not None:
                new = snake(name)
                renamable = new and not new[0].isdigit() and new != name
                message = f"{name} must be quoted in every query: {reason}."
                bad[name] = (message, new if renamable else None)
        yield from _judge(schema, population, names, bad)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _words_in_order(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Reserved words that cannot be used as a table or column name unquoted. Compact lists:
# PostgreSQL's "reserved" and "reserved (can be function or type)" keywords; MySQL 8's
# reserved words (a superset of MariaDB's, so a move between the two stays safe); SQLite's
# keywords that its parser does not accept as identifiers.
RESERVED = {
    "postgresql": _words(
        """
        all analyse analyze and any array as asc asymmetric authorization binary both
        case cast check collate collation column concurrently constraint create cross
        current_catalog current_date current_role current_schema current_time
        current_timestamp current_user default deferrable desc distinct do else end
        except false fetch for foreign freeze from full grant group having ilike in
        initially inner intersect into is isnull join lateral leading left like limit
        localtime localtimestamp natural not notnull null offset on only or order outer
        overlaps placing primary references returning right select session_user similar
        some symmetric system_user table tablesample then to trailing true union unique
        user using variadic verbose when where window with
        """
    ),
    "mysql": _words(
        """
        accessible add all alter analyze and as asc asensitive before between bigint
        binary blob both by call cascade case change char character check collate column
        condition constraint continue convert create cross cube cume_dist current_date
        current_time current_timestamp current_user cursor database databases day_hour
        day_microsecond day_minute day_second dec decimal declare default delayed delete
        dense_rank desc describe deterministic distinct distinctrow div double drop dual
        each else elseif empty enclosed escaped except exists exit explain false fetch
        first_value float float4 float8 for force foreign from fulltext function
        generated get grant group grouping groups having high_priority hour_microsecond
        hour_minute hour_second if ignore in index infile inner inout insensitive insert
        int int1 int2 int3 int4 int8 integer intersect interval into io_after_gtids
        io_before_gtids is iterate join json_table key keys kill lag last_value lateral
        lead leading leave left like limit linear lines load localtime localtimestamp
        lock long longblob longtext loop low_priority master_bind
        master_ssl_verify_server_cert match maxvalue mediumblob mediumint mediumtext
        middleint minute_microsecond minute_second mod modifies natural not
        no_write_to_binlog nth_value ntile null numeric of on optimize optimizer_costs
        option optionally or order out outer outfile over partition percent_rank
        precision primary procedure purge range rank read reads read_write real
        recursive references regexp release rename repeat replace require resignal
        restrict return revoke right rlike row rows row_number schema schemas
        second_microsecond select sensitive separator set show signal smallint spatial
        specific sql sqlexception sqlstate sqlwarning sql_big_result sql_calc_found_rows
        sql_small_result ssl starting stored straight_join system table terminated then
        tinyblob tinyint tinytext to trailing trigger true undo union unique unlock
        unsigned update usage use using utc_date utc_time utc_timestamp values varbinary
        varchar varcharacter varying virtual when where while window with write xor
        year_month zerofill
        """
    ),
    "sqlite": _words(
        """
        add all alter and as autoincrement between case check collate commit constraint
        create default deferrable delete distinct drop else escape except exists foreign
        from group having if in index insert intersect into is isnull join limit not
        notnull null on or order primary references select set table then to transaction
        union unique update using values when where
        """
    ),
}
_DIALECT_NAMES = {"postgresql": "PostgreSQL", "mysql": "MySQL", "sqlite": "SQLite"}


def check_reserved_word(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    reserved = RESERVED.get(schema.model.dialect, frozenset()) | {
        w.lower() for w in options["extra_words"]
    }
    dialect = _DIALECT_NAMES.get(schema.model.dialect, schema.model.dialect)
    for population, (names, counts) in _populations(schema).items():
        bad = {
            name: (f"{name} is a reserved word in {dialect}: every query must quote it.", None)
            for name in counts
            if name.lower() in reserved
        }
        yield from _judge(schema, population, names, bad)


def _entity_words(name: str, prefixes: frozenset[str]) -> tuple[str, ...]:
    return split_words(strip_prefix(name, prefixes))


def check_inflection_outlier(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    prefixes = schema.memo("table_prefixes", lambda: table_prefixes(schema.model))
    junctions = schema.junctions
    tables = [t for t in schema.base_tables if t.key not in junctions]
    readings = {}
    for table in tables:
        words = _entity_words(table.name, prefixes)
        number = plurality(words[-1]) if words else None
        readings[table.key] = (words, number)
    expected = options.get("expected")
    if expected:
        dominant, evidence = expected, f"tables are expected to be {expected}"
    else:
        found = Dominance(
            (frozenset({n}) if n else frozenset() for _, n in readings.values()),
            threshold=options["threshold"],
        )
        if found.dominant is None:
            return
        dominant = found.dominant
        evidence = f"{found.share(dominant)} of {found.classified} table names are {dominant}"
    for table in tables:
        unit = table.qualified_name
        words, number = readings[table.key]
        if number is None or number == dominant:
            yield passed(unit, unit)
            continue
        last = words[-1]
        new_last = singularize(last) if dominant == SINGULAR else pluralize(last)
        new_name = table.name[: len(table.name) - len(last)] + new_last
        # Only a rename the inflector can undo: never into a worse name (alias -> alia).
        back = pluralize(new_last) if dominant == SINGULAR else singularize(new_last)
        fix = (
            schema.sql.rename_table(table, new_name)
            if table.name.endswith(last) and back == last
            else None
        )
        yield Outcome(unit, unit, f"{evidence}; {table.name} is {number}.", fix)


_SUFFIXES = (
    ("_id", re.compile(r"_id$")),
    ("_ID", re.compile(r"_ID$")),
    ("Id", re.compile(r"[a-z0-9]Id$")),
    ("ID", re.compile(r"[a-z0-9]ID$")),
    ("_fk", re.compile(r"_fk$", re.IGNORECASE)),
    ("_key", re.compile(r"_key$", re.IGNORECASE)),
    ("_ref", re.compile(r"_ref$", re.IGNORECASE)),
)
NO_SUFFIX = "no suffix"


@cache
def fk_suffix(name: str) -> str | None:
    if name.lower() == "id":
        return None  # a key shared with the parent (one-to-one): says nothing about style
    for suffix, pattern in _SUFFIXES:
        if pattern.search(name):
            return suffix
    return NO_SUFFIX


def _rebase(name: str, suffix: str, new_suffix: str) -> str:
    base = name if suffix == NO_SUFFIX else name[: len(name) - len(suffix)]
    return base + ("" if new_suffix == NO_SUFFIX else new_suffix)


def check_fk_suffix_outlier(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    # A column named exactly like the key it holds (destination_rooms.destination ->
    # destinations.destination, a server name) already says what it is: not judged.
    columns = [
        (table, fk.columns[0])
        for table in schema.base_tables
        for fk in table.foreign_keys
        if len(fk.columns) == 1 and fk.columns[0] != fk.ref_columns[0]
    ]
    expected = options.get("expected")
    if expected:
        dominant, evidence = expected, f"the expected suffix is {expected}"
    else:
        found = Dominance(
            (frozenset({s}) if (s := fk_suffix(c)) else frozenset() for _, c in columns),
            threshold=options["threshold"],
            never="",
        )
        if found.dominant is None:
            return
        dominant = found.dominant
        evidence = (
            f"{found.share(dominant)} of {found.classified} foreign key columns end in {dominant}"
        )
    for table, column in columns:
        unit = table.qualified_name
        obj = f"{unit}.{column}"
        suffix = fk_suffix(column)
        if suffix is None or suffix == dominant:
            yield passed(unit, obj)
            continue
        new = _rebase(column, suffix, dominant)
        # Never into a worse name: a reserved word (type_id -> type, new_id -> new) needs
        # quoting forever, so the suffix stays.
        worse = new.lower() in RESERVED.get(schema.model.dialect, frozenset()) or new.lower() in (
            "type",
            "new",
            "old",
        )
        fix = (
            schema.sql.rename_column(table, column, new)
            if new and new != column and not worse
            else None
        )
        yield Outcome(unit, obj, f"{evidence}; {column} has {suffix}.", fix)


BOOLEAN_VERBS = _words(
    "is has have had can could should was were does did will allow allows needs must uses"
)
PREFIXED = "a verb prefix (is_, has_, can_, ...)"
BARE = "no verb prefix"


def check_boolean_prefix(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    verbs = BOOLEAN_VERBS | {v.lower() for v in options["extra_prefixes"]}
    columns = schema.base_columns_of({BOOLEAN})

    def style(name: str) -> str:
        words = split_words(name)
        return PREFIXED if len(words) > 1 and words[0] in verbs else BARE

    found = Dominance(
        (frozenset({style(entry[1].name)}) for entry in columns),
        threshold=options["threshold"],
        never="",
    )
    if found.dominant is None:
        return
    dominant = found.dominant
    for _table, column, obj, unit in columns:
        this = style(column.name)
        if this == dominant:
            yield passed(unit, obj)
        else:
            yield Outcome(
                unit,
                obj,
                f"{found.share(dominant)} of {found.classified} boolean columns have {dominant}; "
                f"{column.name} has {this}.",
            )


CONCEPTS = {
    "created": CREATED,
    "updated": UPDATED,
    "deleted": _words_in_order("deleted_at deleted_on deletion_date date_deleted removed_at"),
}


def check_concept_synonyms(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    concept_of = {
        snake(spelling): concept
        for concept, spellings in options["concepts"].items()
        for spelling in spellings
    }
    # Per distinct name, then one lookup per column.
    named = {
        name: (concept, spelling)
        for name, spelling in schema.snake_names.items()
        if (concept := concept_of.get(spelling))
    }
    by_concept: dict[str, list[tuple[Table, str, str, str, str]]] = defaultdict(list)
    for table, column, obj, unit in schema.base_columns_named(named):
        if column.type_family == BOOLEAN:
            continue  # a boolean "deleted" is a flag, not a spelling of deleted_at
        concept, spelling = named[column.name]
        by_concept[concept].append((table, column.name, obj, unit, spelling))
    for concept, uses in by_concept.items():
        counts = Counter(spelling for *_, spelling in uses)
        ranked = counts.most_common()
        top_count = ranked[0][1]
        tie = len(ranked) > 1 and ranked[1][1] == top_count
        dominant = ranked[0][0]
        raw = Counter(u[1] for u in uses if u[4] == dominant).most_common(1)[0][0]
        summary = ", ".join(f"{s} ({n})" for s, n in ranked)
        for table, name, obj, unit, spelling in uses:
            if len(ranked) == 1 or (spelling == dominant and not tie):
                yield passed(unit, obj)
            elif tie:
                yield Outcome(
                    unit,
                    obj,
                    f"The {concept} moment is spelled several ways, none most: {summary}.",
                )
            else:
                yield Outcome(
                    unit,
                    obj,
                    f"The {concept} moment is spelled {summary}; {name} is a minority spelling of {raw}.",
                    schema.sql.rename_column(table, name, raw),
                )


# The answers a fixed "expected" option may give, one set per dimension.
CASING_CHOICE = Choice(CASINGS)
NUMBER_CHOICE = Choice((SINGULAR, PLURAL))
SUFFIX_CHOICE = Choice((*(suffix for suffix, _ in _SUFFIXES), NO_SUFFIX))

_DOMINANCE = (
    "Judged against the database's own dominant convention: a class dominates when it has "
    "at least the threshold share (0.6 by default) of the names that can be classified."
)

RULES = (
    Rule(
        id="name-casing-outlier",
        title="Name in another casing than the rest",
        theme=NAMING,
        severity=Severity.WARNING,
        applies_to=COLUMN,
        rationale=(
            "Mixed casing means every query needs a look at the catalog, and on PostgreSQL "
            "some names need quotes and some do not. Table names and column names are two "
            "populations with their own dominant casing (PascalCase tables with camelCase "
            "columns is a convention). A single lowercase word is both snake_case and "
            "camelCase and passes under either. " + _DOMINANCE + " A fixed expected "
            "casing, for tables or columns, can be set instead."
        ),
        check=check_casing_outlier,
        options={"threshold": THRESHOLD, "expected": None},
        option_kinds={"expected": CASING_CHOICE},
    ),
    Rule(
        id="name-no-dominant-convention",
        title="No dominant casing",
        theme=NAMING,
        severity=Severity.WARNING,
        applies_to=DATABASE_LEVEL,
        rationale=(
            "When no casing reaches the threshold, there is no convention to follow, and "
            "every new name is a coin toss. One finding for the database (object ''), "
            "listing the spread for tables and for columns. Not applicable when a fixed "
            "expected casing is set."
        ),
        check=check_no_dominant_convention,
        options={"threshold": THRESHOLD, "expected": None},
        option_kinds={"expected": CASING_CHOICE},
    ),
    Rule(
        id="name-needs-quoting",
        title="Name that must be quoted",
        theme=NAMING,
        severity=Severity.WARNING,
        applies_to=COLUMN,
        rationale=(
            "Names with spaces, dashes, a leading digit, or (on PostgreSQL) upper case "
            "letters must be quoted in every query, in every tool, forever. Reserved words "
            "are name-reserved-word's business."
        ),
        check=check_needs_quoting,
    ),
    Rule(
        id="name-reserved-word",
        title="Name that is a reserved word",
        theme=NAMING,
        severity=Severity.WARNING,
        applies_to=COLUMN,
        rationale=(
            "A column named order or user must be quoted everywhere and breaks generated "
            "SQL. Uses each dialect's own reserved words (MySQL's list is MySQL 8's, a "
            "superset of MariaDB's, so a move between the two stays safe); the "
            "rule's settings can add more."
        ),
        check=check_reserved_word,
        options={"extra_words": ()},
    ),
    Rule(
        id="name-inflection-outlier",
        title="Table name in the other number",
        theme=NAMING,
        severity=Severity.INFO,
        applies_to=TABLE,
        rationale=(
            "orders beside customer makes every join a guess. A table's number is its last "
            "word's, after Django's app_ prefix is stripped; words that are both (data, "
            "series) are ambiguous. Association tables (two or more foreign keys and "
            "nothing else but a key and timestamps) are named after both sides and are "
            "left out. " + _DOMINANCE + " Option expected: singular or plural."
        ),
        check=check_inflection_outlier,
        options={"threshold": THRESHOLD, "expected": None},
        option_kinds={"expected": NUMBER_CHOICE},
    ),
    Rule(
        id="name-fk-suffix-outlier",
        title="Foreign key column with another suffix",
        theme=NAMING,
        severity=Severity.INFO,
        applies_to=COLUMN,
        rationale=(
            "customer_id here and customerFk there. Applies to the columns of declared "
            "single-column foreign keys; suffixes are _id, _ID, Id, ID, _fk, _key, _ref or "
            "none; a key column named id (a one-to-one shared key) is ambiguous. " + _DOMINANCE
        ),
        check=check_fk_suffix_outlier,
        options={"threshold": THRESHOLD, "expected": None},
        option_kinds={"expected": SUFFIX_CHOICE},
    ),
    Rule(
        id="name-boolean-prefix",
        title="Boolean column with another prefix style",
        theme=NAMING,
        severity=Severity.INFO,
        applies_to=COLUMN,
        rationale=(
            "is_active beside enabled. The styles are a verb prefix (is_, has_, can_, "
            "should_, was_, ...: is_ and has_ say different things and are one style) or "
            "none; the rule's settings can add verbs. " + _DOMINANCE
        ),
        check=check_boolean_prefix,
        options={"threshold": THRESHOLD, "extra_prefixes": ()},
    ),
    Rule(
        id="name-concept-synonyms",
        title="One concept spelled several ways",
        theme=NAMING,
        severity=Severity.WARNING,
        applies_to=COLUMN,
        rationale=(
            "created_at in one table, date_created in the next: every model needs a "
            "mapping. Spellings are compared by their words (createdAt is created_at; "
            "casing is another rule). The most used spelling of each concept wins and the "
            "others fail; in a tie for most used, all fail, as there is no convention to "
            "point to. Boolean columns are flags, not spellings. Option concepts maps a "
            "concept to its spellings."
        ),
        check=check_concept_synonyms,
        options={"concepts": CONCEPTS},
    ),
)
