"""What a sampled text value could be, and the counts a column's sample adds up to (pure).

The kinds match scoring.observations' ValueProfile (whose names are repeated here: catalog
never imports scoring): ``int`` optionally signed digits; ``decimal`` a plain decimal number,
ints included; ``bool`` true/false, t/f, yes/no, y/n, 0/1 in any case; ``date`` an ISO date
with no time part; ``timestamp`` an ISO date and a time; ``uuid`` 32 hex digits, bare, in
8-4-4-4-12 groups, or either in braces; ``json`` a JSON object or array (a scalar is not).
Surrounding whitespace is ignored, as the databases' own casts ignore it ('  42 '::int is 42).

A value is never kept: a ``Tally`` keeps only how many values parsed as what.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

# A value that parses as a date, a UUID or JSON belongs in the column type of that family.
from catalog.introspection.model import DATE, JSON, UUID

INT = "int"
DECIMAL = "decimal"
BOOL = "bool"
TIMESTAMP = "timestamp"
KINDS = (BOOL, INT, DECIMAL, UUID, DATE, TIMESTAMP, JSON)

# Samplers read at most this many characters of a value (one more, to see that it was cut):
# a JSON document of megabytes is recognised by its first bracket, not read whole.
MAX_VALUE_CHARS = 4096

_BOOLS = frozenset({"true", "false", "t", "f", "yes", "no", "y", "n", "0", "1"})
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII,
)


class Parsed(NamedTuple):
    kinds: frozenset[str]
    leading_zero: bool  # numeric-looking with a zero before another digit: a code ("00501")
    date_only: bool  # a date and no time part


# Outcomes are interned by bit mask: a sample of thousands of values has a handful of
# distinct outcomes, and a tally counts outcomes, not kinds.
_BITS = {BOOL: 1, INT: 2, DECIMAL: 4, UUID: 8, DATE: 16, TIMESTAMP: 32, JSON: 64}
_LEADING_ZERO_BIT = 128
_DATE_ONLY_BIT = 256
_BY_MASK: dict[int, Parsed] = {}


def _parsed(mask: int) -> Parsed:
    parsed = _BY_MASK.get(mask)
    if parsed is None:
        kinds = frozenset(kind for kind, bit in _BITS.items() if mask & bit)
        parsed = Parsed(kinds, bool(mask & _LEADING_ZERO_BIT), bool(mask & _DATE_ONLY_BIT))
        _BY_MASK[mask] = parsed
    return parsed


NOTHING = _parsed(0)
_NUMBER_START = frozenset("0123456789+-.")
_HEX_LETTERS = frozenset("abcdefABCDEF")


def _valid_date(year: str, month: str, day: str) -> bool:
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def classify(value: str, *, truncated: bool = False) -> Parsed:
    """The kinds ``value`` parses as. ``truncated``: only a prefix was read (JSON by its bracket)."""
    text = value.strip()
    if not text:
        return NOTHING
    first = text[0]
    if truncated:
        # Longer than any number, date or uuid; a bracket at the start is taken at its word.
        return _parsed(_BITS[JSON]) if first in "{[" else NOTHING
    size = len(text)
    mask = 0
    # str methods rather than regular expressions where they do: a sample is many values.
    if first in _NUMBER_START:
        mask = _number(text)
        if mask:
            if text == "0" or text == "1":
                mask |= _BITS[BOOL]
        elif size == 10:
            match = _DATE.fullmatch(text)
            if match and _valid_date(*match.groups()):
                mask = _BITS[DATE] | _DATE_ONLY_BIT
        elif size > 10 and text[4:5] == "-" and _is_timestamp(text):
            mask = _BITS[TIMESTAMP]
        if (size == 32 or size == 36) and _is_uuid(text):
            mask |= _BITS[UUID]
    elif first == "{" or first == "[":
        if first == "{" and text[-1] == "}" and (size == 34 or size == 38) and _is_uuid(text[1:-1]):
            mask = _BITS[UUID]
        elif _is_json_container(text):
            mask = _BITS[JSON]
    elif size <= 5:
        if text.lower() in _BOOLS:
            mask = _BITS[BOOL]
    elif (size == 32 or size == 36) and first in _HEX_LETTERS and _is_uuid(text):
        mask = _BITS[UUID]
    return _parsed(mask)


def _number(text: str) -> int:
    """Bits for an optionally signed integer or plain decimal (with a leading zero or not)."""
    body = text[1:] if text[0] in "+-" else text
    if not body.isascii():  # isdigit() alone would take "²" and "٣"
        return 0
    if body.isdigit():
        mask = _BITS[INT] | _BITS[DECIMAL]
        whole = body
    else:
        whole, dot, fraction = body.partition(".")
        if not dot or not (whole or fraction):
            return 0
        if (whole and not whole.isdigit()) or (fraction and not fraction.isdigit()):
            return 0
        mask = _BITS[DECIMAL]
    if len(whole) > 1 and whole[0] == "0":
        mask |= _LEADING_ZERO_BIT
    return mask


def _is_uuid(text: str) -> bool:
    """32 hex digits, bare or in 8-4-4-4-12 groups."""
    if len(text) == 36:
        if text[8] != "-" or text[13] != "-" or text[18] != "-" or text[23] != "-":
            return False
        text = text.replace("-", "")
    if len(text) != 32 or not (text.isascii() and text.isalnum()):
        return False
    try:
        bytes.fromhex(text)
    except ValueError:
        return False
    return True


def _is_timestamp(text: str) -> bool:
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return False
    year, month, day, hour, minute, second = match.groups()
    return (
        _valid_date(year, month, day)
        and int(hour) < 24
        and int(minute) < 60
        and int(second or 0) <= 60  # 60: a leap second
    )


def _is_json_container(text: str) -> bool:
    try:
        parsed = json.loads(text)
    except ValueError:
        return False
    return isinstance(parsed, dict | list)


class Tally:
    """Counts over one column's sampled non-null values; the values themselves are dropped."""

    def __init__(self) -> None:
        # value -> how it parsed: a sample repeats values, and the dict gives ``distinct``.
        # Lives only as long as the tally, which lives only as long as one table's sample.
        self._seen: dict[str, Parsed] = {}
        self._outcomes: Counter[Parsed] = Counter()
        self._opaque = 0

    def add(self, value: str) -> None:
        parsed = self._seen.get(value)
        if parsed is None:
            parsed = self._seen[value] = classify(value, truncated=len(value) > MAX_VALUE_CHARS)
        self._outcomes[parsed] += 1

    def add_opaque(self) -> None:
        """A non-null value that is no text (a SQLite blob): counted, parses as nothing."""
        self._outcomes[NOTHING] += 1
        self._opaque += 1

    def extend(self, values: Iterable[Any]) -> Tally:
        """Add many values: None (NULL) is skipped, bytes are opaque, numbers become text."""
        seen, outcomes = self._seen, self._outcomes
        for value in values:
            if value is None:
                continue
            if type(value) is not str:
                if isinstance(value, bytes | bytearray | memoryview):
                    self.add_opaque()  # a blob in a text column: counted, parses as nothing
                    continue
                value = str(value)
            parsed = seen.get(value)
            if parsed is None:
                parsed = seen[value] = classify(value, truncated=len(value) > MAX_VALUE_CHARS)
            outcomes[parsed] += 1
        return self

    @property
    def sampled(self) -> int:
        return self._outcomes.total()

    @property
    def parses(self) -> dict[str, int]:
        counts = dict.fromkeys(KINDS, 0)
        for parsed, n in self._outcomes.items():
            for kind in parsed.kinds:
                counts[kind] += n
        return counts

    @property
    def leading_zero(self) -> int:
        return sum(n for parsed, n in self._outcomes.items() if parsed.leading_zero)

    @property
    def date_only(self) -> int:
        return sum(n for parsed, n in self._outcomes.items() if parsed.date_only)

    @property
    def distinct(self) -> int:
        return len(self._seen) + (1 if self._opaque else 0)  # blobs: one distinct value

    def best_share(self) -> float:
        """The share of values that parse as the commonest kind (0 when nothing was read)."""
        sampled = self.sampled
        return max(self.parses.values()) / sampled if sampled else 0.0

    def to_json(self, source: str) -> dict[str, Any]:
        """Counts only; kinds nothing parsed as are left out. ``source``: "sample" or "stats"."""
        return {
            "sampled": self.sampled,
            "distinct": self.distinct,
            "parses": {kind: n for kind, n in self.parses.items() if n},
            "leading_zero": self.leading_zero,
            "date_only": self.date_only,
            "source": source,
        }
