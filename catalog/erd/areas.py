"""Subject areas: readable pieces of a big database, and a map of how they connect.

Areas come from what a reader would group by hand:

1. a schema small enough to read (at most ``MAX_AREA`` tables) is one area;
2. in a bigger schema, tables sharing a name prefix form an area (``ci_*``,
   ``merge_request_*``: a prefix shared by more than ``MAX_AREA`` tables, such as
   MusicBrainz's ``l_*``, is split by its next word into ``l_artist_*``, ...);
3. a table with no shared prefix joins the area it has the most relationships with;
4. what is left is grouped by foreign-key connected components.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from catalog.erd.dot import attributes, name_text, quoted, quoted_url
from catalog.erd.graph import Diagram, Key, Relationship, graph_defaults, relationships
from catalog.introspection.model import SchemaModel

MAX_AREA = 40
MIN_AREA = 3
OVERVIEW_DOT_LIMIT = 80  # areas; past this the overview uses sfdp


@dataclass(frozen=True)
class Area:
    name: str  # "ci_*", "musicbrainz: l_artist_*", "statistics"
    schema: str
    tables: tuple[Key, ...]

    @property
    def slug(self) -> str:
        """A stable identifier for URLs and cache keys."""
        return f"{self.schema}:{self.name.rsplit(': ', 1)[-1]}"


def words(name: str) -> list[str]:
    """The words of a table name, singular: ``merge_requests`` -> ``merge``, ``request``."""
    parts = [p for p in name.lower().split("_") if p]
    if parts and parts[-1].endswith("s") and not parts[-1].endswith(("ss", "us", "is")):
        parts[-1] = parts[-1][:-1] if len(parts[-1]) > 3 else parts[-1]
    return parts or [name]


def _by_prefix(names: list[tuple[Key, list[str]]], level: int) -> list[tuple[str, list[Key]]]:
    """Split one prefix group; groups too big for a page split by their next word."""
    if len(names) <= MAX_AREA:
        return [(_prefix_name([parts for _, parts in names]), [key for key, _ in names])]
    buckets: dict[str, list[tuple[Key, list[str]]]] = defaultdict(list)
    rest: list[Key] = []
    for key, parts in names:
        if len(parts) > level:
            buckets[parts[level]].append((key, parts))
        else:
            rest.append(key)
    groups: list[tuple[str, list[Key]]] = []
    for bucket in buckets.values():
        if len(bucket) >= MIN_AREA:
            groups.extend(_by_prefix(bucket, level + 1))
        else:
            rest.extend(key for key, _ in bucket)
    if rest:
        groups.append(("_".join(names[0][1][:level]) + "_*", rest))
    return groups


def _prefix_name(word_lists: list[list[str]]) -> str:
    """The words all names share, at least the first: ``merge_request_*``, ``ci_*``."""
    shared = word_lists[0]
    for parts in word_lists[1:]:
        n = 0
        while n < min(len(shared), len(parts)) and shared[n] == parts[n]:
            n += 1
        shared = shared[:n]
    return "_".join(shared or word_lists[0][:1]) + "_*"


def _components(keys: Iterable[Key], rels: list[Relationship]) -> list[list[Key]]:
    keys = set(keys)
    parent = {key: key for key in keys}

    def find(key: Key) -> Key:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for rel in rels:
        if rel.source in keys and rel.target in keys:
            parent[find(rel.source)] = find(rel.target)
    groups: dict[Key, list[Key]] = defaultdict(list)
    for key in sorted(keys):
        groups[find(key)].append(key)
    return list(groups.values())


def subject_areas(model: SchemaModel) -> list[Area]:
    """The model's tables split into subject areas, each table in exactly one."""
    rels = relationships(model)
    by_schema: dict[str, list[Key]] = defaultdict(list)
    for table in model.tables:
        by_schema[table.schema].append(table.key)
    several = len(by_schema) > 1
    areas: list[Area] = []
    for schema in sorted(by_schema):
        keys = sorted(by_schema[schema])
        if len(keys) <= MAX_AREA:
            areas.append(Area(name=schema, schema=schema, tables=tuple(keys)))
            continue
        groups = _schema_areas(keys, rels)
        for prefix, members in groups:
            name = f"{schema}: {prefix}" if several else prefix
            areas.append(Area(name=name, schema=schema, tables=tuple(sorted(members))))
    return areas


