"""References between tables that the schema does not declare, inferred from column names (pure).

Used by the ERD (dashed edges) and by the scoring rules ``type-fk-inferred-mismatch``,
``rel-inferred-fk-undeclared`` and ``rel-dangling-id``, so the guess is made in one place.

A column looks like a reference when its name is ``{x}_id`` (``customer_id``), ``{x}Id`` /
``{x}ID`` (``customerId``, ``CustomerID``) or ``id_{x}`` (``id_customer``), or when it is an
integer column named exactly like a table (``customer``). It resolves when exactly one base
table is named ``x`` in singular or plural (``customer``, ``customers``, ``order_item`` ->
``order_items``), compared on words so ``CustomerId`` finds ``Customer``, and that table has a
single-column key. Matching tries, in order, the same schema then the whole database, the full
name then the name without the database's table prefix (Django's ``app_`` labels, or a prefix
most tables share: ``wp_``, ``ps_``), then the other tables' column prefixes (``rev`` is
``revision``'s); the first step that finds any table decides (several tables there:
ambiguous, not resolved). When ``x`` has several words and nothing matches, leading words are
taken as a role and dropped one at a time: ``reporter_user_id`` -> ``user`` (strategy
``{role}_{x}_id``); for ``id_{x}`` trailing words are: ``id_address_delivery`` -> ``address``.

Many schemas prefix each table's columns with a short tag (``rev_id``, ``rev_page`` in
``revision``): a column that does not resolve as it is, is resolved again without its table's
own column prefix (``rev_page`` -> ``page``, ``ar_rev_id`` -> ``rev_id`` -> ``revision``).

Never inferred: a column of a declared foreign key (returned with ``declared=True`` instead,
one per column pair, so callers get every reference from one call), a table matching itself
(``order_id`` in ``orders`` is its own natural key), polymorphic pairs (a sibling
``{x}_type``, or Django's ``object_id`` beside ``content_type_id``), and names on the ignore
list (ids of external systems such as ``stripe_customer_id``).
"""

from __future__ import annotations

import fnmatch
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter, methodcaller

from catalog.inflection import (
    pluralize,
    singular_phrase,
    singularize,
    snake,
    split_words,
    strip_prefix,
)
from catalog.introspection.model import INTEGER, SchemaModel, Table

# External systems' ids look like references but point outside the database.
DEFAULT_IGNORE = (
    "stripe_*",
    "paypal_*",
    "braintree_*",
    "external_*",
    "*_external_id",
    "left_id",  # nested-set bounds (left_id, right_id): positions, not references
    "right_id",
)

ID_SUFFIX = "{x}_id"
CAMEL_ID = "{x}Id"
ID_PREFIX = "id_{x}"
ROLE = "{role}_{x}_id"
BARE = "{x}"
COLUMN_PREFIX = "{tag}_{x}"
KEY_NAME = "the name of its key"
DECLARED = "declared"

# Names that refer to their own table: parent_id in categories.
SELF_ROLES = frozenset({("parent",)})


@dataclass(frozen=True)
class InferredReference:
    schema: str
    table: str
    column: str
    ref_schema: str
    ref_table: str
    ref_column: str
    declared: bool
    strategy: str  # ID_SUFFIX, CAMEL_ID, ID_PREFIX, ROLE, or DECLARED


@dataclass(frozen=True)
class DanglingReference:
    schema: str
    table: str
    column: str
    target: str  # the entity name looked for, as words joined by "_": "customer"


def app_prefixes(model: SchemaModel) -> frozenset[str]:
    """Django app labels to strip: the first word of every table name, in a Django database."""
    names = {t.name for t in model.tables}
    if "django_migrations" not in names and "django_content_type" not in names:
        return frozenset()
    return frozenset(name.split("_", 1)[0] for name in names if "_" in name)


_NAME = attrgetter("name")
# A prefix shared by this share of the tables (at least 3) is the database's, not a word.
PREFIX_SHARE = 0.6


