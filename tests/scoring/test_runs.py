"""score_snapshot on real targets: persisted scores equal the engine's; the findings' lifecycle."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.bulk import update_rows
from catalog.models import Column, Connection, Snapshot, Table
from catalog.snapshots import take_snapshot
from catalog.tasks import snapshot_connection
from scoring import inputs, runs
from scoring.context import rule_context
from scoring.engine import score_schema
from scoring.models import Finding, RuleSetting, SnapshotScore, Waiver
from scoring.runs import load_model, rescore_latest, score_snapshot

pytestmark = pytest.mark.django_db

SHOP = """
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL,
    created_at timestamptz NOT NULL, updated_at timestamptz);
CREATE TABLE orders (id bigint, customer_id bigint REFERENCES customers(id) ON DELETE CASCADE,
    shipped_at timestamp, created_at timestamptz NOT NULL);
"""


def snapshot(connection: Connection) -> Snapshot:
    taken = take_snapshot(connection)
    assert taken.succeeded, taken.error_message
    return taken


def current(connection: Connection) -> dict[tuple[str, str], Finding]:
    return {(f.rule, f.object): f for f in Finding.objects.filter(connection=connection).current()}


@pytest.fixture
def shop(pg_target, make_connection):
    pg_target.execute(SHOP)
    return make_connection(pg_target.dsn), pg_target


def test_persisted_scores_equal_the_engines(shop):
    connection, _ = shop
    taken = snapshot(connection)
    Waiver.objects.create(
        connection=connection, rule="ts-without-tz", pattern="public.orders.shipped_at", reason="x"
    )
    stored = score_snapshot(taken)
    card = score_schema(load_model(taken), rule_context(connection))

    assert stored.total == pytest.approx(card.total, abs=0.01)
    assert stored.themes == {t: pytest.approx(s, abs=0.01) for t, s in card.themes.items()}
    assert set(stored.rules) == set(card.rules)
    for rule_id, result in card.rules.items():
        saved = stored.rules[rule_id]
        assert (saved["severity"], saved["passed"], saved["applicable"], saved["waived"]) == (
            str(result.severity),
            result.passed,
            result.applicable,
            result.waived,
        )
    rows = current(connection)
    assert {(f.rule, f.object) for f in card.findings} == {
        k for k, f in rows.items() if not f.waived
    }
    assert {(f.rule, f.object) for f in card.waived} == {
        ("ts-without-tz", "public.orders.shipped_at")
    }
    for f in card.findings:
        row = rows[(f.rule, f.object)]
        assert (row.severity, row.message, row.fix or None, row.table, row.theme) == (
            str(f.severity),
            f.message,
            f.fix,
            f.table,
            f.theme,
        )
    assert stored.open_findings == len(card.findings)
    assert [(t["rule"], t["object"]) for t in stored.top_fixes] == [
        (f.rule, f.object) for f in card.top_fixes(10)
    ]
    # The table without a key scores below the one with a key.
    assert stored.table_scores["public.orders"] < stored.table_scores["public.customers"]


def test_fixing_a_flaw_resolves_and_breaking_it_again_reopens(shop):
    connection, target = shop
    a = snapshot(connection)
    score_snapshot(a)
    key = ("pk-missing", "public.orders")
    tz = ("ts-without-tz", "public.orders.shipped_at")
    first = current(connection)
    assert first[key].opened_in_id == a.pk
    assert first[tz].opened_in_id == a.pk

    target.execute("ALTER TABLE orders ADD PRIMARY KEY (id)")
    b = snapshot(connection)
    score_b = score_snapshot(b)
    assert key not in current(connection)
    resolved = Finding.objects.get(pk=first[key].pk)
    assert (resolved.resolved_in_id, resolved.resolution) == (b.pk, "fixed")
    assert resolved.resolved_at == b.started_at
    # The finding that persists is the same row, still opened in A.
    assert current(connection)[tz].pk == first[tz].pk
    assert current(connection)[tz].opened_in_id == a.pk
    assert score_b.themes["keys"] > SnapshotScore.objects.get(pk=a.pk).themes["keys"]

    target.execute("ALTER TABLE orders DROP CONSTRAINT orders_pkey")
    c = snapshot(connection)
    score_snapshot(c)
    reopened = current(connection)[key]
    assert reopened.pk != first[key].pk
    assert reopened.opened_in_id == c.pk
    history = Finding.objects.filter(connection=connection, rule=key[0], object=key[1])
    assert [(f.opened_in_id, f.resolved_in_id) for f in history.order_by("opened_at")] == [
        (a.pk, b.pk),
        (c.pk, None),
    ]

    # New and fixed "since": plain queries over opened_at/resolved_at.
    findings = Finding.objects.filter(connection=connection)
    # Dropping the key is also a breaking change nobody announced (theme changes).
    assert set(findings.new_since(c.started_at).values_list("rule", "object")) == {
        key,
        ("chg-unannounced-breaking", "public.orders"),
    }
    assert set(findings.fixed_since(b.started_at).values_list("rule", "object")) == {key}
    assert not findings.fixed_since(c.started_at).exists()


def test_new_and_fixed_since_last_week(shop):
    connection, target = shop
    a = snapshot(connection)
    score_snapshot(a)
    # Pretend A was taken ten days ago.
    long_ago = timezone.now() - datetime.timedelta(days=10)
    Snapshot.objects.filter(pk=a.pk).update(started_at=long_ago)
    Finding.objects.filter(connection=connection).update(opened_at=long_ago)

    target.execute("ALTER TABLE orders ADD PRIMARY KEY (id); ALTER TABLE customers ADD note date")
    b = snapshot(connection)
    score_snapshot(b)
    week_ago = timezone.now() - datetime.timedelta(days=7)
    findings = Finding.objects.filter(connection=connection)
    new = set(findings.new_since(week_ago).values_list("rule", "object"))
    fixed = set(findings.fixed_since(week_ago).values_list("rule", "object"))
    assert ("pk-missing", "public.orders") in fixed
    assert ("doc-column-missing", "public.customers.note") in new
    assert not new & fixed
    assert ("ts-without-tz", "public.orders.shipped_at") not in new  # older than a week


def test_an_unchanged_snapshot_writes_no_finding(shop):
    connection, _ = shop
    score_snapshot(snapshot(connection))
    before = {f.pk: (f.message, f.opened_in_id) for f in Finding.objects.all()}
    again = snapshot(connection)
    with CaptureQueriesContext(db_connection) as ctx:
        score_snapshot(again)
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if '"scoring_finding"' in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert writes == []
    assert {f.pk: (f.message, f.opened_in_id) for f in Finding.objects.all()} == before
    assert SnapshotScore.objects.filter(connection=connection).count() == 2
    # Per-table scores stay on the latest score only.
    assert SnapshotScore.objects.exclude(table_scores={}).get().pk == again.pk


def waive(
    connection: Connection, waived: tuple[str, str], member: Any, *, expires_on: datetime.date
) -> Waiver:
    rule, pattern = waived
    return Waiver.objects.create(
        connection=connection,
        rule=rule,
        pattern=pattern,
        reason="legacy import, always UTC",
        expires_on=expires_on,
        created_by=member,
    )


def test_a_waiver_passes_the_object_until_it_expires(shop, member):
    connection, _ = shop
    taken = snapshot(connection)
    before = score_snapshot(taken)
    tz = ("ts-without-tz", "public.orders.shipped_at")
    row = current(connection)[tz]
    today = timezone.localdate()
    waive(connection, tz, member, expires_on=today + datetime.timedelta(days=3))
    waived = score_snapshot(taken, today=today)
    assert waived.total > before.total
    assert waived.rules["ts-without-tz"]["waived"] == 1
    assert current(connection)[tz].waived
    assert current(connection)[tz].pk == row.pk  # same episode, marked waived

    # Three days later the waiver has expired: the next snapshot's scoring counts it again.
    later = snapshot(connection)
    back = score_snapshot(later, today=today + datetime.timedelta(days=3))
    assert back.total == pytest.approx(before.total)
    finding = current(connection)[tz]
    assert not finding.waived
    assert finding.pk == row.pk


def test_a_table_waiver_covers_the_table_and_its_columns(shop):
    connection, _ = shop
    taken = snapshot(connection)
    Waiver.objects.create(
        connection=connection, rule="*", scope="glob", pattern="public.orders*", reason="legacy"
    )
    Waiver.objects.create(
        connection=connection, rule="doc-column-missing", scope="table",
        pattern="public.customers", reason="obvious",
    )  # fmt: skip
    score_snapshot(taken)
    rows = current(connection)
    assert all(f.waived for (rule, obj), f in rows.items() if obj.startswith("public.orders"))
    assert all(f.waived for (rule, obj), f in rows.items() if rule == "doc-column-missing")
    assert not rows[("doc-table-missing", "public.customers")].waived


def test_settings_disable_rules_override_severity_and_options_per_connection(shop):
    connection, _ = shop
    taken = snapshot(connection)
    score_snapshot(taken)
    assert ("ts-without-tz", "public.orders.shipped_at") in current(connection)
    team = connection.team
    RuleSetting.objects.create(team=team, rule="ts-without-tz", enabled=False)
    RuleSetting.objects.create(team=team, rule="pk-missing", severity="W")
    RuleSetting.objects.create(team=team, connection=connection, rule="pk-missing", severity="I")
    RuleSetting.objects.create(
        team=team, rule="ts-updated-missing", options={"append_only": ["orders"]}
    )
    stored = score_snapshot(taken)
    rows = current(connection)
    assert "ts-without-tz" not in stored.rules
    switched_off = Finding.objects.get(rule="ts-without-tz")
    assert switched_off.resolution == "settings"
    assert not Finding.objects.filter(connection=connection).fixed_since(taken.started_at).exists()
    assert stored.rules["pk-missing"]["severity"] == "I"  # the connection's override wins
    assert rows[("pk-missing", "public.orders")].severity == "I"
    assert ("ts-updated-missing", "public.orders") not in rows


def test_descriptions_written_in_schemajoy_or_dbt_count_as_documentation(shop):
    connection, _ = shop
    taken = snapshot(connection)
    score_snapshot(taken)
    assert ("doc-table-missing", "public.orders") in current(connection)
    assert ("doc-table-missing", "public.customers") in current(connection)
    Table.objects.filter(connection=connection, name="orders").update(description="One order.")
    Table.objects.filter(connection=connection, name="customers").update(
        dbt_description="People who buy."
    )
    score_snapshot(taken)
    rows = current(connection)
    assert ("doc-table-missing", "public.orders") not in rows
    assert ("doc-table-missing", "public.customers") not in rows


def test_a_succeeded_snapshot_task_is_scored(make_connection, sqlite_target):
    dsn = sqlite_target("CREATE TABLE logs (message TEXT);", name="a.db")
    connection = make_connection(dsn, name="logs")
    snapshot_id = snapshot_connection.delay(connection.pk, trigger="manual").get()
    score = SnapshotScore.objects.get(snapshot_id=snapshot_id)
    assert score.total is not None
    assert Finding.objects.filter(connection=connection, rule="pk-missing").exists()


def test_sampled_observations_reach_the_sampling_rules(pg_target, make_connection):
    pg_target.execute(
        "CREATE TABLE parcels (id bigint PRIMARY KEY, weight_grams text, zip text);"
        "INSERT INTO parcels SELECT i, (i * 7)::text, lpad((i % 90)::text, 5, '0')"
        " FROM generate_series(1, 400) AS i; ANALYZE parcels;"
    )
    connection = make_connection(pg_target.dsn, name="parcels")
    taken = snapshot(connection)
    assert taken.observations, "the snapshot sampled nothing"
    score = score_snapshot(taken)
    rows = current(connection)
    assert ("type-string-encodes-int", "public.parcels.weight_grams") in rows
    assert ("type-string-encodes-int", "public.parcels.zip") not in rows  # leading zeros
    assert score.rules["type-string-encodes-int"]["applicable"] >= 2


def test_the_beat_rescores_connections_whose_waiver_expired(shop, member):
    from scoring.tasks import rescore_lapsed_waivers

    connection, _ = shop
    score_snapshot(snapshot(connection))
    today = timezone.localdate()
    waiver = Waiver.objects.create(
        connection=connection,
        rule="ts-without-tz",
        pattern="public.orders.shipped_at",
        reason="legacy import",
        expires_on=today + datetime.timedelta(days=1),
        created_by=member,
    )
    rescore_latest(connection)
    assert current(connection)[("ts-without-tz", "public.orders.shipped_at")].waived  # rescored
    assert rescore_lapsed_waivers.delay().get() == []  # not expired yet

    # A day passes: the last score was yesterday's, and the waiver ends today.
    SnapshotScore.objects.filter(connection=connection).update(
        scored_at=timezone.now() - datetime.timedelta(days=1)
    )
    Waiver.objects.filter(pk=waiver.pk).update(expires_on=today)
    assert rescore_lapsed_waivers.delay().get() == [connection.pk]
    assert not current(connection)[("ts-without-tz", "public.orders.shipped_at")].waived
    assert rescore_lapsed_waivers.delay().get() == []  # rescored: nothing lapsed since


# Unchanged inputs: the latest score is copied, the engine does not run ------------------


@pytest.fixture
def engine_runs(monkeypatch) -> list[int]:
    """One entry per engine run inside score_snapshot."""
    calls: list[int] = []
    real = runs.score_schema

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(runs, "score_schema", counting)
    return calls


def settled(connection: Connection, *, today: datetime.date | None = None) -> SnapshotScore:
    """Two scored snapshots: the second one's delete counters have a baseline (the first
    one's), which is a change of observations, so a third unchanged snapshot is the first
    whose inputs equal its predecessor's."""
    score_snapshot(snapshot(connection), today=today)
    return score_snapshot(snapshot(connection), today=today)


