"""Running graphviz on DOT text, with a time limit, and preparing the SVG for a page."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from collections.abc import Mapping, Set
from typing import Any

from catalog.erd.graph import Diagram

ENGINES = frozenset({"dot", "sfdp", "neato", "fdp", "twopi"})
FORMATS = frozenset({"svg", "png", "dot"})
DEFAULT_TIMEOUT = 30.0
# Bump when the drawing changes, so cached renders of unchanged schemas are redrawn.
STYLE_VERSION = "erd-2"


class RenderError(Exception):
    """graphviz could not draw the diagram. ``message`` is safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RenderTimeout(RenderError):
    """Layout took longer than the time limit: offer the compact form or a subject area."""


# The name the brief and the web layer may prefer; the same error.
DiagramTooLarge = RenderTimeout


def render(
    graph: Diagram | str,
    *,
    engine: str | None = None,
    format: str = "svg",
    timeout: float = DEFAULT_TIMEOUT,
) -> bytes:
    """The drawing as bytes: SVG or PNG from the graphviz binary, or the DOT source.

    The child process is killed when ``timeout`` seconds pass (``RenderTimeout``).
    """
    source = graph.source if isinstance(graph, Diagram) else graph
    if engine is None:
        engine = graph.engine if isinstance(graph, Diagram) else "dot"
    if engine not in ENGINES:
        raise ValueError(f"Unknown graphviz engine {engine!r}.")
    if format not in FORMATS:
        raise ValueError(f"Unknown diagram format {format!r}.")
    if format == "dot":
        return source.encode()
    try:
        # subprocess.run kills the child on timeout before re-raising.
        done = subprocess.run(
            [engine, f"-T{format}"],
            input=source.encode(),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RenderTimeout(
            f"The diagram took more than {timeout:g} s to lay out. Try the compact form, "
            "one schema, or one subject area."
        ) from None
    except FileNotFoundError:
        raise RenderError(
            f"The graphviz program {engine!r} is not installed on this server."
        ) from None
    if done.returncode != 0 or not done.stdout:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise RenderError(
            f"graphviz ({engine}) failed: {detail[-1] if detail else 'no output'}"[:500]
        )
    return done.stdout


_PROLOG = re.compile(rb"\A(?:\s*<\?xml[^>]*\?>|\s*<!DOCTYPE[^>]*>|\s*<!--.*?-->)*\s*", re.S)
_COMMENT = re.compile(rb"<!--.*?-->\s*", re.S)
_SIZE = re.compile(rb'<svg width="[^"]*" height="[^"]*"')


def inline_svg(svg: bytes, *, label: str = "Entity relationship diagram") -> str:
    """The SVG ready to sit inside an HTML page.

    Drops the XML prolog, doctype and comments (graphviz writes node ids and graph
    titles there), and the fixed point size, so CSS sizes the drawing through the
    viewBox. Links stay as ``xlink:href`` with ``target="_top"``, which HTML5 honours.
    """
    body = _COMMENT.sub(b"", _PROLOG.sub(b"", svg, count=1))
    escaped = (
        label.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
    body = _SIZE.sub(f'<svg class="erd" role="img" aria-label="{escaped}"'.encode(), body, count=1)
    return body.decode()


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, Set):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"View parameter of type {type(value).__name__} cannot be part of a key.")


def cache_key(fingerprint: str, **view_params: Any) -> str:
    """A stable sha256 key for one rendering of one schema version.

    ``view_params`` are everything else that changes the picture (schemas, focus,
    depth, compact, format, engine, dropped tables, the connection the links point to).
    Sets are sorted, so equal views give equal keys whatever their iteration order.
    """
    document = json.dumps(
        {"fingerprint": fingerprint, "style": STYLE_VERSION, "view": _plain(view_params)},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(document.encode()).hexdigest()
