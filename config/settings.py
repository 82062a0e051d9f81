"""PoC Hub settings: one file, configured from the environment (12-factor).

Every value below can be set from an environment variable; the defaults are those of the
embedded demo (SQLite, tasks run in-process). See README.md, "Configuration".
"""
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The test suite runs with these settings as adjusted by config/settings_test.py (plain HTTP, a test key).

# A development-only key: used solely when DEBUG is on and SECRET_KEY is not set.
_DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "guardian",
    "django_celery_beat",
    "poc",
    "review",
    "funding",
    "transfer",
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
]

ROOT_URLCONF = "config.urls"

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
                "poc.context_processors.roles",
                "poc.context_processors.notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Wait for a concurrent writer instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
    # user.has_perm(perm, obj) and templates' perms answered from the access policy (poc/access/).
    "poc.access.backend.PolicyBackend",
]
ANONYMOUS_USER_NAME = None  # no guardian anonymous user: anonymous visitors hold no object permission
GUARDIAN_RAISE_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Attachments: private, never under a public URL; served by permission-checked views.
    # Swap for an S3-compatible backend (django-storages) when several web servers share files.
    "default": {
        "BACKEND": env.str("FILE_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {"location": str(env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media"))}
        if env.str("FILE_STORAGE_BACKEND", default="").strip() in ("", "django.core.files.storage.FileSystemStorage")
        else {},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env.bool("STATIC_MANIFEST", default=True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
WHITENOISE_USE_FINDERS = DEBUG
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security: strict when DEBUG is off (see `.ci/run`, which runs `check --deploy`).
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SILENCED_SYSTEM_CHECKS = [
    # security.W021 (HSTS preload): submitting the bureau's domain to the browsers' preload list is a
    # decision for the domain's owner, binding every subdomain for years; set SECURE_HSTS_PRELOAD=true
    # once it is taken. HSTS itself is on (one year, subdomains included) whenever DEBUG is off.
    "security.W021",
]
X_FRAME_OPTIONS = "DENY"

# Email: console in the demo, SMTP in production (EMAIL_URL=smtp://user:pass@host:587).
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="PoC Hub <no-reply@pochub.local>")

# Celery: no broker configured → tasks run in-process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None) or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Periodic jobs (synced into django-celery-beat's tables by the beat process; editable in the admin).
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "expire-centers-nightly": {"task": "poc.tasks.expire_centers", "schedule": crontab(hour=1, minute=5)},
    "lapse-conversions-nightly": {"task": "funding.tasks.lapse_conversions", "schedule": crontab(hour=1, minute=15)},
    # Notifications (poc.notifications): the outbox drain, and deadline reminders (each fires once per kind,
    # subject and due date, so a re-run or a missed day never repeats one).
    "drain-outbox-every-minute": {"task": "poc.tasks.drain_outbox", "schedule": crontab(minute="*")},
    "remind-reviews-daily": {"task": "poc.tasks.send_reminders", "args": ("reviews",),
                             "schedule": crontab(hour=8, minute=0)},
    "remind-public-notices-daily": {"task": "poc.tasks.send_reminders", "args": ("public_notices",),
                                    "schedule": crontab(hour=8, minute=5)},
    "remind-milestones-daily": {"task": "poc.tasks.send_reminders", "args": ("milestones",),
                                "schedule": crontab(hour=8, minute=10)},
    "remind-obligations-daily": {"task": "poc.tasks.send_reminders", "args": ("obligations",),
                                 "schedule": crontab(hour=8, minute=15)},
    "remind-evaluation-window-january": {"task": "poc.tasks.send_reminders", "args": ("evaluation_window",),
                                         "schedule": crontab(hour=8, minute=20, month_of_year=1)},
    "remind-trials-ending-daily": {"task": "transfer.tasks.remind_trials_ending", "schedule": crontab(hour=8, minute=30)},
    "remind-center-validity-daily": {"task": "poc.tasks.send_reminders", "args": ("center_validity",),
                                     "schedule": crontab(hour=8, minute=25)},
}

REST_FRAMEWORK = {
    # Token first: an anonymous request then gets 401 with `WWW-Authenticate: Token` (not a bare 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["poc.access.api.PolicyPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "poc.api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    # Token requests per client address (the login page has Django's own protections).
    "DEFAULT_THROTTLE_RATES": {"auth": env.str("API_AUTH_RATE", default="20/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PoC Hub API",
    "DESCRIPTION": "Proof-of-concept and pilot-scale applications, expert review and 投拨结合 funding.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Offline: no call to the public online validator (validator.swagger.io).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set used by several fields (e.g. `type` and `eligible_institution_types`).
    "ENUM_NAME_OVERRIDES": {
        "InstitutionTypeEnum": "poc.models.institutions.InstitutionType",
        "AttachmentTypeEnum": "poc.models.calls.AttachmentType",
        "ApplicationStateEnum": "poc.models.applications.ApplicationState",
        "AssignmentStateEnum": "review.models.AssignmentState",
        "ReviewStateEnum": "review.models.ReviewState",
        "AggregateEnum": "review.models.Aggregate",
        "ApplicationKindEnum": "poc.models.calls.ApplicationKind",
        "CenterStateEnum": "poc.models.centers.CenterState",
        "EvaluationStateEnum": "poc.models.centers.EvaluationState",
        "ProjectStateEnum": "poc.models.projects.ProjectState",
        "ChangeRequestKindEnum": "poc.models.projects.ChangeRequest.Kind",
        "ChangeRequestStateEnum": ["pending", "approved", "rejected"],
        "ExitKindEnum": "funding.models.investments.ExitKind",
        "TranchePartEnum": "funding.models.investments.TranchePart",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Domain defaults (configurable per call where the domain brief says so).
POCHUB = {
    "REVISION_DAYS": env.int("POCHUB_REVISION_DAYS", default=10),
}

# The public address of the site, printed in documents' verification links and QR codes.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
