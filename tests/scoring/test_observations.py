"""observations_from_json(): the sampler's stored counts become the rules' input (pure)."""

from __future__ import annotations

from scoring.observations import (
    NO_OBSERVATIONS,
    Observations,
    TableProfile,
    ValueProfile,
    observations_from_json,
)
from scoring.rules.base import RuleContext
from tests.builders import col, failing, model, table

STORED = {
    "version": 1,
    "dialect": "postgresql",
    "columns": {
        "public.orders.code": {
            "sampled": 120,
            "distinct": 118,
            "parses": {"int": 120, "decimal": 120, "someday": 3},
            "leading_zero": 0,
            "date_only": 0,
            "source": "sample",
        },
        "public.orders.zip": {
            "sampled": 80,
            "distinct": 60,
            "parses": {"int": 80},
            "leading_zero": 40,
        },
    },
    "tables": {
        "public.orders": {
            "sampled_rows": 200,
            "updated_before_created": 3,
            "future_timestamps": 0,
            "deletes_before": 10,
            "deletes_now": 14,
            "relid": 16384,
        },
        "public.customers": {"deletes_now": 5, "relid": 16390},
    },
    "counts": {"sampled_columns": 2},
    "partial": True,
    "reason": "budget of 30 s reached after 2 columns",
}


def test_column_profiles_keep_their_counts_and_known_kinds_only():
    observations = observations_from_json(STORED)
    assert observations.columns["public.orders.code"] == ValueProfile(
        sampled=120, distinct=118, parses={"int": 120, "decimal": 120}
    )
    assert observations.columns["public.orders.zip"].leading_zero == 40


def test_table_profiles_keep_checks_that_ran_and_leave_the_others_unknown():
    tables = observations_from_json(STORED).tables
    assert tables["public.orders"] == TableProfile(
        sampled_rows=200,
        updated_before_created=3,
        future_timestamps=0,
        marker_disagreements=None,
        deletes_before=10,
        deletes_now=14,
    )
    assert tables["public.customers"] == TableProfile(deletes_now=5)


def test_nothing_stored_means_no_observations():
    assert observations_from_json({}) is NO_OBSERVATIONS
    assert observations_from_json(None) is NO_OBSERVATIONS
    assert observations_from_json({"partial": True, "reason": "unreachable"}) is NO_OBSERVATIONS


def test_converted_observations_drive_the_sampling_rules():
    schema = model(
        table(
            "orders",
            col("id", "bigint", pk=True),
            col("code", "text"),
            col("zip", "text"),
            col("created_at", "timestamptz"),
            col("updated_at", "timestamptz"),
        ),
        dialect="postgresql",
    )
    observations = observations_from_json(STORED)
    assert isinstance(observations, Observations)
    ctx = RuleContext(observations=observations)
    assert failing("type-string-encodes-int", schema, ctx) == {"public.orders.code"}
    assert failing("ts-updated-before-created", schema, ctx) == {"public.orders"}
