"""The one settings registry: every tunable has a name, a default and help text.

A setting is read from the environment as ``SCHOLARFOLIO_<NAME>`` (upper case),
and a command-line option may override it. ``scholarfolio settings`` lists them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from scholarfolio.errors import BadInput

T = TypeVar("T", str, int, float)


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One named setting with its default and what it does."""

    name: str
    default: T
    help: str
    secret: bool = False

    @property
    def env_var(self) -> str:
        """The environment variable that overrides the default."""
        return "SCHOLARFOLIO_" + self.name.upper()

    def get(self, environ: Mapping[str, str] | None = None) -> T:
        """The value from the environment, else the default; bad values raise BadInput."""
        env = os.environ if environ is None else environ
        raw = env.get(self.env_var)
        if raw is None or raw == "":
            return self.default
        try:
            return type(self.default)(raw)
        except ValueError:
            kind = type(self.default).__name__
            raise BadInput(f"{self.env_var}={raw!r} is not a valid {kind}") from None


DB = Setting("db", "scholarfolio.db", "Store location: a SQLite file path or a database URL.")
HOST = Setting("host", "127.0.0.1", "Address the web server listens on.")
PORT = Setting("port", 8000, "Port the web server listens on.")
FAMOUS_TOP_FRACTION = Setting(
    "famous_top_fraction",
    0.01,
    "The 'Famous Author' badge goes to authors in this top fraction by total citations ...",
)
FAMOUS_MIN_CITATIONS = Setting(
    "famous_min_citations",
    100,
    "... who also have at least this many citations (so a tiny corpus crowns nobody cheaply).",
)
PROLIFIC_TOP_FRACTION = Setting(
    "prolific_top_fraction",
    0.01,
    "The 'Prolific Author' badge goes to authors in this top fraction by number of works ...",
)
PROLIFIC_MIN_WORKS = Setting(
    "prolific_min_works", 10, "... who also have at least this many works."
)
INGEST_BATCH = Setting(
    "ingest_batch", 1000, "Records written to the store per transaction during ingest."
)
SHARED_COAUTHORS = Setting(
    "shared_coauthors",
    2,
    "Distinct co-authors two source author ids under one full name must share to be one "
    "person in build (0 turns the rule off; docs/identity.md).",
)
AUTHORS_SHOWN = Setting(
    "authors_shown", 5, "Authors shown per work before the '+N' that expands the list."
)
RESPONSE_CACHE_MB = Setting(
    "response_cache_mb",
    64,
    "Memory for rendered pages kept by `serve` until the next build changes the store; 0: none.",
)
BASE_URL = Setting(
    "base_url",
    "",
    "Public address of the site (https://example.org/) for feed ids and links; "
    "empty: the address each request came to (export-site: http://HOST:PORT/).",
)

OPENALEX_API_KEY = Setting(
    "openalex_api_key",
    "",
    "OpenAlex API key for `harvest openalex` (safer here than on a command line).",
    secret=True,
)
OPENALEX_MAILTO = Setting(
    "openalex_mailto", "", "Contact e-mail for OpenAlex's polite pool, for `harvest openalex`."
)
S2_API_KEY = Setting("s2_api_key", "", "Semantic Scholar API key for `harvest s2`.", secret=True)

# The Spark engine of `build --engine spark` (metrics/spark_engine.py, docs/scaling.md).
SPARK_MASTER = Setting(
    "spark_master",
    "local[2]",
    "Spark master URL for `build --engine spark`: local[N], spark://HOST:7077, yarn, ...",
)
SPARK_SHUFFLE_PARTITIONS = Setting(
    "spark_shuffle_partitions",
    4,
    "Partitions of each Spark shuffle; on a cluster about 2 to 3 times its executor cores.",
)
SPARK_DRIVER_MEMORY = Setting(
    "spark_driver_memory",
    "",
    "Heap of the Spark driver (2g, 8g, ...): in local[N] mode the whole job runs in it. "
    "Empty: Spark's own default (1g, or spark-defaults.conf).",
)
SPARK_EXCHANGE_DIR = Setting(
    "spark_exchange_dir",
    "",
    "Folder for the Parquet export and results of a Spark build; on a cluster a shared mount "
    "every executor reads at the same path. Empty: the system's temporary folder.",
)

# The web server's limits (scholarfolio/web/security.py) and operator access (web/admin_auth.py).
MAX_BODY_BYTES = Setting(
    "max_body_bytes", 65536, "Largest request body the web server reads (413 beyond it)."
)
MAX_QUERY_BYTES = Setting(
    "max_query_bytes", 2048, "Longest query string the web server accepts (414 beyond it)."
)
MAX_PATH_BYTES = Setting(
    "max_path_bytes", 1024, "Longest URL path the web server accepts (414 beyond it)."
)
API_RATE = Setting(
    "api_rate",
    20.0,
    "Requests per second each client address may make to /api/* under `serve` (429 beyond); "
    "0: no limit.",
)
API_BURST = Setting(
    "api_burst", 40, "Requests a client may make to /api/* at once before API_RATE applies."
)
ADMIN_TOKEN = Setting(
    "admin_token",
    "",
    "Operator token (16+ characters) for /admin and scripted writes; empty: no admin at all.",
    secret=True,
)
ADMIN_SESSION_MINUTES = Setting("admin_session_minutes", 480, "How long an operator's login lasts.")

REGISTRY: tuple[Setting[str] | Setting[int] | Setting[float], ...] = (
    DB,
    HOST,
    PORT,
    FAMOUS_TOP_FRACTION,
    FAMOUS_MIN_CITATIONS,
    PROLIFIC_TOP_FRACTION,
    PROLIFIC_MIN_WORKS,
    INGEST_BATCH,
    SHARED_COAUTHORS,
    AUTHORS_SHOWN,
    RESPONSE_CACHE_MB,
    BASE_URL,
    OPENALEX_API_KEY,
    OPENALEX_MAILTO,
    S2_API_KEY,
    SPARK_MASTER,
    SPARK_SHUFFLE_PARTITIONS,
    SPARK_DRIVER_MEMORY,
    SPARK_EXCHANGE_DIR,
    MAX_BODY_BYTES,
    MAX_QUERY_BYTES,
    MAX_PATH_BYTES,
    API_RATE,
    API_BURST,
    ADMIN_TOKEN,
    ADMIN_SESSION_MINUTES,
)