def dominant_prefix(names: list[str], *, share: float = PREFIX_SHARE, least: int = 3) -> str | None:
    """The first ``_``-separated part most names share (``wp`` of ``wp_posts``), or None.

    A prefix that is itself one of the names (``user`` beside ``user_roles``) is an entity,
    not a tag."""
    heads: list[str] = [head for head, sep, _ in map(methodcaller("partition", "_"), names) if sep]
    need = max(least, math.ceil(share * len(names)))
    # A head shared by k names leaves at most len(heads) - k + 1 distinct heads: most tables'
    # columns fail this at C speed, before any counting.
    if len(heads) < need or len(set(heads)) > len(heads) - need + 1:
        return None
    head, count = Counter(heads).most_common(1)[0]
    if count < least or count < share * len(names) or not head:
        return None
    entity = {head.lower(), pluralize(head.lower()), singularize(head.lower())}
    if any(name.lower() in entity for name in names):
        return None
    return head


def table_prefixes(model: SchemaModel) -> frozenset[str]:
    """Prefixes to strip from table names before inflection, naming and references: Django's
    app labels, and the database's dominant prefix (``wp``, ``ps``, ``xx``)."""
    found = set(app_prefixes(model))
    prefix = dominant_prefix([t.name for t in model.tables])
    if prefix is not None:
        found.add(prefix)
    return frozenset(found)


def column_prefix(table: Table) -> str | None:
    """The table's own column tag (``rev`` of ``rev_id``, ``rev_page`` in ``revision``): the
    first column's first part, when most of the columns (at least 3) start with it. Schemas
    with tags lead each table with its tagged key; checking one candidate keeps this cheap."""
    columns = table.columns
    if len(columns) < 3:
        return None
    head, sep, _ = columns[0].name.partition("_")
    if not sep or not head or head.lower() == "id":
        return None
    tagged = ("\n" + "\n".join(map(_NAME, columns))).count(f"\n{head}_")
    return head if tagged >= 3 and tagged >= PREFIX_SHARE * len(columns) else None


def reference_target(column: str) -> tuple[tuple[str, ...], str] | None:
    """The words of ``x`` and the strategy when a column name looks like a reference."""
    edges = (column[:2] + column[-2:]).lower()
    if "id" not in edges:
        return None  # the cheap test first: most columns are not references
    words = split_words(column)
    if len(words) < 2:
        return None
    if words[-1] == "id":
        separator = column[-3:-2] if len(column) > 2 else ""
        return words[:-1], ID_SUFFIX if separator == "_" else CAMEL_ID
    if words[0] == "id":
        return words[1:], ID_PREFIX
    return None


def single_key_column(table: Table) -> str | None:
    """The table's single-column key: its primary key, else a single-column unique NOT NULL."""
    if table.primary_key is not None:
        cols = table.primary_key.columns
        return cols[0] if len(cols) == 1 else None
    not_null = {c.name for c in table.columns if not c.nullable}
    candidates = [u.columns for u in table.unique_constraints] + [
        i.columns for i in table.indexes if i.unique and not i.partial
    ]
    for cols in candidates:
        if len(cols) == 1 and cols[0] in not_null:
            return cols[0]
    return None


def is_junction(table: Table) -> bool:
    """A link (association) table, recognised by shape with or without declared foreign keys:
    its key, or a unique NOT NULL column set, is two or more reference-like columns
    (``(post_id, tag_id)``, ``(id_category, id_product)``); or it has two or more foreign
    keys and nothing else but a key and timestamps."""
    pk = table.primary_key.columns if table.primary_key else ()
    keys = [pk] if len(pk) >= 2 else []
    keys += [u.columns for u in table.unique_constraints if len(u.columns) >= 2]
    keys += [i.columns for i in table.indexes if i.unique and not i.partial and len(i.columns) >= 2]
    if not keys and len(table.foreign_keys) < 2:
        return False  # most tables: decided without looking at a column
    fk_columns = {c for fk in table.foreign_keys for c in fk.columns}
    tag = None
    own_key = set(pk)

    def reference_like(name: str) -> bool:
        nonlocal tag
        if name in fk_columns or reference_target(name) is not None:
            return True
        if tag is None:
            tag = column_prefix(table) or ""
        # MediaWiki's il_from, il_to style is too loose; only an id shape after the tag.
        return (
            bool(tag)
            and name.startswith(tag + "_")
            and reference_target(name[len(tag) + 1 :]) is not None
        )

    not_null = {c.name for c in table.columns if not c.nullable} | own_key  # a key is NOT NULL
    if any(all(c in not_null for c in cols) and all(map(reference_like, cols)) for cols in keys):
        return True
    if len(table.foreign_keys) < 2:
        return False
    return all(
        c.name in fk_columns or c.name in own_key or split_words(c.name)[-1:] == ("at",)
        for c in table.columns
    )


