"""Scorecards, findings, waivers and rule settings: thin views over scoring.models.

Every logged-in user reads; writes (waivers, settings) need team membership or staff,
checked here on the server, and rescore the latest snapshot at once (after the commit).
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, F, FloatField, OuterRef, Subquery, Value, When
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Concat
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from catalog.changes import recent_breaking_changes
from catalog.documentation import undocumented_tables
from catalog.http import SignedInRequest
from catalog.models import Connection, Table, Team
from catalog.views import paginate
from scoring.charts import line_chart
from scoring.context import effective_settings
from scoring.engine import MIN_GAIN
from scoring.forms import (
    THEME_LABELS,
    FindingFilterForm,
    MemberForm,
    RuleSettingForm,
    RuleSettingsPageForm,
    TeamForm,
    WaiverForm,
)
from scoring.models import Finding, RuleSetting, ScoringFailure, SnapshotScore, Waiver
from scoring.rules import ALL_RULES, RULES_BY_ID
from scoring.rules.base import THEMES
from scoring.tasks import rescore_connection_task
from scoring.trends import ScorePoint, team_moves, team_scores

FINDINGS_PER_PAGE = 50
TREND_POINTS = 12


def _week_ago() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=7)


def _latest_score(connection: Connection) -> SnapshotScore | None:
    # The per-table scores are thousands of entries on a big schema: not read here.
    return SnapshotScore.objects.defer("table_scores").latest_of(connection)


def _connection(pk: int) -> Connection:
    return get_object_or_404(Connection.objects.select_related("team"), pk=pk)


def _rescore_after_commit(connection_ids: list[int]) -> None:
    for pk in connection_ids:
        transaction.on_commit(lambda pk=pk: rescore_connection_task.delay(pk))  # type: ignore[misc]


def _themes(score: SnapshotScore | None, disabled: set[str]) -> list[dict[str, Any]]:
    """Theme rows for the scorecard: score, and the rules under it as the run saw them."""
    stored = score.rules if score else {}
    themes = []
    for theme in THEMES:
        rules = []
        for rule in ALL_RULES:
            if rule.theme != theme:
                continue
            result = stored.get(rule.id)
            if rule.id in disabled or (score is not None and result is None):
                state = "disabled"
            elif result is None:
                state = "unscored"
            elif not result["applicable"]:
                state = "needs sampling" if rule.sampling else "nothing to check"
            else:
                state = "scored"
            rate = result.get("rate") if result else None
            rules.append(
                {
                    "rule": rule,
                    "result": result,
                    "state": state,
                    "percent": None if rate is None else round(100 * rate),
                    "severity": result["severity"] if result else str(rule.severity),
                }
            )
        themes.append(
            {
                "id": theme,
                "label": THEME_LABELS[theme],
                "score": score.themes.get(theme) if score else None,
                # Every theme is scored now that the change history feeds `changes`.
                "not_yet": False,
                "rules": rules,
            }
        )
    return themes


def _top_fixes(score: SnapshotScore | None) -> list[dict[str, Any]]:
    fixes = []
    for fix in score.top_fixes if score else []:
        if fix["gain"] < MIN_GAIN:  # stored before the threshold: never a "+0.0"
            continue
        rule = RULES_BY_ID.get(fix["rule"])
        fixes.append(
            {
                **fix,
                "title": rule.title if rule else "",
                "rationale": rule.rationale if rule else "",
            }
        )
    return fixes


@require_GET
def scorecard(request: SignedInRequest, pk: int) -> HttpResponse:
    connection = _connection(pk)
    score = _latest_score(connection)
    since = _week_ago()
    findings = Finding.objects.filter(connection=connection)
    trend = list(
        SnapshotScore.objects.newest_of(connection).values_list("snapshot__started_at", "total")[
            :TREND_POINTS
        ]
    )[::-1]
    disabled = {rule_id for rule_id, s in effective_settings(connection).items() if not s.enabled}
    return render(
        request,
        "scoring/scorecard.html",
        {
            "connection": connection,
            "score": score,
            "themes": _themes(score, disabled),
            "top_fixes": _top_fixes(score),
            "new_this_week": findings.new_since(since).count() if score else 0,
            "fixed_this_week": findings.fixed_since(since).count() if score else 0,
            "trend": trend,
            "can_edit": connection.team.can_edit(request.user),
            "scoring_failure": ScoringFailure.objects.filter(connection=connection).first(),
        },
    )


@require_GET
def score_summary(request: SignedInRequest, pk: int) -> HttpResponse:
    """The score box of the connection page (loaded lazily by htmx)."""
    connection = _connection(pk)
    score = _latest_score(connection)
    return render(
        request,
        "scoring/_summary.html",
        {
            "connection": connection,
            "score": score,
            "theme_scores": [
                (THEME_LABELS[t], score.themes.get(t) if score else None, False) for t in THEMES
            ],
            "scoring_failure": ScoringFailure.objects.filter(connection=connection).first(),
        },
    )


def _filtered_findings(connection: Connection, form: FindingFilterForm) -> Any:
    # No join to the opening/resolving snapshots: the page shows the findings' own
    # opened_at/resolved_at (with the join, a 5,000-table schema's page took 408 ms, not 109).
    findings = Finding.objects.filter(connection=connection)
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or "open"
    findings = {
        "open": findings.open,
        "waived": findings.waived,
        "resolved": findings.resolved,
        "all": findings.all,
    }[status]()
    if data.get("theme"):
        findings = findings.filter(theme=data["theme"])
    if data.get("rule"):
        findings = findings.filter(rule=data["rule"])
    if data.get("severity"):
        findings = findings.filter(severity=data["severity"])
    if data.get("table"):
        table = data["table"].strip()
        findings = (
            findings.filter(table=table)
            if "." in table
            else findings.filter(table__icontains=table)
        )
    return findings, status


def _rule_gains(connection: Connection) -> dict[str, float]:
    """Score points won by fixing one finding of each rule, from the latest score."""
    row = SnapshotScore.objects.newest_of(connection).values_list("rules", flat=True).first()
    gains = {}
    for rule_id, entry in (row or {}).items():
        failing = (entry.get("applicable") or 0) - (entry.get("passed") or 0)
        if entry.get("lost") and failing > 0:
            gains[rule_id] = round(entry["lost"] / failing, 3)
    return gains


def _ordered(findings: Any, gains: dict[str, float]) -> Any:
    """Errors, then warnings, then info; within each, the biggest gain first."""
    severity = Case(
        *(When(severity=code, then=Value(rank)) for rank, code in enumerate("EWI")),
        default=Value(3),
    )
    gain = Case(
        *(When(rule=rule, then=Value(g)) for rule, g in gains.items()),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return findings.annotate(severity_rank=severity, gain=gain).order_by(
        "severity_rank", "-gain", "rule", "object", "-opened_at"
    )


@require_GET
@vary_on_headers("HX-Request")
def findings(request: SignedInRequest, pk: int) -> HttpResponse:
    connection = _connection(pk)
    form = FindingFilterForm(request.GET or None)
    queryset, status = _filtered_findings(connection, form)
    queryset = _ordered(queryset, _rule_gains(connection))
    page, query = paginate(request, queryset, FINDINGS_PER_PAGE)
    # Object names link to their table pages: one query for the page's tables.
    page.object_list = list(page.object_list)
    names = {f.table for f in page.object_list if f.table}
    tables = dict(
        Table.objects.filter(connection=connection)
        .annotate(qualified=Concat("schema", Value("."), "name"))
        .filter(qualified__in=names)
        .values_list("qualified", "pk")
    )
    for f in page.object_list:
        f.table_pk = tables.get(f.table)
    context = {
        "connection": connection,
        "form": form,
        "page": page,
        "status": status,
        "query": query,
        "can_edit": connection.team.can_edit(request.user),
        "next": request.get_full_path(),
        "today": timezone.localdate(),
    }
    if request.htmx:
        return render(request, "scoring/findings.html#results", context)
    return render(request, "scoring/findings.html", context)


@require_GET
@vary_on_headers("HX-Request")
def table_findings(request: SignedInRequest, pk: int, table_pk: int) -> HttpResponse:
    """A table's score and its current findings (lazy section of the table page)."""
    table = get_object_or_404(
        Table.objects.select_related("connection__team"), pk=table_pk, connection_id=pk
    )
    connection = table.connection
    name = table.qualified_name
    # Only this table's entry of the latest score's per-table map is read from the row.
    latest = (
        SnapshotScore.objects.newest_of(connection)
        .annotate(table_score=KeyTransform(name, "table_scores"))
        .values_list("pk", "table_score")
        .first()
    )
    rows = list(
        Finding.objects.filter(connection=connection, table=name)
        .current()
        .order_by("waived", "severity", "rule", "object")
    )
    context = {
        "connection": connection,
        "table": table,
        "scored": latest is not None,
        "table_score": latest[1] if latest else None,
        "rows": rows,
        "can_edit": connection.team.can_edit(request.user),
        "next": table.get_absolute_url(),
        "today": timezone.localdate(),
    }
    if request.htmx:
        return render(request, "scoring/table_findings.html#findings", context)
    return render(request, "scoring/table_findings.html", context)


