from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from catalog.views import changes as change_views
from schemajoy_site.login import LoginView, ThrottledAdminAuthenticationForm
from scoring import api
from scoring import views as scoring_views

admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("scores/", include("scoring.urls")),
    path("", scoring_views.overview, name="overview"),
    path("", include("catalog.urls")),
    # The release-check API for CI (token-authenticated; see scoring/api.py).
    path("api/connections/<int:pk>/release-check", api.release_check_api, name="api_release_check"),
    path("api/connections/<int:pk>/announce", api.announce_api, name="api_announce"),
    path("account/", change_views.account, name="account"),
]