def finding_writes(queries: list[dict[str, str]]) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if '"scoring_finding"' in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


def test_an_unchanged_snapshot_copies_the_latest_score_without_the_engine(shop, monkeypatch):
    connection, _ = shop
    previous = settled(connection)
    before = {f.pk: (f.message, f.waived, f.opened_in_id) for f in Finding.objects.all()}
    again = snapshot(connection)

    def fail(*args, **kwargs):
        raise AssertionError("the engine ran")

    monkeypatch.setattr(runs, "score_schema", fail)
    with CaptureQueriesContext(db_connection) as ctx:
        copied = score_snapshot(again)

    assert finding_writes(ctx.captured_queries) == []
    assert {f.pk: (f.message, f.waived, f.opened_in_id) for f in Finding.objects.all()} == before
    stored = SnapshotScore.objects.get(pk=again.pk)
    assert copied.pk == stored.pk == again.pk
    fields = ("total", "themes", "rules", "open_findings", "waived_findings", "top_fixes")
    for field in fields:
        assert getattr(stored, field) == getattr(previous, field), field
    assert stored.inputs_digest == previous.inputs_digest != ""
    assert stored.scored_at > previous.scored_at
    # The per-table scores moved to the new latest score.
    assert stored.table_scores == previous.table_scores != {}
    assert SnapshotScore.objects.get(pk=previous.pk).table_scores == {}


