"""Label colours as CSS (annotator/web/label_styles.py): legible ink, no injection."""

from __future__ import annotations

from annotator.domain.codebook.model import wcag_contrast_ratio
from annotator.web.label_styles import MAX_LANES, ink_for, label_rules, label_stylesheet


def test_ink_is_the_more_legible_of_black_and_white():
    for color in ["#b45309", "#ffff00", "#0f172a", "#7f7f7f", "#ffffff", "#000000", "#1d4ed8"]:
        ink = ink_for(color)
        assert wcag_contrast_ratio(ink, color) >= 4.5, color


def test_one_underline_rule_per_lane():
    rules = label_rules("direct-quote", "#1d4ed8")
    for lane in range(MAX_LANES):
        assert f".hl.u{lane}-direct-quote{{--u{lane}:#1d4ed8}}" in rules


def test_malformed_keys_or_colours_write_nothing():
    assert label_rules("x}body{display:none", "#000000") == ""
    assert label_rules("ok", "red;}body{x:y") == ""


def test_stylesheet_of_a_codebook():
    codebook = {
        "name": "*/ body { }",
        "layers": [
            {"labels": [{"key": "a", "color": "#ff0000"}, {"key": "b", "color": "#00ff00"}]}
        ],
    }
    css = label_stylesheet(codebook)
    assert ".sw-a,.swatch-a{background-color:#ff0000}" in css
    assert ".sw-b,.swatch-b{background-color:#00ff00}" in css
    assert ".lbl-a{--label-color:#ff0000}" in css
    assert "body" not in css


def test_lanes_match_the_renderer():
    from pathlib import Path

    render_js = Path(__file__).resolve().parents[3] / "static" / "js" / "render.js"
    assert f"export const MAX_LANES = {MAX_LANES};" in render_js.read_text(encoding="utf-8")
