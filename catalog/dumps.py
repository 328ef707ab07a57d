"""Schema files written by `dump_schema` and read back by the release check (pure).

A schema file is exactly the canonical document SchemaJoy stores for a snapshot
(``model.to_document``). Reading one back validates its shape field by field against the
model's dataclasses first, so a wrong file is refused with a message that says where,
instead of becoming a model that fails deep inside the rules.
"""

from __future__ import annotations

import types
import typing
from dataclasses import MISSING, fields
from functools import cache
from typing import Any

import orjson

from catalog.introspection.model import (
    TYPE_FAMILIES,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    PrimaryKey,
    SchemaModel,
    Table,
    UniqueConstraint,
    from_document,
)

DIALECTS = frozenset({"postgresql", "mysql", "sqlite"})
_CLASSES = (SchemaModel, Table, Column, PrimaryKey, UniqueConstraint, ForeignKey, Index)
_CLASSES += (CheckConstraint,)


class SchemaFileError(ValueError):
    """Not a schema document of the expected shape; the message says what and where."""


def read_schema_document(text: str | bytes) -> SchemaModel:
    """The model of a schema document, after checking its shape. Raises SchemaFileError."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise SchemaFileError(f"not valid JSON: {exc}.") from None
    return schema_from_data(data)


def schema_from_data(data: Any) -> SchemaModel:
    """The model of parsed JSON, after checking its shape. Raises SchemaFileError."""
    check_schema_document(data)
    # Validated plain data: the canonical reader takes it from here (same parse as snapshots).
    return from_document(orjson.dumps(data).decode())


def check_schema_document(data: Any) -> None:
    """Raise SchemaFileError unless ``data`` (parsed JSON) has the schema document's shape."""
    _check(SchemaModel, data, "the document")
    if data["dialect"] not in DIALECTS:
        raise SchemaFileError(
            f"the document: 'dialect' is {data['dialect']!r}; expected one of "
            f"{', '.join(sorted(DIALECTS))}."
        )
    seen: set[tuple[str, str]] = set()
    for i, table in enumerate(data["tables"]):
        key = (table["schema"], table["name"])
        if key in seen:
            raise SchemaFileError(f"tables[{i}]: {key[0]}.{key[1]} appears twice.")
        seen.add(key)
        for j, column in enumerate(table.get("columns", ())):
            if column["type_family"] not in TYPE_FAMILIES:
                raise SchemaFileError(
                    f"tables[{i}].columns[{j}]: unknown type_family {column['type_family']!r}."
                )


@cache
def _spec(cls: type) -> dict[str, tuple[Any, bool]]:
    """Field name -> (type hint, required) for a model dataclass."""
    hints = typing.get_type_hints(cls)
    return {
        f.name: (hints[f.name], f.default is MISSING and f.default_factory is MISSING)
        for f in fields(cls)
    }


def _check(cls: type, value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise SchemaFileError(f"{where}: expected an object, not {_kind(value)}.")
    spec = _spec(cls)
    unknown = sorted(set(value) - set(spec))
    if unknown:
        raise SchemaFileError(f"{where}: unexpected field {unknown[0]!r}.")
    for name, (hint, required) in spec.items():
        if name not in value:
            if required:
                raise SchemaFileError(f"{where}: missing field {name!r}.")
            continue
        _check_value(hint, value[name], f"{where}.{name}" if where != "the document" else name)


def _check_value(hint: Any, value: Any, where: str) -> None:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return
        (hint,) = [o for o in options if o is not type(None)]
        origin = typing.get_origin(hint)
    if origin is tuple:
        if not isinstance(value, list):
            raise SchemaFileError(f"{where}: expected a list, not {_kind(value)}.")
        item = typing.get_args(hint)[0]
        for i, element in enumerate(value):
            _check_value(item, element, f"{where}[{i}]")
        return
    if hint in _CLASSES:
        _check(hint, value, where)
        return
    # bool is an int in Python: check it first, and refuse it where a number is expected.
    if hint is bool:
        ok = isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, hint)
    if not ok:
        raise SchemaFileError(f"{where}: expected {hint.__name__}, not {_kind(value)}.")


def _kind(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)
