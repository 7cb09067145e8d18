"""The report's SVG charts: well-formed, accessible, CSP-safe, honest about undefined values."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from annotator.domain.reports.svg import (
    RAMP,
    UNDEFINED_FILL,
    IntervalBar,
    interval_bars_svg,
    matrix_heatmap_svg,
    ramp_colour,
    relative_luminance,
    text_colour,
)

SVG = "{http://www.w3.org/2000/svg}"
NAN = float("nan")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def assert_accessible_and_csp_safe(root: ET.Element) -> None:
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    ids = {e.get("id"): e.tag for e in root.iter() if e.get("id")}
    assert ids[title_id] == f"{SVG}title" and ids[desc_id] == f"{SVG}desc"
    assert root[0].tag == f"{SVG}title" and root[1].tag == f"{SVG}desc"
    for element in root.iter():
        assert "style" not in element.attrib, element.tag
        assert element.tag != f"{SVG}style"


def heatmap(names, values, **kw):
    kw.setdefault("title", "Agreement between reviewers")
    kw.setdefault("description", "A heatmap.")
    return parse(matrix_heatmap_svg(names, values, **kw))


def test_heatmap_cells_values_and_tooltips():
    root = heatmap(
        ["ann", "ben", "cy"],
        [[NAN, 0.5, 1.0], [0.5, NAN, None], [1.0, None, NAN]],
        counts=[[2, 2, 1], [2, 3, 0], [1, 0, 1]],
    )
    assert_accessible_and_csp_safe(root)
    cells = root.find(f"{SVG}g[@class='cells']")
    groups = cells.findall(f"{SVG}g")
    assert len(groups) == 9
    tips = [g.find(f"{SVG}title").text for g in groups]
    assert tips[1] == "ann × ben: F1 0.50 (2 shared articles)"
    assert tips[5] == "ben × cy: F1 – (0 shared articles)"
    assert tips[4] == "ben: 3 articles in the report"
    shown = [t.text for g in groups for t in g.findall(f"{SVG}text")]
    assert shown == ["0.50", "1.00", "0.50", "–", "1.00", "–"]  # no text on the diagonal
    fills = [g.find(f"{SVG}rect").get("fill") for g in groups]
    assert fills[2] == RAMP[-1] and fills[5] == UNDEFINED_FILL
    assert "no shared article with spans" in texts(root)


def test_heatmap_escapes_names():
    root = heatmap(['<b>"x"&', "y"], [[NAN, 0.2], [0.2, NAN]])
    assert '<b>"x"&' in texts(root)


def test_heatmap_many_reviewers_keeps_numbers_in_tooltips_only():
    names = [f"reviewer{i:02d}" for i in range(50)]
    values = [[NAN if i == j else 0.5 for j in range(50)] for i in range(50)]
    root = heatmap(names, values)
    cells = root.find(f"{SVG}g[@class='cells']")
    assert not cells.findall(f".//{SVG}text")
    assert len(cells.findall(f"{SVG}g")) == 2500
    assert float(root.get("width")) < 1500


def test_heatmap_refuses_a_ragged_matrix_and_says_when_empty():
    with pytest.raises(ValueError, match="square"):
        matrix_heatmap_svg(["a", "b"], [[0.1, 0.2]], title="t", description="d")
    assert "No reviewers to compare." in texts(heatmap([], []))


def test_ramp_runs_light_to_dark_and_text_stays_readable():
    assert ramp_colour(0) == RAMP[0] and ramp_colour(1) == RAMP[-1]
    assert ramp_colour(-3) == RAMP[0] and ramp_colour(7) == RAMP[-1]
    luminance = [relative_luminance(ramp_colour(v / 20)) for v in range(21)]
    assert all(a > b for a, b in zip(luminance, luminance[1:], strict=False))
    for step in range(21):
        background = ramp_colour(step / 20)
        fg, bg = relative_luminance(text_colour(background)), relative_luminance(background)
        contrast = (max(fg, bg) + 0.05) / (min(fg, bg) + 0.05)
        assert contrast >= 4.5, (background, contrast)  # WCAG AA for normal text


def test_relative_luminance_of_black_and_white():
    assert relative_luminance("#000000") == 0
    assert math.isclose(relative_luminance("#ffffff"), 1.0)


def bars(items, **kw):
    return parse(
        interval_bars_svg(items, title="Alpha per label", description="Bars.", svg_id="alpha", **kw)
    )


def test_bars_with_whiskers_reference_lines_and_undefined_rows():
    root = bars(
        [
            IntervalBar("framing", 0.5, 0.25, 0.75, group=True),
            IntervalBar("loaded-language", 1.0),
            IntervalBar("blame", None, note="no units"),
        ]
    )
    assert_accessible_and_csp_safe(root)
    rows = root.findall(f"{SVG}g[@class='bar-row']")
    assert [r[0].tag for r in rows] == [f"{SVG}title"] * 3  # the tooltip comes first
    assert rows[0][0].text == "framing: alpha 0.500, 95% interval 0.250 to 0.750"
    assert rows[2][0].text == "blame: alpha undefined (no units)"
    assert [t.text for t in rows[2].findall(f"{SVG}text")] == ["blame", "undefined"]
    assert not rows[2].findall(f"{SVG}rect")  # an undefined value is not drawn as 0
    assert rows[0].find(f"{SVG}text").get("font-weight") == "700"
    assert len(rows[0].findall(f"{SVG}line")) == 3 and not rows[1].findall(f"{SVG}line")
    widths = [float(r.find(f"{SVG}rect").get("width")) for r in rows[:2]]
    assert widths[1] == pytest.approx(2 * widths[0])  # axis from 0 to 1: width ~ value
    assert {"0.667", "0.800", "0", "1"} <= set(texts(root))


def test_bars_axis_extends_below_zero_for_negative_values_and_intervals():
    root = bars([IntervalBar("x", 0.1, -0.3, 0.4), IntervalBar("y", -0.05)])
    labels = texts(root)
    assert "-0.5" in labels and "-0.75" not in labels
    rect = root.findall(f"{SVG}g[@class='bar-row']")[1].find(f"{SVG}rect")
    zero = next(
        line
        for line in root.find(f"{SVG}g[@class='axis']").findall(f"{SVG}line")
        if line.get("stroke-width") == "1.5"
    )
    assert float(rect.get("x")) + float(rect.get("width")) == pytest.approx(float(zero.get("x1")))


def test_bars_shorten_long_names_but_keep_them_in_the_tooltip():
    name = "Publisher statements and boilerplate of every kind"
    row = bars([IntervalBar(name, 0.4, group=True)]).find(f"{SVG}g[@class='bar-row']")
    assert row[0].text.startswith(name)
    assert row.find(f"{SVG}text").text.endswith("…")


def test_bars_without_rows():
    assert "Nothing to show." in texts(bars([]))
