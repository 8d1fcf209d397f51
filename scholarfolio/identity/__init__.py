"""Identity: deciding which authorships belong to the same person.

The first cut is deterministic name normalization (:mod:`.names`); the
resolution pass that assigns authors lives in :mod:`.resolve`.
"""
