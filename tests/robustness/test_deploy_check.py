"""`manage.py check --deploy` with production settings finds nothing to warn about.

Production here is the real settings module with what an operator sets: a long random
SECRET_KEY, DEBUG unset, ALLOWED_HOSTS. It runs in a subprocess so the test settings play no part.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# Only what a server's environment would have; the test run's own variables stay out (the
# browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which the check rightly reports).
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH", "DATABASE_URL", "CELERY_BROKER_URL")


def _check(**env) -> subprocess.CompletedProcess:
    clean = {k: os.environ[k] for k in PASSED_THROUGH if k in os.environ}
    clean.update(DJANGO_SETTINGS_MODULE="rbb.settings", **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_the_deployment_checks():
    result = _check(SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="rbb.example.org")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_check_does_fail_on_a_weak_setting():
    """The test above can fail: a short key is reported."""
    result = _check(SECRET_KEY="too-short", ALLOWED_HOSTS="rbb.example.org")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def _setting(name: str, **env) -> str:
    clean = {k: os.environ[k] for k in PASSED_THROUGH if k in os.environ}
    clean.update(DJANGO_SETTINGS_MODULE="rbb.settings", SECRET_KEY=secrets.token_urlsafe(64), **env)
    code = f"import django; from django.conf import settings; django.setup(); print(settings.{name})"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_sessions_are_cached_only_in_a_shared_cache():
    # A per-process cache would keep a logged-out session alive in the other server processes.
    assert _setting("SESSION_ENGINE") == "django.contrib.sessions.backends.db"
    assert _setting("SESSION_ENGINE", CACHE_URL="redis://127.0.0.1:6379/1") == "django.contrib.sessions.backends.cached_db"


def test_the_server_refuses_to_start_without_a_secret_key():
    clean = {k: os.environ[k] for k in PASSED_THROUGH if k in os.environ}
    clean.update(DJANGO_SETTINGS_MODULE="rbb.settings", DATABASE_URL="sqlite://:memory:")
    for module in ("rbb.wsgi", "rbb.asgi"):
        result = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, env=clean,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode != 0
        assert "The SECRET_KEY setting must not be empty." in result.stderr
        started = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT,
                                 env={**clean, "SECRET_KEY": secrets.token_urlsafe(64)},
                                 capture_output=True, text=True, timeout=120)
        assert started.returncode == 0, started.stderr
