"""Django settings for SLAN. Every deployment choice comes from an environment variable (docs/configuration.md).

Embedded defaults: SQLite and media files in the data folder, a Celery broker in an SQLite file.
At scale: DATABASE_URL (PostgreSQL), KSLARS_BROKER_URL (Redis), KSLARS_MEDIA_STORAGE=s3 (django-storages).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from kslars.web.config import LOCAL_HOSTS, allowed_hosts, data_dir, env_bool, keep_files_private, secret_key

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()
keep_files_private()

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("KSLARS_DEBUG", False)
# The safe shared-installation mode (`kslars serve --shared`): sign-up closed, Secure cookies, named hosts only.
SHARED = env_bool("KSLARS_SHARED", False)
ALLOWED_HOSTS = allowed_hosts(required=SHARED)  # the machine's own names unless KSLARS_ALLOWED_HOSTS names others
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("KSLARS_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
if SHARED and not CSRF_TRUSTED_ORIGINS:  # the HTTPS proxy in front of a shared installation
    CSRF_TRUSTED_ORIGINS = [f"https://{host.lstrip('.')}" for host in ALLOWED_HOSTS if host not in LOCAL_HOSTS]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "kslars.web.accounts",
    "kslars.web.projects",
    "kslars.web.annotation",
    "kslars.web.jobs",
    "kslars.web.processing",
    "kslars.web.learning",
    "ninja",  # Swagger UI for /api/docs from its static files, not from a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kslars.web.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kslars.web.urls"
WSGI_APPLICATION = "kslars.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kslars.web.accounts.context.signup_open",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{DATA_DIR / 'kslars.sqlite3'}")}
is_sqlite = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
# With SQLite (a local file) each server thread keeps its connection instead of opening one per request (an
# annotation edit through the server took 8.9 ms with a new connection, 5.4 ms without); no server or snapshot is
# held between requests, and Django closes a connection that an error or an open transaction left unusable.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("KSLARS_DB_CONN_MAX_AGE", "600" if is_sqlite else "0"))
if is_sqlite:
    # WAL lets the worker write job progress while the web server reads; wait instead of failing on a busy lock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kslars_cache",
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "kslars.web.accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "kslars.web.accounts.validators.MinimumLengthValidator"},
    {"NAME": "kslars.web.accounts.validators.CommonPasswordValidator"},
    {"NAME": "kslars.web.accounts.validators.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "project-list"
LOGOUT_REDIRECT_URL = "login"

KSLARS_SIGNUP = env_bool("KSLARS_SIGNUP", not SHARED)  # false: accounts only through `kslars createuser`
# Failed logins within the window: at most this many per client and username, and per client (accounts/ratelimit.py).
KSLARS_LOGIN_ATTEMPTS = int(os.environ.get("KSLARS_LOGIN_ATTEMPTS", "5"))
KSLARS_LOGIN_ATTEMPTS_PER_CLIENT = int(os.environ.get("KSLARS_LOGIN_ATTEMPTS_PER_CLIENT", "20"))
KSLARS_LOGIN_WINDOW_SECONDS = int(os.environ.get("KSLARS_LOGIN_WINDOW_SECONDS", "300"))
# The header in which a reverse proxy passes the client's address (e.g. X-Forwarded-For); empty: the connection's.
KSLARS_CLIENT_ADDRESS_HEADER = os.environ.get("KSLARS_CLIENT_ADDRESS_HEADER", "")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("kk", _("Kazakh"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]

MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("KSLARS_MEDIA_ROOT") or DATA_DIR / "media")
MEDIA_STORAGE = os.environ.get("KSLARS_MEDIA_STORAGE", "local")  # "local" or "s3"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["KSLARS_S3_BUCKET"],
            "endpoint_url": os.environ.get("KSLARS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("KSLARS_S3_REGION") or None,
            "access_key": os.environ.get("KSLARS_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("KSLARS_S3_SECRET_ACCESS_KEY") or None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Uploads: videos larger than this are refused before they are stored.
KSLARS_MAX_UPLOAD_BYTES = int(float(os.environ.get("KSLARS_MAX_UPLOAD_MB", "2048")) * 1024 * 1024)
# Annotation files (.eaf, .json, .csv, ...) larger than this are refused before they are parsed.
KSLARS_MAX_ANNOTATION_FILE_BYTES = int(float(os.environ.get("KSLARS_MAX_ANNOTATION_FILE_MB", "100")) * 1024 * 1024)
# The reverse dictionary: a file made by `kslars dictionary import`, searched read-only; photos searched with are
# refused above this size; anonymous visitors may search it unless KSLARS_DICTIONARY_PUBLIC is false.
KSLARS_DICTIONARY = Path(os.environ.get("KSLARS_DICTIONARY") or DATA_DIR / "dictionary.json").expanduser()
KSLARS_MAX_PHOTO_BYTES = int(float(os.environ.get("KSLARS_MAX_PHOTO_MB", "10")) * 1024 * 1024)
KSLARS_DICTIONARY_PUBLIC = env_bool("KSLARS_DICTIONARY_PUBLIC", True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = None
FILE_UPLOAD_PERMISSIONS = 0o600  # uploaded videos readable by their owner only (Django's default is 644)

# Background jobs. The embedded default keeps the queue in an SQLite file beside the database.
CELERY_BROKER_URL = os.environ.get("KSLARS_BROKER_URL") or f"sqla+sqlite:///{DATA_DIR / 'broker.sqlite3'}"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env_bool("KSLARS_TASKS_EAGER", False)
# A running job whose worker has given no sign of life for this long is marked failed (its worker was lost).
KSLARS_JOB_STALE_SECONDS = int(os.environ.get("KSLARS_JOB_STALE_SECONDS", "300"))
# Recognition checkpoints (NAME.pt, made by `kslars cslr train`) that "Recognise glosses" offers by name.
KSLARS_RECOGNITION_MODELS = Path(os.environ.get("KSLARS_RECOGNITION_MODELS") or DATA_DIR / "recognition").expanduser()

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the editor's JavaScript reads it to send X-CSRFToken
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("KSLARS_SECURE_COOKIES", SHARED)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KSLARS_LOG_LEVEL", "INFO")},
}
