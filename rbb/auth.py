"""Sign-in with a limit: after 5 failures for one username from one address, 15 minutes' wait.

Failures are counted in Django's cache under a hash of (username, address); the window starts
at the first failure. While the limit holds, even the right password is refused (HTTP 429),
so guessing cannot go on; a successful sign-in clears the count. The check sits in the
authentication form, so the site's login page and the admin's count the same failures.

With several server processes the cache must be shared (CACHE_URL=redis://…, see settings):
a per-process memory cache would give each process its own five attempts.
"""

from __future__ import annotations

import hashlib

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW = 15 * 60  # seconds
TOO_MANY_ATTEMPTS = "too_many_attempts"
TOO_MANY_ATTEMPTS_MESSAGE = _(
    "Too many failed sign-ins for this username from your address. Wait 15 minutes and try again, "
    "or ask your administrator to reset your password."
)


def client_address(request) -> str:
    """The address the request came from, as the server saw it.

    X-Forwarded-For is not read: anyone can send it. Behind a proxy, have the proxy set
    REMOTE_ADDR (gunicorn --forwarded-allow-ips, or the proxy protocol).
    """
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def _key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.strip().casefold()}\0{address}".encode()).hexdigest()
    return f"rbb:login-failures:{digest}"


def login_failures(*, username: str, address: str) -> int:
    return cache.get(_key(username, address), 0)


def login_blocked(*, username: str, address: str) -> bool:
    return login_failures(username=username, address=address) >= LOGIN_FAILURE_LIMIT


def login_failure_record(*, username: str, address: str) -> int:
    """Count one failure; the first failure opens the 15-minute window."""
    key = _key(username, address)
    cache.add(key, 0, timeout=LOGIN_FAILURE_WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=LOGIN_FAILURE_WINDOW)
        return 1


def login_failures_clear(*, username: str, address: str) -> None:
    cache.delete(_key(username, address))


class RateLimitedAuthenticationMixin:
    """Refuse before checking the password while the limit holds; count wrong passwords."""

    def clean(self):
        username = (self.data.get("username") or "")[:150]
        address = client_address(self.request)
        if login_blocked(username=username, address=address):
            raise ValidationError(TOO_MANY_ATTEMPTS_MESSAGE, code=TOO_MANY_ATTEMPTS)
        try:
            cleaned = super().clean()
        except ValidationError as exc:
            if any(getattr(error, "code", None) == "invalid_login" for error in exc.error_list):
                login_failure_record(username=username, address=address)
            raise
        login_failures_clear(username=username, address=address)
        return cleaned


class LoginForm(RateLimitedAuthenticationMixin, AuthenticationForm):
    pass


class AdminLoginForm(RateLimitedAuthenticationMixin, AdminAuthenticationForm):
    pass


def _refused(form) -> bool:
    return form is not None and form.has_error(NON_FIELD_ERRORS, TOO_MANY_ATTEMPTS)


def _as_429(response):
    response.status_code = 429
    response["Retry-After"] = str(LOGIN_FAILURE_WINDOW)
    return response


class LoginView(auth_views.LoginView):
    """The site's sign-in page; a refused attempt answers 429 with the reason on the form."""

    authentication_form = LoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        return _as_429(response) if _refused(form) else response


def admin_login(request, extra_context=None):
    """The admin's sign-in (admin.site.login with AdminLoginForm); 429 when refused."""
    from django.contrib import admin

    response = admin.site.login(request, extra_context)
    form = (getattr(response, "context_data", None) or {}).get("form")
    return _as_429(response) if request.method == "POST" and _refused(form) else response
