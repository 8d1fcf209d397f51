"""The reference definitions of the citation indices (docs/metrics.md)."""

from __future__ import annotations

from scholarfolio.metrics.indices import g_index, h_index, i10_index


def test_h_index() -> None:
    assert h_index([]) == 0
    assert h_index([0, 0]) == 0
    assert h_index([10, 8, 5, 4, 3]) == 4
    assert h_index([25, 8, 5, 3, 3]) == 3
    assert h_index([1]) == 1


def test_i10_index() -> None:
    assert i10_index([10, 9, 100]) == 2


def test_g_index_is_capped_at_the_number_of_works() -> None:
    # Egghe (2006): top g works with at least g^2 citations together.
    assert g_index([10, 8, 5, 4, 3]) == 5
    assert g_index([100]) == 1
    assert g_index([0, 0, 0]) == 0
    assert g_index([3, 1]) == 2
