"""Settings, read from the environment (see the README's configuration table).

Safe by default: ``DEBUG`` is off unless the environment turns it on, and with ``DEBUG`` off the server
refuses to start without its own ``SECRET_KEY`` and ``IDENTITY_NUMBER_KEY``. The demo, the test suite and
the developer tools turn ``DEBUG`` on explicitly (``vungcao.settings_development``), which lets them use
the demo keys below.
"""

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Lets admin and queryset classes take type arguments at run time, as django-stubs describes them.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("VUNGCAO_HOME", Path.cwd()))
VAR_DIR = BASE_DIR / "var"
# The registry's columnar snapshot (``vungcao snapshot write``), read by the policy simulation's page.
SNAPSHOT_DIRECTORY = Path(os.environ.get("SNAPSHOT_DIRECTORY") or VAR_DIR / "snapshot")
# Set in the environment, the snapshot is kept current: each approval or re-opening of a commune review
# queues an incremental write (``registry.services.snapshot``).
SNAPSHOT_WRITE_AFTER_DECISIONS = bool(os.environ.get("SNAPSHOT_DIRECTORY"))

DEMO_SECRET_KEY = "vungcao-demo-secret-key-never-use-in-production"
# The demo's identity numbers were sealed under the demo secret key before the identity key was its own
# setting: the demo key keeps that value, so a demo database made before still reads its numbers.
DEMO_IDENTITY_NUMBER_KEY = DEMO_SECRET_KEY


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", DEMO_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEMO_SECRET_KEY:
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is the demo key: set SECRET_KEY to a long random value."
    )
# The key of the identity numbers (encryption and the digest that finds duplicates), independent of
# SECRET_KEY so that rotating one never touches the other. Changing it needs ``vungcao
# identity_key_rotate`` (README), which re-encrypts every stored number.
IDENTITY_NUMBER_KEY = os.environ.get("IDENTITY_NUMBER_KEY", DEMO_IDENTITY_NUMBER_KEY if DEBUG else "")
if not DEBUG and not IDENTITY_NUMBER_KEY:
    raise ImproperlyConfigured(
        "DEBUG is off but IDENTITY_NUMBER_KEY is not set: set it to a long random value, kept apart from "
        "SECRET_KEY (an installation that sealed its numbers under SECRET_KEY sets it to that value)."
    )
if not DEBUG and IDENTITY_NUMBER_KEY == DEMO_IDENTITY_NUMBER_KEY:
    raise ImproperlyConfigured("DEBUG is off but IDENTITY_NUMBER_KEY is the demo key: set your own.")
ALLOWED_HOSTS = [host.strip() for host in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]

# What the application's PostgreSQL connections set for themselves (benchmarks/README.md):
# * JIT off: it compiles any statement its planner thinks costly; the review dashboard's grouped queries
#   over a million households spent 1–4 s compiling to run in 1–3 s;
# * random_page_cost 1.1, the cost of reading a page out of order on solid-state storage (the default, 4,
#   is a spinning disk's): at 4, once the assessments were vacuumed, the national list of the poor was
#   counted by reading all 5 million households (0.66 s) instead of 10,001 of them by index (17 ms).
POSTGRESQL_OPTIONS = "-c jit=off -c random_page_cost=1.1"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'vungcao.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each request opens its own connection (CONN_MAX_AGE 0), whose page cache starts empty: without a
    # memory map every page it reads is a system call, a third of a province's review figures' time over a
    # million households (benchmarks/README.md). The map is address space, not memory: the pages stay the
    # operating system's file cache, shared by every connection and process.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=1073741824;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = POSTGRESQL_OPTIONS

# Read-only replicas of a PostgreSQL primary, for the figures analysts and viewers read
# (``common.replicas``): DATABASE_REPLICA_URLS="postgres://…@replica1/vungcao,postgres://…@replica2/vungcao".
# In tests a replica is the primary itself (a mirror), as Django tests replicas.
_REPLICA_URLS = [url.strip() for url in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if url.strip()]
DATABASE_REPLICAS = tuple(f"replica_{number}" for number in range(1, len(_REPLICA_URLS) + 1))
if _REPLICA_URLS and DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_REPLICA_URLS needs a PostgreSQL primary (DATABASE_URL).")
for _alias, _url in zip(DATABASE_REPLICAS, _REPLICA_URLS, strict=True):
    DATABASES[_alias] = dj_database_url.parse(_url, conn_max_age=60)
    if DATABASES[_alias]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URLS: {_alias} is not a PostgreSQL database.")
    DATABASES[_alias]["OPTIONS"] = {"options": POSTGRESQL_OPTIONS}
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["vungcao.common.replicas.ReplicaRouter"]
# The apps whose records figures are made of, which a replica may answer for.
REPLICA_APPS = frozenset({"geo", "registry", "indicators", "programs"})

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "axes",
    "csp",
    # Serves the API documentation's scripts and styles from the package (no CDN).
    "ninja",
    # Background tasks (Django's tasks API, backported): the queue is a table, run by ``vungcao db_worker``.
    "django_tasks",
    "django_tasks_db",
    "vungcao.common",
    "vungcao.accounts",
    "vungcao.geo",
    "vungcao.registry",
    "vungcao.programs",
    "vungcao.imports",
    "vungcao.field_capture",
    "vungcao.exports",
    "vungcao.dashboards",
    "vungcao.indicators",
    "vungcao.demo",
    "vungcao.web",
]

# Long work (an import's reading and applying) runs as a background task: the request queues it, a worker
# process (``vungcao db_worker``; the demo starts one) runs it, the page shows its progress. The queue is
# a table of the same database, so there is no broker to run.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "vungcao.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "vungcao.accounts.middleware.PasswordChangeRequiredMiddleware",
    "vungcao.accounts.middleware.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vungcao.urls"
WSGI_APPLICATION = "vungcao.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
    }
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"  # by role: the national dashboard or the units
LOGOUT_REDIRECT_URL = "accounts:login"

# Login lockout, counted over an hour: five failures for one username from one address, ten for one
# username from any addresses (a guessed password tried from many machines), twenty from one address
# across usernames (password spraying). ``accounts/lockout.py`` applies one limit per combination.
AXES_HANDLER = "vungcao.accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS: list[str | list[str]] = [["username", "ip_address"], "username", "ip_address"]
LOCKOUT_FAILURE_LIMITS = {
    "username,ip_address": AXES_FAILURE_LIMIT,
    "username": int(os.environ.get("LOCKOUT_USERNAME_LIMIT", "10")),
    "ip_address": int(os.environ.get("LOCKOUT_ADDRESS_LIMIT", "20")),
}
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Only ``collectstatic`` needs a folder; the demo and tests serve the packaged files straight from the apps.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Deployed behind HTTPS: plain HTTP is redirected and browsers are told to use HTTPS only for a year.
SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _flag("SECURE_HSTS_PRELOAD", True)
# Behind a proxy that ends TLS and says so in X-Forwarded-Proto (nginx, a load balancer).
if _flag("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: every script, style, image and font comes from the application itself. The
# templates put presentation in style attributes and the charts are inline SVG, hence inline styles; the
# one inline event handler (submit a filter when its select changes) is allowed by its hash alone.
SUBMIT_ON_CHANGE_HASH = "'sha256-osjxnKEPL/pQJbFk1dKsF7PYFmTyMWGmVSiL9inhxJY='"  # this.form.submit()
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, "'unsafe-hashes'", SUBMIT_ON_CHANGE_HASH],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 1000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
