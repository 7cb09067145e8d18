"""Krippendorff's unitizing alpha: published examples and a literal reference."""

from __future__ import annotations

import math
import random

import pytest

from annotator.domain.agreement import pooled_unitizing_alpha, unitizing_alpha

# Krippendorff (2004), Content Analysis, 2nd ed., p. 254 (section 11.6): two observers on the
# continuum [150, 450); units given as (observer, begin, length, category).
KRIPPENDORFF_2004 = [
    (0, 225, 70, "c"),
    (0, 370, 30, "c"),
    (1, 220, 80, "c"),
    (1, 355, 20, "c"),
    (1, 400, 20, "c"),
    (0, 180, 60, "k"),
    (0, 300, 50, "k"),
    (1, 180, 60, "k"),
    (1, 300, 50, "k"),
]

# Krippendorff (1995), "On the reliability of unitizing continuous data", Sociological
# Methodology 25, p. 57: four pairs of coders (A-D) on a continuum of 24; units as
# (begin, length, coder, category).
KRIPPENDORFF_1995 = [
    (2, 8, 0, "A"),
    (14, 6, 0, "A"),
    (4, 4, 1, "A"),
    (15, 2, 1, "A"),
    (0, 18, 0, "B"),
    (0, 2, 1, "B"),
    (2, 1, 1, "B"),
    (3, 1, 1, "B"),
    (4, 1, 1, "B"),
    (5, 1, 1, "B"),
    (6, 3, 1, "B"),
    (9, 1, 1, "B"),
    (2, 6, 0, "C"),
    (10, 2, 0, "C"),
    (14, 4, 0, "C"),
    (20, 2, 0, "C"),
    (0, 2, 1, "C"),
    (4, 4, 1, "C"),
    (10, 4, 1, "C"),
    (16, 2, 1, "C"),
    (20, 2, 1, "C"),
    (0, 2, 0, "D"),
    (2, 8, 0, "D"),
    (10, 4, 0, "D"),
    (14, 6, 0, "D"),
    (20, 4, 0, "D"),
    (0, 4, 1, "D"),
    (4, 4, 1, "D"),
    (8, 7, 1, "D"),
    (15, 2, 1, "D"),
    (17, 7, 1, "D"),
]


def test_krippendorff_2004_worked_example():
    """Krippendorff (2004), Content Analysis, 2nd ed., pp. 251-256, figure on p. 254.

    Published: alpha_c = .7286 (D_o .0144, D_e .0532), alpha_k = 1 (D_e .0490); the same
    numbers are asserted by DKPro Statistics' Krippendorff2004Test, which also asserts the
    overall alpha .8591 to within .0005.
    """
    units = [(rater, begin, begin + length, cat) for rater, begin, length, cat in KRIPPENDORFF_2004]
    result = unitizing_alpha(units, (150, 450))
    c, k = result.per_category["c"], result.per_category["k"]
    assert c.value == pytest.approx(0.7286, abs=5e-5)
    assert c.observed == pytest.approx(0.0144, abs=5e-5)
    assert c.expected == pytest.approx(0.0532, abs=5e-5)
    assert k.value == 1.0 and k.observed == 0.0
    assert k.expected == pytest.approx(0.0490, abs=5e-5)
    assert result.value == pytest.approx(0.8591, abs=5e-4)


def _example_1995(stretch: float):
    units = [
        (coder, int(b * stretch), int(b * stretch) + int(n * stretch), cat)
        for b, n, coder, cat in KRIPPENDORFF_1995
    ]
    return units, (0, int(24 * stretch))


def test_krippendorff_1995_example_observed_disagreement():
    """Krippendorff (1995), p. 57: D_o per pair of coders (exact fractions of L = 24)."""
    units, continuum = _example_1995(1)
    result = unitizing_alpha(units, continuum)
    observed = {cat: r.observed for cat, r in result.per_category.items()}
    assert observed == pytest.approx(
        {"A": 0.03125, "B": 2.26736, "C": 0.02778, "D": 0.38715}, abs=1e-5
    )


def test_krippendorff_1995_example_alphas_for_a_fine_continuum():
    """Krippendorff (1995), p. 57: alpha_A .553, alpha_B -.926, alpha_C .679, alpha_D .066.

    The 1995 paper's expected disagreement has a small error (DKPro Statistics notes it, and
    the 2004 formula we use corrects it); the published alphas are reproduced to within .02,
    as DKPro's Krippendorff1995Test does, on a continuum stretched 50,000 times.
    """
    units, continuum = _example_1995(50_000)
    result = unitizing_alpha(units, continuum)
    published = {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}
    for category, value in published.items():
        assert result.per_category[category].value == pytest.approx(value, abs=0.02)
    units, continuum = _example_1995(0.5)
    only_c = [u for u in units if u[3] == "C"]
    assert unitizing_alpha(only_c, continuum).per_category["C"].expected == pytest.approx(
        0.05494, abs=1e-5
    )


def test_dkpro_small_example_and_edge_cases():
    # r0: -11111111-   r1: --1-1-1---  (DKPro Statistics UnitizingAgreementTest)
    result = unitizing_alpha(
        [(0, 1, 9, "A"), (1, 2, 3, "A"), (1, 4, 5, "A"), (1, 6, 7, "A")], (0, 10)
    )
    a = result.per_category["A"]
    assert (a.observed, a.expected, a.value) == pytest.approx((0.91, 0.5351852, -0.7003460))
    single = unitizing_alpha([(0, 0, 1, "X")], (0, 20), raters=[0, 1, 2])
    assert single.value == pytest.approx(0.0)
    empty = unitizing_alpha([], (0, 20), raters=[0, 1, 2])
    assert math.isnan(empty.value) and empty.reason == "no units"
    lonely = unitizing_alpha([(0, 0, 5, "X")], (0, 20))
    assert math.isnan(lonely.value) and "fewer than two raters" in lonely.reason


