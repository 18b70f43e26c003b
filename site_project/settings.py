"""Settings for the homepage, read from the environment.

With no environment at all the site runs in development mode on a SQLite file
under var/. Production (DJANGO_DEBUG=0) refuses to start without a real secret
key and an explicit host list.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105 (refused when DEBUG is off)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
# A key kept in a file (`make serve` writes var/secret_key; Docker/systemd secrets).
if not SECRET_KEY and os.environ.get("DJANGO_SECRET_KEY_FILE"):
    try:
        SECRET_KEY = Path(os.environ["DJANGO_SECRET_KEY_FILE"]).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ImproperlyConfigured(f"DJANGO_SECRET_KEY_FILE cannot be read: {error}") from None
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(or DJANGO_SECRET_KEY_FILE, naming a file that holds it)."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak for production: use 50 or more random characters, "
        "e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The public origin ("https://example.org") for absolute links in feeds, the
# sitemap, citation tags and BibTeX; empty means "the host of the request".
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").strip().rstrip("/")
# Ports a Host header may name besides the one the server listens on (core.hosts).
SITE_PORTS = env_list("DJANGO_SITE_PORTS")
if SITE_URL and not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("DJANGO_SITE_URL must start with http:// or https://.")

INSTALLED_APPS = [
    # The admin: the editor's start page (editor/sites.py) with the editor's
    # login (accounts/: two-factor, per-account throttling).
    "editor.apps.EditorAdminConfig",
    "editor.apps.EditorConfig",
    "accounts.apps.AccountsConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "markdownx",
    "taggit",
    "adminsortable2",
    "csp",
    "axes",
    "reversion",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core.apps.CoreConfig",
    "uploads.apps.UploadsConfig",
    "pagecache.apps.PageCacheConfig",
    "backups.apps.BackupsConfig",
    "profiles.apps.ProfileConfig",
    "home.apps.HomeConfig",
    "research.apps.ResearchConfig",
    "inbox.apps.InboxConfig",
    "pages.apps.PagesConfig",
    "news.apps.NewsConfig",
    "talks.apps.TalksConfig",
    "teaching.apps.TeachingConfig",
    # Last of the menu's sections by default, as on al-folio sites.
    "cv.apps.CVConfig",
    "deploy.apps.DeployConfig",
    "siteimport.apps.SiteImportConfig",
]

MIDDLEWARE = [
    "deploy.middleware.HealthCheckMiddleware",  # first: probes skip host checks and caches
    # Before anything builds an absolute URL or a cache key from the Host header.
    "core.hosts.HostPortMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before anything below runs.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache, so cached pages get the policy too.
    "core.security.CSPMiddleware",
    "core.security.RequestSizeLimitMiddleware",
    "pagecache.middleware.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): logged in with a second factor (accounts/).
    "django_otp.middleware.OTPMiddleware",
    # Every change made by a POST (admin forms, imports, bulk actions) is one
    # version in the history, saved atomically with the change itself.
    "core.editing.RevisionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "site_project.urls"
WSGI_APPLICATION = "site_project.wsgi.application"

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
                "profiles.context_processors.site_profile",
                "pages.context_processors.site_menu",
            ],
        },
    },
    {
        # The per-paper fragments (list entries, a paper page's body, feed items),
        # rendered a thousand at a time: Jinja2, where Django's templates cost about
        # half a millisecond each (core/jinja.py, research/listing.py).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "core.jinja.environment"},
    },
]
# Forms render as with Django's default renderer, but the plain <input> and <select>
# widgets are written in Python: the admin's pages render hundreds of them.
FORM_RENDERER = "core.formrender.FastRenderer"

# SQLite by default. WAL lets readers proceed while the admin writes; IMMEDIATE
# transactions take the write lock up front so concurrent writers queue on the
# busy timeout instead of failing with "database is locked".
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        # Connections are kept (a new SQLite/PostgreSQL connection per request cost
        # most of a cached page's time under gunicorn) and checked before reuse, so
        # a database restart costs no errors.
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The database holds password hashes and sessions: the site's user alone reads
    # it (SQLite gives its -wal and -shm files the same mode as the database).
    _db_file = Path(DATABASES["default"]["NAME"])
    _db_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if str(_db_file) != ":memory:" and not _db_file.exists():
        os.close(os.open(_db_file, os.O_CREAT | os.O_WRONLY, 0o600))
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

# Whole public pages are cached (pagecache/middleware.py); keys change with every
# content edit, so a per-process memory cache is correct with several workers.
# DJANGO_CACHE_BACKEND/DJANGO_CACHE_LOCATION select another backend, e.g.
# django.core.cache.backends.redis.RedisCache and redis://127.0.0.1:6379.
_CACHE_LOCATION = os.environ.get("DJANGO_CACHE_LOCATION", "homepage-pages")
# A redis:// location alone selects Django's Redis cache, wrapped so that the site
# keeps serving (uncached, with a logged warning) while Redis is down.
_DEFAULT_CACHE = (
    "pagecache.backends.RedisCache"
    if _CACHE_LOCATION.startswith(("redis://", "rediss://", "unix://"))
    else "django.core.cache.backends.locmem.LocMemCache"
)
CACHES = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_CACHE_BACKEND") or _DEFAULT_CACHE,
        "LOCATION": _CACHE_LOCATION,
    }
}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # A stopped Redis must cost milliseconds, not a hung request.
    CACHES["default"]["OPTIONS"] = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # One entry per page and content version; room for a site with ~1,000 papers.
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": 3000}
PAGE_CACHE_ENABLED = env_bool("DJANGO_PAGE_CACHE", True)
PAGE_CACHE_SECONDS = 24 * 3600
# Browsers and proxies may reuse a public page this long without asking again.
PAGE_MAX_AGE = int(os.environ.get("DJANGO_PAGE_MAX_AGE", "60"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("DJANGO_LANGUAGE_CODE", "en")
# The site's own translations (locale/<lang>/LC_MESSAGES/django.po, compiled .mo
# committed; `make messages` updates both). Django's admin brings its own.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploads are served by Django itself only when asked (development, tests, a
# single small server); production puts nginx/caddy or object storage in front.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads elsewhere than MEDIA_ROOT, e.g. object storage shared by several servers:
# DJANGO_MEDIA_STORAGE=storages.backends.s3.S3Storage and its options as JSON.
if os.environ.get("DJANGO_MEDIA_STORAGE"):
    try:
        _media_options = json.loads(os.environ.get("DJANGO_MEDIA_STORAGE_OPTIONS") or "{}")
    except ValueError as error:
        raise ImproperlyConfigured(f"DJANGO_MEDIA_STORAGE_OPTIONS is not JSON: {error}") from None
    if not isinstance(_media_options, dict):
        raise ImproperlyConfigured("DJANGO_MEDIA_STORAGE_OPTIONS must be a JSON object.")
    STORAGES["default"] = {"BACKEND": os.environ["DJANGO_MEDIA_STORAGE"], "OPTIONS": _media_options}

# django-markdownx: one Markdown renderer for previews and pages alike. Its image
# uploads go through uploads.views.SafeImageUploadView (content checks, the
# DJANGO_IMAGE_UPLOAD_MAX_MB limit), not markdownx's own type and size settings.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "core.markup.render_markdown_preview"
MARKDOWNX_MEDIA_PATH = "markdownx/"
# Images pasted into the Markdown editor per user per hour (uploads.views).
MARKDOWN_UPLOADS_PER_HOUR = int(os.environ.get("DJANGO_UPLOADS_PER_HOUR", "60"))

TAGGIT_CASE_INSENSITIVE = True

# Production hardening, on whenever DEBUG is off.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- Uploads, login throttling, Content-Security-Policy, history (issue 6) ---

# Upload limits (see README "Security, history and backups"). Put the same
# total limit on the reverse proxy (nginx client_max_body_size 25m).
IMAGE_UPLOAD_MAX_BYTES = int(os.environ.get("DJANGO_IMAGE_UPLOAD_MAX_MB", "10")) * 1024 * 1024
PDF_UPLOAD_MAX_BYTES = int(os.environ.get("DJANGO_PDF_UPLOAD_MAX_MB", "20")) * 1024 * 1024
MAX_REQUEST_BYTES = int(os.environ.get("DJANGO_MAX_REQUEST_MB", "25")) * 1024 * 1024
# Small uploads stay in memory; bigger ones are spooled to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Uploads readable by the site's user only. When nginx or Caddy serves MEDIA_ROOT
# itself, give its group read access: DJANGO_FILE_UPLOAD_PERMISSIONS=640 and
# DJANGO_FILE_UPLOAD_DIRECTORY_PERMISSIONS=750 (octal), and put it in the group.
FILE_UPLOAD_PERMISSIONS = int(os.environ.get("DJANGO_FILE_UPLOAD_PERMISSIONS", "600"), 8)
FILE_UPLOAD_DIRECTORY_PERMISSIONS = int(
    os.environ.get("DJANGO_FILE_UPLOAD_DIRECTORY_PERMISSIONS", "700"), 8
)

# django-axes: after AXES_FAILURE_LIMIT failed logins from one address, that
# address is locked out for the cool-off period. Addresses come from
# REMOTE_ADDR; behind reverse proxies set DJANGO_TRUSTED_PROXY_COUNT to how many
# proxies append to X-Forwarded-For (usually 1), never more.
AUTHENTICATION_BACKENDS = [
    "core.security.ThrottledAuthBackend",
    "django.contrib.auth.backends.ModelBackend",
]
TRUSTED_PROXY_COUNT = int(
    os.environ.get(
        "DJANGO_TRUSTED_PROXY_COUNT", "1" if env_bool("DJANGO_BEHIND_PROXY", False) else "0"
    )
)
# Logging in without a (safe) ?next= lands in the editor.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"

# Content-Security-Policy (django-csp). Public pages run no inline script and
# load nothing from other sites; the admin additionally allows inline styles
# and data: images, which Django's admin and its widgets use.
_CSP_SELF, _CSP_NONE = "'self'", "'none'"
_CSP_EXTRA_IMG = env_list("DJANGO_CSP_IMG_SRC")  # e.g. a media host or bucket
# Image origins Markdown may show besides the site itself (core.markup).
MARKDOWN_IMAGE_ORIGINS = _CSP_EXTRA_IMG
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF],
        "style-src": [_CSP_SELF],
        "img-src": [_CSP_SELF, *_CSP_EXTRA_IMG],
        "font-src": [_CSP_SELF],
        "connect-src": [_CSP_SELF],
        "object-src": [_CSP_NONE],
        "base-uri": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": [_CSP_NONE],
    },
}
# The editor's addresses: the admin's own CSP, never in the page cache, never exported.
EDITOR_URL_PREFIXES = ["/admin/", "/markdownx/"]
ADMIN_CONTENT_SECURITY_POLICY_REPLACE = {
    "style-src": [_CSP_SELF, "'unsafe-inline'"],
    "img-src": [_CSP_SELF, "data:", *_CSP_EXTRA_IMG],
    "frame-ancestors": [_CSP_SELF],
}

# --- Editor login: per-account throttling and two-factor login (accounts/) ---
# After ACCOUNT_FAILURE_LIMIT failed logins for one username (from any address),
# that account accepts one attempt per delay, doubling from ACCOUNT_BASE_DELAY up
# to ACCOUNT_MAX_DELAY seconds; browsers that logged in to it before are exempt.
ACCOUNT_FAILURE_LIMIT = int(os.environ.get("DJANGO_ACCOUNT_FAILURE_LIMIT", "10"))
ACCOUNT_BASE_DELAY = 30
ACCOUNT_MAX_DELAY = 15 * 60
ACCOUNT_DEVICE_COOKIE_AGE = 365 * 24 * 3600
# 1: every editor account must log in with a second factor (set up on first login).
REQUIRE_2FA = env_bool("DJANGO_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = os.environ.get("DJANGO_OTP_ISSUER", "Homepage editor")
# Paper inbox (inbox/): where each source is asked, and how patiently. Any of the
# base URLs can point at a mirror or a test server.
OPENALEX_API_URL = os.environ.get("OPENALEX_API_URL", "https://api.openalex.org").rstrip("/")
CROSSREF_API_URL = os.environ.get("CROSSREF_API_URL", "https://api.crossref.org").rstrip("/")
ORCID_API_URL = os.environ.get("ORCID_API_URL", "https://pub.orcid.org/v3.0").rstrip("/")
SEMANTIC_SCHOLAR_API_URL = os.environ.get(
    "SEMANTIC_SCHOLAR_API_URL", "https://api.semanticscholar.org/graph/v1"
).rstrip("/")
DBLP_URL = os.environ.get("DBLP_URL", "https://dblp.org").rstrip("/")
ARXIV_API_URL = os.environ.get("ARXIV_API_URL", "https://export.arxiv.org/api/query")
OPENALEX_API_KEY = os.environ.get("OPENALEX_API_KEY", "")
SEMANTIC_SCHOLAR_API_KEY = os.environ.get("SEMANTIC_SCHOLAR_API_KEY", "")
# The polite-pool address OpenAlex and Crossref ask for (sent as `mailto`).
PAPER_SOURCES_EMAIL = os.environ.get("PAPER_SOURCES_EMAIL", "")
PAPER_SOURCES_TIMEOUT = float(os.environ.get("PAPER_SOURCES_TIMEOUT", "20"))
PAPER_SOURCES_RETRIES = int(os.environ.get("PAPER_SOURCES_RETRIES", "3"))
PAPER_SOURCES_MAX_MB = float(os.environ.get("PAPER_SOURCES_MAX_MB", "20"))
