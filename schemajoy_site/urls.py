from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from catalog.views import changes as change_views
from scoring import views as scoring_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("scores/", include("scoring.urls")),
    path("", scoring_views.overview, name="overview"),
    path("", include("catalog.urls")),
    path("account/", change_views.account, name="account"),
]
