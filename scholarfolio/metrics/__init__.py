"""Metrics: definitions as plain functions (:mod:`.indices`) and the all-author batch."""
