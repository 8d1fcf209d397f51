"""The geometry of the citations-per-year bar chart, drawn as inline SVG by a template.

Pure arithmetic on the profile's ``citations_by_year_filled``: every year from
the first to the last, zeros included. The template draws one ``<rect>`` per
year with a ``<title>`` tooltip, gridlines at round values and a year label
under every ``label_every``-th bar (always the latest), so the SVG stays
readable from a phone to a desktop without any script.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

# The drawing's own units; the SVG scales to the width of its container.
WIDTH = 640
HEIGHT = 200
TOP = 12
BOTTOM = 24  # room for the year labels
RIGHT = 18  # room for half of the last year label
# Characters of the widest gridline label, in drawing units, plus a gap.
CHAR_WIDTH = 11  # wide enough for the larger labels phones get (style.css)
GAP = 8
# At most this many year labels, so they never overlap.
MAX_LABELS = 8
# Gridlines above zero.
GRIDLINES = 4


@dataclass(frozen=True, slots=True)
class Bar:
    """One year's bar: its value and its box in drawing units."""

    year: int
    count: int
    x: float
    y: float
    width: float
    height: float
    labelled: bool

    @property
    def center(self) -> float:
        """The x of the bar's middle, where its year label goes."""
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True, slots=True)
class Gridline:
    """A horizontal line at a round value, with its label."""

    value: int
    y: float


@dataclass(frozen=True, slots=True)
class BarChart:
    """Everything the template needs to draw the chart."""

    width: int
    height: int
    left: float
    baseline: float
    bars: tuple[Bar, ...]
    gridlines: tuple[Gridline, ...]

    @property
    def first(self) -> int:
        """The first year shown."""
        return self.bars[0].year

    @property
    def last(self) -> int:
        """The last year shown."""
        return self.bars[-1].year

    @property
    def total(self) -> int:
        """The sum of every bar."""
        return sum(bar.count for bar in self.bars)

    @property
    def peak(self) -> Bar:
        """The tallest bar (the latest of equals)."""
        return max(reversed(self.bars), key=lambda bar: bar.count)


def nice_step(largest: int, steps: int = GRIDLINES) -> int:
    """A round step (1, 2 or 5 times a power of ten): ``steps`` of them reach ``largest``."""
    if largest <= steps:
        return 1
    raw = largest / steps
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return int(factor * power)
    return int(10 * power)


def bar_chart(filled: Mapping[str, int]) -> BarChart | None:
    """The chart of a ``{year: count}`` mapping with no gaps; None when it is empty."""
    if not filled:
        return None
    years = [(int(year), count) for year, count in filled.items()]
    step = nice_step(max(count for _, count in years))
    top = step * max(1, math.ceil(max(count for _, count in years) / step))
    left = GAP + CHAR_WIDTH * len(f"{top:,}")
    baseline = HEIGHT - BOTTOM
    scale = (baseline - TOP) / top
    slot = (WIDTH - left - RIGHT) / len(years)
    every = math.ceil(len(years) / MAX_LABELS)
    last = years[-1][0]
    bars = tuple(
        Bar(
            year=year,
            count=count,
            x=round(left + index * slot + slot * 0.1, 1),
            y=round(baseline - count * scale, 1),
            width=round(slot * 0.8, 1),
            height=round(count * scale, 1),
            labelled=(last - year) % every == 0,
        )
        for index, (year, count) in enumerate(years)
    )
    gridlines = tuple(
        Gridline(value, round(baseline - value * scale, 1)) for value in range(0, top + 1, step)
    )
    return BarChart(WIDTH, HEIGHT, left, baseline, bars, gridlines)
