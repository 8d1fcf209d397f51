"""The citations-per-year chart's geometry: every year a slot, round gridlines, no overlaps."""

from __future__ import annotations

import itertools

from scholarfolio.web.chart import HEIGHT, MAX_LABELS, WIDTH, bar_chart, nice_step


def test_nothing_to_draw_is_no_chart() -> None:
    assert bar_chart({}) is None


def test_bars_scale_to_a_round_top_and_zero_years_keep_their_slot() -> None:
    chart = bar_chart({"2020": 10, "2021": 0, "2022": 40})
    assert chart is not None
    assert [(bar.year, bar.count) for bar in chart.bars] == [(2020, 10), (2021, 0), (2022, 40)]
    assert [line.value for line in chart.gridlines] == [0, 10, 20, 30, 40]
    tallest = chart.bars[2]
    assert (tallest.y, round(tallest.y + tallest.height, 1)) == (12, chart.baseline)
    assert chart.bars[0].height == round(tallest.height / 4, 1)
    assert chart.bars[1].height == 0
    assert (chart.first, chart.last, chart.total, chart.peak.year) == (2020, 2022, 50, 2022)


def test_bars_stay_inside_the_drawing_and_never_overlap() -> None:
    chart = bar_chart({str(year): year % 7 for year in range(1951, 2027)})
    assert chart is not None
    ends = [(bar.x, bar.x + bar.width) for bar in chart.bars]
    pairs = itertools.pairwise(ends)
    assert all(left < right <= next_left for (left, right), (next_left, _) in pairs)
    assert chart.left < ends[0][0] and ends[-1][1] < WIDTH
    assert all(0 <= line.y <= HEIGHT for line in chart.gridlines)


def test_year_labels_are_thinned_but_the_latest_is_always_labelled() -> None:
    chart = bar_chart({str(year): 1 for year in range(1951, 2027)})
    assert chart is not None
    labelled = [bar.year for bar in chart.bars if bar.labelled]
    assert len(labelled) <= MAX_LABELS and labelled[-1] == 2026
    assert len({b - a for a, b in itertools.pairwise(labelled)}) == 1


def test_gridline_steps_are_round() -> None:
    steps = [nice_step(n) for n in (1, 4, 7, 40, 283, 1000, 82963)]
    assert steps == [1, 1, 2, 10, 100, 500, 50000]