class _Index:
    """Base tables by the singular words of their names, full and without the table prefix;
    by their exact names (bare references); and by their own column prefixes."""

    def __init__(self, model: SchemaModel) -> None:
        prefixes = table_prefixes(model)
        self.full: dict[tuple[str, ...], list[Table]] = defaultdict(list)
        self.stripped: dict[tuple[str, ...], list[Table]] = defaultdict(list)
        self.exact: dict[tuple[str, ...], list[Table]] = defaultdict(list)
        self.tags: dict[tuple[str, ...], list[Table]] = defaultdict(list)
        self.tag_of: dict[tuple[str, str], str] = {}  # table key -> its column tag, or ""
        # Tables by their single-column key's name (auth_option_id is phpbb_acl_options'):
        # a column named exactly like another table's key refers to it.
        self.keyed: dict[str, list[Table]] = defaultdict(list)
        for table in model.tables:
            if not table.is_base_table:
                continue
            words = split_words(table.name)
            self.full[singular_phrase(words)].append(table)
            self.exact[words].append(table)
            short = strip_prefix(table.name, prefixes)
            if short != table.name:
                self.stripped[singular_phrase(split_words(short))].append(table)
                self.exact[split_words(short)].append(table)
            pk = table.primary_key.columns if table.primary_key else ()
            if len(pk) == 1 and pk[0].lower() != "id":
                self.keyed[snake(pk[0])].append(table)
            tag = self.tag_of[table.key] = column_prefix(table) or ""
            if tag and split_words(tag) != words:
                # A tag that is the table's own name adds nothing; rev for revision does.
                key = single_key_column(table)
                if key and key.startswith(tag + "_"):
                    self.tags[split_words(tag)].append(table)

    def lookup(self, words: tuple[str, ...], schema: str) -> list[Table]:
        key = singular_phrase(words)
        for index, by in ((self.full, key), (self.stripped, key), (self.tags, words)):
            found = index.get(by)
            if not found:
                continue
            same_schema = [t for t in found if t.schema == schema]
            return same_schema or found
        return []

    def named(self, words: tuple[str, ...], schema: str) -> list[Table]:
        """Tables named exactly these words (with or without the table prefix)."""
        found = self.exact.get(words)
        if not found:
            return []
        same_schema = [t for t in found if t.schema == schema]
        return same_schema or found


@dataclass(frozen=True)
class _Resolution:
    tables: tuple[Table, ...]
    words: tuple[str, ...]
    strategy: str


