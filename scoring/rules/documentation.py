"""Theme ``docs``: documented.

The effective description of an object is SchemaJoy's own, else the database comment, else
an imported dbt description; blank counts as none (see ``Schema.description``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from catalog.inflection import snake, split_words
from scoring.rules.base import COLUMN, DOCS, TABLE, Outcome, Rule, Schema, Severity, Verdict, passed

SELF_DESCRIBING = ("id", "created_at", "updated_at", "deleted_at")
PLACEHOLDERS = ("todo", "tbd", "fixme", "-", "n/a", "...", "?")
_PUNCTUATION = re.compile(r"[^\w\s]+")


def check_table_missing(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    for table in schema.tables:
        unit = table.qualified_name
        if schema.description(unit, table.comment):
            yield passed(unit, unit)
        else:
            kind = "view" if table.is_view else "table"
            yield Outcome(unit, unit, f"The {kind} {table.name} has no description.")


def check_column_missing(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    self_describing = {snake(n) for n in options["self_describing"]}
    snaked = schema.snake_names
    documented: dict[tuple[str, str], bool] = {}

    def is_documented(key: tuple[str, str]) -> bool:
        if key not in documented:
            target = schema.model.table(*key)
            documented[key] = bool(
                target and schema.description(target.qualified_name, target.comment)
            )
        return documented[key]

    explained: dict[str, set[str]] = {}  # unit -> columns of foreign keys to documented tables
    for table in schema.tables:
        if table.foreign_keys:
            explained[table.qualified_name] = {
                fk.columns[0]
                for fk in table.foreign_keys
                if len(fk.columns) == 1 and is_documented((fk.ref_schema, fk.ref_table))
            }
    skip = {name for name, words in snaked.items() if words in self_describing}
    describe = schema.description
    comments_only = not schema.ctx.descriptions and not schema.ctx.dbt_descriptions
    for table, column, obj, unit in schema.columns:
        name = column.name
        if name in skip or (unit in explained and name in explained[unit]):
            continue
        comment = column.comment
        if (comment and not comment.isspace()) if comments_only else describe(obj, comment):
            yield passed(unit, obj)
        else:
            yield Outcome(unit, obj, f"The column {name} of {table.name} has no description.")


def _normal(text: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", text.lower().replace("_", " ")).split())


_MARKER_START = re.compile(
    r"(" + "|".join(m for m in PLACEHOLDERS if m.isalpha()) + r")\b", re.IGNORECASE
)


@lru_cache(maxsize=65536)
def placeholder_reason(description: str, name: str) -> str | None:
    text = description.strip().lower()
    if not _PUNCTUATION.sub("", text).strip():
        return "only punctuation"
    start = _MARKER_START.match(text)
    if text in PLACEHOLDERS or start:
        return f"a {(start.group(1) if start else text).upper()} placeholder"
    if _normal(description) == " ".join(split_words(name)):
        return "just the name, humanised"
    return None


def check_placeholder(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    describe = schema.description
    # Only the database comments count when nobody wrote a description: most columns have
    # none, and are passed over without a call.
    comments_only = not schema.ctx.descriptions and not schema.ctx.dbt_descriptions
    for table, unit, _, refs in schema.column_groups:
        items = [(unit, table.name, table.comment)]
        items += (
            [(obj, column.name, column.comment) for _, column, obj, _ in refs if column.comment]
            if comments_only
            else [(obj, column.name, column.comment) for _, column, obj, _ in refs]
        )
        for obj, name, comment in items:
            text = describe(obj, comment)
            if text is None:
                continue
            reason = placeholder_reason(text, name)
            if reason is None:
                yield passed(unit, obj)
            else:
                yield Outcome(unit, obj, f"The description of {name} is {reason}: {text!r}.")


RULES = (
    Rule(
        id="doc-table-missing",
        title="Table without a description",
        theme=DOCS,
        severity=Severity.WARNING,
        applies_to=TABLE,
        rationale=(
            "What is one row? Without a sentence, every analyst guesses, and guesses "
            "differently. Applies to tables and views; a description is SchemaJoy's own, "
            "else the database comment, else dbt's; blank counts as none."
        ),
        check=check_table_missing,
    ),
    Rule(
        id="doc-column-missing",
        title="Column without a description",
        theme=DOCS,
        severity=Severity.WARNING,
        applies_to=COLUMN,
        rationale=(
            "Units, time zones, enums and nullability rules live only in people's heads "
            "until written down. Self-describing columns are not applicable: id, "
            "created_at, updated_at, deleted_at (a list the rule's settings can change, "
            "compared by words) and single-column foreign keys to documented tables."
        ),
        check=check_column_missing,
        options={"self_describing": SELF_DESCRIBING},
    ),
    Rule(
        id="doc-placeholder",
        title="Placeholder description",
        theme=DOCS,
        severity=Severity.INFO,
        applies_to=COLUMN,
        rationale=(
            "A TODO, TBD, a dash or the name spelled out (customer_id: 'Customer id') "
            "counts as documentation but says nothing. Applies to tables, views and columns "
            "with a description."
        ),
        check=check_placeholder,
    ),
)
