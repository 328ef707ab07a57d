"""Entity relationship diagrams: build DOT from a SchemaModel (pure), render it, cache it.

``graph`` and ``areas`` are pure (model in, DOT text out); ``render`` runs the graphviz
binaries with a time limit and prepares SVG for pages.
"""

from __future__ import annotations

from catalog.erd.areas import Area, areas_to_graph, subject_areas
from catalog.erd.graph import (
    COMPACT_TABLES,
    HUB_THRESHOLD,
    Diagram,
    Relationship,
    relationships,
    schema_to_graph,
)
from catalog.erd.render import (
    DiagramTooLarge,
    RenderError,
    RenderTimeout,
    cache_key,
    inline_svg,
    render,
)

__all__ = [
    "COMPACT_TABLES",
    "HUB_THRESHOLD",
    "Area",
    "Diagram",
    "DiagramTooLarge",
    "Relationship",
    "RenderError",
    "RenderTimeout",
    "areas_to_graph",
    "cache_key",
    "inline_svg",
    "relationships",
    "render",
    "schema_to_graph",
    "subject_areas",
]
