"""Krippendorff's alpha: published example, reference implementation, weights, undefined cases."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest

from annotator.domain.agreement import alpha_from_coincidences, krippendorff_alpha
from annotator.domain.agreement.alpha import binary_alpha_results

NAN = float("nan")

# Krippendorff, K. (2011). "Computing Krippendorff's Alpha-Reliability", example C: four
# observers, twelve units, missing values. Published: nominal .743, ordinal .815,
# interval .849, ratio .797.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_worked_example(level, published):
    """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C."""
    result = krippendorff_alpha(KRIPPENDORFF_2011, level)
    assert round(result.value, 3) == published
    assert result.reason is None
    assert result.n_units == 11  # unit 11 has a single value and drops out


def test_ordinal_strings_need_and_use_an_ordered_domain():
    words = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    data = [
        [None if isinstance(v, float) and math.isnan(v) else words[v] for v in row]
        for row in KRIPPENDORFF_2011
    ]
    domain = ["very low", "low", "mid", "high", "very high"]
    assert round(krippendorff_alpha(data, "ordinal", domain).value, 3) == 0.815
    assert round(krippendorff_alpha(data, "nominal").value, 3) == 0.743
    with pytest.raises(ValueError, match="value_domain"):
        krippendorff_alpha(data, "ordinal")


def test_strings_with_nan_are_missing_not_the_string_nan():
    data = [["a", "b", NAN, "a"], ["a", "b", "b", None]]
    reference = krippendorff.alpha([[0, 1, NAN, 0], [0, 1, 1, NAN]], level_of_measurement="nominal")
    assert krippendorff_alpha(data).value == pytest.approx(reference)


def _random_data(rng, level):
    raters, units = int(rng.integers(2, 8)), int(rng.integers(3, 60))
    n_values = int(rng.integers(2, 7))
    if level in ("interval", "ratio") and rng.random() < 0.5:
        domain = np.round(rng.uniform(0.5, 20, n_values), 2)
        data = rng.choice(domain, size=(raters, units))
    else:
        data = rng.integers(1, n_values + 1, size=(raters, units)).astype(float)
    data[rng.random(data.shape) < rng.uniform(0, 0.5)] = np.nan
    return data


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_matches_krippendorff_package_on_random_data_with_missing_values(level):
    rng = np.random.default_rng(2011)
    compared = 0
    for _ in range(150):
        data = _random_data(rng, level)
        ours = krippendorff_alpha(data, level)
        if not ours.defined:
            continue
        assert ours.value == pytest.approx(
            krippendorff.alpha(data, level_of_measurement=level), rel=1e-9, abs=1e-12
        )
        compared += 1
    assert compared > 100


def test_sequence_input_and_value_domain_with_unused_values():
    data = [[1, 2, 3, None], [1, 2, 2, 3], [None, 2, 3, 3]]
    reference = krippendorff.alpha(np.array(data, dtype=float), level_of_measurement="ordinal")
    assert krippendorff_alpha(data, "ordinal").value == pytest.approx(reference)
    widened = krippendorff_alpha(data, "ordinal", value_domain=[0, 1, 2, 3, 4, 5])
    assert widened.value == pytest.approx(reference)
    with pytest.raises(ValueError, match="outside value_domain"):
        krippendorff_alpha(data, "nominal", value_domain=[1, 2])


def test_unit_weights_equal_repeated_columns():
    rng = np.random.default_rng(7)
    for level in ("nominal", "ordinal", "interval", "ratio"):
        data = rng.integers(1, 5, size=(4, 12)).astype(float)
        data[rng.random(data.shape) < 0.3] = np.nan
        weights = rng.integers(0, 6, size=12)
        expanded = np.repeat(data, weights, axis=1)
        weighted = krippendorff_alpha(data, level, unit_weights=weights)
        plain = krippendorff_alpha(expanded, level)
        assert weighted.value == pytest.approx(plain.value, rel=1e-12)
        assert weighted.n_units == plain.n_units


def test_mixed_type_nominal_values():
    data = [["yes", 1, None, "no"], ["yes", 1, 2, "no"], ["no", 1, 2, None]]
    coded = [[0, 1, NAN, 3], [0, 1, 2, 3], [3, 1, 2, NAN]]
    reference = krippendorff.alpha(coded, level_of_measurement="nominal")
    assert krippendorff_alpha(data).value == pytest.approx(reference)
    with pytest.raises(ValueError, match="numbers"):
        krippendorff_alpha(data, "interval", value_domain=["yes", "no", 1, 2])


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ([[1, 2, 3]], "fewer than two raters"),
        ([[1, None, 3], [None, 2, None]], "no unit has two or more values"),
        ([[1, 2, None], [2, None, 3]], "only one unit"),
        ([[4, 4, 4], [4, 4, None]], "same"),
        ([[None, None], [None, None]], "no unit has two or more values"),
        (np.empty((2, 0)), "no unit has two or more values"),
    ],
)
def test_undefined_cases_are_nan_with_a_reason(data, reason):
    result = krippendorff_alpha(data, "nominal")
    assert math.isnan(result.value)
    assert reason in result.reason
    assert not result.defined


def test_result_behaves_like_a_float_and_serialises():
    result = krippendorff_alpha(KRIPPENDORFF_2011, "interval")
    assert float(result) == result.value
    assert f"{result:.3f}" == "0.849"
    assert result.to_dict()["value"] == pytest.approx(0.849, abs=5e-4)
    undefined = krippendorff_alpha([[1, 1], [1, 1]])
    assert undefined.to_dict()["value"] is None


def test_bad_input_raises_clear_errors():
    with pytest.raises(ValueError, match="2-D"):
        krippendorff_alpha([1, 2, 3])
    with pytest.raises(ValueError, match="rectangular"):
        krippendorff_alpha([[1, 2], [1]])
    with pytest.raises(ValueError, match="level_of_measurement"):
        krippendorff_alpha([[1, 2], [1, 2]], "cardinal")
    with pytest.raises(ValueError, match="unit_weights"):
        krippendorff_alpha([[1, 2], [1, 2]], unit_weights=[1])


def test_vectorised_binary_alpha_equals_the_general_one():
    rng = np.random.default_rng(3)
    sums = rng.integers(0, 20, size=(300, 3)).astype(float)
    sums[:20, 1] = 0  # no disagreement
    sums[20:40, 0] = sums[20:40, 1] = 0  # a single value
    sums[40:50] = 0  # nothing pairable
    units = rng.integers(0, 5, size=300).astype(float)
    results = binary_alpha_results(sums, units, np.full(300, 3))
    for (o00, o01, o11), n_units, got in zip(sums, units, results, strict=True):
        want = alpha_from_coincidences(
            np.array([[o00, o01], [o01, o11]]), "nominal", n_units=n_units, n_raters=3
        )
        assert got.reason == want.reason
        assert got.value == pytest.approx(want.value, nan_ok=True)
        assert got.observed == pytest.approx(want.observed, nan_ok=True)
