"""What a rule is, what it reports, and the context it runs in (pure).

A rule is data plus a function: ``check(schema, options)`` yields a ``Verdict`` for every
object it applies to: ``passed(unit, object)`` or a failing ``Outcome(unit, object, message,
...)``, or ``passes(unit, objects)`` for several passing objects of one unit at once. Reporting the passes as well makes "passing / applicable" exact, which the engine needs for pass rates; a rule never computes
a score itself (that is ``engine.py``'s job).

Objects are named ``schema.table`` or ``schema.table.column``; a composite foreign key is
``schema.table.a,b``; database-level outcomes use ``DATABASE`` (the empty string), so that
they keep their identity when the connection's database is renamed. Every outcome also
names its **unit**: the table it belongs to (``schema.table``) or ``DATABASE``. Column rules
are scored per unit (the fraction of a table's columns that fail), see ``engine.py``.
"""

from __future__ import annotations

import datetime
import fnmatch
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fnmatch import fnmatchcase
from functools import cached_property
from itertools import chain, compress
from operator import attrgetter
from typing import Any, NamedTuple, TypeAlias, TypeVar, cast

from catalog.inflection import split_words
from catalog.introspection.model import Column, SchemaModel, Table, pick_description
from catalog.relations import DEFAULT_IGNORE, ReferenceGuesser, is_junction
from scoring.fixes import SqlDialect, sql_for
from scoring.observations import NO_OBSERVATIONS, Observations

T = TypeVar("T")

DATABASE = ""
_NAME = attrgetter("name")

# Themes, in display order. "changes" has no rules until its issue: left out of the score.
KEYS = "keys"
TIME = "time"
NAMING = "naming"
SOFT_DELETE = "soft_delete"
TYPES = "types"
CHANGES = "changes"
DOCS = "docs"
THEMES = (KEYS, TIME, NAMING, SOFT_DELETE, TYPES, CHANGES, DOCS)

# What a rule applies to.
TABLE = "table"
COLUMN = "column"
RELATION = "relation"
DATABASE_LEVEL = "database"

# RULES.md: system and framework bookkeeping, editable per team. Patterns match a schema
# name, a table name or a qualified name; SQL's % works as a wildcard.
DEFAULT_EXCLUDED = (
    "pg_catalog",
    "information_schema",
    "pg_toast",
    "django_migrations",
    "django_session",
    "schema_migrations",
    "ar_internal_metadata",
    "sqlite_%",
)


class Severity(StrEnum):
    ERROR = "E"
    WARNING = "W"
    INFO = "I"

    @property
    def weight(self) -> int:
        return WEIGHTS[self]


WEIGHTS = {Severity.ERROR: 3, Severity.WARNING: 1, Severity.INFO: 0}

# Lanes: an outcome at another severity than its rule's (RULES.md's "E when ...", "is I").
ESCALATE = "escalate"  # E, unless the team turned the rule down to I
DEMOTE = "demote"  # I: shown, never scored


class Outcome(NamedTuple):
    """One applicable object: it passes when ``message`` is None."""

    unit: str
    object: str
    message: str | None = None
    fix: str | None = None
    lane: str | None = None

    @property
    def failed(self) -> bool:
        return self.message is not None


class Passes(NamedTuple):
    """Several passing objects of one unit in one verdict: a rule that finds a whole table
    clean says so once instead of once per column."""

    unit: str
    objects: tuple[str, ...]


# One passing object, as a bare (unit, object) pair: a big schema has a million passes, and
# bench.scoring ran 18% slower with every pass an Outcome (a NamedTuple is built in Python).
Passed: TypeAlias = tuple[str, str]

# What a check yields: one object's outcome, one passing object, or several passing objects
# of one unit. The engine tells them apart by type (isinstance).
Verdict: TypeAlias = Outcome | Passed | Passes


def passed(unit: str, obj: str) -> Passed:
    """A passing object."""
    return unit, obj


def passes(unit: str, objects: tuple[str, ...]) -> Passes:
    """Several passing objects of one unit."""
    return Passes(unit, objects)


def lane_severity(base: Severity, lane: str | None) -> Severity:
    if lane == DEMOTE:
        return Severity.INFO
    if lane == ESCALATE and base is not Severity.INFO:
        return Severity.ERROR
    return base


