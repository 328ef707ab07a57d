"""Markdown to safe HTML: people's descriptions are rendered, then sanitised with nh3.

Python-Markdown passes raw HTML through, so nh3 (ammonia) decides what survives: a
small set of text tags, links to http/https/mailto only, no styles, no event handlers.
"""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
        "strong", "em", "b", "i", "code", "pre", "blockquote", "del", "sub", "sup",
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

EXTENSIONS = ["tables", "fenced_code", "sane_lists"]
EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}


def render_markdown(text: str) -> str:
    """Markdown -> sanitised HTML, safe to mark_safe()."""
    if not text or not text.strip():
        return ""
    html = markdown.markdown(
        text, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html"
    )
    return sanitise_html(html)


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
