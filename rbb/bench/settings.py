"""Settings for the benchmark: production settings (DEBUG off), served over plain HTTP on 127.0.0.1.

The load test's HTTP client talks to gunicorn on the loopback interface without TLS, so the
HTTPS redirect and secure-only cookies are switched off here, and only here. Static files are
not requested by the benchmark, so the manifest storage (which needs collectstatic) is not used.
The secret key comes from BENCH_SECRET_KEY, one value for every gunicorn worker (sessions
signed by one worker must be read by the others).
"""

import os
import secrets

os.environ.setdefault("SECRET_KEY", os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50))
os.environ["DEBUG"] = "0"

from rbb.settings import *  # noqa: E402,F401,F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
