"""Fuzzing the parsers: harnesses (:mod:`.targets`) and the atheris runner (:mod:`.runner`).

``scholarfolio bench fuzz`` runs each harness under atheris (the ``fuzz`` extra)
in its own process for a bounded time; a crashing input is saved to a folder.
"""
