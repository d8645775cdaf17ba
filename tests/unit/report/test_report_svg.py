"""Chart primitives: one mark per datum, escaped labels, scales that fit the data."""

import re
import xml.etree.ElementTree as ET

import pytest

from ecomdwh.report import svg

NS = "{http://www.w3.org/2000/svg}"


def marks(document: str) -> list[ET.Element]:
    root = ET.fromstring(document)
    return [e for e in root.iter() if "mark" in (e.get("class") or "").split()]


@pytest.mark.parametrize(
    ("value", "expected"), [(0, 1), (3, 4), (7.2, 8), (130, 200), (2400, 4000), (4000, 4000), (0.5, 0.8)]
)
def test_nice_max_gives_four_round_steps_at_or_above_the_value(value, expected):
    assert svg.nice_max(value) == pytest.approx(expected)


def test_whole_axes_step_by_at_least_one():
    assert svg.nice_max(0.5, whole=True) == 4
    assert svg.nice_max(3, whole=True) == 4


def test_a_line_chart_draws_a_point_per_value_and_breaks_at_gaps():
    document = svg.line_chart(
        ["a", "b", "c", "d"], {"s1": [1, None, 3, 4], "s2": [2, 2, 2, 2]}, value_format=str, y_max=4
    )
    assert len(marks(document)) == 7
    polylines = ET.fromstring(document).findall(f"{NS}polyline")
    assert len(polylines) == 2  # s1's first point stands alone; s1 from c to d; s2 whole
    assert "s1 · c: 3" in document


def test_bars_scale_to_the_largest_value_and_labels_are_escaped():
    document = svg.bar_chart([svg.Bar("<b>&", 50), svg.Bar("x", 100)], value_format=lambda v: f"{v:.0f}")
    widths = [float(e.get("width")) for e in marks(document)]
    assert widths[1] == pytest.approx(2 * widths[0])
    assert "&lt;b&gt;&amp;" in document and "<b>" not in document


def test_a_heatmap_colours_by_share_and_leaves_absent_cells_blank():
    document = svg.heatmap(
        ["r1", "r2"], ["m0", "m1"], {(0, 0): 1.0, (0, 1): 0.0, (1, 0): 0.5}, value_format=str
    )
    fills = [e.get("fill") for e in marks(document)]
    assert fills == ["#1e40af", "#ffffff", svg._heat_color(0.5)]


def test_columns_have_heights_proportional_to_counts():
    document = svg.column_chart(["0-1", "1-2"], [2, 4], value_format=str)
    heights = [float(e.get("height")) for e in marks(document)]
    assert heights[1] == pytest.approx(2 * heights[0])
    assert re.search(r'viewBox="0 0 560 280"', document)
