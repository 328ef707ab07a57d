"""What the optional sampling phase saw, as counts only: the input of the sampling rules (pure).

The sampler (per dialect, elsewhere) fills these from a bounded sample; the rules are pure
functions of them. No sampled value is ever kept, only how many values parsed as what.
Keys are object names: ``schema.table`` for tables, ``schema.table.column`` for columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The kinds a text value can be parsed as, most specific first (the sampler's own).
from catalog.sampling.parsing import BOOL, DATE, DECIMAL, INT, JSON, KINDS, TIMESTAMP, UUID

__all__ = ["BOOL", "DATE", "DECIMAL", "INT", "JSON", "KINDS", "TIMESTAMP", "UUID"]


@dataclass(frozen=True)
class ValueProfile:
    """Counts over the sampled non-null values of one column.

    ``parses[kind]`` counts values that parse as ``kind``: ``int`` optionally signed digits;
    ``decimal`` a plain decimal number (ints included); ``bool`` one of true/false, t/f,
    yes/no, y/n, 0/1 (any case); ``date`` an ISO date with no time part; ``timestamp`` an ISO
    date and time; ``uuid`` 32 hex digits with or without dashes/braces; ``json`` a JSON object
    or array (scalars do not count). ``leading_zero`` counts numeric-looking values with a
    zero before another digit ("00501"): those are codes, never numbers.
    ``date_only`` counts values with a date and no time part (for SQLite's declared types).
    """

    sampled: int  # non-null values read
    distinct: int
    parses: Mapping[str, int] = field(default_factory=dict)
    leading_zero: int = 0
    date_only: int = 0


@dataclass(frozen=True)
class TableProfile:
    """Row-level observations of one table; None means not observed."""

    sampled_rows: int = 0
    updated_before_created: int | None = None  # sampled rows with updated_at < created_at
    future_timestamps: int | None = None  # sampled audit values more than 5 minutes ahead
    marker_disagreements: int | None = None  # rows where deleted_at and is_deleted disagree
    # pg_stat_user_tables.n_tup_del at the previous and at this snapshot.
    deletes_before: int | None = None
    deletes_now: int | None = None


@dataclass(frozen=True)
class Observations:
    columns: Mapping[str, ValueProfile] = field(default_factory=dict)
    tables: Mapping[str, TableProfile] = field(default_factory=dict)


NO_OBSERVATIONS = Observations()


def observations_from_json(data: Mapping[str, Any] | None) -> Observations:
    """The rules' input from what catalog.sampling.sample() returned (and snapshots store).

    Unknown keys are ignored and missing ones mean "not observed", so results written by an
    older sampler, a partial run or none at all (``{}``) all convert.
    """
    if not data:
        return NO_OBSERVATIONS
    columns = {
        name: ValueProfile(
            sampled=int(p.get("sampled") or 0),
            distinct=int(p.get("distinct") or 0),
            parses={kind: int(n) for kind, n in (p.get("parses") or {}).items() if kind in KINDS},
            leading_zero=int(p.get("leading_zero") or 0),
            date_only=int(p.get("date_only") or 0),
        )
        for name, p in (data.get("columns") or {}).items()
    }
    tables = {
        name: TableProfile(
            sampled_rows=int(t.get("sampled_rows") or 0),
            updated_before_created=_count(t.get("updated_before_created")),
            future_timestamps=_count(t.get("future_timestamps")),
            marker_disagreements=_count(t.get("marker_disagreements")),
            deletes_before=_count(t.get("deletes_before")),
            deletes_now=_count(t.get("deletes_now")),
        )
        for name, t in (data.get("tables") or {}).items()
    }
    if not columns and not tables:
        return NO_OBSERVATIONS
    return Observations(columns=columns, tables=tables)


def _count(value: Any) -> int | None:
    return None if value is None else int(value)