def _schema_areas(keys: list[Key], rels: list[Relationship]) -> list[tuple[str, list[Key]]]:
    first: dict[str, list[tuple[Key, list[str]]]] = defaultdict(list)
    for key in keys:
        parts = words(key[1])
        first[parts[0]].append((key, parts))
    groups: list[tuple[str, list[Key]]] = []
    loose: set[Key] = set()
    for bucket in first.values():
        if len(bucket) >= MIN_AREA:
            groups.extend(_by_prefix(bucket, 1))
        else:
            loose.update(key for key, _ in bucket)
    home = {key: index for index, (_, members) in enumerate(groups) for key in members}
    neighbours: dict[Key, list[Key]] = defaultdict(list)
    for rel in rels:
        if rel.source != rel.target:
            neighbours[rel.source].append(rel.target)
            neighbours[rel.target].append(rel.source)
    # Loose tables join the area they share most relationships with, repeatedly,
    # so that a chain of loose tables follows its anchor.
    changed = True
    while loose and changed:
        changed = False
        for key in sorted(loose):
            votes = Counter(home[other] for other in neighbours[key] if other in home)
            if votes:
                index = min(votes, key=lambda i: (-votes[i], i))
                home[key] = index
                groups[index][1].append(key)
                loose.discard(key)
                changed = True
    leftovers: list[Key] = []
    for component in _components(loose, rels):
        if len(component) >= 2:
            groups.append((_component_name(component), component))
        else:
            leftovers.extend(component)
    if leftovers:
        groups.append(("other tables", leftovers))
    return groups


def _component_name(keys: list[Key]) -> str:
    names = sorted(key[1] for key in keys)
    head = names[0]
    for name in names[1:]:
        while not name.startswith(head):
            head = head[:-1]
    head = head.rstrip("_")
    return f"{head}_*" if head else f"{names[0]} and related tables"


def areas_to_graph(
    model: SchemaModel,
    areas: list[Area],
    *,
    area_url: Callable[[Area], str | None] | None = None,
) -> Diagram:
    """One node per area (with its table count), edges weighted by relationship count."""
    home = {key: index for index, area in enumerate(areas) for key in area.tables}
    weights: Counter[tuple[int, int]] = Counter()
    inferred: Counter[tuple[int, int]] = Counter()
    for rel in relationships(model):
        a, b = home.get(rel.source), home.get(rel.target)
        if a is None or b is None or a == b:
            continue
        weights[(a, b)] += 1
        if rel.inferred:
            inferred[(a, b)] += 1
    engine = "dot" if len(areas) <= OVERVIEW_DOT_LIMIT else "sfdp"
    lines = ["digraph areas {", *graph_defaults(engine)]
    for index, area in enumerate(areas):
        count = len(area.tables)
        label = (
            '<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" '
            'STYLE="rounded" BGCOLOR="#dbeafe" COLOR="#475569">'
            f"<TR><TD><B>{name_text(area.name)}</B></TD></TR>"
            f'<TR><TD><FONT POINT-SIZE="9">{count} table{"s" if count != 1 else ""}'
            "</FONT></TD></TR></TABLE>"
        )
        url = area_url(area) if area_url else None
        sample = ", ".join(key[1] for key in area.tables[:12])
        more = ", ..." if count > 12 else ""
        attrs = attributes(
            label=f"<{label}>",
            URL=quoted_url(url) if url else None,
            target='"_top"' if url else None,
            tooltip=quoted(f"{area.name}: {sample}{more}"),
        )
        lines.append(f"a{index} {attrs};")
    for (a, b), weight in sorted(weights.items()):
        dashed = inferred[(a, b)] == weight
        attrs = attributes(
            label=f'"{weight}"',
            fontsize="9",
            penwidth=f"{min(1 + weight / 4, 6):.2f}",
            style="dashed" if dashed else None,
            tooltip=quoted(f"{weight} relationship{'s' if weight != 1 else ''}"),
        )
        lines.append(f"a{a} -> a{b} {attrs};")
    lines.append(
        'legend [label=<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" '
        'COLOR="#94a3b8"><TR><TD ALIGN="LEFT"><B>Legend</B></TD></TR>'
        '<TR><TD ALIGN="LEFT">box: a subject area and its table count</TD></TR>'
        '<TR><TD ALIGN="LEFT">arrow: foreign keys between areas (count)</TD></TR>'
        '<TR><TD ALIGN="LEFT">dashed arrow: inferred references only</TD></TR>'
        '</TABLE>>, tooltip="Legend"];'
    )
    lines.append("}")
    return Diagram(source="\n".join(lines) + "\n", engine=engine, tables=(), edges=len(weights))
