"""One settings module, configured only through environment variables (12-factor).

TANDEM_ENV=production switches on the hardened settings that pass `check --deploy`.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(os.environ.get("TANDEM_DATA_DIR", PROJECT_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)

TANDEM_ENV = os.environ.get("TANDEM_ENV", "development")
PRODUCTION = TANDEM_ENV == "production"


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set when TANDEM_ENV=production")
    SECRET_KEY = "dev-only-insecure-key-" + "x" * 40
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "huey.contrib.djhuey",
    "tandem.core",
    "tandem.accounts",
    "tandem.audit",
    "tandem.notifications",
    "tandem.records",
    "tandem.calendars",
    "tandem.comments",
    "tandem.printing",
    "tandem.approvals",
    "tandem.crm",
    "tandem.projects",
    "tandem.feedback",
    "tandem.resources",
    "tandem.finance",
    "tandem.integrations",
    "tandem.automation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tandem.core.middleware.RequestContextMiddleware",
    "tandem.core.middleware.NulQueryGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tandem.accounts.middleware.SessionLifetimeMiddleware",
    "tandem.accounts.middleware.TenantMiddleware",
    "tandem.accounts.middleware.PasswordExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tandem.core.middleware.ContentSecurityPolicyMiddleware",
    "tandem.core.middleware.ApplicationErrorMiddleware",
    "tandem.core.middleware.AtomicApiWritesMiddleware",
]

ROOT_URLCONF = "tandem.urls"
WSGI_APPLICATION = "tandem.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],  # every template lives in its app (the shell in core)
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tandem.core.context_processors.shell",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
# SQLite is the embedded default: WAL journal, a busy timeout and IMMEDIATE transactions so
# concurrent writers wait for each other instead of failing with "database is locked".
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "tandem.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            },
        }
    }
# Not every request in a transaction (on SQLite each would take the write lock): API writes are, in
# AtomicApiWritesMiddleware, so a server error rolls them back.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, queue -----------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": os.environ.get("HUEY_NAME", "tandem"),
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "utc": False,  # periodic tasks (crontab) run on TIME_ZONE's clock, not UTC
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "tandem",
        "filename": str(Path(os.environ.get("HUEY_SQLITE_PATH", DATA_DIR / "huey.sqlite3"))),
        "immediate": HUEY_IMMEDIATE,
        "utc": False,  # periodic tasks (crontab) run on TIME_ZONE's clock, not UTC
        "consumer": {"workers": 2, "worker_type": "thread"},
    }

# --- auth and security ------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [{"NAME": "tandem.accounts.passwords.TenantPolicyValidator"}]
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]

TANDEM_LOCKOUT_FAILURES = int(os.environ.get("TANDEM_LOCKOUT_FAILURES", 5))
TANDEM_LOCKOUT_WINDOW = timedelta(minutes=int(os.environ.get("TANDEM_LOCKOUT_WINDOW_MINUTES", 15)))
TANDEM_LOCKOUT_DURATION = timedelta(minutes=int(os.environ.get("TANDEM_LOCKOUT_MINUTES", 30)))
TANDEM_SESSION_IDLE = timedelta(minutes=int(os.environ.get("TANDEM_SESSION_IDLE_MINUTES", 30)))
TANDEM_SESSION_ABSOLUTE = timedelta(hours=int(os.environ.get("TANDEM_SESSION_ABSOLUTE_HOURS", 12)))
TANDEM_RECYCLE_BIN_DAYS = int(os.environ.get("TANDEM_RECYCLE_BIN_DAYS", 30))
TANDEM_ATTACHMENT_MAX_BYTES = int(os.environ.get("TANDEM_ATTACHMENT_MAX_MB", 25)) * 1024 * 1024
TANDEM_IMPORT_MAX_BYTES = int(os.environ.get("TANDEM_IMPORT_MAX_MB", 50)) * 1024 * 1024
TANDEM_IMPORT_MAX_ROWS = int(os.environ.get("TANDEM_IMPORT_MAX_ROWS", 200_000))

SESSION_COOKIE_AGE = int(TANDEM_SESSION_IDLE.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSP_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-eval'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

if PRODUCTION:
    DEBUG = False
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- i18n -------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static, media ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]  # the front-end libraries `make assets` copies into static/vendor/
MEDIA_ROOT = Path(os.environ.get("TANDEM_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- email ------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 30))
# The address people open Tandem at; links in emails and IM messages start with it.
TANDEM_BASE_URL = os.environ.get("TANDEM_BASE_URL", "http://127.0.0.1:8000")
# Outbound webhooks and IM robots refuse private, loopback and link-local addresses unless this is on
# (on-premise installs whose receivers live on the local network).
TANDEM_WEBHOOK_ALLOW_PRIVATE = env_bool("TANDEM_WEBHOOK_ALLOW_PRIVATE", False)
# IM robot addresses must be on the vendor's host (oapi.dingtalk.com, …) unless this is on.
TANDEM_ROBOT_ALLOW_ANY_HOST = env_bool("TANDEM_ROBOT_ALLOW_ANY_HOST", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tandem@localhost")

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tandem.accounts.api.authentication.BearerTokenAuthentication",
        "tandem.accounts.api.authentication.TenantSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tandem.core.api.permissions.TenantPermission"],
    "DEFAULT_PARSER_CLASSES": [
        "tandem.core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "tandem.core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "tandem.core.api.filters.StrictFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tandem.core.api.errors.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tandem API",
    "DESCRIPTION": "CRM and project delivery in one product. Authenticate with `Authorization: Bearer <token>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and Swagger UI are for signed-in members (session or token), like the rest of /api/.
    "SERVE_PERMISSIONS": ["tandem.core.api.permissions.TenantPermission"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Field names such as `kind` and `source` carry different choice sets in different objects.
    "ENUM_NAME_OVERRIDES": {
        "TaskKindEnum": "tandem.projects.choices.TaskKind",
        "ApprovalStatusEnum": "tandem.approvals.choices.ApprovalStatus",
        "ApprovalTaskStatusEnum": "tandem.approvals.choices.TaskStatus",
        "ApprovalTaskKindEnum": "tandem.approvals.choices.TaskKind",
        "ApprovalStepActionEnum": "tandem.approvals.choices.StepAction",
        "ApprovalAddPositionEnum": "tandem.approvals.choices.AddPosition",
        "DelayWarningKindEnum": "tandem.projects.choices.WarningKind",
        "CalendarExceptionSourceEnum": "tandem.calendars.choices.ExceptionSource",
        "ProjectTemplateSourceEnum": "tandem.projects.choices.TemplateSource",
        "ActivityKindEnum": "tandem.crm.choices.ActivityKind",
        "LeadSourceEnum": "tandem.crm.choices.LeadSource",
        "LeadStatusEnum": "tandem.crm.choices.LeadStatus",
        "DealStatusEnum": "tandem.crm.choices.DealStatus",
        "ContractStatusEnum": "tandem.crm.choices.ContractStatus",
        "ProjectStatusEnum": "tandem.projects.choices.ProjectStatus",
        "RegionEnum": "tandem.crm.choices.Region",
        "SalesTargetLevelEnum": "tandem.crm.choices.TargetLevel",
        "ShareLevelEnum": "tandem.core.models.RecordShare.Level",
        "ImportRowDecisionEnum": "tandem.integrations.choices.RowDecision",
        "ChannelKindEnum": "tandem.automation.models.ChannelKind",
        "RunStatusEnum": "tandem.automation.models.RunStatus",
        "ActionRunStatusEnum": "tandem.automation.models.ActionStatus",
        "TriggerTypeEnum": "tandem.automation.models.TriggerType",
        "LanguageEnum": "tandem.feedback.choices.SurveyLanguage",
        "SurveyStatusEnum": "tandem.feedback.choices.SurveyStatus",
        "RecoveryStatusEnum": "tandem.feedback.choices.RecoveryStatus",
        "SurveyChannelEnum": "tandem.feedback.choices.SurveyChannel",
        "NpsCategoryEnum": "tandem.feedback.choices.NpsCategory",
        "ServiceRequestStatusEnum": "tandem.feedback.choices.RequestStatus",
        "ConflictStatusEnum": "tandem.resources.choices.ConflictStatus",
        "ServiceRequestChannelEnum": "tandem.feedback.choices.RequestChannel",
        "ServiceRequestCategoryEnum": "tandem.feedback.choices.RequestCategory",
        "ServiceRequestPriorityEnum": "tandem.feedback.choices.RequestPriority",
        "BatchStatusEnum": "tandem.feedback.choices.BatchStatus",
        "ResourceKindEnum": "tandem.resources.choices.ResourceKind",
        "LeaveKindEnum": "tandem.resources.choices.LeaveKind",
        "ChangeOrderKindEnum": "tandem.finance.choices.ChangeOrderKind",
        "ChangeOrderStatusEnum": "tandem.finance.choices.ChangeOrderStatus",
        "CommitmentKindEnum": "tandem.finance.choices.CommitmentKind",
        "CommitmentStatusEnum": "tandem.finance.choices.CommitmentStatus",
        "CostKindEnum": "tandem.finance.choices.CostKind",
        "CostAlertKindEnum": "tandem.finance.choices.CostAlertKind",
        "BudgetStatusEnum": "tandem.finance.choices.BudgetStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
