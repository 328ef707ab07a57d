"""Markdown to safe HTML: people's descriptions are rendered, then sanitised with nh3.

markdown-it-py parses CommonMark in time linear in its input (Python-Markdown took 66 s
on 40 KB of brackets); its nesting is capped by maxNesting, and no text longer than
DESCRIPTION_MAX_CHARS reaches the parser at all, which bounds the time of any one render.
Raw HTML passes the parser, so nh3 (ammonia) decides what survives: a small set of text
tags, links to http/https/mailto only, no styles, no event handlers.
"""

from __future__ import annotations

import html as html_lib
import re

import nh3
from django.conf import settings
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
        "strong", "em", "b", "i", "code", "pre", "blockquote", "del", "s", "sub", "sup",
        "ul", "ol", "li", "dl", "dt", "dd",
        "a", "abbr",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"
# Their content is dropped too, not just the tags.
DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "svg", "math"})

# CommonMark plus GitHub's tables and ~~strikethrough~~; fenced code is CommonMark's own.
_PARSER = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(
    ["table", "strikethrough"]
)
# nh3 is the one gatekeeper for URLs: an unsafe link keeps its text and loses its href,
# instead of showing the raw "[x](javascript:...)" source.
_PARSER.validateLink = lambda url: True  # type: ignore[method-assign]

# Bidi overrides and isolates (text spoofing), zero-width marks, and C0/C1 controls other
# than tab and newline: nobody types them on purpose into a description.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


def description_max_chars() -> int:
    return settings.SCHEMAJOY_DESCRIPTION_MAX_CHARS


def strip_invisible(text: str) -> str:
    """Text without bidi controls, zero-width marks and control characters (tab, newline kept)."""
    return _INVISIBLE.sub("", text)


def too_long_message(text: str) -> str | None:
    """The message for a description over the size limit, or None when it fits."""
    limit = description_max_chars()
    if len(text) <= limit:
        return None
    return (
        f"Descriptions are limited to {limit:,} characters; this one has {len(text):,}. "
        "Shorten it, or link to a longer document."
    )


def render_markdown(text: str) -> str:
    """Markdown -> sanitised HTML, safe to mark_safe()."""
    if not text or not text.strip():
        return ""
    if too_long_message(text):
        # Stored before the limit existed: shown as plain text, never parsed.
        return f"<pre>{html_lib.escape(text)}</pre>"
    env: dict[str, object] = {}
    tokens = _PARSER.parse(text, env)
    for token in tokens:
        # Cell alignment as the align attribute: nh3 lets no style attribute through.
        style = token.attrGet("style") if token.type in ("th_open", "td_open") else None
        if isinstance(style, str) and style.startswith("text-align:"):
            token.attrs.pop("style")
            token.attrSet("align", style.removeprefix("text-align:"))
    return sanitise_html(_PARSER.renderer.render(tokens, _PARSER.options, env)).strip()


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        # Relative URLs have no scheme to check; a description has no use for them.
        url_relative="deny",
        link_rel=LINK_REL,
        strip_comments=True,
    )
