"""The models and their migrations agree, checked as an operator's shell would run it."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_manage_py_finds_no_missing_migration_with_production_settings():
    # A fresh process with the real settings module: what loads at start-up there is what is checked.
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env.update(DJANGO_SETTINGS_MODULE="rbb.settings", SECRET_KEY=secrets.token_urlsafe(64), DATABASE_URL="sqlite://:memory:")
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_a_bare_checkout_finds_no_missing_migration_without_a_secret_key():
    # What an operator runs on a fresh clone before configuring anything: no SECRET_KEY, no DEBUG.
    # The settings must load (Django would otherwise skip setup and fail on the app registry).
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env.update(DATABASE_URL="sqlite://:memory:")
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout
