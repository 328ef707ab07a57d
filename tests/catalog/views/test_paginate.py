"""paginate(): the page a request asks for, and its other parameters for the page links."""

from __future__ import annotations

from django.test import RequestFactory

from catalog.views import paginate


def test_gives_the_asked_page_and_keeps_the_other_parameters_for_its_links():
    request = RequestFactory().get("/", {"q": "orders & co", "page": "2", "schema": "app"})
    page, query = paginate(request, list(range(25)), 10)
    assert list(page.object_list) == list(range(10, 20))
    assert query == "q=orders+%26+co&schema=app"


def test_an_unreadable_or_far_page_number_gives_the_nearest_page():
    items = list(range(25))
    assert paginate(RequestFactory().get("/", {"page": "abc"}), items, 10)[0].number == 1
    assert paginate(RequestFactory().get("/", {"page": "99"}), items, 10)[0].number == 3
