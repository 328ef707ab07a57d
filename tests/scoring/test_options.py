"""Rule options checked before saving: types from the defaults, bounded sizes, safe regexes."""

from __future__ import annotations

import pytest

from scoring.options import (
    MAX_INT,
    OptionError,
    check_options,
    check_pattern,
    field_text,
    parse_field,
    parse_json,
)
from scoring.rules import ALL_RULES
from scoring.rules.base import Choice


@pytest.mark.parametrize(
    "pattern", ["id|{table}_id", "[a-z]+_id", "(?:pk|id)_{table}", "(x|y)*", "a{1,5}b"]
)
def test_accepts_ordinary_patterns(pattern):
    check_pattern(pattern)


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(", "Not a valid regular expression"),
        ("(\\w|\\w|\\w|\\w|\\w|\\w)*!", "Alternatives inside a repeat"),
        ("(a+)+$", "A repeat inside a repeat"),
        ("({table}_)*id", "A repeat inside a repeat"),
        ("(a)\\1", "Back-references"),
        ("x" * 400, "at most"),
    ],
)
def test_refuses_invalid_and_catastrophic_patterns(pattern, reason):
    with pytest.raises(OptionError) as error:
        check_pattern(pattern)
    assert reason in error.value.message


def test_numbers_are_bounded_and_typed_by_their_default():
    defaults = {"threshold": 0.6, "min_values": 50, "flag": False}
    assert check_options({"threshold": 0.8, "min_values": 10, "flag": True}, defaults) == {}
    errors = check_options({"threshold": 7, "min_values": 10**30, "flag": "yes"}, defaults)
    assert set(errors) == {"threshold", "min_values", "flag"}
    assert f"{MAX_INT:,}" in errors["min_values"]
    assert check_options({"threshold": float("nan")}, defaults) == {
        "threshold": "Takes a finite number."
    }


def test_unknown_options_and_non_objects_are_refused():
    assert "Unknown option 'nope'" in check_options({"nope": 1}, {"a": 1})[""]
    assert "JSON object" in check_options(["a"], {"a": 1})[""]


def test_json_is_bounded_in_size_and_depth():
    with pytest.raises(OptionError, match="nested too deeply"):
        parse_json("[" * 100_00 + "]" * 100_00)
    with pytest.raises(OptionError, match="characters"):
        parse_json('"' + "x" * 30_000 + '"')
    with pytest.raises(OptionError, match="Not JSON"):
        parse_json("{not json")


def test_typed_fields_parse_lists_numbers_and_booleans():
    assert parse_field("audit_log\n events , logs", "append_only", ()) == [
        "audit_log",
        "events",
        "logs",
    ]
    assert parse_field("0.75", "threshold", 0.6) == 0.75
    assert parse_field("12", "min_values", 50) == 12
    assert parse_field("false", "strict", True) is False
    with pytest.raises(OptionError, match="number"):
        parse_field("many", "min_values", 50)
    with pytest.raises(OptionError, match="too long"):
        parse_field("9" * 400, "min_values", 50)
    assert field_text(("a", "b"), "append_only", ()) == "a\nb"


def test_an_option_declared_a_choice_takes_one_of_its_values_or_nothing():
    casing = Choice(("snake_case", "camelCase"))
    defaults, kinds = {"expected": None}, {"expected": casing}
    assert check_options({"expected": "camelCase"}, defaults, kinds) == {}
    assert check_options({"expected": None}, defaults, kinds) == {}
    errors = check_options({"expected": "shouty"}, defaults, kinds)
    assert errors == {"expected": "Takes one of snake_case, camelCase, or nothing."}
    assert check_options({"expected": ["snake_case"]}, defaults, kinds) != {}
    assert parse_field(" snake_case ", "expected", None, casing) == "snake_case"
    with pytest.raises(OptionError, match="Takes one of"):
        parse_field("Snake", "expected", None, casing)


def test_every_naming_rule_with_an_expected_answer_declares_its_choices():
    for rule in ALL_RULES:
        if rule.options.get("expected", ...) is None:
            assert isinstance(rule.option_kinds.get("expected"), Choice), rule.id
            assert check_options({"expected": "anything"}, rule.options, rule.option_kinds)
