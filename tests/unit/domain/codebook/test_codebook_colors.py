"""Label colours are readable as text on white (WCAG) and tell labels in a layer apart."""

from __future__ import annotations

import itertools
import math

import pytest

from annotator.domain.codebook.model import (
    bundled_codebook_names,
    load_codebook,
    wcag_contrast_ratio,
)

# Smallest CIE76 colour difference allowed between two labels of one layer. A delta E of
# about 2.3 is a just-noticeable difference; 25 keeps same-layer labels clearly apart side
# by side even among the dark shades that pass the contrast test.
MIN_DELTA_E = 25.0


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def cie_lab(color: str) -> tuple[float, float, float]:
    """sRGB -> CIE 1976 L*a*b* under D65 (IEC 61966-2-1 matrix, CIE 15:2004 formulas)."""
    r, g, b = (_linear(int(color[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e76(a: str, b: str) -> float:
    return math.dist(cie_lab(a), cie_lab(b))


@pytest.mark.parametrize(
    ("foreground", "background", "expected"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#767676", "#ffffff", 4.54),  # the well-known lightest grey that passes AA on white
        ("#777777", "#ffffff", 4.48),  # and the first that fails
        ("#ffffff", "#000000", 21.0),  # order does not matter
    ],
)
def test_wcag_contrast_reference_values(foreground, background, expected):
    assert wcag_contrast_ratio(foreground, background) == pytest.approx(expected, abs=0.005)


def test_contrast_rejects_bad_colours():
    with pytest.raises(ValueError):
        wcag_contrast_ratio("red")


def test_lab_reference_values():
    assert cie_lab("#ffffff") == pytest.approx((100.0, 0.0, 0.0), abs=0.05)
    assert cie_lab("#ff0000") == pytest.approx((53.24, 80.09, 67.20), abs=0.05)


@pytest.mark.parametrize("name", bundled_codebook_names())
def test_every_label_colour_is_readable_as_text_on_white(name):
    low = {
        label.key: round(wcag_contrast_ratio(label.color), 2)
        for label in load_codebook(name).labels()
        if wcag_contrast_ratio(label.color) < 4.5
    }
    assert low == {}


@pytest.mark.parametrize("name", bundled_codebook_names())
def test_labels_in_one_layer_are_distinguishable(name):
    for layer in load_codebook(name).layers:
        for a, b in itertools.combinations(layer.labels, 2):
            difference = delta_e76(a.color, b.color)
            assert difference >= MIN_DELTA_E, (layer.key, a.key, b.key, round(difference, 1))


def test_classroom_colours_are_unique_across_the_codebook():
    colors = [label.color for label in load_codebook("classroom").labels()]
    assert len(set(colors)) == len(colors)
