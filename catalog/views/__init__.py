"""Catalog pages, one module per area: connections and tables, diagrams, documentation."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items: Any, per_page: int) -> tuple[Page[Any], str]:
    """The page of ``items`` that ``?page=`` asks for (the nearest one when out of range),
    and the request's other query parameters, encoded for the page links."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