def test_rescoring_an_unchanged_snapshot_only_records_when_it_was_scored(shop, engine_runs):
    connection, _ = shop
    scored = settled(connection)
    engine_runs.clear()
    SnapshotScore.objects.filter(pk=scored.pk).update(
        scored_at=timezone.now() - datetime.timedelta(days=1)
    )
    again = rescore_latest(connection)
    assert engine_runs == []
    stored = SnapshotScore.objects.get(pk=scored.pk)
    assert stored.scored_at > timezone.now() - datetime.timedelta(minutes=5)
    assert (stored.total, stored.rules, stored.table_scores) == (
        scored.total,
        scored.rules,
        scored.table_scores,
    )
    assert again is not None and again.pk == scored.pk


def _describe_orders(connection: Connection, target) -> None:
    Table.objects.filter(connection=connection, name="orders").update(description="One order.")


def _dbt_describe_a_column(connection: Connection, target) -> None:
    Column.objects.filter(table__connection=connection, name="email").update(
        dbt_description="Where receipts go."
    )


def _team_setting(connection: Connection, target) -> None:
    RuleSetting.objects.create(team=connection.team, rule="pk-missing", severity="I")


def _connection_option(connection: Connection, target) -> None:
    RuleSetting.objects.create(
        team=connection.team,
        connection=connection,
        rule="ts-updated-missing",
        options={"append_only": ["orders"]},
    )