class ReferenceGuesser:
    """Inference over one model, indexed once; ``infer_references`` and friends wrap it."""

    def __init__(self, model: SchemaModel, *, ignore: Iterable[str] = DEFAULT_IGNORE) -> None:
        self.model = model
        self.ignore = tuple(ignore)
        # The ignore globs as one case-insensitive expression (fnmatch per column is slow).
        parts = [fnmatch.translate(pattern.lower()) for pattern in self.ignore]
        self._ignored = re.compile("|".join(parts)).match if parts else None

    @cached_property
    def _index(self) -> _Index:
        return _Index(self.model)

    def _skipped(self, column: str, words: tuple[str, ...], names: set[str]) -> bool:
        if self._ignored is not None and self._ignored(column.lower()):
            return True
        # Polymorphic pairs: commentable_type + commentable_id, Django's generic foreign keys.
        stem = "_".join(words)
        if f"{stem}_type" in names or f"{stem}_type_id" in names:
            return True
        return stem == "object" and "content_type_id" in names

    def _resolve(
        self, table: Table, column: str, target: tuple[tuple[str, ...], str], names: set[str]
    ) -> _Resolution | None:
        """None when the column is skipped or names its own table; ``target`` is
        ``reference_target(column)``."""
        words, strategy = target
        if self._skipped(column, words, names):
            return None
        if words in SELF_ROLES:
            return _Resolution((table,), words, strategy)
        attempts = [(words, strategy)]
        if strategy != ID_PREFIX:
            attempts += [(words[i:], ROLE) for i in range(1, len(words))]
        else:  # id_address_delivery, id_default_group: the role after or before the entity
            attempts += [(words[:i], ROLE) for i in range(len(words) - 1, 0, -1)]
            attempts += [(words[i:], ROLE) for i in range(1, len(words))]
        for attempt, how in attempts:
            found = self._index.lookup(attempt, table.schema)
            if not found:
                continue
            if how != ROLE:
                # order_id in orders is the table's own natural key, not a reference;
                # parent_category_id in categories (a role) is a real self-reference.
                found = [t for t in found if t.key != table.key]
                if not found:
                    return None
            return _Resolution(tuple(found), attempt, how)
        # No table by that name: another table's key of the very same name (auth_option_id).
        keyed = [t for t in self._index.keyed.get(snake(column), ()) if t.key != table.key]
        if keyed:
            same_schema = [t for t in keyed if t.schema == table.schema]
            return _Resolution(tuple(same_schema or keyed), words, KEY_NAME)
        return _Resolution((), words, strategy)

    def _bare(
        self, table: Table, column: str, words: tuple[str, ...], names: set[str]
    ) -> _Resolution | None:
        """An integer column named exactly like another table (``page``, ``rev_page``). A
        plural name counts rows (Synapse's ``current_state_events`` in room_stats_current):
        only a singular one refers to a row."""
        if singular_phrase(words) != words:
            return None
        found = [t for t in self._index.named(words, table.schema) if t.key != table.key]
        if not found or self._skipped(column, words, names):
            return None
        return _Resolution(tuple(found), words, BARE)

    @cached_property
    def _resolutions(self) -> tuple[tuple[Table, str, bool, _Resolution], ...]:
        """(table, column, is its own primary key, resolution) per reference-like column."""
        out = []
        # Per distinct column name: most names repeat (id, created_at) over 100,000 columns.
        targets: dict[str, tuple[tuple[str, ...], str] | None] = {}
        named = self._index.exact
        tag_of = self._index.tag_of
        # Column names spelled like a table (bare references), decided once per name.
        bare: dict[str, bool] = {}
        for table in self.model.tables:
            if not table.is_base_table:
                continue
            declared = {c for fk in table.foreign_keys for c in fk.columns}
            names: set[str] | None = None
            for column in table.columns:
                name = column.name
                if name in targets:
                    target = targets[name]
                else:
                    target = targets[name] = reference_target(name)
                if name in declared:
                    continue
                integer = column.type_family == INTEGER
                if target is None:
                    # Only an integer with the table's tag (rev_page) or a table's name (page).
                    if not integer:
                        continue
                    tag = tag_of[table.key]
                    if not (tag and name.startswith(tag + "_")):
                        like_table = bare.get(name)
                        if like_table is None:
                            like_table = bare[name] = split_words(name) in named
                        if not like_table:
                            continue
                if names is None:
                    names = {snake(c.name) for c in table.columns}
                found = self._resolve(table, name, target, names) if target else None
                if target is not None and found is None:
                    continue  # skipped, or the table's own key
                unresolved = found is not None and not found.tables
                if unresolved and not integer and target is not None and target[1] == ID_PREFIX:
                    # id_customer is PrestaShop's reference shape; a text id_server that names
                    # no table is a word (Synapse's identity server), not a dangling id.
                    continue
                if found is None or not found.tables:
                    # Not as it is: without the table's own column tag, or named like a table.
                    tag = tag_of[table.key]
                    again = None
                    if tag and name.startswith(tag + "_"):
                        rest = name[len(tag) + 1 :]
                        rest_target = reference_target(rest)
                        if rest_target is not None:
                            again = self._resolve(table, name, rest_target, names)
                            if again is None or not again.tables:
                                # Skipped, or dangling by its untagged name (bl_reason_id
                                # looks for a reason, not a bl_reason).
                                found, again = again, None
                            else:
                                again = _Resolution(again.tables, again.words, COLUMN_PREFIX)
                        elif integer:
                            again = self._bare(table, name, split_words(rest), names)
                            if again is not None:
                                again = _Resolution(again.tables, again.words, COLUMN_PREFIX)
                    elif target is None and integer:
                        again = self._bare(table, name, split_words(name), names)
                    if again is not None and again.tables:
                        found = again
                if found is not None:
                    own_key = table.primary_key.columns if table.primary_key else ()
                    out.append((table, name, name in own_key, found))
        return tuple(out)

    @cached_property
    def _declared(self) -> tuple[InferredReference, ...]:
        return tuple(
            InferredReference(
                table.schema, table.name, col, fk.ref_schema, fk.ref_table, ref_col, True, DECLARED
            )
            for table in self.model.tables
            for fk in table.foreign_keys
            for col, ref_col in zip(fk.columns, fk.ref_columns, strict=False)
        )

    @cached_property
    def _inferred(self) -> tuple[InferredReference, ...]:
        out = []
        for table, column, _own_key, found in self._resolutions:
            if len(found.tables) != 1:
                continue
            ref = found.tables[0]
            key = single_key_column(ref)
            if key is None or (ref.key == table.key and key == column):
                continue
            out.append(
                InferredReference(
                    table.schema,
                    table.name,
                    column,
                    ref.schema,
                    ref.name,
                    key,
                    False,
                    found.strategy,
                )
            )
        return tuple(out)

    def references(self, *, include_declared: bool = True) -> tuple[InferredReference, ...]:
        return self._declared + self._inferred if include_declared else self._inferred

    @cached_property
    def _key_parts(self) -> dict[str, set[tuple[str, str]]]:
        """Column name -> the base tables whose primary key or a unique column set holds a
        column of that name (remote_media_cache's (media_origin, media_id))."""
        parts: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for table in self.model.tables:
            if not table.is_base_table:
                continue
            keys = [table.primary_key.columns] if table.primary_key else []
            keys += [u.columns for u in table.unique_constraints]
            keys += [i.columns for i in table.indexes if i.unique and not i.partial]
            for column in {c for cols in keys for c in cols}:
                parts[snake(column)].add(table.key)
        return parts

    def _keyed_elsewhere(self, table: Table, column: str) -> bool:
        """Whether a table is keyed (in part) by this name: its own, unless it is a link
        table (received_transactions' unique (transaction_id, origin) is its identity, not
        a reference), or another one, also by the name without its leading words
        (rule_folder_id -> folder_id): a reference to a composite key, or to a table named
        otherwise (phpbb_privmsgs_folder), is not dangling."""
        words = split_words(column)
        parts = self._key_parts
        keyed = parts.get("_".join(words), set())
        if keyed - {table.key} or (table.key in keyed and not is_junction(table)):
            return True
        return any(
            parts.get("_".join(words[i:]), set()) - {table.key} for i in range(1, len(words) - 1)
        )

    @cached_property
    def _dangling(self) -> tuple[DanglingReference, ...]:
        return tuple(
            DanglingReference(table.schema, table.name, column, "_".join(found.words))
            for table, column, own_key, found in self._resolutions
            # A table's own primary key refers to nothing when it resolves nowhere.
            if not found.tables and not own_key and not self._keyed_elsewhere(table, column)
        )

    def dangling(self) -> tuple[DanglingReference, ...]:
        return self._dangling

    @cached_property
    def _resolved_columns(self) -> frozenset[tuple[str, str, str]]:
        return frozenset(
            (table.schema, table.name, column)
            for table, column, _own_key, found in self._resolutions
            if found.tables
        )

    @cached_property
    def referring_names(self) -> frozenset[str]:
        """Column names (snake_case) of which some use refers to a table: declared, or
        resolved by name (ambiguous resolutions included)."""
        declared = {snake(r.column) for r in self._declared}
        return frozenset(declared | {snake(column) for _, _, column in self._resolved_columns})

    def refers_elsewhere(self, table: Table, column: str) -> bool:
        """Whether an undeclared column's name resolves to another table (a key named
        user_id in account_validity, a one-to-one extension of users), ambiguous or not."""
        return (table.schema, table.name, column) in self._resolved_columns


def infer_references(
    model: SchemaModel, *, ignore: Iterable[str] = DEFAULT_IGNORE
) -> tuple[InferredReference, ...]:
    """Declared references (``declared=True``) and the undeclared ones that resolve by name."""
    return ReferenceGuesser(model, ignore=ignore).references()


def dangling_references(
    model: SchemaModel, *, ignore: Iterable[str] = DEFAULT_IGNORE
) -> tuple[DanglingReference, ...]:
    """Undeclared reference-like columns whose ``x`` names no table at all."""
    return ReferenceGuesser(model, ignore=ignore).dangling()
