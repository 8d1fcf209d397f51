"""The Spark engine of ``build --engine spark``: the store to Parquet, Spark, and back.

One run of :func:`compute_author_metrics`:

1. the store's metrics inputs are exported as Parquet files
   (:mod:`scholarfolio.store.parquet_exchange`) into a fresh folder under
   ``SPARK_EXCHANGE_DIR`` (on a cluster, storage every executor reads at the
   same path);
2. Spark computes every author's figures (:mod:`scholarfolio.metrics.spark_metrics`)
   and each work's self-citations, and writes them as Parquet beside the inputs;
3. the results replace the ``author_metrics`` rows and fill
   ``work_metrics.self_citations`` (as the numpy engine does, for incremental
   builds), in the build's transaction, and the folder is removed.

PySpark and PyArrow are the optional extra ``scholarfolio[spark]``: this module
imports them only when a Spark run starts, so :func:`require` can say in one
line what is missing. A Spark session already running in the process (a test's,
a notebook's) is used as it is and left running; otherwise one is started for
the run and stopped after it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection

from scholarfolio import settings
from scholarfolio.errors import BadInput, EngineError
from scholarfolio.metrics.engine import MetricInputs

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

MISSING = (
    "the spark engine needs PySpark and PyArrow (and Java 17+): pip install 'scholarfolio[spark]'"
)
NO_JAVA = (
    "the spark engine needs Java 17 or later on PATH or in JAVA_HOME "
    "(Debian: apt-get install openjdk-17-jre-headless)"
)
APP_NAME = "scholarfolio-metrics"


def require() -> None:
    """Raise BadInput, naming what to install, unless PySpark and PyArrow import and Java runs."""
    for module in ("pyspark", "pyarrow"):
        try:
            found = find_spec(module) is not None
        except ValueError:
            found = False
        if not found:
            raise BadInput(MISSING)
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        raise BadInput(NO_JAVA)


def failure(exc: Exception) -> EngineError:
    """Spark's error in one line: its messages run to pages of Java stack."""
    lines = [line.strip().removeprefix(": ").strip() for line in str(exc).splitlines()]
    lines = [line for line in lines if line and not line.startswith("at ")]
    # A Java error's own line ("org.apache...SparkException: ...") says more than
    # py4j's "An error occurred while calling o57.parquet." before it.
    said = next((line for line in lines if "Exception: " in line or "Error: " in line), None)
    return EngineError(f"the Spark job failed: {said or (lines or [type(exc).__name__])[0]}")


@contextmanager
def spark_session(master: str | None = None) -> Iterator[SparkSession]:
    """The running Spark session, or a small one on ``master`` (SPARK_MASTER) for this block."""
    require()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        yield active
        return
    url = master or settings.SPARK_MASTER.get()
    builder = (
        SparkSession.builder.master(url)
        .appName(APP_NAME)
        .config("spark.sql.shuffle.partitions", str(settings.SPARK_SHUFFLE_PARTITIONS.get()))
        # The build prints one line; stage progress bars would garble it.
        .config("spark.ui.showConsoleProgress", "false")
    )
    memory = settings.SPARK_DRIVER_MEMORY.get()
    if memory:
        # Takes effect only when this starts the JVM (the first session in a process).
        builder = builder.config("spark.driver.memory", memory)
    if url.startswith("local"):
        # One process on this machine: no web UI to serve, and the driver's
        # ports on the loopback address only, not on the machine's network
        # (SPARK_LOCAL_IP is read by the JVM this starts).
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = (
            builder.config("spark.ui.enabled", "false")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
        )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    try:
        yield spark
    finally:
        spark.stop()


@contextmanager
def exchange_folder() -> Iterator[Path]:
    """A fresh folder under SPARK_EXCHANGE_DIR (else the temporary folder), removed after."""
    parent = settings.SPARK_EXCHANGE_DIR.get() or tempfile.gettempdir()
    folder = Path(parent).resolve() / f"scholarfolio-spark-{uuid.uuid4().hex[:12]}"
    folder.mkdir(parents=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def compute_author_metrics(conn: Connection, year: int, master: str | None = None) -> int:
    """Every author's figures by Spark from a Parquet export, loaded back; authors written."""
    require()
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    from scholarfolio.metrics.spark_metrics import (
        author_metrics,
        read_store_export,
        work_self_citations,
    )
    from scholarfolio.store.parquet_exchange import (
        export_corpus,
        import_author_metrics,
        import_work_self_citations,
    )

    with exchange_folder() as folder:
        export_corpus(conn, folder / "corpus")
        results, own = folder / "author_metrics", folder / "work_self_citations"
        try:
            with spark_session(master) as spark:
                corpus = read_store_export(spark, (folder / "corpus").as_uri(), year)
                author_metrics(corpus).write.mode("overwrite").parquet(results.as_uri())
                work_self_citations(corpus).write.mode("overwrite").parquet(own.as_uri())
                corpus.pairs.unpersist()
                corpus.edges.unpersist()
        except (PySparkException, Py4JError) as exc:
            raise failure(exc) from exc
        import_work_self_citations(conn, own)
        return import_author_metrics(conn, results)


@contextmanager
def bench_run(inputs: MetricInputs) -> Iterator[Callable[[], object]]:
    """A callable running the Spark engine's core on ``inputs``, for the benchmark.

    The arrays are written as Parquet and the session started before the block,
    so a timing of the callable is the engine alone: read the inputs, compute,
    write the results.
    """
    require()
    from scholarfolio.metrics.spark_metrics import author_metrics, read_arrays, write_arrays

    with exchange_folder() as folder, spark_session() as spark:
        write_arrays(inputs, folder / "corpus")
        source = (folder / "corpus").as_uri()
        target = (folder / "author_metrics").as_uri()

        def run() -> None:
            corpus = read_arrays(spark, source, inputs.year)
            author_metrics(corpus).write.mode("overwrite").parquet(target)

        yield run
