"""
Settings of the development LMS host.

Plugins are loaded the way the Open edX LMS loads them: ``INSTALLED_APPS`` is extended with the
``lms.djangoapp`` plugin apps and, at the very end of this module, each plugin's ``common`` settings are
applied to it. Environment variables:

- ``DEVHOST_DB``: ``sqlite`` (default, file ``DEVHOST_SQLITE_PATH``, default ``var/devhost.sqlite3``) or
  ``mariadb`` (root@127.0.0.1:3306, database ``DEVHOST_DB_NAME``, default ``learner_mgmt``);
- ``DEVHOST_CELERY_EAGER``: run Celery tasks in-process (default ``true``); otherwise they go to
  ``CELERY_BROKER_URL`` (default ``redis://127.0.0.1:6379/0``; ``memory://`` while eager), on the
  queue ``DEVHOST_CELERY_QUEUE`` names for Learner Management (``LEARNER_MGMT_CELERY_QUEUE``; the
  default queue if unset), which the host's web processes and its workers must agree on;
- ``DEVHOST_MFE_ORIGINS``: origins of micro-frontends (the learner dashboard MFE) served apart from the
  host, which may call it with the user's cookies (comma-separated; none by default);
- ``DEVHOST_ENROLLMENT``: how ``devhost.lms.api.bulk_enroll`` enrolls: ``fast`` (default), in a
  bounded number of set-based queries, or ``platform``, one learner at a time with the statements
  the LMS's ``CourseEnrollment.enroll`` and its receivers run (``devhost.lms.platform_enrollment``),
  for benchmarks that should pay the platform's per-learner cost; read at each call;
- ``DEVHOST_DEBUG`` (default ``true``) and ``DEVHOST_SECRET_KEY``.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import rsa
from edx_django_utils.plugins import add_plugins, get_plugin_apps
from jwt.algorithms import RSAAlgorithm


def _env_flag(name, default):
    return os.environ.get(name, str(default)).strip().lower() in ("1", "true", "yes", "on")


BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DEVHOST_SECRET_KEY", "devhost-not-secret-0f3c1a9e7b2d4c58a6e1")
DEBUG = _env_flag("DEVHOST_DEBUG", True)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "user_tasks",
    "devhost.lms",
]
INSTALLED_APPS.extend(get_plugin_apps("lms.djangoapp"))

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # As in the LMS: micro-frontends served from other origins call it with the user's cookies.
    "devhost.lms.mfe_auth.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # As in the LMS: the two JWT cookies of micro-frontends joined again for JwtAuthentication.
    "edx_rest_framework_extensions.auth.jwt.middleware.JwtAuthCookieMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # As in the LMS: filter steps find the requesting user through crum, not in their context.
    "crum.CurrentRequestUserMiddleware",
]

ROOT_URLCONF = "devhost.urls"
WSGI_APPLICATION = "devhost.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if os.environ.get("DEVHOST_DB", "sqlite") == "mariadb":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": os.environ.get("DEVHOST_DB_NAME", "learner_mgmt"),
            "USER": "root",
            "PASSWORD": "",
            "HOST": "127.0.0.1",
            "PORT": "3306",
            "OPTIONS": {"charset": "utf8mb4"},
            "TEST": {"NAME": "test_learner_mgmt", "CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        },
    }
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("DEVHOST_SQLITE_PATH", BASE_DIR / "var" / "devhost.sqlite3"),
        },
    }
# The plugin's views open their own transactions around each action.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# The LMS's default: apps that set no default_auto_field of their own (django-user-tasks) keep the
# primary keys their migrations create.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Files the LMS keeps (user task artifacts, such as the list of rows an import did not take).
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "media/"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Email the platform sends (edx-ace's django_email channel) is kept in the host's outbox.
EMAIL_BACKEND = "devhost.lms.mail.OutboxEmailBackend"
DEFAULT_FROM_EMAIL = "learning@devhost.example"
PLATFORM_NAME = "Development LMS"
LMS_ROOT_URL = os.environ.get("DEVHOST_LMS_ROOT_URL", "http://127.0.0.1:8000")
# edx-ace as the LMS configures it (openedx/core/djangoapps/ace_common/settings/common.py): email
# through Django's email backend, for transactional messages too; no policies of the platform's own.
ACE_ENABLED_CHANNELS = ["django_email"]
ACE_ENABLED_POLICIES = []
ACE_CHANNEL_DEFAULT_EMAIL = "django_email"
ACE_CHANNEL_TRANSACTIONAL_EMAIL = "django_email"
# No monitoring service to report to (the LMS names New Relic's here, which edx-ace reports through).
OPENEDX_TELEMETRY = []

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}

# JWT authentication as the LMS sets up edx-drf-extensions ("Authorization: JWT <token>"): tokens signed
# with an RSA key (RS512) whose public half is the verification key set. The key is made afresh by each
# process: the development host issues no JWTs that must outlive it.
_JWT_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
# What the LMS renames a retired user to (lms/envs/common.py): "<prefix><salted hash of the username>",
# email "<prefix><hash>@<domain>".
RETIRED_USERNAME_PREFIX = "retired__user_"
RETIRED_EMAIL_PREFIX = "retired__user_"
RETIRED_EMAIL_DOMAIN = "retired.invalid"

JWT_ISSUER = "http://localhost:8000/oauth2"
JWT_AUDIENCE = "devhost-lms"
JWT_AUTH = {
    "JWT_ALGORITHM": "HS256",
    "JWT_AUTH_HEADER_PREFIX": "JWT",
    "JWT_DECODE_HANDLER": "edx_rest_framework_extensions.auth.jwt.decoder.jwt_decode_handler",
    "JWT_ISSUER": JWT_ISSUER,
    "JWT_AUDIENCE": JWT_AUDIENCE,
    "JWT_SECRET_KEY": SECRET_KEY,
    "JWT_ISSUERS": [{"ISSUER": JWT_ISSUER, "AUDIENCE": JWT_AUDIENCE, "SECRET_KEY": SECRET_KEY}],
    "JWT_SIGNING_ALGORITHM": "RS512",
    "JWT_PRIVATE_SIGNING_JWK": json.dumps({**RSAAlgorithm.to_jwk(_JWT_KEY, as_dict=True), "alg": "RS512"}),
    "JWT_PUBLIC_SIGNING_JWK_SET": json.dumps(
        {"keys": [{**RSAAlgorithm.to_jwk(_JWT_KEY.public_key(), as_dict=True), "alg": "RS512"}]}
    ),
    "JWT_VERIFY_AUDIENCE": True,
    # The JWT that micro-frontends hold in two cookies (devhost.lms.mfe_auth), as the LMS names them.
    "JWT_AUTH_COOKIE": "edx-jwt-cookie",
    "JWT_AUTH_COOKIE_HEADER_PAYLOAD": "edx-jwt-cookie-header-payload",
    "JWT_AUTH_COOKIE_SIGNATURE": "edx-jwt-cookie-signature",
    "JWT_IN_COOKIE_EXPIRATION": 60 * 60,
}
# Origins of micro-frontends (DEVHOST_MFE_ORIGINS, comma-separated, e.g. http://localhost:1996) that may
# call the LMS with the user's cookies, and that its sign-in page may send the user back to.
CORS_ORIGIN_WHITELIST = [origin for origin in os.environ.get("DEVHOST_MFE_ORIGINS", "").split(",") if origin]
LOGIN_REDIRECT_WHITELIST = [urlsplit(origin).netloc for origin in CORS_ORIGIN_WHITELIST]

CELERY_TASK_ALWAYS_EAGER = _env_flag("DEVHOST_CELERY_EAGER", True)
CELERY_TASK_EAGER_PROPAGATES = True
# Eager tasks still serialize through a broker connection: an in-memory one needs no server.
CELERY_BROKER_URL = os.environ.get(
    "CELERY_BROKER_URL", "memory://" if CELERY_TASK_ALWAYS_EAGER else "redis://127.0.0.1:6379/0"
)
# A worker reserves no task beyond the one it runs: Celery's advice for long tasks that acknowledge late
# (a reserved job lane would wait for its busy worker while others idle), and what the README asks of sites.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# "fast" (set-based) or "platform" (per learner, as CourseEnrollment.enroll): see the module docstring.
DEVHOST_ENROLLMENT = os.environ.get("DEVHOST_ENROLLMENT", "fast")

# The LMS starts with no filter pipelines; plugins add theirs from their own settings.
OPEN_EDX_FILTERS_CONFIG = {}

LEARNER_MGMT_HOST_ADAPTER = "devhost.lms.adapter.DevLmsHost"
LEARNER_MGMT_CELERY_QUEUE = os.environ.get("DEVHOST_CELERY_QUEUE") or None
# A site's choice: progress up to 10% is "Started", above it "XX% Completed" (the default, 0, makes
# any progress meaningful).
LEARNER_MGMT_MEANINGFUL_PROGRESS_THRESHOLD = 10

add_plugins(__name__, "lms.djangoapp", "common")