def _reference(units_by_rater, begin, length):
    """Literal Krippendorff (2004) alpha_U for one category: every pair of segments."""

    def segments(units):
        result, position = [], begin
        for b, e in sorted(units):
            if b > position:
                result.append((position, b, False))
            result.append((b, e, True))
            position = e
        if position < begin + length:
            result.append((position, begin + length, False))
        return result

    def distance(g, h):
        (bg, eg, unit_g), (bh, eh, unit_h) = g, h
        if unit_g and unit_h and bg < eh and bh < eg:
            return (bg - bh) ** 2 + (eg - eh) ** 2
        if unit_g and not unit_h and bh <= bg and eg <= eh:
            return (eg - bg) ** 2
        if unit_h and not unit_g and bg <= bh and eh <= eg:
            return (eh - bh) ** 2
        return 0

    m, big_l = len(units_by_rater), length
    cut = [segments(u) for u in units_by_rater]
    observed = sum(
        distance(g, h) for i in range(m) for j in range(m) if i != j for g in cut[i] for h in cut[j]
    ) / (m * (m - 1) * big_l**2)
    lengths = [e - b for u in units_by_rater for b, e in u]
    gaps = [e - b for c in cut for b, e, unit in c if not unit]
    numerator = sum(
        (len(lengths) - 1) * (2 * x**3 - 3 * x**2 + x) / 3
        + x**2 * sum(g - x + 1 for g in gaps if g >= x)
        for x in lengths
    )
    expected = (
        2 / big_l * numerator / (m * big_l * (m * big_l - 1) - sum(x * (x - 1) for x in lengths))
    )
    return observed, expected


def _random_units(rnd, begin, length, n_raters, categories):
    units = []
    for rater in range(n_raters):
        for category in categories:
            cuts = sorted(rnd.sample(range(begin, begin + length + 1), 2 * rnd.randint(0, 4)))
            units += [
                (rater, cuts[i], cuts[i + 1], category)
                for i in range(0, len(cuts), 2)
                if cuts[i] < cuts[i + 1]
            ]
    return units


def test_matches_the_literal_formula_on_random_studies():
    rnd = random.Random(54)
    for _ in range(150):
        begin, length = rnd.randint(0, 30), rnd.randint(10, 70)
        n_raters = rnd.randint(2, 5)
        units = _random_units(rnd, begin, length, n_raters, "ab")
        result = unitizing_alpha(units, (begin, begin + length), raters=range(n_raters))
        for category, got in result.per_category.items():
            by_rater = [
                [(b, e) for r, b, e, c in units if r == rater and c == category]
                for rater in range(n_raters)
            ]
            observed, expected = _reference(by_rater, begin, length)
            assert got.observed == pytest.approx(observed, rel=1e-9, abs=1e-12)
            assert got.expected == pytest.approx(expected, rel=1e-9, abs=1e-12)
            if expected > 0:
                assert got.value == pytest.approx(1 - observed / expected, rel=1e-9, abs=1e-9)


def test_overlapping_units_of_one_rater_are_merged():
    joined = unitizing_alpha([(0, 0, 8, "x"), (1, 2, 6, "x")], (0, 10))
    split = unitizing_alpha([(0, 0, 5, "x"), (0, 3, 8, "x"), (1, 2, 6, "x")], (0, 10))
    assert split.value == pytest.approx(joined.value)
    adjacent = unitizing_alpha([(0, 0, 4, "x"), (0, 4, 8, "x"), (1, 2, 6, "x")], (0, 10))
    assert adjacent.value != pytest.approx(joined.value)  # touching units stay two units


def test_pooled_alpha_adds_weighted_section_disagreements():
    rnd = random.Random(9)
    sections = []
    for _ in range(4):
        length, raters = rnd.randint(20, 60), list(range(rnd.randint(2, 4)))
        sections.append((_random_units(rnd, 0, length, len(raters), "x"), (0, length), raters))
    one = pooled_unitizing_alpha(sections[:1])
    assert one.value == pytest.approx(
        unitizing_alpha(*sections[0][:2], raters=sections[0][2]).value
    )
    observed = expected = 0.0
    for units, (b, e), raters in sections:
        by_rater = [[(s, t) for r, s, t, _ in units if r == rater] for rater in raters]
        d_o, d_e = _reference(by_rater, b, e - b)
        weight = len(raters) * (len(raters) - 1) * (e - b) ** 2
        observed += weight * d_o
        expected += weight * d_e
    assert pooled_unitizing_alpha(sections).value == pytest.approx(1 - observed / expected)


def test_invalid_units_are_rejected():
    with pytest.raises(ValueError, match="outside"):
        unitizing_alpha([(0, 5, 12, "x")], (0, 10))
    with pytest.raises(ValueError, match="outside"):
        unitizing_alpha([(0, 5, 5, "x")], (0, 10))
    with pytest.raises(ValueError, match="not listed"):
        unitizing_alpha([(7, 1, 2, "x")], (0, 10), raters=[0, 1])
