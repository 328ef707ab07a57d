"""catalog.sampling.parsing: what a sampled text value could be (pure, milliseconds)."""

from __future__ import annotations

import pytest

from catalog.sampling.parsing import (
    BOOL,
    DATE,
    DECIMAL,
    INT,
    JSON,
    KINDS,
    MAX_VALUE_CHARS,
    TIMESTAMP,
    UUID,
    Tally,
    classify,
)
from scoring import observations


def kinds(value: str) -> set[str]:
    return set(classify(value).kinds)


def test_kind_names_are_the_ones_scoring_reads():
    assert KINDS == observations.KINDS


@pytest.mark.parametrize("value", ["42", "-7", "+7", "0", "1234567890123456789012"])
def test_signed_digits_are_ints_and_decimals(value):
    assert {INT, DECIMAL} <= kinds(value)


@pytest.mark.parametrize("value", ["3.14", "-0.5", ".5", "10.", "+2.50"])
def test_plain_decimals_are_decimals_but_not_ints(value):
    assert kinds(value) == {DECIMAL}


@pytest.mark.parametrize("value", ["1e5", "1 000", "1,5", "12a", "--1", "0x1F", "NaN", "∞", "٣"])
def test_other_numberish_text_is_no_number(value):
    assert not kinds(value) & {INT, DECIMAL}


def test_surrounding_whitespace_is_ignored_as_the_databases_casts_ignore_it():
    assert {INT, DECIMAL} <= kinds("  42\t")
    assert kinds(" 2024-01-05 ") == {DATE}
    assert classify("   ").kinds == frozenset()


@pytest.mark.parametrize("value", ["00501", "007", "-01", "00.5"])
def test_leading_zeros_mark_codes(value):
    assert classify(value).leading_zero


@pytest.mark.parametrize("value", ["0", "0.5", "-0", "10", "501"])
def test_a_lone_zero_or_a_zero_before_the_point_is_no_leading_zero(value):
    assert not classify(value).leading_zero


def test_zip_codes_count_as_leading_zero_values_in_a_tally():
    tally = Tally().extend(["00501", "02134", "10001", "90210"])
    assert (tally.sampled, tally.parses[INT], tally.leading_zero) == (4, 4, 2)


@pytest.mark.parametrize("value", ["true", "FALSE", "t", "F", "yes", "No", "y", "N", "0", "1"])
def test_booleans_in_every_spelling(value):
    assert BOOL in kinds(value)


@pytest.mark.parametrize("value", ["2", "-1", "on", "off", "ja", "tru"])
def test_other_words_and_numbers_are_no_booleans(value):
    assert BOOL not in kinds(value)


def test_an_iso_date_is_a_date_and_date_only():
    parsed = classify("2024-02-29")
    assert parsed.kinds == {DATE}
    assert parsed.date_only


@pytest.mark.parametrize(
    "value", ["2023-02-29", "2024-13-01", "2024-1-5", "05/01/2024", "20240105"]
)
def test_impossible_or_non_iso_dates_are_no_dates(value):
    assert DATE not in kinds(value)
    assert not classify(value).date_only


@pytest.mark.parametrize(
    "value",
    [
        "2024-01-05 10:00",
        "2024-01-05T10:00:00",
        "2024-01-05 10:00:00.123456",
        "2024-01-05T10:00:00Z",
        "2024-01-05 10:00:00+01",
        "2024-01-05 10:00:00.5-05:30",
        "2016-12-31 23:59:60",
    ],
)
def test_iso_dates_with_a_time_are_timestamps_not_dates(value):
    parsed = classify(value)
    assert parsed.kinds == {TIMESTAMP}
    assert not parsed.date_only


@pytest.mark.parametrize("value", ["2024-01-05 24:00", "2024-01-05 10:60", "2024-02-30 10:00"])
def test_impossible_times_are_no_timestamps(value):
    assert TIMESTAMP not in kinds(value)


@pytest.mark.parametrize(
    "value",
    [
        "550e8400-e29b-41d4-a716-446655440000",
        "550E8400-E29B-41D4-A716-446655440000",
        "550e8400e29b41d4a716446655440000",
        "{550e8400-e29b-41d4-a716-446655440000}",
        "{550e8400e29b41d4a716446655440000}",
    ],
)
def test_uuids_with_or_without_dashes_and_braces(value):
    assert UUID in kinds(value)


@pytest.mark.parametrize(
    "value",
    [
        "550e8400-e29b-41d4-a716-44665544000",  # one digit short
        "550e8400-e29b41d4-a716-446655440000",  # a dash missing
        "{550e8400-e29b-41d4-a716-446655440000",  # unbalanced brace
        "g50e8400-e29b-41d4-a716-446655440000",  # not hex
    ],
)
def test_malformed_uuids_are_no_uuids(value):
    assert UUID not in kinds(value)


@pytest.mark.parametrize("value", ['{"a": 1}', "[1, 2]", "{}", "[]", ' {"nested": {"b": [true]}} '])
def test_json_objects_and_arrays_are_json(value):
    assert JSON in kinds(value)


@pytest.mark.parametrize("value", ['"text"', "1", "true", "null", "{not json}", "[1, 2"])
def test_json_scalars_and_broken_json_are_not_json(value):
    assert JSON not in kinds(value)


def test_a_cut_value_is_json_by_its_bracket_and_nothing_else():
    long_json = '{"a": "' + "x" * MAX_VALUE_CHARS
    assert classify(long_json, truncated=True).kinds == {JSON}
    assert classify("9" * (MAX_VALUE_CHARS + 1), truncated=True).kinds == frozenset()


def test_a_tally_cuts_values_longer_than_the_limit_without_parsing_them():
    tally = Tally()
    tally.add("[" + "1," * MAX_VALUE_CHARS)  # never closed: only its start was read
    assert tally.parses[JSON] == 1


def test_a_tally_counts_values_and_distinct_values_but_keeps_none():
    tally = Tally().extend(["1", "2", "2", "x"])
    tally.add_opaque()
    data = tally.to_json("sample")
    assert data == {
        "sampled": 5,
        "distinct": 4,
        "parses": {BOOL: 1, INT: 3, DECIMAL: 3},
        "leading_zero": 0,
        "date_only": 0,
        "source": "sample",
    }


def test_the_best_share_is_the_commonest_kind():
    assert Tally().extend(["1", "2", "3", "x"]).best_share() == 0.75
    assert Tally().best_share() == 0.0
