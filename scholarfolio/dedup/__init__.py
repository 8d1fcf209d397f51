"""Work deduplication: which source records describe the same paper.

:mod:`.titles` normalizes titles and knows the generic ones; :mod:`.cluster`
groups records, first by shared identifiers, then by title with agreement
beyond the title, never against a human split; :mod:`.evaluate` scores it on
labelled duplicate clusters.
"""
