"""Writing DOT text that graphviz reads back exactly, whatever the identifiers hold.

Table and column names come from backend databases: they may hold ``<``, ``&``,
quotes, backslashes, control characters or emoji. Measured on graphviz 2.43:

- In HTML-like labels graphviz still expands backslash escapes (``\\N`` becomes the
  node id), so a backslash is written as ``\\\\``; ``& < > "`` become entities.
- Quoted attributes such as ``tooltip`` go through the DOT lexer *and* escString
  expansion, so a backslash needs four; graphviz copies entity-looking text
  (``&amp;``) to the SVG verbatim, so ``& < >`` are written as entities to come out
  as themselves.
- ``URL`` values reach the SVG with a bare ``&`` unescaped (invalid XML), so URLs are
  percent-encoded and their ``&`` written as ``&amp;``.
- XML 1.0 forbids most control characters, and expat (graphviz's HTML parser)
  rejects them: they are replaced by U+FFFD.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_NEWLINES = re.compile(r"[\t\n\r]")
REPLACEMENT = "\ufffd"


def printable(text: str) -> str:
    """The text with characters that XML or graphviz cannot carry replaced by U+FFFD."""
    return _NEWLINES.sub(" ", _FORBIDDEN.sub(REPLACEMENT, text))


def html_text(text: str) -> str:
    """Text for the inside of an HTML-like label: no markup, no escape sequences."""
    return (
        printable(text)
        .replace("\\", "\\\\")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        # graphviz's HTML-label lexer rejects an element whose whole text is "]" (found by
        # tests/catalog/introspection/test_hypothesis_models.py); a character reference parses.
        .replace("]", "&#93;")
    )


def name_text(text: str) -> str:
    """``html_text`` that is never empty: graphviz rejects empty ``<B></B>`` and ``<FONT>``."""
    return html_text(text) or " "


def quoted(text: str) -> str:
    """A double-quoted DOT string for an escString attribute (tooltip, label)."""
    # Newlines are kept in tooltips: they separate the lines of the hover text.
    text = _FORBIDDEN.sub(REPLACEMENT, text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return '"' + text.replace("\\", "\\\\\\\\").replace('"', '\\"') + '"'


def quoted_url(url: str) -> str:
    """A double-quoted DOT string for a URL: percent-encoded, ``&`` as an entity."""
    safe = quote(printable(url), safe="/:?#[]@!$&'()*+,;=%~-._")
    return '"' + safe.replace("&", "&amp;") + '"'


def attributes(**attrs: str | None) -> str:
    """``[a=v, ...]`` from values already quoted (or HTML ``<...>``); None is left out."""
    items = [f"{name}={value}" for name, value in attrs.items() if value is not None]
    return "[" + ", ".join(items) + "]" if items else ""
