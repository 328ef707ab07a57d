from __future__ import annotations

from django.urls import path

from scoring import api, digest_views, views

app_name = "scoring"

urlpatterns = [
    path("connections/<int:pk>/", views.scorecard, name="scorecard"),
    path("connections/<int:pk>/summary/", views.score_summary, name="summary"),
    path("connections/<int:pk>/findings/", views.findings, name="findings"),
    path(
        "connections/<int:pk>/tables/<int:table_pk>/findings/",
        views.table_findings,
        name="table_findings",
    ),
    path("connections/<int:pk>/waivers/", views.waivers, name="waivers"),
    path(
        "connections/<int:pk>/waivers/<int:waiver_pk>/revoke/",
        views.waiver_revoke,
        name="waiver_revoke",
    ),
    path("connections/<int:pk>/rules/", views.connection_rule_settings, name="connection_rules"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<slug:slug>/", views.team_detail, name="team_detail"),
    path("teams/<slug:slug>/members/", views.team_member_add, name="team_member_add"),
    path(
        "teams/<slug:slug>/members/<int:user_pk>/remove/",
        views.team_member_remove,
        name="team_member_remove",
    ),
    path("teams/<slug:slug>/rules/", views.team_rule_settings, name="team_rules"),
    path("teams/<slug:slug>/tokens/", api.api_tokens, name="api_tokens"),
    path(
        "teams/<slug:slug>/tokens/<int:token_pk>/revoke/",
        api.api_token_revoke,
        name="api_token_revoke",
    ),
]

# The weekly health e-mail (scoring/digest_views.py).
urlpatterns += [
    path("teams/<slug:slug>/digest/", digest_views.digest_preview, name="digest_preview"),
    path("teams/<slug:slug>/digest/html/", digest_views.digest_html, name="digest_html"),
    path("teams/<slug:slug>/digest/test/", digest_views.digest_test, name="digest_test"),
    path(
        "teams/<slug:slug>/digest/settings/", digest_views.digest_settings, name="digest_settings"
    ),
    path("account/digests/", digest_views.digest_subscriptions, name="digest_subscriptions"),
    path(
        "digest/unsubscribe/<str:token>/",
        digest_views.digest_unsubscribe,
        name="digest_unsubscribe",
    ),
    path(
        "digest/unsubscribe/<str:token>/undo/",
        digest_views.digest_resubscribe,
        name="digest_resubscribe",
    ),
]