@dataclass(frozen=True)
class ChangeFact:
    """A breaking change the connection's history saw in the ``changes`` window (pure facts
    for the chg- rules; scoring/context.py reads them from catalog's SchemaChange rows)."""

    kind: str  # catalog.diff's kind: column_dropped, table_renamed, ...
    object: str  # schema.table or schema.table.column (the new name for a rename)
    table: str  # the unit
    detected_at: datetime.datetime
    announced_at: datetime.datetime | None = None
    transition: bool = False  # a rename that kept the old name readable


@dataclass(frozen=True)
class RuleContext:
    """Everything a scoring run needs besides the model; all optional.

    ``options`` and ``severities`` are per rule id (team settings merged with connection
    overrides by the caller). ``descriptions`` are SchemaJoy's own, ``dbt_descriptions``
    imported ones, both keyed by object name; the database comment sits in the model and
    ranks between them. ``waivers`` are (rule id glob, object glob) pairs.
    """

    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    severities: Mapping[str, str] = field(default_factory=dict)
    disabled: frozenset[str] = frozenset()
    descriptions: Mapping[str, str] = field(default_factory=dict)
    dbt_descriptions: Mapping[str, str] = field(default_factory=dict)
    waivers: frozenset[tuple[str, str]] = frozenset()
    excluded: tuple[str, ...] = DEFAULT_EXCLUDED
    observations: Observations = NO_OBSERVATIONS
    theme_weights: Mapping[str, float] = field(default_factory=dict)
    # The breaking changes of the changes window (theme ``changes``), oldest first.
    changes: tuple[ChangeFact, ...] = ()

    def options_for(self, rule: Rule) -> dict[str, Any]:
        return {**rule.options, **self.options.get(rule.id, {})}

    def severity_of(self, rule: Rule) -> Severity:
        override = self.severities.get(rule.id)
        return Severity(override) if override else rule.severity

    def waiver_matcher(self, rule_id: str) -> Callable[[str], Any] | None:
        """Whether an object of this rule is waived (fnmatchcase of both globs): one
        expression over the object globs of the waivers whose rule glob matches the rule;
        None when none does."""
        return glob_matcher(
            obj for rule_glob, obj in self.waivers if fnmatchcase(rule_id, rule_glob)
        )


Check = Callable[["Schema", Mapping[str, Any]], Iterable[Verdict]]

# (table, column, object name "schema.table.column", unit "schema.table")
ColumnRef = tuple[Table, Column, str, str]
# (table, unit, its column object names, its ColumnRefs)
ColumnGroup = tuple[Table, str, tuple[str, ...], tuple[ColumnRef, ...]]


@dataclass(frozen=True)
class Choice:
    """An option's declared kind: one of ``values``, or None for "not set".

    Other options take their kind from their default (see scoring/options.py); a default of
    None says only "a string or nothing", too loose for a closed set of answers.
    """

    values: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    theme: str
    severity: Severity
    applies_to: str
    rationale: str
    check: Check
    options: Mapping[str, Any] = field(default_factory=dict)
    # Kinds declared where the default cannot tell them, by option name.
    option_kinds: Mapping[str, Choice] = field(default_factory=dict)
    sampling: bool = False  # needs Observations; applies to nothing without them

    def outcomes(self, model: SchemaModel, ctx: RuleContext | None = None) -> list[Outcome]:
        """Every outcome on ``model`` (a fresh Schema: for tests and one-off use)."""
        ctx = ctx or RuleContext()
        out: list[Outcome] = []
        for verdict in self.check(Schema(model, ctx), ctx.options_for(self)):
            if isinstance(verdict, Outcome):
                out.append(verdict)
            elif isinstance(verdict, Passes):
                out.extend(Outcome(verdict.unit, obj) for obj in verdict.objects)
            else:
                out.append(Outcome(*verdict))
        return out


def glob_matcher(patterns: Iterable[str]) -> Callable[[str], Any] | None:
    """fnmatchcase against any of the globs, as one compiled expression (a match or None);
    None when there are no globs. fnmatch per object and pattern is slow on 100,000."""
    parts = [fnmatch.translate(p) for p in patterns]
    return re.compile("|".join(parts)).match if parts else None


def table_globs(patterns: Iterable[str]) -> Callable[[Table], bool]:
    """Whether a table's name or qualified name matches one of the globs (rules' ignore
    lists)."""
    match = glob_matcher(patterns)
    if match is None:
        return lambda table: False
    return lambda table: bool(match(table.name) or match(table.qualified_name))


