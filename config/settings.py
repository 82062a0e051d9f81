"""PoC Hub settings: one file, configured from the environment (12-factor).

Every value below can be set from an environment variable; the defaults are those of the
embedded demo (SQLite, tasks run in-process). See README.md, "Configuration".
"""
from datetime import timedelta
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
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "poc",
    "review",
    "funding",
    "accounts",
    "transfer",
]

MIDDLEWARE = [
    "config.request_ids.RequestIdMiddleware",  # first: every log line of the request carries its id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.path_ids.PathIdMiddleware",  # an integer in the URL beyond the database's range: 400 (API), 404 (pages)
    "poc.uploads.ClientFileNamesMiddleware",  # before the CSRF check reads POST: uploads keep the name sent
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.second_factor.SecondFactorMiddleware",  # officers, fund managers, superusers: TOTP after the password
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into the lockout answer
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
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A database that does not answer costs a request DB_CONNECT_TIMEOUT seconds (then a 503), not a hang;
    # a statement running past DB_STATEMENT_TIMEOUT milliseconds is cancelled by the server. README, "Production".
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "connect_timeout": env.int("DB_CONNECT_TIMEOUT", default=3),
        "options": f"-c statement_timeout={env.int('DB_STATEMENT_TIMEOUT', default=30000)}"
                   f" -c idle_in_transaction_session_timeout={env.int('DB_IDLE_IN_TRANSACTION_TIMEOUT', default=60000)}",
    })
    # Keep a worker's connection (checked before reuse); behind pgbouncer: CONN_MAX_AGE=0, DISABLE_SERVER_SIDE_CURSORS=1.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DISABLE_SERVER_SIDE_CURSORS", default=False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds rate-limit counters and the worker's heartbeat: with several web processes it must be shared
# (CACHE_URL=redis://127.0.0.1:6379/1 in production); the embedded default is per process.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    CACHES["default"].setdefault("OPTIONS", {}).update({"socket_timeout": 0.5, "socket_connect_timeout": 0.5})

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address (accounts/lockout.py)
    "django.contrib.auth.backends.ModelBackend",
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
# Login lockout (django-axes, accounts/lockout.py): LOGIN_FAILURE_LIMIT failed sign-ins for one account, or
# from one address, lock it for LOGIN_LOCKOUT_MINUTES; officers unlock early at /accounts/lockouts/. The page
# login and the API's token endpoint both count (the token endpoint is also rate-limited: API_AUTH_RATE).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: per account, and per address
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_VERBOSE = False
# Second factor (TOTP, django-otp; accounts/second_factor.py): required for officers, fund managers and
# superusers, optional for applicants and experts. On by default and in production (a deploy check warns when
# it is off with DEBUG off); only the embedded demo (`make demo`) turns it off so the README's passwords work.
REQUIRE_SECOND_FACTOR = env.bool("REQUIRE_SECOND_FACTOR", default=True)
OTP_TOTP_ISSUER = "PoC Hub"
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
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
# The load balancer's probe may speak plain HTTP inside the network (config/health.py).
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SILENCED_SYSTEM_CHECKS = [
    # security.W021 (HSTS preload): submitting the bureau's domain to the browsers' preload list is a
    # decision for the domain's owner, binding every subdomain for years; set SECURE_HSTS_PRELOAD=true
    # once it is taken. HSTS itself is on (one year, subdomains included) whenever DEBUG is off.
    "security.W021",
    # guardian.W001 (its backend is not hooked): on purpose. The access policy (poc/access/) decides from
    # the domain's rows and answers has_perm through poc.access.backend.PolicyBackend; guardian stays
    # installed only for the tables existing databases already have.
    "guardian.W001",
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
# Set-password links (accounts/links.py): a password reset link lives 2 hours, an invitation 14 days; a link
# stops working once used. Reset requests per client address and per email address.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=2 * 3600)
INVITATION_TIMEOUT = env.int("INVITATION_TIMEOUT", default=14 * 86400)
PASSWORD_RESET_RATE = env.str("PASSWORD_RESET_RATE", default="5/hour")

# Celery: no broker configured → tasks run in-process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None) or None
if CELERY_RESULT_BACKEND and CELERY_RESULT_BACKEND.startswith(("redis://", "rediss://")):
    # The same Redis backend, except that publishing a task never subscribes to its result (config/celery.py):
    # a web request never waits on the result store.
    CELERY_RESULT_BACKEND = f"config.celery:PublishOnlyRedisBackend+{CELERY_RESULT_BACKEND}"
# Tasks store no result unless they say so (ignore_result=False): nothing reads most of them.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = env.int("CELERY_RESULT_EXPIRES", default=24 * 3600)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Timeouts (README, "Production"): a hung or absent Redis costs a request at most PUBLISH_TIMEOUT seconds per
# publish, and the worker notices a dead connection instead of waiting forever.
# The longest task: killed after CELERY_TASK_TIME_LIMIT seconds; the longest retry countdown is 600 s.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=5.0)  # the worker's and beat's commands
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=2.0)
# Seconds before Redis hands an unacknowledged task (its worker died) to another worker. It must exceed the
# longest a worker may hold a message: a task's run (CELERY_TASK_TIME_LIMIT) after a retry's countdown (up to
# 600 s); 30 minutes by default. Background jobs whose worker died are found sooner by their heartbeat.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=1800)
_REDIS_OPTIONS = {
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    # A timed-out write may have reached Redis: never replay it blindly (the outbox retries, idempotently).
    "retry_on_timeout": False,
    "socket_keepalive": True,
    "health_check_interval": 25,
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **_REDIS_OPTIONS, "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # How often a worker sweeps for messages whose worker died, and how long one sweep's lock lives: kombu's
    # defaults (10 s, 300 s) unless set; the fault tests shorten them with a 5 s visibility timeout.
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_mutex_expire": env.int("CELERY_UNACKED_MUTEX_EXPIRE", default=300),
}
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT  # the result backend
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_REDIS_RETRY_ON_TIMEOUT = False
CELERY_REDIS_SOCKET_KEEPALIVE = True
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Celery's default is 20 retries a second apart; a worker storing a result tries a few times, then gives up.
    "retry_policy": {"max_retries": 3, "interval_start": 0, "interval_step": 0.5, "interval_max": 1},
}
# A web request publishing through the outbox (poc/notifications/outbox.py): one try, short timeouts; the
# every-minute drain publishes what failed. Bounds a publish to about 2 x PUBLISH_TIMEOUT.
OUTBOX_PUBLISH_TIMEOUT = env.float("OUTBOX_PUBLISH_TIMEOUT", default=0.5)
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
    "housekeeping-nightly": {"task": "poc.tasks.housekeeping", "schedule": crontab(hour=3, minute=30)},
    "recover-stale-jobs": {"task": "poc.tasks.recover_stale_jobs", "schedule": crontab(minute="*/2")},
    # The worker's sign of life, read by /health/ (through the shared cache).
    "worker-heartbeat": {"task": "poc.tasks.heartbeat", "schedule": 30.0},
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

