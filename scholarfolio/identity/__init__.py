"""Identity: deciding which authorships belong to the same person.

:mod:`.names` normalizes names and makes stable author ids; :mod:`.resolve` is the
pass ``build`` runs (names, ORCIDs and source author ids); :mod:`.s2and`,
:mod:`.pairwise` and :mod:`.cluster` are the S2AND reader, the calibrated pairwise
score and the block-wise clustering behind ``scholarfolio identity``.
"""
