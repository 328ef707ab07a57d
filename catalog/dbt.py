"""dbt interop: export the live catalog as a sources.yml, import descriptions from a dbt project.

Export writes what SchemaJoy knows (effective descriptions, types, keys) as dbt sources with
tests. Import reads sources (not models: a model is a relation dbt builds, not one of this
database's tables) from schema.yml/sources.yml files or a manifest.json, plans what would
change, and stores the texts in dbt_description only: SchemaJoy's own text is never
overwritten, and the plan says where it would hide the imported one.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import yaml
from django.contrib.auth.models import User as AuthUser
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from catalog.documentation import User, author_of, effective_description, normalise_text
from catalog.introspection.model import COMMENT, SCHEMAJOY
from catalog.markup import too_long_message
from catalog.models import Column, Connection, DbtImportPreview, DocRevision, Table

# Export ---------------------------------------------------------------------

FRESHNESS = {
    "warn_after": {"count": 24, "period": "hour"},
    "error_after": {"count": 48, "period": "hour"},
}
FRESHNESS_FIELDS = ("updated_at",)
TIME_FAMILIES = frozenset({"timestamp", "timestamptz", "date"})


class _Dumper(yaml.SafeDumper):
    """Multi-line descriptions as literal blocks, lists indented the way dbt projects write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        # A shared freshness block would come out as &id001 / *id001: write it out each time.
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def export_dbt(connection: Connection, schema: str | None = None) -> str:
    """A dbt sources.yml (version 2) for a connection's live tables, or one schema's."""
    tables = Table.objects.filter(connection=connection, dropped_in__isnull=True)
    if schema is not None:
        tables = tables.filter(schema=schema)
    tables_list = list(tables.order_by("schema", "name"))
    columns: dict[int, list[Column]] = {t.pk: [] for t in tables_list}
    for column in Column.objects.filter(
        table__in=tables.values("pk"), dropped_in__isnull=True
    ).order_by("table_id", "position"):
        columns[column.table_id].append(column)

    sources: dict[str, dict[str, Any]] = {}
    for table in tables_list:
        source = sources.setdefault(
            table.schema, {"name": table.schema, "schema": table.schema, "tables": []}
        )
        source["tables"].append(_table_entry(table, columns[table.pk]))
    document = {"version": 2, "sources": list(sources.values())}
    header = (
        f"# dbt sources for {connection.name}, exported by SchemaJoy "
        f"{timezone.now():%Y-%m-%d %H:%M} UTC.\n"
    )
    return header + yaml.dump(
        document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )


def _table_entry(table: Table, columns: list[Column]) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": table.name}
    text = effective_description(table).text
    if text:
        entry["description"] = text
    by_name = {c.name: c for c in columns}
    loaded_at = next(
        (
            name
            for name in FRESHNESS_FIELDS
            if name in by_name and by_name[name].type_family in TIME_FAMILIES
        ),
        None,
    )
    if loaded_at:
        entry["loaded_at_field"] = loaded_at
        entry["freshness"] = FRESHNESS
    structure = table.structure or {}
    pk = list((structure.get("primary_key") or {}).get("columns") or ())
    # relationships tests are single-column in dbt; composite keys get not_null on each part
    # (dbt_utils.unique_combination_of_columns would need a package this file cannot assume).
    references = {
        fk["columns"][0]: fk for fk in structure.get("foreign_keys", []) if len(fk["columns"]) == 1
    }
    entry["columns"] = [_column_entry(c, pk, references.get(c.name)) for c in columns]
    return entry


