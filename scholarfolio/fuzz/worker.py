"""One fuzzing process: ``python -m scholarfolio.fuzz.worker TARGET CORPUS CRASHES SECONDS``.

Run by :mod:`scholarfolio.fuzz.runner` in a subprocess, so that a crash (a
Python exception or a libFuzzer abort) ends only this process and is reported.
"""

from __future__ import annotations

import sys

INSTRUMENTED = ["scholarfolio", "pylatexenc", "bibtexparser"]


def main(argv: list[str]) -> None:
    """Fuzz one target until its time is up or an input crashes it."""
    import atheris

    # Coverage comes from our code and the pure-Python parsers under it; the
    # rest (SQLAlchemy, the standard library) is left alone to start quickly.
    with atheris.instrument_imports(include=INSTRUMENTED):
        from scholarfolio.fuzz.targets import target

    name, corpus, crashes, seconds, max_len = argv
    chosen = target(name)
    options = [
        sys.argv[0],
        f"-max_total_time={seconds}",
        f"-artifact_prefix={crashes.rstrip('/')}/",
        f"-max_len={max_len}",
        "-timeout=20",
        "-rss_limit_mb=2048",
        "-print_final_stats=1",
        corpus,
    ]
    atheris.Setup(options, chosen.run)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv[1:])
