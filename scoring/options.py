"""Rule options typed by their defaults, parsed from form text and checked before saving.

Pure (no Django). A rule's option schema is its defaults: a tuple or list takes a list
of strings, a bool true/false, an int or float a bounded number (a float default a share
from 0 to 1), a str a string, None a string or nothing, a dict an object of lists of
strings. Options named ``*_pattern`` are regular expressions matched against identifiers:
they must compile and must not backtrack catastrophically (see ``check_pattern``). A rule
declares the kind a default cannot tell (``Rule.option_kinds``): a ``Choice`` takes one of
its values or nothing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from scoring.rules.base import Choice

try:  # the parser moved in Python 3.11; its old name warns
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older Pythons
    import sre_parse

MAX_INT = 1_000_000
MAX_ITEMS = 500
MAX_TEXT = 200
MAX_PATTERN = 300
MAX_JSON = 20_000

LIST, BOOL, INT, SHARE, TEXT, OPTIONAL_TEXT, MAPPING, PATTERN, CHOICE = (
    "list",
    "bool",
    "int",
    "share",
    "text",
    "optional text",
    "mapping",
    "pattern",
    "choice",
)


class OptionError(ValueError):
    """An option value that cannot be saved; ``message`` says why, for the form."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def kind_of(name: str, default: Any, declared: Choice | None = None) -> str:
    """The kind of field an option takes: as declared, else from its name and default."""
    if declared is not None:
        return CHOICE
    if name.endswith("_pattern"):
        return PATTERN
    if isinstance(default, tuple | list | frozenset | set):
        return LIST
    if isinstance(default, bool):
        return BOOL
    if isinstance(default, int):
        return INT
    if isinstance(default, float):
        return SHARE
    if isinstance(default, str):
        return TEXT
    if isinstance(default, Mapping):
        return MAPPING
    return OPTIONAL_TEXT


# Regular expressions ---------------------------------------------------------------

_REPEATS = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, getattr(sre_parse, "POSSESSIVE_REPEAT", -1)}


def _walk(items: Any, inside_repeat: bool) -> None:
    for op, arg in items:
        if op in _REPEATS:
            low, high, body = arg
            unbounded = high == sre_parse.MAXREPEAT or high > 10
            if inside_repeat and unbounded:
                raise OptionError(
                    "A repeat inside a repeat, such as (a+)*, can take exponential time: "
                    "write it without the nested quantifier."
                )
            _walk(body, inside_repeat or unbounded)
        elif op is sre_parse.BRANCH:
            if inside_repeat:
                raise OptionError(
                    "Alternatives inside a repeat, such as (a|b)*, can take exponential "
                    "time: use a character class such as [ab]* instead."
                )
            for branch in arg[1]:
                _walk(branch, inside_repeat)
        elif op is sre_parse.SUBPATTERN:
            _walk(arg[-1], inside_repeat)
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            _walk(arg[1], inside_repeat)
        elif op is sre_parse.GROUPREF_EXISTS:
            raise OptionError("Conditional groups are not supported in patterns.")
        elif op is sre_parse.GROUPREF:
            raise OptionError("Back-references are not supported in patterns.")


def check_pattern(pattern: str) -> None:
    """Refuse a regular expression that does not compile or could backtrack for ever.

    Nested unbounded repeats and alternatives under a repeat are what make Python's
    backtracking engine exponential ((\\w|\\w)*!, (a+)+$); refusing them keeps every
    pattern linear-ish on identifiers, without a second regex engine or a time limit.
    ``{table}`` stands for the table name and is checked as a plain word.
    """
    if len(pattern) > MAX_PATTERN:
        raise OptionError(f"A pattern is at most {MAX_PATTERN} characters.")
    text = pattern.replace("{table}", r"(?:\w+)")
    try:
        re.compile(text)
        parsed = sre_parse.parse(text)
    except (re.error, RecursionError, OverflowError) as exc:
        raise OptionError(f"Not a valid regular expression: {exc}.") from None
    _walk(parsed, inside_repeat=False)


# Values ---------------------------------------------------------------------------


