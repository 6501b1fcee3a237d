"""Django settings for fazhi, read from the environment (see README, 配置)."""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from fazhi.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
DEBUG = env_bool("FAZHI_DEBUG", False)
DATA_DIR = Path(env_str("FAZHI_DATA_DIR") or Path.cwd() / "data").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = env_str("FAZHI_SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "FAZHI_SECRET_KEY (or FAZHI_SECRET_KEY_FILE) must be set outside debug"
        )
    # Debug on one machine only: keep a generated key in the data folder so sessions
    # survive restarts. Several nodes must share one key, given to each of them.
    return _generated_key("secret_key")


def _generated_key(name: str) -> str:
    """Return the key kept in the data folder's file ``name``, made on first use.

    Only for the embedded single-machine default (SQLite, local files): nodes of a
    cluster each generating their own key would refuse each other's sessions and
    chain events, so there the key must come from the environment or a file.
    """
    if _clustered():
        raise ImproperlyConfigured(
            f"FAZHI_{name.upper()} (or FAZHI_{name.upper()}_FILE) must be set when "
            "several nodes share the database or object storage")
    key_file = DATA_DIR / name
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def _clustered() -> bool:
    """Whether this node may share its state with others: a server database or S3."""
    url = env_str("DATABASE_URL") or ""
    return bool(url and not url.startswith("sqlite")) or bool(
        env_str("FAZHI_S3_BUCKET"))


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list(
    "FAZHI_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if not DEBUG else ["*"]
)
CSRF_TRUSTED_ORIGINS = env_list("FAZHI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "fazhi.core",
    "fazhi.deadlines",
    "fazhi.disclosure",
    "fazhi.enforcement",
    "fazhi.permits",
    "fazhi.disputes",
    "fazhi.monitoring",
    "fazhi.learning",
    "fazhi.reports",
    "fazhi.province",
    "fazhi.work",
    "leaflet",
    "fazhi.web",
]

MIDDLEWARE = [
    "fazhi.web.ops.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "fazhi.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fazhi.web.middleware.SessionRenewMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fazhi.deadlines.calendars.CalendarMemoMiddleware",
    "fazhi.web.middleware.RuleFilesOncePerRequestMiddleware",
]

ROOT_URLCONF = "fazhi.urls"
WSGI_APPLICATION = "fazhi.wsgi.application"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["fazhi.core.auth.LockoutBackend"]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"

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
                "fazhi.web.context.navigation",
            ],
            # Figures read the same on every page: {{ x|yuan }}, {{ x|percent }}.
            "builtins": ["fazhi.core.templatetags.figures"],
        },
    }
]


def _database() -> dict:
    url = env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'fazhi.sqlite3'}"
    try:
        db = dj_database_url.parse(url, conn_max_age=60)
    except Exception as exc:  # noqa: BLE001  (dj_database_url raises several types)
        raise ImproperlyConfigured(f"DATABASE_URL is not usable: {exc}") from None
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db["CONN_MAX_AGE"] = 0
        db["OPTIONS"] = {
            # WAL lets readers go on while one writer commits; IMMEDIATE takes the
            # write lock at BEGIN so two writers queue instead of deadlocking.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
        db["TEST"] = {"NAME": str(DATA_DIR / "test_fazhi.sqlite3")}
    elif db["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
            "FAZHI_PG_JIT", False):
        # PostgreSQL's JIT compiles a query it expects to be costly: seconds spent
        # compiling the few-millisecond counts of 我的待办 (bench/bench_todo.py).
        options = db.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # empty unless collectstatic ran; WhiteNoise wants it
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EVIDENCE_ROOT = DATA_DIR / "evidence"
EVIDENCE_MAX_BYTES = env_int("FAZHI_EVIDENCE_MAX_MB", 512, minimum=1) * 1024 * 1024

# Object storage (S3-compatible, e.g. MinIO) for several nodes: one bucket holds the
# evidence, the monitoring files (uploads, delivered originals, layer indexes) and the
# audit anchor, each under its own prefix. Unset (the embedded default): local files.
S3 = {
    "bucket": env_str("FAZHI_S3_BUCKET") or "",
    "endpoint_url": env_str("FAZHI_S3_ENDPOINT"),
    "access_key": env_str("FAZHI_S3_ACCESS_KEY"),
    "secret_key": env_str("FAZHI_S3_SECRET_KEY"),
    "region_name": env_str("FAZHI_S3_REGION"),
}


def _s3_storage(location: str, *, bucket: str = "", prefix: str = "S3") -> dict:
    """django-storages' S3 backend on the shared bucket (or a bucket of its own)."""
    def get(key: str, name: str) -> str | None:
        return env_str(f"FAZHI_{prefix}_{name}") if prefix != "S3" else S3[key]

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket or S3["bucket"],
            "location": location,
            "endpoint_url": get("endpoint_url", "ENDPOINT") or S3["endpoint_url"],
            "access_key": get("access_key", "ACCESS_KEY") or S3["access_key"],
            "secret_key": get("secret_key", "SECRET_KEY") or S3["secret_key"],
            "region_name": S3["region_name"],
            "file_overwrite": False,
        },
    }


def _local_storage(location: Path) -> dict:
    # Made here, once, so that /healthz only looks: a store that goes missing later
    # (an unmounted volume) is reported, not silently made again on the root disk.
    location.mkdir(parents=True, exist_ok=True)
    return {"BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)}}


# A bucket of the evidence's own (FAZHI_EVIDENCE_S3_*, the older setting) keeps its
# blobs at the bucket's root, as before.
_evidence_bucket = env_str("FAZHI_EVIDENCE_S3_BUCKET")
STORAGES = {
    "default": _local_storage(DATA_DIR / "media"),
    "evidence": (
        _s3_storage("", bucket=_evidence_bucket, prefix="EVIDENCE_S3")
        if _evidence_bucket
        else _s3_storage("evidence") if S3["bucket"] else _local_storage(EVIDENCE_ROOT)
    ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if S3["bucket"]:
    # Without it, the monitoring files stay under MONITORING_ROOT (fazhi.monitoring.files).
    STORAGES["monitoring"] = _s3_storage("monitoring")

# Audit chain: hash function, and the key and the anchor kept outside the database.
AUDIT_HASH = env_choice("FAZHI_AUDIT_HASH", "sha256", {"sha256", "sm3"})


def _audit_key() -> str:
    # The chain's key must never sit in the database it protects: whoever can write
    # the database could otherwise forge events that verify. It is not derived from
    # the secret key, which an operator may rotate; the chain must verify for years.
    key = env_str("FAZHI_AUDIT_KEY")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("FAZHI_AUDIT_KEY must be at least 32 characters")
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "FAZHI_AUDIT_KEY (or FAZHI_AUDIT_KEY_FILE) must be set outside debug"
        )
    return _generated_key("audit_key")


AUDIT_KEY = _audit_key()  # never print it: pages and logs hide names with KEY
# Where the chain's head is anchored: a file (one machine), or ``s3://bucket/prefix``
# for several nodes (fazhi.core.anchor), written once per head with object lock when
# the bucket has it: AUDIT_ANCHOR_RETAIN_DAYS of COMPLIANCE retention, 0 for none.
_anchor = env_str("FAZHI_AUDIT_ANCHOR") or (
    f"s3://{S3['bucket']}/audit-anchor" if S3["bucket"] else "")
AUDIT_ANCHOR_URL = _anchor if _anchor.startswith("s3://") else ""
AUDIT_ANCHOR_FILE = Path(
    (not AUDIT_ANCHOR_URL and _anchor)
    or DATA_DIR.with_name(DATA_DIR.name + ".audit-anchor.json")
)
AUDIT_ANCHOR_RETAIN_DAYS = env_int("FAZHI_AUDIT_ANCHOR_RETAIN_DAYS", 0)

# A bureau's own rule folders: each holds one subfolder per module (deadlines/,
# disclosure/, …) whose files override the shipped ones entry by entry.
RULES_DIRS = [Path(p) for p in env_list("FAZHI_RULES_DIRS", [])]
# The documents the bureau adopted on the 规则采用 page, written per module as
# adopted.toml (fazhi.core.adoptions); read after RULES_DIRS.
RULES_ADOPTED_DIR = DATA_DIR / "adopted-rules"

# Instruments: a bureau's own templates and kinds, searched before the shipped ones.
INSTRUMENT_TEMPLATE_DIRS = [Path(p) for p in env_list("FAZHI_TEMPLATE_DIRS", [])]

# Login: lock an account for LOCKOUT_MINUTES after LOCKOUT_FAILURES failed attempts.
LOGIN_LOCKOUT_FAILURES = env_int("FAZHI_LOCKOUT_FAILURES", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("FAZHI_LOCKOUT_MINUTES", 15, minimum=1)
# …and refuse a client address for the same minutes after this many failures from it,
# whatever usernames it tried (an office behind one NAT address shares the count).
LOGIN_IP_FAILURES = env_int("FAZHI_LOGIN_IP_FAILURES", 20, minimum=1)
# Reverse proxies in front that append the client's address to X-Forwarded-For.
# 0 (the default): the header is ignored, since any client can send it.
PROXY_COUNT = env_int("FAZHI_PROXY_COUNT", 0)
# API tokens: dead after this long unused, and at the latest this long after login.
API_TOKEN_IDLE_MINUTES = env_int("FAZHI_API_TOKEN_IDLE_MINUTES", 8 * 60, minimum=1)
API_TOKEN_DAYS = env_int("FAZHI_API_TOKEN_DAYS", 30, minimum=1)
SESSION_COOKIE_AGE = env_int("FAZHI_SESSION_MINUTES", 30, minimum=1) * 60
# An idle timeout, not a fixed lifetime: fazhi.web.middleware.SessionRenewMiddleware
# renews a session's expiry when a page comes at least this long after the last
# renewal (so the idle time allowed is between SESSION_COOKIE_AGE minus this and
# SESSION_COOKIE_AGE, never longer). Saving on every request wrote and committed the
# session row with each page: a disk flush per page under load.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
_https = env_bool("FAZHI_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if _https and not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Browsers then refuse plain HTTP to this host for a year. Subdomains only on
    # request: a bureau's host name may sit under a domain other systems share.
    SECURE_HSTS_SECONDS = env_int("FAZHI_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("FAZHI_HSTS_SUBDOMAINS", False)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a dead token is answered 401 with WWW-Authenticate: Token.
        "fazhi.core.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "fazhi API",
    "DESCRIPTION": "法治：县自然资源局依法行政平台接口",
    "VERSION": "1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

# Each module's demo data, loaded by `fazhi demo_load` after the core demo users.
DEMO_LOADERS = ["fazhi.disclosure.demo.load", "fazhi.enforcement.demo.load",
                "fazhi.permits.demo.load", "fazhi.disputes.demo.load",
                "fazhi.monitoring.demo.load", "fazhi.learning.demo.load",
                # It plays last year's matters, after this year's exist.
                "fazhi.reports.annual_demo.load",
                # A stand-in for 湘潭县's disclosure head on leave (请假代理).
                "fazhi.core.demo.standins_load"]

# Each module's daily work, run by the sweep before clocks are recoloured.
SWEEP_HOOKS = ["fazhi.disclosure.services.requests_close_abandoned",
               "fazhi.monitoring.cleanup.monitoring_files_sweep",
               "fazhi.monitoring.importing.jobs_reclaim_sweep",
               "fazhi.core.auth.login_records_purge"]

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Notifications are always written in the platform. Copies may also go out through
# the channels named here (fazhi.core.notices.outbound): none by default, so nothing
# leaves the platform unless a bureau turns it on, e.g.
# FAZHI_NOTIFY_BACKENDS=fazhi.core.notices.outbound.EmailBackend
NOTIFY_BACKENDS = env_list("FAZHI_NOTIFY_BACKENDS", [])
# The site's address as staff reach it, put before the links in copies sent out.
SITE_URL = env_str("FAZHI_SITE_URL") or ""
# E-mail (EmailBackend), through Django's mail settings.
EMAIL_HOST = env_str("FAZHI_EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("FAZHI_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("FAZHI_EMAIL_USER") or ""
EMAIL_HOST_PASSWORD = env_str("FAZHI_EMAIL_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("FAZHI_EMAIL_TLS", False)
EMAIL_USE_SSL = env_bool("FAZHI_EMAIL_SSL", False)
EMAIL_TIMEOUT = 10  # seconds: a mail server that hangs must not hold the worker
DEFAULT_FROM_EMAIL = env_str("FAZHI_EMAIL_FROM") or "fazhi@localhost"
# The example SMS gateway (HttpSmsBackend): where it posts, and its bearer token.
NOTIFY_SMS_URL = env_str("FAZHI_SMS_URL") or ""
NOTIFY_SMS_TOKEN = env_str("FAZHI_SMS_TOKEN") or ""

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request is routine (a role without access, a guessed URL): one line,
    # not a traceback that buries real errors.
    # Every line carries the request's id and the node's name (fazhi.web.ops).
    "filters": {"forbidden_one_line": {"()": "fazhi.web.logfilters.ForbiddenOneLine"},
                "request_id": {"()": "fazhi.web.ops.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(node)s %(request_id)s]"
                           " %(message)s"},
        "json": {"()": "fazhi.web.ops.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": env_choice("FAZHI_LOG_FORMAT", "text",
                                                     {"text", "json"})}},
    "loggers": {"django.request": {"filters": ["forbidden_one_line"]}},
    "root": {"handlers": ["console"], "level": env_str("FAZHI_LOG_LEVEL", "WARNING")},
}

# Map tiles for the monitoring pages. Empty (the default): outlines on a blank
# background, nothing fetched from outside. A bureau on the government network may
# set its own tile source, e.g. Tianditu with its key:
# FAZHI_MAP_TILE_URL="http://t0.tianditu.gov.cn/img_w/wmts?...&tk=KEY"
MAP_TILE_URL = env_str("FAZHI_MAP_TILE_URL") or ""
MAP_TILE_ATTRIBUTION = env_str("FAZHI_MAP_TILE_ATTRIBUTION") or ""

# Imports (reading, indexing, overlay) run in the task queue's workers (`fazhi
# db_worker`, on any node), so the page can show their progress and a restart of the
# web process does not cut them off; the tests and the CLI run them inline. A worker
# killed mid-import is found by the next one (fazhi.monitoring.importing.jobs_reclaim).
MONITORING_IMPORT_INLINE = env_bool("FAZHI_IMPORT_INLINE", False)
# On SQLite (one machine), a running import silent this long was cut off; on
# PostgreSQL the worker's session lock tells it at once.
MONITORING_IMPORT_STALE_SECONDS = env_int("FAZHI_IMPORT_STALE_SECONDS", 120, minimum=1)
# Uploaded layer and patch files, the delivered originals, and each layer version's
# spatial index (fazhi.monitoring.gis.store).
MONITORING_ROOT = DATA_DIR / "monitoring"
# How far a delivered zip may expand, in total (MB) and per member (times its packed
# size): a county's million parcels expand to some 650 MB and a real layer packs at
# most some 30:1, while a zip bomb packs near 1 000:1 (measurements in
# fazhi.monitoring.gis.archive.ArchiveLimits).
MONITORING_UNZIP_MAX_BYTES = (
    env_int("FAZHI_IMPORT_MAX_UNZIPPED_MB", 1024, minimum=1) * 1024 * 1024
)
MONITORING_UNZIP_MAX_RATIO = env_int("FAZHI_IMPORT_MAX_ZIP_RATIO", 200, minimum=10)
