"""The weekly e-mail's pages: preview (this week as it will go out, past weeks as sent),
"send me a test", the team's e-mail schedule, and the one-click unsubscribe (no login)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from catalog.http import SignedInRequest
from catalog.models import Team
from scoring.digests import local_week, next_send, parse_week, week_bounds
from scoring.mailings import (
    Rendered,
    compose_for_team,
    personalise,
    recipients,
    resubscribe,
    send_test,
    team_schedule,
    unsubscribe,
)
from scoring.models import DigestSend, DigestSettings, DigestSubscription

# What an e-mail shown in the dashboard may load: nothing but its own inline styles.
EMAIL_CSP = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
)


class DigestSettingsForm(forms.ModelForm):
    """A team's weekly e-mail: when (its own time zone) and to which extra addresses."""

    extra_addresses = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "data-team@example.com"}),
        help_text="Besides the members who opted in: one address per line.",
    )

    class Meta:
        model = DigestSettings
        fields = ["enabled", "weekday", "hour", "time_zone"]
        help_texts = {"time_zone": "An IANA name, like Europe/London or America/Los_Angeles."}
        labels = {"enabled": "Send the weekly e-mail", "weekday": "Day", "hour": "At"}
        widgets = {"hour": forms.Select(choices=[(h, f"{h:02d}:00") for h in range(24)])}

    def clean_extra_addresses(self) -> list[str]:
        text = self.cleaned_data.get("extra_addresses") or ""
        addresses = [a.strip() for a in text.replace(",", "\n").splitlines() if a.strip()]
        bad = []
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                bad.append(address)
        if bad:
            raise ValidationError(f"Not e-mail addresses: {', '.join(bad)}")
        return addresses


def _week(request: HttpRequest, default: str) -> str:
    text = request.GET.get("week") or default
    try:
        parse_week(text)
    except ValueError as error:
        raise Http404(str(error)) from None
    return text


def _email(team: Team, week: str) -> tuple[Rendered, DigestSend | None]:
    """The week's e-mail as sent (its row), or, unsent yet, as it would be sent now."""
    row = DigestSend.objects.filter(team=team, week=week).first()
    if row is not None:
        return Rendered(row.subject, row.html, row.text), row
    schedule = team_schedule(team)
    now = timezone.now()
    if week_bounds(schedule, week)[0] > now:
        raise Http404("That week has not begun.")
    rendered, _, _ = compose_for_team(team, week=week, now=now, schedule=schedule)
    return rendered, None


def _shown(team: Team, text: str) -> str:
    # Each recipient's own unsubscribe link goes in at sending; here it leads to settings.
    return personalise(text, reverse("scoring:digest_preview", args=[team.slug]) + "#settings")


@require_GET
def digest_preview(request: SignedInRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(Team, slug=slug)
    schedule = team_schedule(team)
    this_week = local_week(schedule, timezone.now())
    week = _week(request, this_week)
    rendered, row = _email(team, week)
    settings_row = DigestSettings.objects.filter(team=team).first() or DigestSettings(team=team)
    return render(
        request,
        "scoring/digest_preview.html",
        {
            "team": team,
            "week": week,
            "this_week": this_week,
            "send_at": next_send(schedule, timezone.now()),
            "schedule": schedule,
            "rendered": rendered,
            "text": _shown(team, rendered.text),
            "row": row,
            "sends": DigestSend.objects.filter(team=team).defer("html", "text")[:52],
            "recipients": recipients(team),
            "form": DigestSettingsForm(
                instance=settings_row, initial={"extra_addresses": team.digest_recipients}
            ),
            "can_edit": team.can_edit(request.user),
        },
    )


@require_GET
@xframe_options_sameorigin
def digest_html(request: SignedInRequest, slug: str) -> HttpResponse:
    """The HTML part alone, for the preview's sandboxed iframe."""
    team = get_object_or_404(Team, slug=slug)
    week = _week(request, local_week(team_schedule(team), timezone.now()))
    rendered, _ = _email(team, week)
    response = HttpResponse(_shown(team, rendered.html), content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = EMAIL_CSP
    return response


@require_POST
def digest_test(request: SignedInRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(Team, slug=slug)
    team.require_edit(request.user, to="send its e-mail")
    address = request.user.email
    if not address:
        messages.error(request, "Your account has no e-mail address to send the test to.")
    else:
        try:
            send_test(team, address)
        except OSError as error:
            messages.error(request, f"The test e-mail could not be sent: {error}")
        else:
            messages.success(request, f"Sent this week's e-mail to {address}.")
    return redirect("scoring:digest_preview", slug=team.slug)


@require_POST
def digest_settings(request: SignedInRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(Team, slug=slug)
    team.require_edit(request.user, to="change its e-mail")
    instance = DigestSettings.objects.filter(team=team).first() or DigestSettings(team=team)
    form = DigestSettingsForm(request.POST, instance=instance)
    if form.is_valid():
        form.save()
        team.digest_recipients = "\n".join(form.cleaned_data["extra_addresses"])
        team.save(update_fields=["digest_recipients"])
        messages.success(request, "Saved the weekly e-mail's schedule and addresses.")
        return redirect(reverse("scoring:digest_preview", args=[team.slug]) + "#settings")
    messages.error(request, "The e-mail settings were not saved: " + "; ".join(
        f"{field}: {' '.join(errors)}"  # type: ignore[arg-type]
        for field, errors in form.errors.items()
    ))  # fmt: skip
    return redirect(reverse("scoring:digest_preview", args=[team.slug]) + "#settings")


@login_not_required
@csrf_exempt  # mail clients POST here (RFC 8058 one-click); the signed token is the check
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click, no login: the token names one recipient of one team's e-mail."""
    try:
        result = unsubscribe(token)
    except signing.BadSignature:
        return render(request, "scoring/digest_unsubscribed.html", {"invalid": True}, status=400)
    return render(request, "scoring/digest_unsubscribed.html", {"result": result, "token": token})


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def digest_subscriptions(request: SignedInRequest) -> HttpResponse:
    """The account page's setting: which of my teams' weekly e-mails I receive."""
    teams = list(request.user.teams.order_by("name"))
    if request.method == "POST":
        chosen = {int(pk) for pk in request.POST.getlist("team") if pk.isdigit()}
        mine = {team.pk for team in teams}
        with transaction.atomic():
            DigestSubscription.objects.filter(user=request.user).exclude(
                team_id__in=chosen & mine
            ).delete()
            DigestSubscription.objects.bulk_create(
                [DigestSubscription(user=request.user, team_id=pk) for pk in chosen & mine],
                ignore_conflicts=True,
            )
        if not request.htmx:
            messages.success(request, "Saved your weekly e-mail choices.")
            return redirect("account")
    subscribed = set(
        DigestSubscription.objects.filter(user=request.user).values_list("team_id", flat=True)
    )
    context = {
        "rows": [(team, team.pk in subscribed) for team in teams],
        "saved": request.method == "POST",
    }
    if request.htmx:
        return render(request, "scoring/digest_subscriptions.html#optin", context)
    return render(request, "scoring/digest_subscriptions.html", context)


@login_not_required
@require_POST
def digest_resubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe page's undo: the same token brings the recipient back."""
    try:
        result = resubscribe(token)
    except signing.BadSignature:
        return render(request, "scoring/digest_unsubscribed.html", {"invalid": True}, status=400)
    return render(
        request, "scoring/digest_unsubscribed.html", {"result": result, "resubscribed": True}
    )
