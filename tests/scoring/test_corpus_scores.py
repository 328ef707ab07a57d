"""Real schemas of the corpus, snapshotted and scored, checked against independent SQL.

Each expectation is computed here straight from pg_catalog, not from the code under test:
tables without a primary key (pk-missing + pk-unique-substitute), which of them have a
unique NOT NULL stand-in, `timestamp without time zone` and `timetz` columns
(ts-without-tz), ON DELETE CASCADE foreign keys (sd-cascade-delete), and declared foreign
keys whose column type differs from the referenced one (type-fk-declared-mismatch).
One snapshot per corpus.
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import pytest

from catalog.models import Team
from catalog.snapshots import take_snapshot
from scoring.models import Finding, SnapshotScore
from scoring.runs import score_snapshot

pytestmark = pytest.mark.django_db

CORPORA = ("pagila", "chinook_pg", "northwind", "adventureworks", "gisia", "musicbrainz")

# Base tables in scope: ordinary and partitioned tables, not partitions (folded into their
# parent), not system or extension-owned, not framework bookkeeping (RULES.md).
BASE_TABLES = """
WITH base AS (
  SELECT c.oid, n.nspname AS schema, c.relname AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
    AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    AND n.nspname NOT LIKE 'pg_temp%'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                    AND d.objid = c.oid AND d.deptype = 'e')
    AND c.relname NOT IN ('django_migrations', 'django_session', 'schema_migrations',
                          'ar_internal_metadata')
    AND c.relname NOT LIKE 'sqlite%'
)
"""

NO_PRIMARY_KEY = (
    BASE_TABLES
    + """
SELECT schema || '.' || name FROM base b
WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = b.oid AND k.contype = 'p')
"""
)

UNIQUE_STAND_IN = (
    NO_PRIMARY_KEY
    + """
AND EXISTS (
  SELECT 1 FROM pg_index i
  WHERE i.indrelid = b.oid AND i.indisunique AND i.indpred IS NULL
    AND NOT (0 = ANY (i.indkey::int2[]))
    AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = b.oid
                    AND a.attnum = ANY (i.indkey::int2[]) AND NOT a.attnotnull))
"""
)

NAIVE_TIME = (
    BASE_TABLES
    + """
SELECT schema || '.' || name || '.' || a.attname FROM base b
JOIN pg_attribute a ON a.attrelid = b.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE a.atttypid IN ('timestamp'::regtype, 'timetz'::regtype)
"""
)

CASCADING = (
    BASE_TABLES
    + """
SELECT schema || '.' || name || '.' || (
  SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(f.conkey) WITH ORDINALITY k(num, ord)
  JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.num)
FROM base b JOIN pg_constraint f ON f.conrelid = b.oid AND f.contype = 'f'
WHERE f.confdeltype = 'c' AND f.conparentid = 0
"""
)

FK_TYPE_MISMATCH = (
    BASE_TABLES
    + """
SELECT schema || '.' || name || '.' || a.attname
FROM base b JOIN pg_constraint f ON f.conrelid = b.oid AND f.contype = 'f' AND f.conparentid = 0
CROSS JOIN LATERAL unnest(f.conkey, f.confkey) AS k(num, ref_num)
JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.num
JOIN pg_attribute r ON r.attrelid = f.confrelid AND r.attnum = k.ref_num
WHERE format_type(a.atttypid, a.atttypmod) <> format_type(r.atttypid, r.atttypmod)
"""
)


def query(dsn: str, sql: str) -> set[str]:
    with psycopg.connect(dsn) as conn:
        return {row[0] for row in conn.execute(sql)}


@pytest.fixture
def scored(
    pg_corpus: Callable[[str], str], db, make_connection
) -> Callable[[str], tuple[str, dict]]:
    team = Team.objects.create(name="Corpus", slug="corpus")

    def score(name: str) -> tuple[str, dict[str, set[str]]]:
        dsn = pg_corpus(name)
        connection = make_connection(dsn, name=name, team=team)
        snapshot = take_snapshot(connection)
        assert snapshot.succeeded, snapshot.error_message
        stored = score_snapshot(snapshot)
        assert stored.total is not None and 0 <= stored.total <= 100
        found: dict[str, set[str]] = {}
        for rule, obj in (
            Finding.objects.filter(connection=connection).open().values_list("rule", "object")
        ):
            found.setdefault(rule, set()).add(obj)
        return dsn, found

    return score


@pytest.mark.parametrize("name", CORPORA)
def test_corpus_findings_match_independent_sql(scored, name):
    dsn, found = scored(name)

    no_key = query(dsn, NO_PRIMARY_KEY)
    stand_in = query(dsn, UNIQUE_STAND_IN)
    missing, substitute = found.get("pk-missing", set()), found.get("pk-unique-substitute", set())
    assert missing | substitute == no_key
    assert substitute == stand_in
    assert not missing & substitute

    assert found.get("ts-without-tz", set()) == query(dsn, NAIVE_TIME)
    assert found.get("sd-cascade-delete", set()) == query(dsn, CASCADING)
    assert found.get("type-fk-declared-mismatch", set()) == query(dsn, FK_TYPE_MISMATCH)


def test_hand_checked_corpus_facts(scored):
    """Facts read in the corpus files by hand, beside the SQL cross-checks."""
    _, chinook = scored("chinook_pg")
    # Every Chinook table has a key; three columns are plain `timestamp`.
    assert "pk-missing" not in chinook and "pk-unique-substitute" not in chinook
    assert chinook["ts-without-tz"] == {
        "public.employee.birth_date",
        "public.employee.hire_date",
        "public.invoice.invoice_date",
    }
    _, adventureworks = scored("adventureworks")
    # schema.sql lines 8082 and 8098: the only two ON DELETE CASCADE keys.
    assert adventureworks["sd-cascade-delete"] == {
        "sales.salesorderdetail.salesorderid",
        "sales.salesorderheadersalesreason.salesorderid",
    }
    # employeedepartmenthistory.departmentid is smallint; department.departmentid integer.
    assert (
        "humanresources.employeedepartmenthistory.departmentid"
        in adventureworks["type-fk-declared-mismatch"]
    )
    _, musicbrainz = scored("musicbrainz")
    # sitemaps.artist_lastmod: no key, but a unique index on url, which is NOT NULL.
    assert "sitemaps.artist_lastmod" in musicbrainz["pk-unique-substitute"]
    assert "sitemaps.artist_lastmod" not in musicbrainz.get("pk-missing", set())
    assert SnapshotScore.objects.count() == 3
