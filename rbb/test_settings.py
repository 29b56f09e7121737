"""Settings for the test suite: the real settings, with a test key and fast password hashing."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")

from .settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
# One media folder per test run, removed at the end: CI runs the suite on PostgreSQL and on
# SQLite at the same time.
MEDIA_ROOT = tempfile.mkdtemp(prefix="rbb-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

# Unit tests run tasks in-process; tests/foundation/test_celery_redis.py sends a real task
# through the configured broker to a real worker.
CELERY_TASK_ALWAYS_EAGER = True
# Exports run inside the test that asks for them; tests/narrative/test_export_thread.py turns the
# background thread of the embedded default on.
EXPORT_JOBS_IN_THREAD = False
