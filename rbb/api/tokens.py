"""The page where a signed-in person creates or revokes their own API token.

A token acts with its owner's roles and nothing more. The key is shown once, right after it
is created; afterwards the page only says that a token exists and since when. Revoking
deletes it at once; creating a new one replaces the old (one token per user,
rest_framework.authtoken). `manage.py drf_create_token USER` does the same from a shell.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_manage(request: HttpRequest) -> HttpResponse:
    token = Token.objects.filter(user=request.user).first()
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            if token is not None:
                token.delete()
            token = Token.objects.create(user=request.user)
            new_key = token.key
            messages.success(request, _("Your new API token is shown below. Copy it now: it will not be shown again."))
        elif action == "revoke" and token is not None:
            token.delete()
            token = None
            messages.success(request, _("Your API token was revoked. Programs using it can no longer sign in."))
        else:
            return redirect(reverse("api:token"))
    context = {
        "token": token,
        "new_key": new_key,
        "schema_url": reverse("api:schema"),
        "docs_url": reverse("api:docs"),
        "api_root": request.build_absolute_uri("/api/v1/"),
    }
    return render(request, "rbb/api/token.html", context)
