"""Settings for RBB Tracker, read from the environment.

With nothing set the app runs on a SQLite file with Celery tasks run eagerly, so a newcomer
needs nothing else. DATABASE_URL and CELERY_BROKER_URL switch to PostgreSQL and Redis.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# Without DEBUG a missing key stays empty rather than failing here: commands that sign nothing
# (migrate, makemigrations --check, collectstatic) must run on a bare checkout, and Django raises
# "The SECRET_KEY setting must not be empty." on the first use of the key. The web server reads
# it at start-up (rbb/wsgi.py, rbb/asgi.py), so it refuses to start without one.
SECRET_KEY = os.environ.get("SECRET_KEY", "") or ("insecure-development-key-only-used-with-debug" if DEBUG else "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rbb",
    "missions",
    "indicators",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy, Permissions-Policy, no-store on authenticated API answers (rbb.middleware).
    "rbb.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The API's body limit (413 JSON) before anything reads the body; chunked bodies (rbb.middleware).
    "rbb.middleware.ApiRequestBodyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A lost database is a 503 with a message, not a 500 page (rbb.middleware).
    "rbb.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "rbb.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "rbb.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The login rate limit (rbb.auth) counts failures in the cache. Several server processes need a
# shared one (CACHE_URL=redis://127.0.0.1:6379/1); the per-process default suits one process.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# With a shared cache, sessions are read from it (written through to the database): one query
# less on every page. Not with the per-process cache: a logout would not reach other processes.
if CACHE_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "missions:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
# Date formats as the UN prints them, per language (rbb/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["rbb.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Folders holding the fonts the PDF embeds (Noto CJK from Debian's fonts-noto-cjk), colon-separated.
NARRATIVE_FONT_PATHS = [
    path for path in os.environ.get(
        "NARRATIVE_FONT_PATHS", "/usr/share/fonts/opentype/noto:/usr/share/fonts/truetype/noto"
    ).split(":") if path and Path(path).is_dir()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Production is safe by default; DEBUG relaxes it for local work.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "rbb-tracker@localhost")

# Celery: with no broker configured, tasks run in-process so nothing else is needed.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# With no broker, narrative exports run in a background thread of the server process (not inside
# the request), so that their progress shows as it does with a Celery worker.
EXPORT_JOBS_IN_THREAD = env_bool("EXPORT_JOBS_IN_THREAD", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Saves of one report within this many seconds share one readiness check (rbb.tasks). It needs
# the shared cache to know a check is pending, and a worker to run it later; else 0: one each.
READINESS_CHECK_DELAY = float(os.environ.get("READINESS_CHECK_DELAY", "2" if CACHE_URL and CELERY_BROKER_URL else "0"))

REST_FRAMEWORK = {
    # Token first: a request without credentials gets 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "rbb.api.schema.RbbAutoSchema",
    "DEFAULT_PARSER_CLASSES": ["rbb.api.parsers.BoundedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": [
        "rbb.api.filters.StrictFilterBackend",
        "rbb.api.filters.StrictOrderingFilter",
    ],
    "EXCEPTION_HANDLER": "rbb.api_errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RBB Tracker API",
    "DESCRIPTION": "Results-based budgeting: missions, reports, frameworks, actuals, workflow, exports. See docs/api.md.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "COMPONENT_SPLIT_PATCH": False,  # a PATCH still needs `version`: the input serializers say what is optional
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 999999999999999999}},
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "missions.models.Report.Status",
        "UnitKindEnum": "missions.models.Unit.Kind",
        "PeriodKindEnum": "missions.models.BudgetPeriod.Kind",
        "ExportStatusEnum": "rbb.models.ExportJob.Status",
        "FinancialClassKindEnum": "missions.models.FinancialClass.Kind",
        "StaffCategoryKindEnum": "missions.models.StaffCategory.Kind",
    },
    "PREPROCESSING_HOOKS": ["rbb.api.schema.only_versioned_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "rbb.api.schema.add_error_responses",
        "rbb.api.schema.tighten",
    ],
}

# The IATI export's reporting organisation: set the registered identifier before publishing.
IATI_REPORTING_ORG_REF = os.environ.get("IATI_REPORTING_ORG_REF", "XX-RBB-TRACKER")
IATI_REPORTING_ORG_NAME = os.environ.get("IATI_REPORTING_ORG_NAME", "United Nations")

# Demo users' password (manage.py seed_demo).
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_on_one_line": {"()": "rbb.log_filters.ClientErrorsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors_on_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs each layout step at INFO.
    "loggers": {"django.db.backends": {"level": "INFO"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# The headquarters review (rbb.review): its tasks live outside rbb.tasks, so the worker imports
# them by name; beat sends the deadline reminders every morning (each at most once, see
# rbb.review.deadlines). `manage.py send_deadline_reminders` runs the same code.
from celery.schedules import crontab  # noqa: E402

CELERY_IMPORTS = ["rbb.review.tasks"]
CELERY_BEAT_SCHEDULE = {
    "review-deadline-reminders": {
        "task": "rbb.review.tasks.deadline_reminders_send",
        "schedule": crontab(hour=6, minute=0),  # UTC
    },
}
