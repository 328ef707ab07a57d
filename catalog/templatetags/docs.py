"""Template filters for documentation: {{ text|markdown }} and {{ obj|effective_doc }}."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from catalog.documentation import Documented, Effective, effective_description
from catalog.markup import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    """Markdown rendered and sanitised by catalog.markup: safe to output as HTML."""
    return mark_safe(render_markdown(text or ""))  # sanitised by nh3 in render_markdown


@register.filter
def effective_doc(obj: Documented) -> Effective:
    """(text, source) as readers see it: SchemaJoy's own, else the DB comment, else dbt's."""
    return effective_description(obj)