def _disable_a_rule(connection: Connection, target) -> None:
    RuleSetting.objects.create(team=connection.team, rule="ts-without-tz", enabled=False)


def _waiver(connection: Connection, target) -> None:
    Waiver.objects.create(
        connection=connection, rule="pk-missing", pattern="public.orders", reason="legacy"
    )


def _revoked_waiver(connection: Connection, target) -> None:
    Waiver.objects.filter(connection=connection).update(revoked_at=timezone.now())


def _schema_change(connection: Connection, target) -> None:
    target.execute("ALTER TABLE customers ADD note date")


@pytest.mark.parametrize(
    "change",
    [
        _describe_orders,
        _dbt_describe_a_column,
        _team_setting,
        _connection_option,
        _disable_a_rule,
        _waiver,
        _schema_change,
    ],
)
def test_a_change_of_any_input_scores_in_full(shop, engine_runs, change):
    connection, target = shop
    before = settled(connection)
    change(connection, target)
    engine_runs.clear()
    after = score_snapshot(snapshot(connection))
    assert engine_runs == [1]
    assert after.inputs_digest != before.inputs_digest
    # And the next unchanged snapshot copies the new score.
    engine_runs.clear()
    copied = score_snapshot(snapshot(connection))
    assert engine_runs == []
    assert (copied.total, copied.rules) == (after.total, after.rules)


