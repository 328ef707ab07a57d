from __future__ import annotations

import pytest

from catalog.inflection import (
    PLURAL,
    SINGULAR,
    plurality,
    pluralize,
    singularize,
    snake,
    split_words,
    strip_prefix,
)


@pytest.mark.parametrize(
    ("plural", "singular"),
    [
        ("orders", "order"),
        ("categories", "category"),
        ("addresses", "address"),
        ("boxes", "box"),
        ("statuses", "status"),
        ("people", "person"),
        ("children", "child"),
        ("analyses", "analysis"),
        ("purchases", "purchase"),
        ("leaves", "leaf"),
        ("branches", "branch"),
        ("days", "day"),
        ("heroes", "hero"),
        ("warehouses", "warehouse"),
        ("courses", "course"),
        ("campuses", "campus"),
        ("shoes", "shoe"),
    ],
)
def test_singularizes_and_pluralizes_english_nouns(plural: str, singular: str) -> None:
    assert singularize(plural) == singular
    assert pluralize(singular) == plural
    assert singularize(singular) == singular


def test_classifies_plurality_and_leaves_uncountables_ambiguous() -> None:
    assert plurality("orders") == PLURAL
    assert plurality("order") == SINGULAR
    assert plurality("status") == SINGULAR
    assert plurality("address") == SINGULAR
    assert plurality("data") is None
    assert plurality("series") is None


def test_splits_identifiers_into_words_whatever_their_casing() -> None:
    assert split_words("order_items") == ("order", "items")
    assert split_words("OrderItems") == ("order", "items")
    assert split_words("orderItemId") == ("order", "item", "id")
    assert split_words("CustomerID") == ("customer", "id")
    assert split_words("HTTPRequestId") == ("http", "request", "id")
    assert split_words("address2") == ("address", "2")
    assert snake("createdAt") == "created_at"


def test_strips_the_longest_app_prefix() -> None:
    assert strip_prefix("auth_user", frozenset({"auth"})) == "user"
    assert strip_prefix("shop_order_item", frozenset({"shop", "shop_order"})) == "item"
    assert strip_prefix("auth", frozenset({"auth"})) == "auth"


@pytest.mark.parametrize("word", ["alias", "canvas", "sms", "atlas", "cms"])
def test_leaves_singular_words_ending_in_s_and_acronyms_alone(word: str) -> None:
    assert singularize(word) == word
    assert plurality(word) in (SINGULAR, None)


def test_undoes_the_plural_of_singular_words_ending_in_s() -> None:
    assert singularize("aliases") == "alias"
    assert singularize("canvases") == "canvas"
    assert singularize("ideas") == "idea"  # ending in -as is not enough to be singular
