"""Entity relationship diagrams as DOT text, built from a SchemaModel (pure).

``schema_to_graph`` picks the tables (whole database, some schemas, an explicit set
such as a subject area, or the neighbourhood of one table), then writes DOT with
HTML-like labels in which every identifier is escaped (see ``dot.py``). Node ids are
``t0, t1, ...``, never names. The web layer renders the ``Diagram`` it returns with
``render.render(diagram.source, engine=diagram.engine, ...)`` and caches by
``render.cache_key(fingerprint, **view_params)``.

Layout by measurement (graphviz 2.43, 2 cores; bench/erd.py has the numbers):

- ``dot`` (rankdir=LR, ports on column rows, clusters per schema) for up to
  ``COMPACT_TABLES`` tables: neighbourhoods of MusicBrainz tables take 0.04-0.2 s.
- Past that, time is not the problem but shape is: ``dot`` draws all of MusicBrainz
  (527 tables, 889 edges) in 0.4 s as a 1,787 x 33,571 pt strip, and a synthetic
  1,000-table schema in 2.3 s as 2,618 x 24,360 pt. ``sfdp`` with prism overlap removal
  takes 0.35 s and 1.1 s and draws near-square maps (2,240 x 2,140 pt for 1,000 tables),
  so big diagrams use sfdp (no clusters: boxes show ``schema.table``). ``neato`` took
  1.4 s on MusicBrainz for a similar picture.
- ``dot``'s cost grows with edges (DESIGN.md: 9 s at 1,900, 118 s at 5,000), so even a
  small, dense selection past ``DOT_EDGE_LIMIT`` edges goes to sfdp.
- Full column lists past ``COMPACT_TABLES`` make posters (150 tables: 1,870 x 7,544 pt,
  0.6 MB of SVG; 1,000 tables: 4.3 MB), so compact mode shows names and key columns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from catalog.erd.dot import attributes, html_text, name_text, quoted, quoted_url
from catalog.introspection.model import MATERIALIZED_VIEW, SchemaModel, Table
from catalog.relations import infer_references

Key = tuple[str, str]
TableUrl = Callable[[str, str], "str | None"]

# Tuned on MusicBrainz and gisia (see the module docstring and bench/erd.py).
COMPACT_TABLES = 150
DOT_EDGE_LIMIT = 1200
# Tables referencing a table, MusicBrainz: link 108, editor 40, release 33, area and
# artist 31, then 29, 29, 28, 27, 25...; gisia (with inferred references): projects 35,
# namespaces 17, users 11. Depth-2 neighbourhoods over all MusicBrainz tables, median/p90
# tables: 5/43 at 25, 16/53 at 30, 32/138 with no limit; gisia 4/20 at 25.
HUB_THRESHOLD = 25
# A focus with more direct neighbours than this is drawn radially (twopi, focus in the
# middle): MusicBrainz artist (34) as ~3,200 x 2,800 pt instead of a 1,800 x 9,000 strip.
RADIAL_NEIGHBOURS = 25
MAX_COLUMNS = 30  # longer tables show their key columns and "N more columns"

FONT = "Helvetica"
HEADER = "#dbeafe"
VIEW_HEADER = "#ede9fe"
DROPPED = "#9ca3af"
STUB = "#f3f4f6"
INFERRED = "#c2410c"
CLUSTER = "#f8fafc"


@dataclass(frozen=True)
class Relationship:
    """One edge: a declared foreign key (all its columns) or one inferred reference."""

    source: Key
    target: Key
    columns: tuple[str, ...]
    ref_columns: tuple[str, ...]
    name: str | None = None
    inferred: bool = False


@dataclass(frozen=True)
class Diagram:
    """DOT source plus what the web layer needs to render and link it."""

    source: str
    engine: str
    tables: tuple[Key, ...]  # drawn with their columns (or keys, in compact mode)
    stubs: tuple[Key, ...] = ()  # drawn as a name only: hubs and outside neighbours
    compact: bool = False
    edges: int = 0
    node_ids: dict[Key, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def drawn(self) -> tuple[Key, ...]:
        return self.tables + self.stubs


def relationships(model: SchemaModel) -> list[Relationship]:
    """Declared foreign keys (one per key, however many columns) and inferred references."""
    result = [
        Relationship(
            source=table.key,
            target=(fk.ref_schema, fk.ref_table),
            columns=fk.columns,
            ref_columns=fk.ref_columns,
            name=fk.name,
        )
        for table in model.tables
        for fk in table.foreign_keys
        if model.table(fk.ref_schema, fk.ref_table) is not None
    ]
    declared = {(r.source, c) for r in result for c in r.columns}
    for ref in infer_references(model):
        source = (ref.schema, ref.table)
        if ref.declared or (source, ref.column) in declared:
            continue
        result.append(
            Relationship(
                source=source,
                target=(ref.ref_schema, ref.ref_table),
                columns=(ref.column,),
                ref_columns=(ref.ref_column,),
                inferred=True,
            )
        )
    return result


def referenced_by(rels: Iterable[Relationship]) -> dict[Key, int]:
    """How many distinct other tables reference each table."""
    sources: dict[Key, set[Key]] = defaultdict(set)
    for rel in rels:
        if rel.source != rel.target:
            sources[rel.target].add(rel.source)
    return {key: len(found) for key, found in sources.items()}


def neighbourhood(
    focus: Key,
    rels: Iterable[Relationship],
    *,
    depth: int = 1,
    hub_threshold: int = HUB_THRESHOLD,
) -> tuple[set[Key], set[Key]]:
    """Tables within ``depth`` relationships of ``focus`` (either direction), and hub stubs.

    A hub (referenced by more than ``hub_threshold`` tables) other than the focus is
    drawn once as a stub and never expanded, so one ``users`` table does not pull half
    the database into a depth-2 neighbourhood.
    """
    rels = list(rels)
    adjacent: dict[Key, set[Key]] = defaultdict(set)
    for rel in rels:
        adjacent[rel.source].add(rel.target)
        adjacent[rel.target].add(rel.source)
    counts = referenced_by(rels)
    tables, stubs = {focus}, set()
    frontier = [focus]
    for _ in range(depth):
        reached = []
        for key in frontier:
            for other in sorted(adjacent[key]):
                if other in tables or other in stubs:
                    continue
                if counts.get(other, 0) > hub_threshold:
                    stubs.add(other)
                else:
                    tables.add(other)
                    reached.append(other)
        frontier = reached
    return tables, stubs


def schema_to_graph(
    model: SchemaModel,
    *,
    schemas: Collection[str] | None = None,
    tables: Collection[Key] | None = None,
    focus: Key | None = None,
    depth: int = 1,
    compact: bool | None = None,
    table_url: TableUrl | None = None,
    dropped: Collection[str] = frozenset(),
    hub_threshold: int = HUB_THRESHOLD,
    engine: str | None = None,
) -> Diagram:
    """The ERD of a model: whole, some ``schemas``, some ``tables``, or around ``focus``.

    ``compact`` and ``engine`` None choose by table and edge counts (module docstring).
    ``dropped`` holds qualified names (``schema.table``) to style as dropped.
    ``table_url(schema, table)`` gives each box's link (escaped here).
    """
    rels = relationships(model)
    known = {t.key for t in model.tables}
    if focus is not None:
        if focus not in known:
            raise KeyError(f"No table {focus[0]}.{focus[1]} in this schema.")
        chosen, stubs = neighbourhood(focus, rels, depth=depth, hub_threshold=hub_threshold)
    else:
        if tables is not None:
            chosen = set(tables) & known
        elif schemas is not None:
            wanted = set(schemas)
            chosen = {key for key in known if key[0] in wanted}
        else:
            chosen = set(known)
        # Tables outside the selection that it references or that reference it.
        stubs = {
            other
            for rel in rels
            for key, other in ((rel.source, rel.target), (rel.target, rel.source))
            if key in chosen and other not in chosen
        }
    drawn = chosen | stubs
    shown = [
        r
        for r in rels
        if (r.source in chosen or r.target in chosen) and r.source in drawn and r.target in drawn
    ]
    if compact is None:
        compact = len(chosen) > COMPACT_TABLES
    if engine is None:
        small = len(chosen) + len(stubs) <= COMPACT_TABLES and len(shown) <= DOT_EDGE_LIMIT
        engine = "dot" if small else "sfdp"
        # dot puts a hub's neighbours in one rank: a strip 100 px wide on a page.
        if small and focus is not None and _neighbour_count(focus, shown) > RADIAL_NEIGHBOURS:
            engine = "twopi"
    writer = _Writer(
        model=model,
        tables=sorted(chosen),
        stubs=sorted(stubs),
        rels=shown,
        compact=compact,
        engine=engine,
        focus=focus,
        table_url=table_url,
        dropped=frozenset(dropped),
        counts=referenced_by(rels),
    )
    return Diagram(
        source=writer.write(),
        engine=engine,
        tables=tuple(sorted(chosen)),
        stubs=tuple(sorted(stubs)),
        compact=compact,
        edges=len(shown),
        node_ids=writer.ids,
    )


def _neighbour_count(focus: Key, rels: Iterable[Relationship]) -> int:
    return len(
        {r.target for r in rels if r.source == focus}
        | {r.source for r in rels if r.target == focus}
    )


@dataclass
class _Writer:
    model: SchemaModel
    tables: list[Key]
    stubs: list[Key]
    rels: list[Relationship]
    compact: bool
    engine: str
    focus: Key | None
    table_url: TableUrl | None
    dropped: frozenset[str]
    counts: dict[Key, int]
    ids: dict[Key, str] = field(default_factory=dict)
    ports: dict[tuple[Key, str], str] = field(default_factory=dict)
    stub_set: set[Key] = field(default_factory=set)
    inferred: dict[Key, set[str]] = field(default_factory=lambda: defaultdict(set))
    referenced: dict[Key, set[str]] = field(default_factory=lambda: defaultdict(set))
    qualify: bool = False

    def write(self) -> str:
        for key in [*self.tables, *self.stubs]:
            self.ids[key] = f"t{len(self.ids)}"
        self.stub_set = set(self.stubs)
        for rel in self.rels:
            if rel.inferred:
                self.inferred[rel.source].update(rel.columns)
            self.referenced[rel.target].update(rel.ref_columns)
        self.qualify = len({key[0] for key in self.ids}) > 1 and self.engine != "dot"
        root = self.ids.get(self.focus) if self.focus else None
        lines = ["digraph erd {", *graph_defaults(self.engine, root=root)]
        keys = [*self.tables, *self.stubs]
        schemas = sorted({key[0] for key in keys})
        # Clusters per schema: only dot draws them; other engines show schema.table.
        if len(schemas) > 1 and self.engine == "dot":
            for number, schema in enumerate(schemas):
                lines.append(f"subgraph cluster_s{number} {{")
                lines.append(
                    f"label=<<B>{name_text(schema)}</B>>; style=filled; "
                    f'fillcolor="{CLUSTER}"; color="#cbd5e1";'
                )
                lines.extend(self.node(key) for key in keys if key[0] == schema)
                lines.append("}")
        else:
            lines.extend(self.node(key) for key in keys)
        lines.extend(self.edge(rel) for rel in self.rels)
        lines.append(legend(self.legend_entries()))
        lines.append("}")
        return "\n".join(lines) + "\n"

    def legend_entries(self) -> set[str]:
        """What the drawing shows, so the legend explains only that (and stays small)."""
        entries = {"pk", "fk"}
        if any(rel.inferred for rel in self.rels):
            entries.add("inferred")
        if self.stubs:
            entries.add("stub")
        for key in self.tables:
            table = self.model.table(*key)
            if table is not None and table.is_view:
                entries.add("view")
            if table is not None and table.qualified_name in self.dropped:
                entries.add("dropped")
        return entries

    def title(self, key: Key) -> str:
        if not self.qualify:
            return name_text(key[1])
        return f'<FONT POINT-SIZE="9">{html_text(key[0])}.</FONT>{name_text(key[1])}'

    def link(self, key: Key, tooltip: str) -> dict[str, str | None]:
        url = self.table_url(*key) if self.table_url else None
        return {
            "URL": quoted_url(url) if url else None,
            "target": '"_top"' if url else None,
            "tooltip": quoted(tooltip),
        }

    def node(self, key: Key) -> str:
        table = self.model.table(*key)
        assert table is not None  # selections only hold known tables
        node_id = self.ids[key]
        if key in self.stub_set:
            count = self.counts.get(key, 0)
            note = f"referenced by {count} table{'s' if count != 1 else ''}"
            label = (
                f'<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" '
                f'STYLE="rounded" BGCOLOR="{STUB}"><TR><TD>{self.title(key)}</TD></TR>'
                f'<TR><TD><FONT POINT-SIZE="9" COLOR="#6b7280">{note}</FONT></TD></TR></TABLE>'
            )
            tooltip = f"{table.qualified_name}\n{note}"
            return f"{node_id} {attributes(label=f'<{label}>', **self.link(key, tooltip))};"
        label = self.table_label(table)
        return f"{node_id} {attributes(label=f'<{label}>', **self.link(key, self.tooltip(table)))};"

    def tooltip(self, table: Table) -> str:
        lines = [table.qualified_name]
        if table.is_view:
            lines.append("materialized view" if table.kind == MATERIALIZED_VIEW else "view")
        if table.qualified_name in self.dropped:
            lines.append("dropped")
        if table.comment:
            lines.append(table.comment[:300])
        return "\n".join(lines)

    def table_label(self, table: Table) -> str:
        dropped = table.qualified_name in self.dropped
        pk = set(table.primary_key.columns) if table.primary_key else set()
        fk = {c for fk in table.foreign_keys for c in fk.columns}
        inferred = self.inferred[table.key]
        referenced = self.referenced[table.key]
        keys = pk | fk | inferred | referenced
        columns = list(table.columns)
        if self.compact:
            columns = [c for c in columns if c.name in keys]
        elif len(columns) > MAX_COLUMNS:
            room = max(MAX_COLUMNS - len(keys), 0)
            others = [c for c in columns if c.name not in keys][:room]
            kept = {c.name for c in others} | keys
            columns = [c for c in columns if c.name in kept]
        hidden = len(table.columns) - len(columns)

        header = HEADER
        note = ""
        if table.is_view:
            header = VIEW_HEADER
            kind = "materialized view" if table.kind == MATERIALIZED_VIEW else "view"
            note = f' <FONT POINT-SIZE="9"><I>{kind}</I></FONT>'
        if dropped:
            header = "#f3f4f6"
            note = ' <FONT POINT-SIZE="9" COLOR="#b91c1c"><I>dropped</I></FONT>'
        title = self.title(table.key)
        if table.key == self.focus:
            title = f"<B>{title}</B>"
        if dropped:
            title = f"<S>{title}</S>"
        width = 2 if self.compact else 3
        rows = [f'<TR><TD COLSPAN="{width}" BGCOLOR="{header}">{title}{note}</TD></TR>']
        for index, column in enumerate(columns):
            port = str(index)
            self.ports[(table.key, column.name)] = port
            marks = " ".join(
                mark
                for mark, present in (
                    ("PK", column.name in pk),
                    ("FK", column.name in fk),
                    ("FK?", column.name in inferred and column.name not in fk),
                )
                if present
            )
            name = name_text(column.name)
            if column.name in pk:
                name = f"<B>{name}</B>"
            if marks:
                marks = f'<FONT POINT-SIZE="9" COLOR="#1d4ed8">{marks}</FONT>'
            # Edges arrive on the left cell and leave from the right one (rankdir=LR).
            cells = [
                f'<TD ALIGN="LEFT" PORT="i{port}">{marks}</TD>',
                f'<TD ALIGN="LEFT">{name}</TD>',
            ]
            if self.compact:
                cells[1] = f'<TD ALIGN="LEFT" PORT="o{port}">{name}</TD>'
            else:
                data_type = name_text(column.data_type)
                cells.append(
                    f'<TD ALIGN="LEFT" PORT="o{port}"><FONT POINT-SIZE="9" COLOR="#6b7280">'
                    f"{data_type}</FONT></TD>"
                )
            rows.append("<TR>" + "".join(cells) + "</TR>")
        if hidden:
            more = f"{hidden} more column{'s' if hidden != 1 else ''}"
            rows.append(
                f'<TR><TD COLSPAN="{width}" ALIGN="LEFT"><FONT POINT-SIZE="9" '
                f'COLOR="#6b7280">{more}</FONT></TD></TR>'
            )
        color = DROPPED if dropped else "#475569"
        style = ' STYLE="dashed"' if dropped else ""
        return (
            f'<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" '
            f'COLOR="{color}" BGCOLOR="white"{style}>' + "".join(rows) + "</TABLE>"
        )

    def endpoint(self, key: Key, column: str, side: str) -> str:
        port = self.ports.get((key, column))
        # Ports pin edges to their column rows; the compact overview has no room for them.
        if port and not self.compact and self.engine == "dot":
            return f"{self.ids[key]}:{side}{port}:{'e' if side == 'o' else 'w'}"
        return self.ids[key]

    def edge(self, rel: Relationship) -> str:
        source = self.endpoint(rel.source, rel.columns[0], "o")
        target = self.endpoint(rel.target, rel.ref_columns[0] if rel.ref_columns else "", "i")
        columns = ", ".join(rel.columns)
        ref = f"{rel.target[0]}.{rel.target[1]}({', '.join(rel.ref_columns)})"
        src = f"{rel.source[0]}.{rel.source[1]}({columns})"
        if rel.inferred:
            attrs = attributes(
                style="dashed",
                color=f'"{INFERRED}"',
                fontcolor=f'"{INFERRED}"',
                label='"inferred"',
                fontsize="9",
                tooltip=quoted(f"inferred, no foreign key: {src} -> {ref}"),
            )
        else:
            name = f"{rel.name}: " if rel.name else ""
            attrs = attributes(tooltip=quoted(f"{name}{src} -> {ref}"))
        return f"{source} -> {target} {attrs};"


def graph_defaults(engine: str, *, root: str | None = None) -> list[str]:
    graph = [f'fontname="{FONT}"', "fontsize=11", 'bgcolor="white"']
    if engine == "dot":
        graph += ["rankdir=LR", "ranksep=0.6", "nodesep=0.25"]
    elif engine == "twopi":
        graph += ["overlap=false", "splines=true", "ranksep=2.5"]
        if root:
            graph.append(f"root={root}")
    else:
        # Prism removes node overlaps; spline routing costs more than it helps here.
        graph += ["overlap=prism", "overlap_scaling=-4", "splines=false", "outputorder=edgesfirst"]
    return [
        f"graph [{', '.join(graph)}];",
        f'node [shape=plain, fontname="{FONT}", fontsize=10];',
        f'edge [fontname="{FONT}", color="#64748b", arrowsize=0.6];',
    ]


_LEGEND_ROWS = (
    (
        "pk",
        '<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="#1d4ed8">PK</FONT></TD>'
        '<TD ALIGN="LEFT">primary key column</TD></TR>',
    ),
    (
        "fk",
        '<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="#1d4ed8">FK</FONT></TD>'
        '<TD ALIGN="LEFT">foreign key column</TD></TR>',
    ),
    (
        "inferred",
        f'<TR><TD ALIGN="LEFT"><FONT COLOR="{INFERRED}">- - &gt;</FONT></TD>'
        f'<TD ALIGN="LEFT"><FONT COLOR="{INFERRED}">inferred reference, no foreign key (FK?)'
        "</FONT></TD></TR>",
    ),
    ("view", f'<TR><TD ALIGN="LEFT" BGCOLOR="{VIEW_HEADER}"> </TD><TD ALIGN="LEFT">view</TD></TR>'),
    (
        "stub",
        f'<TR><TD ALIGN="LEFT" BGCOLOR="{STUB}" STYLE="rounded"> </TD>'
        '<TD ALIGN="LEFT">table shown by name only</TD></TR>',
    ),
    (
        "dropped",
        f'<TR><TD ALIGN="LEFT"><FONT COLOR="{DROPPED}"><S>name</S></FONT></TD>'
        '<TD ALIGN="LEFT">dropped table</TD></TR>',
    ),
)


def legend(entries: Collection[str] | None = None) -> str:
    """The key to the drawing: every entry, or only ``entries`` (what the drawing shows)."""
    rows = "".join(row for name, row in _LEGEND_ROWS if entries is None or name in entries)
    label = (
        '<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" COLOR="#94a3b8">'
        '<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="9"><B>Legend</B></FONT></TD></TR>'
        f"{rows}</TABLE>"
    )
    return f'legend [label=<{label}>, tooltip="Legend", fontsize=9];'