# Background jobs (poc/jobs.py): a running job with no heartbeat for JOB_STALE_AFTER seconds lost its worker;
# it is re-queued until it has run JOB_MAX_ATTEMPTS times, then failed with a message its owner sees.
JOB_STALE_AFTER = env.int("JOB_STALE_AFTER", default=300)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=2)
# Exports (poc/exports/): up to this many rows a download is served at once; a larger one runs as a job.
EXPORT_INLINE_ROWS = env.int("EXPORT_INLINE_ROWS", default=2000)

REST_FRAMEWORK = {
    # Token first: an anonymous request then gets 401 with `WWW-Authenticate: Token` (not a bare 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["poc.access.api.PolicyPermission"],
    "DEFAULT_FILTER_BACKENDS": ["poc.api.filters.BoundedFilterBackend"],  # numbers and dates bounded: 400, never 500
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
        "InstitutionTypeEnum": "poc.institutions.models.InstitutionType",
        "AttachmentTypeEnum": "poc.applications.calls.AttachmentType",
        "ApplicationStateEnum": "poc.applications.models.ApplicationState",
        "AssignmentStateEnum": "review.models.AssignmentState",
        "ReviewStateEnum": "review.models.ReviewState",
        "AggregateEnum": "review.models.Aggregate",
        "ApplicationKindEnum": "poc.applications.calls.ApplicationKind",
        "CenterStateEnum": "poc.centers.models.CenterState",
        "EvaluationStateEnum": "poc.centers.models.EvaluationState",
        "ProjectStateEnum": "poc.projects.models.ProjectState",
        "ChangeRequestKindEnum": "poc.projects.models.ChangeRequest.Kind",
        "ChangeRequestStateEnum": ["pending", "approved", "rejected"],
        "ExitKindEnum": "funding.models.investments.ExitKind",
        "TranchePartEnum": "funding.models.investments.TranchePart",
        "PartyKindEnum": "funding.models.obligations.PartyKind",
    },
}

# Logs: one line per event on stderr with the request's id (X-Request-ID, config/request_ids.py); JSON objects
# when LOG_FORMAT=json (the default with DEBUG off), plain text otherwise. The worker logs the same way.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_ids.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.request_ids.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": env.str("LOG_FORMAT", default="text" if DEBUG else "json")}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker keeps the format above

# Domain defaults (configurable per call where the domain brief says so).
POCHUB = {
    "REVISION_DAYS": env.int("POCHUB_REVISION_DAYS", default=10),
}

# Retention (poc/housekeeping.py, nightly): days before stored notifications, finished background jobs with
# their files, and published outbox rows are deleted; expired sessions go too. The audit trail is never deleted.
RETENTION = {
    "NOTIFICATIONS_DAYS": env.int("RETENTION_NOTIFICATIONS_DAYS", default=730),
    "JOB_FILES_DAYS": env.int("RETENTION_JOB_FILES_DAYS", default=14),
    "OUTBOX_SENT_DAYS": env.int("RETENTION_OUTBOX_SENT_DAYS", default=30),
}

# Document verification (/verify/<code>/, public): requests per client address.
VERIFY_RATE = env.str("VERIFY_RATE", default="30/minute")

# The public address of the site, printed in documents' verification links and QR codes.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