def _safe_next(request: SignedInRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_http_methods(["GET", "POST"])
def waivers(request: SignedInRequest, pk: int) -> HttpResponse:
    connection = _connection(pk)
    form = WaiverForm(request.POST or None, initial=request.GET.dict() or None)
    if request.method == "POST":
        connection.team.require_edit(request.user, to="change its scoring")
        if form.is_valid():
            waiver = form.save(commit=False)
            waiver.connection = connection
            waiver.created_by = request.user
            waiver.save()
            _rescore_after_commit([connection.pk])
            messages.success(
                request, f"Waived {waiver.rule} on {waiver.pattern}. The score is being updated."
            )
            return redirect(_safe_next(request, reverse("scoring:waivers", args=[pk])))
    today = timezone.localdate()
    rows = list(
        Waiver.objects.filter(connection=connection).select_related("created_by", "revoked_by")
    )
    return render(
        request,
        "scoring/waivers.html",
        {
            "connection": connection,
            "form": form,
            "active": [w for w in rows if w.is_active(today)],
            "past": [w for w in rows if not w.is_active(today)],
            "can_edit": connection.team.can_edit(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def waiver_revoke(request: SignedInRequest, pk: int, waiver_pk: int) -> HttpResponse:
    connection = _connection(pk)
    connection.team.require_edit(request.user, to="change its scoring")
    # Another connection's waiver is not found here (it was a silent redirect).
    get_object_or_404(Waiver, pk=waiver_pk, connection=connection)
    updated = Waiver.objects.filter(
        pk=waiver_pk, connection=connection, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), revoked_by=request.user)
    if updated:
        _rescore_after_commit([connection.pk])
        messages.success(request, "Waiver revoked: its findings count again.")
    return redirect(_safe_next(request, reverse("scoring:waivers", args=[pk])))


def _settings_page(
    request: SignedInRequest, *, team: Team, connection: Connection | None
) -> HttpResponse:
    settings = effective_settings(connection, team_id=team.pk)
    own = {
        rule_id: (s.override if connection is not None else s.team)
        for rule_id, s in settings.items()
    }
    # What this page inherits: the rules' defaults, under the team's options on a connection.
    inherited = {
        rule_id: {**s.rule.options, **((s.team.options or {}) if connection and s.team else {})}
        for rule_id, s in settings.items()
    }
    single = request.method == "POST" and "rule" in request.POST  # one rule's row, as before
    form = RuleSettingForm(request.POST if single else None)
    page_form = RuleSettingsPageForm(
        request.POST if request.method == "POST" and not single else None,
        own=own,
        inherited=inherited,
    )
    if request.method == "POST":
        team.require_edit(request.user, to="change its scoring")
        saved: list[str] = []
        if single and form.is_valid():
            _save_setting(form, team=team, connection=connection, user=request.user)
            saved = [form.cleaned_data["rule"]]
        elif not single and page_form.is_valid():
            saved = _save_settings_page(
                page_form.settings, own, team=team, connection=connection, user=request.user
            )
        if (single and form.is_valid()) or (not single and page_form.is_valid()):
            ids = (
                [connection.pk]
                if connection is not None
                else list(team.connections.values_list("pk", flat=True))
            )
            if saved:
                _rescore_after_commit(ids)
                messages.success(request, f"Saved {', '.join(saved)}; rescoring.")
            else:
                messages.info(request, "Nothing changed.")
            return redirect(request.path)
    rows = [
        {
            "rule": s.rule,
            "effective": s,
            "own": s.override if connection is not None else s.team,
            "inherited": s.team if connection is not None else None,
            "options_json": _json(s.options),
            "own_json": _json(own.options) if own is not None and own.options else "",
        }
        for s in settings.values()
        for own in [s.override if connection is not None else s.team]
    ]
    return render(
        request,
        "scoring/rule_settings.html",
        {
            "team": team,
            "connection": connection,
            "rows": rows,
            "form": form,
            "page_form": page_form,
            "can_edit": team.can_edit(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


def _json(options: dict[str, Any]) -> str:
    return json.dumps(options, default=list, sort_keys=True)


def _save_setting(
    form: RuleSettingForm, *, team: Team, connection: Connection | None, user: Any
) -> None:
    data = form.cleaned_data
    values = {
        "enabled": form.enabled_value,
        "severity": data.get("severity") or "",
        "options": data.get("options") or {},
        "updated_by": user,
    }
    lookup = {"team": team, "connection": connection, "rule": data["rule"]}
    if values["enabled"] is None and not values["severity"] and not values["options"]:
        RuleSetting.objects.filter(**lookup).delete()  # all inherited: no row needed
        return
    RuleSetting.objects.update_or_create(**lookup, defaults=values)


def _save_settings_page(
    settings: dict[str, tuple[bool | None, str, dict[str, Any]]],
    own: dict[str, RuleSetting | None],
    *,
    team: Team,
    connection: Connection | None,
    user: Any,
) -> list[str]:
    """Write the rows that changed (delete the ones back to inherit); their rule ids."""
    saved = []
    for rule_id, (enabled, severity, options) in settings.items():
        row = own.get(rule_id)
        before = (row.enabled, row.severity, row.options or {}) if row else (None, "", {})
        if before == (enabled, severity, options):
            continue
        lookup = {"team": team, "connection": connection, "rule": rule_id}
        if enabled is None and not severity and not options:
            RuleSetting.objects.filter(**lookup).delete()
        else:
            values = {"enabled": enabled, "severity": severity, "options": options}
            RuleSetting.objects.update_or_create(**lookup, defaults={**values, "updated_by": user})  # type: ignore[arg-type]
        saved.append(rule_id)
    return saved


@require_http_methods(["GET", "POST"])
def connection_rule_settings(request: SignedInRequest, pk: int) -> HttpResponse:
    connection = _connection(pk)
    return _settings_page(request, team=connection.team, connection=connection)


@require_http_methods(["GET", "POST"])
def team_rule_settings(request: SignedInRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(Team, slug=slug)
    return _settings_page(request, team=team, connection=None)


# Teams ---------------------------------------------------------------------------

TREND_DAYS = 90


def _score_points(connection_ids: list[int]) -> list[ScorePoint]:
    """Every scored snapshot of these connections in the trend window: one query."""
    return SnapshotScore.objects.score_points(
        connection_ids, since=timezone.now() - datetime.timedelta(days=TREND_DAYS)
    )


def _team_rows(teams: Any) -> list[dict[str, Any]]:
    """Each team with its score now and a week ago, from its databases' latest scores."""
    now, before = timezone.now(), _week_ago()
    team_of = dict(Connection.objects.filter(team__in=teams).values_list("pk", "team_id"))
    # Group once: each team then reads only its own points.
    points_of: dict[int, list[ScorePoint]] = {}
    for point in _score_points(list(team_of)):
        points_of.setdefault(team_of[point.connection], []).append(point)
    connections_of = Counter(team_of.values())
    rows = []
    for team in teams:
        scores = team_scores(points_of.get(team.pk, []), now=now, before=before)
        rows.append(
            {
                "team": team,
                "connections": connections_of[team.pk],
                "score": scores.score,
                "week_ago": scores.score_before,
                "delta": scores.delta,
                "coverage": scores.coverage,
                "series": scores.series,
            }
        )
    return rows


@require_GET
def team_list(request: SignedInRequest) -> HttpResponse:
    rows = _team_rows(list(Team.objects.all()))
    rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["team"].name))
    return render(request, "scoring/team_list.html", {"rows": rows})


@require_GET
def team_detail(request: SignedInRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(Team, slug=slug)
    latest = SnapshotScore.objects.newest_of(OuterRef("pk"))
    connections = list(
        Connection.objects.filter(team=team).annotate(
            score=Subquery(latest.values("total")[:1]),
            table_total=Subquery(latest.values("snapshot__table_count")[:1]),
        )
    )
    points = _score_points([c.pk for c in connections])
    now, before = timezone.now(), _week_ago()
    scores = team_scores(points, now=now, before=before)
    moves = team_moves(points, now=now, before=before)
    # Connections scored since the baseline are reported apart from the rule movements.
    added = [c for c in connections if c.score is not None and c.pk not in moves.present]
    return render(
        request,
        "scoring/team_detail.html",
        {
            "team": team,
            "connections": connections,
            "score": scores.score,
            "delta": scores.delta,
            # The chart's measure, as the team list shows it (one definition: trends.coverage).
            "coverage": scores.coverage,
            "breaking_changes": recent_breaking_changes(request.user, team=team),
            # line_chart escapes every text it writes; the rest is numbers.
            "score_chart": mark_safe(
                line_chart(scores.series, label=f"{team.name}: score", css_class="score")
            ),
            "coverage_chart": mark_safe(
                line_chart(
                    scores.coverage_series,
                    label=f"{team.name}: documentation coverage",
                    unit="%",
                    css_class="coverage",
                )
            ),
            "movements": [
                {"rule": RULES_BY_ID.get(rule), "rule_id": rule, "delta": delta}
                for rule, delta in moves.movements
            ],
            "added": added,
            "added_effect": moves.arrivals_effect if added else None,
            "since_first": moves.baseline != before,
            "baseline": moves.baseline,
            "can_edit": team.can_edit(request.user),
            "members": list(team.members.order_by("username")),
        },
    )


# The overview (home page) ---------------------------------------------------------

WORKLIST_SIZE = 10


@require_GET
def overview(request: SignedInRequest) -> HttpResponse:
    """A signed-in person's start: their teams' scores and trends, recent breaking
    changes, failing snapshots and the biggest undocumented tables. Constant queries."""
    user = request.user
    teams = list(Team.objects.filter(members=user).order_by("name"))
    if not teams and user.is_staff:
        teams = list(Team.objects.order_by("name"))
    rows = _team_rows(teams)
    for row in rows:
        # line_chart escapes every text it writes; the rest is numbers.
        row["chart"] = mark_safe(
            line_chart(row["series"], label=f"{row['team'].name}: score", css_class="score")
        )
    failing = list(
        Connection.objects.filter(team__in=teams, last_status=Connection.Status.FAILED)
        .select_related("team")
        .order_by("name")[:WORKLIST_SIZE]
    )
    worklist = list(
        undocumented_tables(Table.objects.filter(connection__team__in=teams))
        .select_related("connection")
        .order_by(F("row_estimate").desc(nulls_last=True), "schema", "name")[:WORKLIST_SIZE]
    )
    return render(
        request,
        "scoring/overview.html",
        {
            "rows": rows,
            "breaking_changes": recent_breaking_changes(user, limit=8),
            "failing": failing,
            "worklist": worklist,
            "connection_count": Connection.objects.filter(team__in=teams).count(),
        },
    )


# Team management (staff) -----------------------------------------------------------


def _require_staff(request: SignedInRequest) -> None:
    if not request.user.is_staff:
        raise PermissionDenied("Only staff create teams and manage their members.")


@require_http_methods(["GET", "POST"])
def team_create(request: SignedInRequest) -> HttpResponse:
    _require_staff(request)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team = form.save()
        messages.success(request, f"Team {team.name} created: add its members.")
        return redirect("scoring:team_detail", team.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "scoring/team_form.html", {"form": form}, status=status)


@require_POST
def team_member_add(request: SignedInRequest, slug: str) -> HttpResponse:
    _require_staff(request)
    team = get_object_or_404(Team, slug=slug)
    form = MemberForm(request.POST)
    if form.is_valid():
        team.members.add(form.cleaned_data["user"])
        messages.success(request, f"{form.cleaned_data['user'].get_username()} joined {team.name}.")
    else:
        messages.error(request, " ".join(form.errors["user"]))  # type: ignore[arg-type]
    return redirect("scoring:team_detail", team.slug)


@require_POST
def team_member_remove(request: SignedInRequest, slug: str, user_pk: int) -> HttpResponse:
    _require_staff(request)
    team = get_object_or_404(Team, slug=slug)
    member = get_object_or_404(team.members, pk=user_pk)
    team.members.remove(member)
    messages.success(request, f"{member.get_username()} left {team.name}.")
    return redirect("scoring:team_detail", team.slug)