def _text(value: Any, what: str = "a string") -> str:
    if not isinstance(value, str):
        raise OptionError(f"Takes {what}.")
    if len(value) > MAX_TEXT:
        raise OptionError(f"At most {MAX_TEXT} characters.")
    return value


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise OptionError("Takes a list of names.")
    if len(value) > MAX_ITEMS:
        raise OptionError(f"At most {MAX_ITEMS} names.")
    for item in value:
        _text(item)
    return list(value)


def check_value(name: str, value: Any, default: Any, declared: Choice | None = None) -> Any:
    """The value if an option with this default (and declared kind) may take it, else
    OptionError."""
    kind = kind_of(name, default, declared)
    if declared is not None:
        if value is not None and value not in declared.values:
            raise OptionError(f"Takes one of {', '.join(declared.values)}, or nothing.")
        return value
    if kind == PATTERN:
        check_pattern(_text(value, "a regular expression"))
        return value
    if kind == LIST:
        return _strings(value)
    if kind == BOOL:
        if not isinstance(value, bool):
            raise OptionError("Takes true or false.")
        return value
    if kind in (INT, SHARE):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise OptionError("Takes a number.")
        if isinstance(value, float) and not math.isfinite(value):
            raise OptionError("Takes a finite number.")
        if kind == SHARE and not 0 <= value <= 1:
            raise OptionError("Takes a number between 0 and 1.")
        if kind == INT and (value != int(value) or not 0 <= value <= MAX_INT):
            raise OptionError(f"Takes a whole number from 0 to {MAX_INT:,}.")
        return int(value) if kind == INT else float(value)
    if kind == TEXT:
        return _text(value)
    if kind == OPTIONAL_TEXT:
        return None if value is None else _text(value, "a string or null")
    if not isinstance(value, Mapping) or len(value) > MAX_ITEMS:
        raise OptionError("Takes an object whose values are lists of names.")
    return {_text(k): _strings(v) for k, v in value.items()}


def check_options(
    options: Any, defaults: Mapping[str, Any], kinds: Mapping[str, Choice] | None = None
) -> dict[str, str]:
    """Errors by option name ("" for the whole object); empty when all can be saved.
    ``kinds`` are the rule's declared option kinds."""
    if not isinstance(options, Mapping):
        return {"": 'Options are a JSON object: {"name": value}.'}
    errors = {}
    for name, value in options.items():
        if name not in defaults:
            known = ", ".join(sorted(defaults)) or "none"
            errors[""] = f"Unknown option {name!r}; this rule takes: {known}."
            continue
        try:
            check_value(name, value, defaults[name], (kinds or {}).get(name))
        except OptionError as exc:
            errors[name] = exc.message
    return errors


def parse_json(text: str) -> Any:
    """JSON text from the advanced field, bounded in size and depth."""
    if len(text) > MAX_JSON:
        raise OptionError(f"At most {MAX_JSON:,} characters of JSON.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise OptionError(f"Not JSON: {exc.msg} (line {exc.lineno}).") from None
    except RecursionError:
        raise OptionError("The JSON is nested too deeply.") from None


def parse_field(text: str, name: str, default: Any, declared: Choice | None = None) -> Any:
    """A typed form field's text as the option's value (checked)."""
    kind = kind_of(name, default, declared)
    text = text.strip()
    if kind == CHOICE:
        return check_value(name, text, default, declared)
    if kind == LIST:
        return check_value(
            name, [p.strip() for p in re.split(r"[,\n]", text) if p.strip()], default
        )
    if kind == BOOL:
        if text not in ("true", "false"):
            raise OptionError("Choose yes or no.")
        return text == "true"
    if kind in (INT, SHARE):
        if len(text) > 30:
            raise OptionError("That number is too long.")
        try:
            number: float = int(text) if kind == INT else float(text)
        except ValueError:
            raise OptionError(
                "Takes a whole number." if kind == INT else "Takes a number such as 0.6."
            ) from None
        return check_value(name, number, default)
    if kind == MAPPING:
        return check_value(name, parse_json(text), default)
    return check_value(name, text, default)


def field_text(value: Any, name: str, default: Any, declared: Choice | None = None) -> str:
    """An option's value as its typed field shows it."""
    kind = kind_of(name, default, declared)
    if value is None:
        return ""
    if kind == LIST:
        return "\n".join(value)
    if kind == BOOL:
        return "true" if value else "false"
    if kind == MAPPING:
        return json.dumps(value, default=list, sort_keys=True)
    return str(value)