def _column_entry(column: Column, pk: list[str], fk: dict[str, Any] | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": column.name}
    text = effective_description(column).text
    if text:
        entry["description"] = text
    entry["data_type"] = column.data_type
    tests: list[Any] = []
    if pk == [column.name]:
        tests += ["unique", "not_null"]
    elif column.name in pk:
        tests.append("not_null")
    if fk is not None:
        tests.append(
            {
                "relationships": {
                    "to": f"source('{fk['ref_schema']}', '{fk['ref_table']}')",
                    "field": fk["ref_columns"][0],
                }
            }
        )
    if tests:
        entry["data_tests"] = tests
    return entry


# Import ---------------------------------------------------------------------


class DbtImportError(ValueError):
    """An upload that is not a dbt schema file or manifest; the message says what is wrong."""


# Far beyond any real dbt file, far below what a hostile one needs to hurt.
MAX_NESTING = 64
MAX_YAML_NODES = 2_000_000
MAX_DESCRIPTIONS = 200_000
MAX_INT_DIGITS = 30


class _Refused(yaml.YAMLError):
    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (a 3.8 KB file of them expanded to 2.9 GB), nesting
    deeper than MAX_NESTING (no RecursionError) and more than MAX_YAML_NODES nodes."""

    def compose_document(self) -> Any:
        self._depth = 0
        self._nodes = 0
        return super().compose_document()

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise _Refused(
                "YAML aliases (*name) are not accepted; write the repeated part out",
                self.peek_event().start_mark,
            )
        self._nodes += 1
        if self._nodes > MAX_YAML_NODES:
            raise _Refused(f"more than {MAX_YAML_NODES:,} values", self.peek_event().start_mark)
        self._depth += 1
        if self._depth > MAX_NESTING:
            raise _Refused(f"nested deeper than {MAX_NESTING} levels", self.peek_event().start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node: Any) -> Any:
        if len(node.value) > MAX_INT_DIGITS:
            raise _Refused(f"a number longer than {MAX_INT_DIGITS} digits", node.start_mark)
        return super().construct_yaml_int(node)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)


def _json_int(text: str) -> int:
    if len(text) > MAX_INT_DIGITS:
        raise ValueError(f"a number longer than {MAX_INT_DIGITS} digits")
    return int(text)


@dataclass(frozen=True)
class DbtDoc:
    """One description found in a dbt file."""

    schema: str
    table: str
    column: str | None
    text: str
    origin: str  # file name


@dataclass
class PlannedChange:
    table_id: int
    column_id: int | None
    label: str  # schema.table or schema.table.column
    before: str  # the dbt text now
    after: str  # the dbt text to store
    shown_before: str  # what readers see now
    shown_source_before: str
    shown_source_after: str
    note: str = ""  # set when the imported text will not show, and why


@dataclass
class ImportPlan:
    connection_id: int
    changes: list[PlannedChange] = field(default_factory=list)
    unchanged: int = 0
    unmatched: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    generated_at: str | None = None  # manifest metadata, when there is one

    @property
    def shadowed(self) -> list[PlannedChange]:
        return [c for c in self.changes if c.shown_source_after != "dbt"]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportPlan:
        changes = [PlannedChange(**c) for c in data.get("changes", [])]
        return cls(**{**data, "changes": changes})


PREVIEW_LIFETIME = timedelta(hours=1)


def save_import_preview(plan: ImportPlan, *, user: AuthUser) -> str:
    """Keep a plan until the user applies it; returns the random token that names it.

    One preview per user and connection, and none older than PREVIEW_LIFETIME: bounded.
    """
    DbtImportPreview.objects.filter(created_at__lt=timezone.now() - PREVIEW_LIFETIME).delete()
    DbtImportPreview.objects.filter(connection_id=plan.connection_id, user=user).delete()
    token = secrets.token_urlsafe(32)
    DbtImportPreview.objects.create(
        token=token, connection_id=plan.connection_id, user=user, plan=plan.to_dict()
    )
    return token


def take_import_preview(token: str, *, connection: Connection, user: AuthUser) -> ImportPlan | None:
    """The plan saved under token for this user and connection (then forgotten), or None."""
    with transaction.atomic():
        preview = (
            DbtImportPreview.objects.select_for_update()
            .filter(
                token=token,
                connection=connection,
                user=user,
                created_at__gte=timezone.now() - PREVIEW_LIFETIME,
            )
            .first()
        )
        if preview is None:
            return None
        preview.delete()
    return ImportPlan.from_dict(preview.plan)


@dataclass
class ImportResult:
    applied: int
    stale: list[str]  # changed by someone else since the plan was made: left alone


def read_dbt_files(
    files: Iterable[tuple[str, bytes | str]],
) -> tuple[list[DbtDoc], list[str], str | None]:
    """Descriptions of sources and their columns in dbt files, with notes about what was skipped.

    Raises DbtImportError for anything that is not valid YAML/JSON of the expected shape.
    """
    docs: list[DbtDoc] = []
    notes: list[str] = []
    generated_at: str | None = None
    for name, content in files:
        text = _decode(name, content)
        if name.lower().endswith(".json"):
            found, note, generated_at = _read_manifest(name, text)
        elif name.lower().endswith((".yml", ".yaml")):
            found, note = _read_schema_yml(name, text)
        else:
            raise DbtImportError(
                f"{name}: expected a dbt schema file (.yml, .yaml) or a manifest.json."
            )
        for doc in found:
            message = too_long_message(doc.text)
            if message:
                where = f"{doc.schema}.{doc.table}" + (f".{doc.column}" if doc.column else "")
                raise DbtImportError(f"{name}: the description of {where}: {message}")
        docs += found
        notes += note
        if len(docs) > MAX_DESCRIPTIONS:
            raise DbtImportError(
                f"More than {MAX_DESCRIPTIONS:,} sources and columns: import the project in parts."
            )
    return docs, notes, generated_at


def _decode(name: str, content: bytes | str) -> str:
    if isinstance(content, str):
        return content
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DbtImportError(f"{name}: not UTF-8 text (byte {exc.start}).") from exc


def _read_schema_yml(name: str, text: str) -> tuple[list[DbtDoc], list[str]]:
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        what = "refused" if isinstance(exc, _Refused) else "not valid YAML"
        raise DbtImportError(f"{name}: {what}{at}: {problem}.") from exc
    if data is None:
        return [], [f"{name}: empty file."]
    if not isinstance(data, dict):
        raise DbtImportError(f"{name}: expected a mapping with 'sources:' at the top level.")
    notes: list[str] = []
    if data.get("models"):
        notes.append(
            f"{name}: {len(_list(name, data['models'], 'models'))} models skipped "
            "(only sources describe this database's tables)."
        )
    docs: list[DbtDoc] = []
    for source in _list(name, data.get("sources") or [], "sources"):
        source = _mapping(name, source, "a source")
        source_name = _required_str(name, source, "name", "a source")
        schema = str(source.get("schema") or source_name)
        for table in _list(name, source.get("tables") or [], f"sources[{source_name}].tables"):
            table = _mapping(name, table, f"a table of source {source_name}")
            table_name = str(
                table.get("identifier") or _required_str(name, table, "name", "a table")
            )
            docs.append(DbtDoc(schema, table_name, None, _text(table), name))
            for column in _list(name, table.get("columns") or [], f"{table_name}.columns"):
                column = _mapping(name, column, f"a column of {table_name}")
                column_name = _required_str(name, column, "name", f"a column of {table_name}")
                docs.append(DbtDoc(schema, table_name, column_name, _text(column), name))
    if not docs and not notes:
        notes.append(f"{name}: no sources found.")
    return docs, notes


def _read_manifest(name: str, text: str) -> tuple[list[DbtDoc], list[str], str | None]:
    try:
        data = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise DbtImportError(
            f"{name}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}."
        ) from exc
    except ValueError as exc:
        raise DbtImportError(f"{name}: not a dbt manifest: {exc}.") from exc
    except RecursionError:
        # json's C parser stops at the interpreter's recursion limit, before memory runs out.
        raise DbtImportError(f"{name}: nested far deeper than any dbt manifest.") from None
    if not isinstance(data, dict) or not isinstance(data.get("sources"), dict):
        raise DbtImportError(
            f"{name}: not a dbt manifest (no 'sources' mapping); upload target/manifest.json."
        )
    metadata = _mapping(name, data.get("metadata") or {}, "'metadata'")
    generated_at = _generated_at(name, metadata.get("generated_at"))
    docs: list[DbtDoc] = []
    for key, source in data["sources"].items():
        source = _mapping(name, source, f"source {key}")
        schema = _required_str(name, source, "schema", f"source {key}")
        table = str(
            source.get("identifier") or _required_str(name, source, "name", f"source {key}")
        )
        docs.append(DbtDoc(schema, table, None, _text(source), name))
        columns = source.get("columns") or {}
        if not isinstance(columns, dict):
            raise DbtImportError(f"{name}: the columns of source {key} should be a mapping.")
        for column_key, column in columns.items():
            column = _mapping(name, column, f"column {column_key} of {key}")
            docs.append(
                DbtDoc(schema, table, str(column.get("name") or column_key), _text(column), name)
            )
    notes = [] if docs else [f"{name}: the manifest holds no sources."]
    return docs, notes, generated_at


def _generated_at(name: str, value: Any) -> str | None:
    """metadata.generated_at as given, once it is known to be a date-time; None when absent."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or _manifest_time(value) is None:
        raise DbtImportError(
            f"{name}: metadata.generated_at should be a date-time such as "
            f"2024-05-01T12:00:00Z, not {value!r:.40}."
        )
    return value


def _manifest_time(value: str) -> datetime | None:
    try:
        when = parse_datetime(value)
    except ValueError:  # well-formed but impossible, like month 13
        return None
    if when is not None and timezone.is_naive(when):
        when = timezone.make_aware(when, UTC)
    return when


def _list(name: str, value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise DbtImportError(f"{name}: '{what}' should be a list.")
    return value


def _mapping(name: str, value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DbtImportError(f"{name}: {what} should be a mapping, not {type(value).__name__}.")
    return value


def _required_str(name: str, value: dict[str, Any], key: str, what: str) -> str:
    if not isinstance(value.get(key), str | int) or value.get(key) == "":
        raise DbtImportError(f"{name}: {what} has no '{key}'.")
    return str(value[key])


def _text(value: dict[str, Any]) -> str:
    description = value.get("description")
    return normalise_text(description) if isinstance(description, str) else ""


def plan_dbt_import(connection: Connection, files: Iterable[tuple[str, bytes | str]]) -> ImportPlan:
    """What importing these dbt files would change. Raises DbtImportError; writes nothing."""
    docs, notes, generated_at = read_dbt_files(files)
    plan = ImportPlan(connection_id=connection.pk, notes=notes, generated_at=generated_at)
    tables = list(
        Table.objects.filter(connection=connection).select_related("description_updated_by")
    )
    exact = {(t.schema, t.name): t for t in tables}
    folded = _folded(tables, lambda t: (t.schema.lower(), t.name.lower()))
    wanted_tables = {
        t.pk for d in docs if (t := _match(exact, folded, (d.schema, d.table))) is not None
    }
    columns = Column.objects.filter(table_id__in=wanted_tables).select_related(
        "description_updated_by"
    )
    column_exact = {(c.table_id, c.name): c for c in columns}
    column_folded = _folded(column_exact.values(), lambda c: (c.table_id, c.name.lower()))
    manifest_time = _manifest_time(generated_at) if generated_at else None

    seen: set[tuple[int, int | None]] = set()
    for doc in docs:
        table = _match(exact, folded, (doc.schema, doc.table))
        if table is None:
            plan.unmatched.append(
                f"{doc.schema}.{doc.table}" + (f".{doc.column}" if doc.column else "")
            )
            continue
        target: Table | Column = table
        label = table.qualified_name
        if doc.column is not None:
            column = _match(column_exact, column_folded, (table.pk, doc.column))
            if column is None:
                plan.unmatched.append(f"{label}.{doc.column}")
                continue
            target, label = column, f"{label}.{column.name}"
        key = (table.pk, target.pk if isinstance(target, Column) else None)
        if key in seen or not doc.text:
            continue  # a later file repeating an object, or a dbt entry without text
        seen.add(key)
        if doc.text == target.dbt_description:
            plan.unchanged += 1
            continue
        plan.changes.append(_planned(target, table, label, doc.text, manifest_time))
    return plan


def _folded(items: Iterable[Any], key: Any) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for item in items:
        out.setdefault(key(item), item)
    return out


def _match(exact: dict[Any, Any], folded: dict[Any, Any], key: tuple[Any, str]) -> Any:
    found = exact.get(key)
    if found is None:
        # dbt projects often spell names in another case than the catalog: fall back.
        folded_key = tuple(k.lower() if isinstance(k, str) else k for k in key)
        found = folded.get(folded_key)
    return found


def _planned(
    target: Table | Column, table: Table, label: str, text: str, manifest_time: datetime | None
) -> PlannedChange:
    shown, source = effective_description(target)
    after = effective_description(_with_dbt(target, text)).source
    note = ""
    if source == SCHEMAJOY:
        when = target.description_updated_at
        who = getattr(target.description_updated_by, "username", None) or "someone"
        edited = f"{who} on {when:%Y-%m-%d %H:%M}" if when else "SchemaJoy"
        if manifest_time and when and when > manifest_time:
            note = (
                f"SchemaJoy's description, edited by {edited}, is newer than this manifest "
                f"({manifest_time:%Y-%m-%d %H:%M}) and stays shown; the dbt text is kept beside it."
            )
        else:
            note = (
                f"SchemaJoy's description (edited by {edited}) stays shown: clear it to show "
                "dbt's text."
            )
    elif source == COMMENT:
        note = "The database comment stays shown; dbt's text is kept beside it."
    return PlannedChange(
        table_id=table.pk,
        column_id=target.pk if isinstance(target, Column) else None,
        label=label,
        before=target.dbt_description,
        after=text,
        shown_before=shown,
        shown_source_before=source,
        shown_source_after=after,
        note=note,
    )


def _with_dbt(target: Table | Column, text: str) -> Table | Column:
    copy = type(target)(
        description=target.description, comment=target.comment, dbt_description=text
    )
    return copy


def apply_dbt_import(plan: ImportPlan, *, user: User | None) -> ImportResult:
    """Store the planned dbt texts, one revision each. A text changed since the plan is left."""
    revisions: list[DocRevision] = []
    stale: list[str] = []
    author = author_of(user)
    with transaction.atomic():
        for model, changes, scope in (
            (
                Table,
                {c.table_id: c for c in plan.changes if c.column_id is None},
                {"connection_id": plan.connection_id},
            ),
            (
                Column,
                {c.column_id: c for c in plan.changes if c.column_id is not None},
                {"table__connection_id": plan.connection_id},
            ),
        ):
            # Lock the rows, compare with what the plan saw, then write in bulk.
            applied: list[Any] = []  # Table or Column rows
            for row in model.objects.select_for_update().filter(pk__in=changes, **scope):
                change = changes[row.pk]
                if row.dbt_description != change.before:
                    stale.append(change.label)
                    continue
                row.dbt_description = change.after
                applied.append(row)
                revisions.append(
                    DocRevision(
                        table_id=change.table_id,
                        column_id=change.column_id,
                        author=author,
                        source=DocRevision.Source.DBT,
                        before=change.before,
                        after=change.after,
                    )
                )
            model.objects.bulk_update(applied, ["dbt_description"], batch_size=500)
        DocRevision.objects.bulk_create(revisions, batch_size=1000)
    return ImportResult(applied=len(revisions), stale=stale)