class Schema:
    """A model plus the indexes rules share, computed once per scoring run."""

    def __init__(self, model: SchemaModel, ctx: RuleContext) -> None:
        self.model = model
        self.ctx = ctx
        self.sql: SqlDialect = sql_for(model)
        self.observations = ctx.observations
        self._guessers: dict[tuple[str, ...], ReferenceGuesser] = {}
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """An index a rule module builds once per run and shares between its rules."""
        if key not in self._memo:
            self._memo[key] = build()
        return cast(T, self._memo[key])

    @cached_property
    def tables(self) -> tuple[Table, ...]:
        """The tables and views in scope (bookkeeping excluded)."""
        match = glob_matcher(p.replace("%", "*") for p in self.ctx.excluded)  # SQL's %
        if match is None:
            return self.model.tables
        return tuple(
            t
            for t in self.model.tables
            if not (match(t.schema) or match(t.name) or match(t.qualified_name))
        )

    @cached_property
    def base_tables(self) -> tuple[Table, ...]:
        return tuple(t for t in self.tables if t.is_base_table)

    @cached_property
    def junctions(self) -> frozenset[tuple[str, str]]:
        """Keys of the association tables in scope (see catalog.relations.is_junction)."""
        return frozenset(t.key for t in self.base_tables if is_junction(t))

    @cached_property
    def in_scope(self) -> frozenset[tuple[str, str]]:
        return frozenset(t.key for t in self.tables)

    @cached_property
    def columns(self) -> tuple[ColumnRef, ...]:
        """(table, column, object name, unit) for every column in scope."""
        return tuple(chain.from_iterable(group[3] for group in self.column_groups))

    @cached_property
    def column_groups(self) -> tuple[ColumnGroup, ...]:
        """Per table in scope: (table, unit, column object names, column refs)."""
        groups: list[ColumnGroup] = []
        for t in self.tables:
            unit = t.qualified_name
            refs = tuple((t, c, f"{unit}.{c.name}", unit) for c in t.columns)
            groups.append((t, unit, tuple(ref[2] for ref in refs), refs))
        return tuple(groups)

    @cached_property
    def base_columns(self) -> tuple[ColumnRef, ...]:
        return tuple(
            chain.from_iterable(group[3] for group in self.column_groups if group[0].is_base_table)
        )

    @cached_property
    def _base_names(self) -> list[str]:
        return [ref[1].name for ref in self.base_columns]  # a list comprehension: 2x map()

    @cached_property
    def _base_families(self) -> list[str]:
        return [ref[1].type_family for ref in self.base_columns]

    def base_columns_named(self, names: Collection[str]) -> tuple[ColumnRef, ...]:
        """Base columns with one of these exact names, in table order. Selected at C speed:
        most rules look at a few names among 100,000 columns."""
        return tuple(compress(self.base_columns, map(names.__contains__, self._base_names)))

    def base_columns_of(self, families: Collection[str]) -> tuple[ColumnRef, ...]:
        """Base columns of these type families, in table order (as base_columns_named)."""
        return tuple(compress(self.base_columns, map(families.__contains__, self._base_families)))

    @cached_property
    def snake_names(self) -> dict[str, str]:
        """Every identifier's snake_case words, so createdAt and created_at compare equal."""
        names = {t.name for t in self.tables}
        for table in self.tables:
            names.update(map(_NAME, table.columns))
        return {n: "_".join(split_words(n)) for n in names}

    @cached_property
    def table_words(self) -> dict[tuple[str, str], frozenset[str]]:
        """Each table's column names as snake_case words, for "has a column named..." tests."""
        snaked = self.snake_names
        snake = snaked.__getitem__
        return {t.key: frozenset(map(snake, map(_NAME, t.columns))) for t in self.tables}

    def references(self, ignore: Iterable[str] = DEFAULT_IGNORE) -> ReferenceGuesser:
        key = tuple(ignore)
        if key not in self._guessers:
            self._guessers[key] = ReferenceGuesser(self.model, ignore=key)
        return self._guessers[key]

    def description(self, obj: str, comment: str | None) -> str | None:
        """Effective description (``pick_description``), stripped; None when there is none."""
        own, dbt = self.ctx.descriptions, self.ctx.dbt_descriptions
        if not own and not dbt:  # the common case, kept cheap: every column passes here
            return (comment.strip() or None) if comment else None
        text, _ = pick_description(own.get(obj), comment, dbt.get(obj))
        return text.strip() or None


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"
