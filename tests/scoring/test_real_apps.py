"""Labelled expectations on real applications' schemas (tests/corpus_apps, the shared corpus).

Each application is introspected from a real MariaDB or PostgreSQL database loaded once per
session, scored with every rule, and checked against what its developers would agree with:
objects that must get a finding, and traps that must not. Then the fix SQL of every finding
is run on a scratch copy of the schema (PostgreSQL: inside a transaction rolled back at the
end; MariaDB: DDL commits, so a throwaway database) and must be valid and never add a column
that is already there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import psycopg
import pytest

from catalog.introspection import introspect
from catalog.introspection.model import SchemaModel
from scoring.engine import MIN_GAIN, Scorecard, score_schema
from scoring.rules.base import Severity
from tests.fixtures import mysql_targets, postgres_targets


@dataclass(frozen=True)
class App:
    model: SchemaModel
    card: Scorecard
    schema: str  # the schema objects are named in

    def obj(self, name: str) -> str:
        return f"{self.schema}.{name}"

    def failing(self, rule: str) -> set[str]:
        return {f.object for f in self.card.findings if f.rule == rule}

    def assert_resolves(self, expected: dict[str, str]) -> None:
        """Each column is reported as an undeclared reference to the expected key."""
        resolved = {
            f.object: f.message
            for f in self.card.findings
            if f.rule == "rel-inferred-fk-undeclared"
        }
        for column, target in expected.items():
            assert target in resolved[self.obj(column)], column

    def finding(self, rule: str, name: str):
        found = [f for f in self.card.findings if f.rule == rule and f.object == self.obj(name)]
        return found[0] if found else None


def _app(dsn: str, schema: str | None = None) -> App:
    model = introspect(dsn)
    return App(model, score_schema(model), schema or model.database)


@pytest.fixture(scope="module")
def prestashop(mysql_corpus) -> App:
    return _app(mysql_corpus("prestashop"))


@pytest.fixture(scope="module")
def mediawiki(mysql_corpus) -> App:
    return _app(mysql_corpus("mediawiki"))


@pytest.fixture(scope="module")
def phpbb(pg_corpus) -> App:
    return _app(pg_corpus("phpbb"), "public")


@pytest.fixture(scope="module")
def synapse(pg_corpus) -> App:
    return _app(pg_corpus("synapse"), "public")


@pytest.fixture(scope="module")
def musicbrainz(pg_corpus) -> App:
    return _app(pg_corpus("musicbrainz"), "musicbrainz")


@pytest.fixture(scope="module")
def pagila(pg_corpus) -> App:
    return _app(pg_corpus("pagila"), "public")


# PrestaShop: ps_ prefix, id_<entity> references, date_add/date_upd, tinyint(1) flags -------


def test_prestashop_date_add_and_date_upd_are_its_creation_and_update_timestamps(prestashop):
    for table in ("ps_customer", "ps_orders", "ps_cart", "ps_address"):
        assert prestashop.obj(table) not in prestashop.failing("ts-created-missing"), table
        assert prestashop.obj(table) not in prestashop.failing("ts-updated-missing"), table
    for rule in ("ts-created-missing", "ts-updated-missing"):
        for finding in (f for f in prestashop.card.findings if f.rule == rule):
            assert "created_at" not in (finding.fix or "") and "updated_at" not in (
                finding.fix or ""
            )
    # A table with only date_add still misses its update moment, in the shop's own spelling.
    fix = prestashop.finding("ts-updated-missing", "ps_connections").fix
    assert "ADD COLUMN `date_upd`" in fix


def test_prestashop_references_resolve_through_the_table_prefix(prestashop):
    expected = {
        "ps_address.id_customer": ".ps_customer.id_customer",
        "ps_cart.id_address_delivery": ".ps_address.id_address",
        "ps_customer.id_default_group": ".ps_group.id_group",
        "ps_orders.id_cart": ".ps_cart.id_cart",
        "ps_category.id_parent": ".ps_category.id_category",
    }
    prestashop.assert_resolves(expected)
    dangling = prestashop.failing("rel-dangling-id")
    assert len(dangling) <= 8  # was 229 with the ps_ prefix read as part of the name
    for column in ("ps_address.id_customer", "ps_cart.id_address_delivery", "ps_orders.id_lang"):
        assert prestashop.obj(column) not in dangling
    # type-fk-inferred-mismatch now applies to the shop's references, not to a handful.
    assert prestashop.card.rules["type-fk-inferred-mismatch"].applicable > 300


def test_prestashop_link_tables_and_names_are_read_as_its_developers_mean_them(prestashop):
    missing = prestashop.card.rules["sd-marker-missing"]
    link = prestashop.obj("ps_category_product")
    assert link not in prestashop.failing("sd-marker-missing")
    assert link not in prestashop.failing("ts-created-missing")
    assert missing.applicable < 130  # 220 tables, the link tables left out
    assert prestashop.obj("ps_alias") not in prestashop.failing("name-inflection-outlier")
    assert prestashop.obj("ps_orders") in prestashop.failing("name-inflection-outlier")
    assert prestashop.obj("ps_customer.deleted") not in prestashop.failing("sd-marker-shape")
    assert prestashop.obj("ps_lang.date_format_full") not in prestashop.failing("ts-string-typed")
    assert prestashop.obj("ps_accessory") in prestashop.failing("pk-missing")
    # image width in pixels and product width in centimetres are two concepts.
    assert not [o for o in prestashop.failing("type-same-name-mismatch") if o.endswith(".width")]


# MediaWiki: BINARY(14) timestamps, column tags, no foreign keys ----------------------------


def test_mediawiki_binary_14_timestamps_are_moments_in_strings(mediawiki):
    failing = mediawiki.failing("ts-string-typed")
    for column in ("revision.rev_timestamp", "logging.log_timestamp", "archive.ar_timestamp"):
        assert mediawiki.obj(column) in failing, column
    assert mediawiki.obj("revision.rev_sha1") not in failing


def test_mediawiki_column_tags_resolve_references(mediawiki):
    expected = {
        "revision.rev_page": ".page.page_id",
        "revision.rev_actor": ".actor.actor_id",
        "revision.rev_comment_id": ".comment.comment_id",
        "user_groups.ug_user": ".user.user_id",
        "archive.ar_rev_id": ".revision.rev_id",
        "slots.slot_revision_id": ".revision.rev_id",
        "actor.actor_user": ".user.user_id",
    }
    mediawiki.assert_resolves(expected)
    dangling = mediawiki.failing("rel-dangling-id")
    for column in ("revision.rev_page", "revision.rev_id", "page.page_latest", "logging.log_actor"):
        assert mediawiki.obj(column) not in dangling


def test_mediawiki_row_timestamps_and_its_archive_are_understood(mediawiki):
    created = mediawiki.failing("ts-created-missing")
    assert mediawiki.obj("revision") not in created  # rev_timestamp is the revision's creation
    assert mediawiki.obj("page") in created  # a page keeps no creation moment
    # archive holds deleted revisions: a log of deletions, never told to add a marker.
    assert mediawiki.obj("archive") not in mediawiki.failing("sd-marker-missing")
    assert {mediawiki.obj("querycache"), mediawiki.obj("user_newtalk")} <= mediawiki.failing(
        "pk-missing"
    )


# phpBB: phpbb_ prefix, column tags, epoch seconds in INT4 ----------------------------------


def test_phpbb_epoch_seconds_are_converted_as_seconds(phpbb):
    finding = phpbb.finding("ts-epoch-typed", "phpbb_posts.post_time")
    assert "(integer) of seconds" in finding.message
    # CHECK (post_time >= 0) would compare a timestamp with 0: no fix that cannot run.
    assert finding.fix is None
    assert phpbb.obj("phpbb_posts") not in phpbb.failing("ts-created-missing")
    assert phpbb.obj("phpbb_config") in phpbb.failing("ts-created-missing")


def test_phpbb_references_and_traps(phpbb):
    phpbb.assert_resolves(
        {
            "phpbb_posts.topic_id": ".phpbb_topics.topic_id",
            "phpbb_posts.forum_id": ".phpbb_forums.forum_id",
            "phpbb_acl_users.auth_option_id": ".phpbb_acl_options.auth_option_id",
        }
    )
    dangling = phpbb.failing("rel-dangling-id")
    assert phpbb.obj("phpbb_forums.left_id") not in dangling  # nested-set bounds
    assert phpbb.obj("phpbb_posts.topic_id") not in dangling
    assert {phpbb.obj("phpbb_acl_groups"), phpbb.obj("phpbb_user_group")} <= phpbb.failing(
        "pk-missing"
    )


# Matrix Synapse: epoch integers, text keys referenced by name, few primary keys -----------


def test_synapse_epoch_columns_are_converted_in_their_named_unit_or_not_at_all(synapse):
    epoch = synapse.failing("ts-epoch-typed")
    for column in ("events.origin_server_ts", "users.creation_ts", "user_threepids.added_at"):
        assert synapse.obj(column) in epoch, column
    millis = synapse.finding("ts-epoch-typed", "access_tokens.valid_until_ms")
    assert "of milliseconds" in millis.message
    assert '"valid_until_ms" / 1000' in millis.fix  # not to_timestamp(ms): year 56898
    # origin_server_ts is milliseconds too, but its name does not say so: no guessed fix.
    assert synapse.finding("ts-epoch-typed", "events.origin_server_ts").fix is None
    # Stream positions and depths are integers, not moments; throttle_ms is a duration.
    durations = {"events.stream_ordering", "events.depth", "pusher_throttle.throttle_ms"}
    assert not set(map(synapse.obj, durations)) & epoch


def test_synapse_creation_moments_in_its_own_spellings(synapse):
    created = synapse.failing("ts-created-missing")
    for table in ("users", "ui_auth_sessions", "local_media_repository"):
        # creation_ts, creation_time, created_ts: each is the table's creation moment.
        assert synapse.obj(table) not in created, table
    assert synapse.obj("rooms") in created
    # The three spellings are one concept: the minority ones are named, not "missing".
    assert synapse.failing("name-concept-synonyms") == {
        synapse.obj("users.creation_ts"),
        synapse.obj("ui_auth_sessions.creation_time"),
    }
    # Its creation moments are epoch integers: the audit shape says so.
    assert synapse.obj("users.creation_ts") in synapse.failing("ts-audit-shape")


def test_synapse_text_keys_are_referenced_by_name(synapse):
    synapse.assert_resolves(
        {
            "events.room_id": ".rooms.room_id",
            "room_memberships.event_id": ".events.event_id",
            "event_edges.prev_event_id": ".events.event_id",
            "application_services_txns.as_id": ".application_services_state.as_id",
        }
    )
    dangling = synapse.failing("rel-dangling-id")
    # id_server is an identity server's host name (text), not a reference to a "server".
    assert synapse.obj("user_threepid_id_server.id_server") not in dangling
    assert synapse.obj("events.room_id") not in dangling
    # A count of a room's current state events, plural like the table: not a reference.
    mismatch = synapse.failing("type-fk-inferred-mismatch")
    assert synapse.obj("room_stats_current.current_state_events") not in mismatch
    # The text keys and their text references agree: no type mismatch on room_id/event_id.
    assert not [o for o in mismatch if o.endswith((".room_id", ".event_id"))]
    # stream_id is bigint in 22 tables and text in one (a remote server's opaque id);
    # txn_id an appservice counter and a client's string: homonyms, no table behind them.
    assert synapse.failing("type-same-name-mismatch") == set()
    # A key that is a reference (a one-to-one extension) is named as it should be.
    names = synapse.failing("pk-name-pattern")
    assert synapse.obj("account_validity") not in names  # user_id
    assert synapse.obj("event_expiry") not in names  # event_id
    assert synapse.obj("open_id_tokens") in names  # token
    # destination_rooms.destination holds destinations.destination: named like its key.
    assert synapse.failing("name-fk-suffix-outlier") == set()


def test_synapse_keys_flags_and_markers(synapse):
    missing = synapse.failing("pk-missing")
    assert {synapse.obj("event_auth"), synapse.obj("device_inbox")} <= missing
    assert len(missing) == 30
    # events has no primary key but a unique NOT NULL event_id: a substitute, not missing.
    assert synapse.obj("events") not in missing
    assert synapse.obj("events") in synapse.failing("pk-unique-substitute")
    assert synapse.obj("rooms") not in missing | synapse.failing("pk-unique-substitute")
    # deleted smallint DEFAULT 0 is a soft-delete flag of the wrong shape.
    marker = synapse.finding("sd-marker-shape", "e2e_room_keys_versions.deleted")
    assert marker is not None and "smallint" in marker.message
    # smallint has no cast to boolean, and the NOT NULL flag keeps a default.
    assert 'USING "deleted" <> 0, ALTER COLUMN "deleted" SET DEFAULT false;' in marker.fix
    # deactivated and admin are smallint flags, not soft-delete markers.
    shapes = synapse.failing("sd-marker-shape")
    assert not {synapse.obj("users.deactivated"), synapse.obj("users.admin")} & shapes
    assert synapse.obj("e2e_room_keys_versions") not in synapse.failing("sd-marker-missing")


# MusicBrainz and Pagila (the shared corpus) ------------------------------------------------


def test_musicbrainz_deleted_entity_is_a_log_of_deletions(musicbrainz):
    deleted_at = musicbrainz.obj("deleted_entity.deleted_at")
    for finding in musicbrainz.card.findings:
        assert finding.object != deleted_at
        assert not (
            "deleted_entity" in finding.object and "DROP NOT NULL" in (finding.fix or "")
        ), finding
    assert musicbrainz.obj("deleted_entity") not in musicbrainz.failing("sd-marker-missing")
    assert musicbrainz.obj("artist") not in musicbrainz.failing("ts-updated-missing")


def test_pagila_last_update_counts_as_the_update_timestamp(pagila):
    with_last_update = {
        t.qualified_name for t in pagila.model.tables if t.is_base_table and t.column("last_update")
    }
    assert len(with_last_update) >= 10
    assert not with_last_update & pagila.failing("ts-updated-missing")


# Priorities --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["synapse", "phpbb", "mediawiki"])
def test_a_missing_primary_key_outranks_every_warning_in_the_top_fixes(name, request):
    app: App = request.getfixturevalue(name)
    fixes = app.card.top_fixes(200)
    assert fixes and fixes[0].rule == "pk-missing"
    missing = [i for i, f in enumerate(fixes) if f.rule == "pk-missing"]
    warnings = [i for i, f in enumerate(fixes) if f.severity is Severity.WARNING]
    # Every table without a key is listed, before any warning.
    assert len(missing) == len(app.failing("pk-missing")) and max(missing) < min(warnings)
    assert all(f.gain >= MIN_GAIN and f.severity is not Severity.INFO for f in fixes)


def test_synapse_smallint_marker_comes_after_its_30_tables_without_a_key(synapse):
    fixes = synapse.card.top_fixes(200)
    marker = next(i for i, f in enumerate(fixes) if f.rule == "sd-marker-shape")
    assert [f.rule for f in fixes[:30]] == ["pk-missing"] * 30 and marker >= 30
    gains = {f.rule: f.gain for f in fixes}
    # By points alone the marker (+0.12, a light theme) would come first (+0.09 each).
    assert gains["sd-marker-shape"] > gains["pk-missing"] >= 0.09
    # The marker moves soft_delete by one table's share, not the whole theme.
    assert 100 - synapse.card.themes["soft_delete"] <= 100 / 134 + 1e-9
    assert f"{gains['pk-missing']:.2f}" == "0.09"  # shown as +0.09, never "+0.0"


# Fix SQL: valid for its dialect, never a duplicate column ----------------------------------

_ADDED = re.compile(r"ADD COLUMN [`\"]?([^`\"\s]+)[`\"]?", re.IGNORECASE)
_TABLE = re.compile(r"ALTER TABLE ((?:[`\"][^`\"]+[`\"]\.)?[`\"][^`\"]+[`\"])")


def _fixes(app: App) -> list[tuple[str, str]]:
    """(object, fix) of every finding with fix SQL; renames last (they move the others' tables)."""
    found: dict[str, str] = {}
    for f in app.card.findings:
        if f.fix:  # two rules may propose the same statement: it runs once
            found.setdefault(f.fix, f.object)
    return sorted(((obj, fix) for fix, obj in found.items()), key=lambda p: " RENAME " in p[1])


def _assert_no_duplicate_columns(app: App) -> None:
    columns = {t.qualified_name: {c.name for c in t.columns} for t in app.model.tables}
    for obj, fix in _fixes(app):
        table = ".".join(obj.split(".")[:2])
        for added in _ADDED.findall(fix):
            assert added not in columns[table], (obj, fix)


@pytest.mark.parametrize("name", ["phpbb", "synapse", "musicbrainz", "pagila"])
def test_postgres_fix_sql_runs_on_a_scratch_copy_in_a_rolled_back_transaction(name):
    scratch = postgres_targets.unique_name(f"fix_{name}")
    postgres_targets.load_corpus(name, scratch)
    try:
        dsn = postgres_targets.dsn_for(scratch)
        app = _app(dsn, "public")
        _assert_no_duplicate_columns(app)
        failures = []
        with psycopg.connect(dsn) as conn, conn.transaction(force_rollback=True):
            for obj, fix in _fixes(app):
                try:
                    with conn.transaction():  # a savepoint per fix
                        conn.execute(fix)
                except psycopg.Error as exc:
                    failures.append((obj, fix, str(exc).splitlines()[0]))
        assert failures == [], "\n".join(map(str, failures))
    finally:
        postgres_targets.drop_database(scratch)


@pytest.mark.parametrize("name", ["prestashop", "mediawiki"])
def test_mariadb_fix_sql_runs_on_a_throwaway_copy(name):
    scratch = mysql_targets.unique_name(f"fix_{name}")
    mysql_targets.load_corpus(name, scratch)
    try:
        app = _app(mysql_targets.dsn_for(scratch))
        _assert_no_duplicate_columns(app)
        failures = []
        conn = mysql_targets.admin_connect(scratch)
        try:
            with conn.cursor() as cur:
                for obj, fix in _fixes(app):
                    for statement in filter(None, (s.strip() for s in fix.split(";\n"))):
                        try:
                            cur.execute(statement.rstrip(";"))
                        except Exception as exc:  # noqa: BLE001 -- every failure is reported
                            failures.append((obj, statement, str(exc)))
        finally:
            conn.close()
        assert failures == [], "\n".join(map(str, failures))
    finally:
        mysql_targets.drop_database(scratch)
