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
    EnumType,
    ForeignKey,
    Index,
    PrimaryKey,
    SchemaModel,
    Table,
    UniqueConstraint,
    from_document,
    to_document,
)

DIALECTS = frozenset({"postgresql", "mysql", "sqlite"})
_CLASSES: tuple[type, ...] = (
    SchemaModel,
    Table,
    Column,
    PrimaryKey,
    UniqueConstraint,
    ForeignKey,
    Index,
    CheckConstraint,
    EnumType,
)


class SchemaFileError(ValueError):
    """Not a schema document of the expected shape; the message says what and where."""


def read_schema_document(text: str | bytes) -> SchemaModel:
    """The model of a schema document, after checking its shape. Raises SchemaFileError."""
    parse_schema_document(text)
    # The canonical reader parses the text again: cheaper than writing the data back out.
    return from_document(text.decode() if isinstance(text, bytes) else text)


def parse_schema_document(text: str | bytes) -> dict[str, Any]:
    """A schema document as plain data, after checking its shape. Raises SchemaFileError."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise SchemaFileError(f"not valid JSON: {exc}.") from None
    check_schema_document(data)
    return data


def compact_document(model: SchemaModel) -> str:
    """The canonical document without the fields that hold their default (nulls, empty
    lists, ``nullable: true``...): the same model when read back, in half the bytes, so a
    5,000-table schema fits the release API's body limit. For files, not for storage: the
    stored document and its fingerprint stay canonical."""
    return orjson.dumps(_compact(SchemaModel, orjson.loads(to_document(model)))).decode()


@cache
def _defaults(cls: type) -> dict[str, Any]:
    """Field name -> its default as JSON holds it (a tuple default is an empty list)."""
    return {
        f.name: list(f.default) if isinstance(f.default, tuple) else f.default
        for f in fields(cls)
        if f.default is not MISSING
    }


def _compact(cls: type, value: dict[str, Any]) -> dict[str, Any]:
    defaults = _defaults(cls)
    out = {}
    for name, _required, _nullable, kind, target in _plan(cls)[0]:
        if name not in value:
            continue
        item = value[name]
        if name in defaults and type(item) is type(defaults[name]) and item == defaults[name]:
            continue
        if item is not None and target in _CLASSES:
            item = (
                _compact(target, item) if kind == "object" else [_compact(target, x) for x in item]
            )
        out[name] = item
    return out


def model_without_idents(data: dict[str, Any]) -> SchemaModel:
    """The model of checked plain data, without stable identities (PostgreSQL oids, attnums).

    They name objects within one database only: compared with another database (a CI
    one), the same oid or attnum means nothing, so renames are recognised by shape, as on
    MySQL. Done on the plain data (``data`` is left as it is): replacing 100,000 columns of
    a built model costs ten times more.
    """
    plain = {
        **data,
        "tables": [
            {
                **table,
                "ident": None,
                "columns": [{**column, "ident": None} for column in table.get("columns", ())],
            }
            for table in data.get("tables", ())
        ],
    }
    return from_document(orjson.dumps(plain).decode())


def check_schema_document(data: Any) -> None:
    """Raise SchemaFileError unless ``data`` (parsed JSON) has the schema document's shape."""
    if not _valid(SchemaModel, data):
        # Walk it again, naming where it goes wrong (the fast walk builds no paths).
        _check(SchemaModel, data, "the document")
        raise SchemaFileError("the document does not have the schema document's shape.")
    if data["dialect"] not in DIALECTS:
        raise SchemaFileError(
            f"the document: 'dialect' is {data['dialect']!r}; expected one of "
            f"{', '.join(sorted(DIALECTS))}."
        )
    seen: set[tuple[str, str]] = set()
    for i, table in enumerate(data.get("tables", ())):
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


@cache
def _plan(cls: type) -> tuple[tuple[tuple[str, bool, bool, str, Any], ...], frozenset[str]]:
    """(name, required, nullable, "scalar"|"object"|"list", type or class) per field."""
    plan = []
    for name, (hint, required) in _spec(cls).items():
        nullable = False
        if typing.get_origin(hint) in (typing.Union, types.UnionType):
            nullable = type(None) in typing.get_args(hint)
            (hint,) = [a for a in typing.get_args(hint) if a is not type(None)]
        if typing.get_origin(hint) is tuple:
            plan.append((name, required, nullable, "list", typing.get_args(hint)[0]))
        elif hint in _CLASSES:
            plan.append((name, required, nullable, "object", hint))
        else:
            plan.append((name, required, nullable, "scalar", hint))
    return tuple(plan), frozenset(spec[0] for spec in plan)


def _valid(cls: type, value: Any) -> bool:
    """The fast walk over 100,000 columns: exact JSON types (a bool is no int), no messages."""
    if type(value) is not dict:
        return False
    plan, names = _plan(cls)
    if not value.keys() <= names:
        return False
    for name, required, nullable, kind, target in plan:
        if name not in value:
            if required:
                return False
            continue
        item = value[name]
        if item is None:
            if nullable:
                continue
            return False
        if kind == "scalar":
            if type(item) is not target:
                return False
        elif kind == "object":
            if not _valid(target, item):
                return False
        elif type(item) is not list:
            return False
        elif target in _CLASSES:
            if not all(_valid(target, element) for element in item):
                return False
        elif not all(type(element) is target for element in item):
            return False
    return True


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
