"""Words of identifiers and English singular/plural, for naming rules and reference inference.

Pure and dependency-free: a small inflector that knows the regular English plurals
(-s, -es, -ies, -ves), the usual irregulars (person/people) and the uncountables that are
both singular and plural (data, news, series). Good enough for table names; not a grammar.
"""

from __future__ import annotations

import re
from functools import lru_cache

# camelCase and PascalCase boundaries, keeping acronyms together: "HTTPRequestId" -> HTTP Request Id.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_)|[A-Z]?[a-z]+|[A-Z]+|\d+")

_IRREGULAR = {
    "person": "people",
    "man": "men",
    "woman": "women",
    "child": "children",
    "mouse": "mice",
    "goose": "geese",
    "foot": "feet",
    "tooth": "teeth",
    "ox": "oxen",
    "criterion": "criteria",
    "phenomenon": "phenomena",
    "index": "indices",
    "matrix": "matrices",
    "vertex": "vertices",
    "appendix": "appendices",
    "datum": "data",
    "medium": "media",
    "leaf": "leaves",
    "life": "lives",
    "wife": "wives",
    "knife": "knives",
    "half": "halves",
    "shelf": "shelves",
    "thief": "thieves",
    "move": "moves",
    "cactus": "cacti",
    "focus": "foci",
    "radius": "radii",
    "analysis": "analyses",
    "basis": "bases",
    "crisis": "crises",
    "thesis": "theses",
    "diagnosis": "diagnoses",
    "quiz": "quizzes",
    "hero": "heroes",
    "potato": "potatoes",
    "tomato": "tomatoes",
    "echo": "echoes",
    "bus": "buses",
}
_IRREGULAR_PLURALS = {plural: singular for singular, plural in _IRREGULAR.items()}
# Also accepted as plurals of these singulars ("indexes", "statuses" are regular).
_ALSO_PLURAL = {"indexes": "index", "matrixes": "matrix", "vertexes": "vertex"}

# Same word in both numbers: classifying them as either would be a guess.
UNCOUNTABLE = frozenset(
    {
        "data",
        "metadata",
        "media",
        "news",
        "series",
        "species",
        "sheep",
        "fish",
        "deer",
        "information",
        "equipment",
        "feedback",
        "staff",
        "software",
        "hardware",
        "inventory",
        "history",
        "audio",
        "analytics",
        "statistics",
        "settings",
        "config",
        "stuff",
        "traffic",
        "money",
        "rice",
        "aircraft",
    }
)

_SINGULAR_S_ENDINGS = ("ss", "us", "is", "os")  # address, status, analysis, logos: singular
# Singular words ending in s that the endings above do not catch ("ideas", "areas" are plural).
SINGULAR_IN_S = frozenset(
    {"alias", "canvas", "atlas", "bias", "gas", "lens", "chassis", "plus", "minus", "yes", "this"}
)


def split_words(identifier: str) -> tuple[str, ...]:
    """The lowercase words of an identifier: order_items, OrderItems, orderItems -> (order, items)."""
    return _split_words(identifier)


@lru_cache(maxsize=65536)
def _split_words(identifier: str) -> tuple[str, ...]:
    return tuple(word.lower() for word in _WORD.findall(identifier))


@lru_cache(maxsize=65536)
def snake(identifier: str) -> str:
    """The snake_case spelling of an identifier's words: "CustomerId" -> "customer_id"."""
    return "_".join(_split_words(identifier))


@lru_cache(maxsize=65536)
def singularize(word: str) -> str:
    """The singular of one lowercase English word (itself when it already is, or is uncountable)."""
    if word in UNCOUNTABLE or len(word) < 3:
        return word
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if word in _ALSO_PLURAL:
        return _ALSO_PLURAL[word]
    if word in _IRREGULAR or word in SINGULAR_IN_S:
        return word
    if not any(vowel in word for vowel in "aeiouy"):
        return word  # an acronym (sms, cms, dns): no English plural to undo
    if word.endswith("es") and word[:-2] in SINGULAR_IN_S:
        return word[:-2]  # aliases, canvases
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ves") and len(word) > 4:
        return word[:-3] + "f"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("uses") and len(word) > 5 and word[-5] in "tbprns":
        return word[:-2]  # statuses, campuses, viruses, bonuses (but houses, causes)
    if word.endswith("ses"):
        return word[:-1]  # cases, purchases, responses, warehouses
    if word.endswith("s") and not word.endswith(_SINGULAR_S_ENDINGS):
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def pluralize(word: str) -> str:
    """The plural of one lowercase English word (itself when uncountable)."""
    if word in UNCOUNTABLE or len(word) < 2:
        return word
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word in _IRREGULAR_PLURALS:
        return word
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


SINGULAR = "singular"
PLURAL = "plural"


def plurality(word: str) -> str | None:
    """SINGULAR or PLURAL for one lowercase word; None when it is both (data, series) or unclear."""
    if word in UNCOUNTABLE or len(word) < 3 or not word.isalpha():
        return None
    if not any(vowel in word for vowel in "aeiouy"):
        return None  # an acronym (sms, cms): either number
    if singularize(word) != word:
        return PLURAL
    if pluralize(word) != word:
        return SINGULAR
    return None


def singular_phrase(words: tuple[str, ...]) -> tuple[str, ...]:
    """A name's words with the last one singular: (order, items) -> (order, item)."""
    if not words:
        return words
    return (*words[:-1], singularize(words[-1]))


@lru_cache(maxsize=65536)
def strip_prefix(name: str, prefixes: frozenset[str]) -> str:
    """``name`` without the longest ``<prefix>_`` it starts with (Django's ``app_`` label)."""
    best = ""
    for prefix in prefixes:
        if (
            len(prefix) > len(best)
            and name.startswith(prefix + "_")
            and len(name) > len(prefix) + 1
        ):
            best = prefix
    return name[len(best) + 1 :] if best else name