def test_revoking_a_waiver_scores_in_full(shop, engine_runs):
    connection, target = shop
    _waiver(connection, target)
    settled(connection)
    assert current(connection)[("pk-missing", "public.orders")].waived
    _revoked_waiver(connection, target)
    engine_runs.clear()
    score_snapshot(snapshot(connection))
    assert engine_runs == [1]
    assert not current(connection)[("pk-missing", "public.orders")].waived


def test_a_deploy_that_changes_the_scoring_code_scores_in_full(shop, engine_runs, monkeypatch):
    connection, _ = shop
    settled(connection)
    engine_runs.clear()
    monkeypatch.setattr(inputs, "scoring_code_digest", lambda: "another release")
    score_snapshot(snapshot(connection))
    assert engine_runs == [1]


def test_the_scoring_code_digest_covers_every_rule_module():
    root = Path(runs.__file__).resolve().parent.parent
    files = {path.resolve() for path in inputs.scoring_code_files()}
    assert set((root / "scoring" / "rules").glob("*.py")) <= files
    assert root / "scoring" / "engine.py" in files
    assert root / "catalog" / "relations.py" in files
    assert len(inputs.scoring_code_digest()) == 64


def test_no_scoring_code_reads_row_estimates():
    # load_model and inputs_digest leave row estimates out because nothing here reads
    # them: a rule that starts to must put them back in both.
    readers = [
        path.name
        for path in inputs.scoring_code_files()
        if path.name != "model.py" and "row_estimate" in path.read_text()
    ]
    assert readers == []


def test_an_expiring_waiver_copies_while_active_and_scores_in_full_when_it_ends(
    shop, engine_runs, member
):
    connection, _ = shop
    tz = ("ts-without-tz", "public.orders.shipped_at")
    today = timezone.localdate()
    waive(connection, tz, member, expires_on=today + datetime.timedelta(days=3))
    waived = settled(connection, today=today)
    assert current(connection)[tz].waived

    engine_runs.clear()
    tomorrow = score_snapshot(snapshot(connection), today=today + datetime.timedelta(days=1))
    assert engine_runs == []  # still active: the same inputs
    assert tomorrow.total == waived.total

    expired = score_snapshot(snapshot(connection), today=today + datetime.timedelta(days=3))
    assert engine_runs == [1]
    assert expired.total < waived.total
    assert not current(connection)[tz].waived


def test_an_older_snapshot_scored_late_copies_without_taking_the_table_scores(shop, engine_runs):
    connection, _ = shop
    score_snapshot(snapshot(connection))
    older = snapshot(connection)
    newer = snapshot(connection)
    latest = score_snapshot(newer)
    engine_runs.clear()
    late = score_snapshot(older)
    assert engine_runs == []
    assert (late.total, late.rules) == (latest.total, latest.rules)
    assert late.table_scores == {}
    assert SnapshotScore.objects.get(pk=newer.pk).table_scores == latest.table_scores != {}


def test_findings_states_are_updated_in_place_in_one_statement(shop):
    connection, _ = shop
    score_snapshot(snapshot(connection))
    a, b = Finding.objects.filter(connection=connection).order_by("pk")[:2]
    untouched = {f.pk: f.message for f in Finding.objects.exclude(pk__in=[a.pk, b.pk])}
    with CaptureQueriesContext(db_connection) as ctx:
        update_rows(
            Finding,
            ["severity", "message", "fix", "waived"],
            [(a.pk, "I", "new words", "", True), (b.pk, "E", "other", "FIX;", False)],
        )
    assert len(ctx.captured_queries) == 1
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.severity, a.message, a.fix, a.waived) == ("I", "new words", "", True)
    assert (b.severity, b.message, b.fix, b.waived) == ("E", "other", "FIX;", False)
    assert {f.pk: f.message for f in Finding.objects.exclude(pk__in=[a.pk, b.pk])} == untouched
