"""Turn reliability data into integer value codes (private helper of alpha and kappa).

Reliability data follow the ``krippendorff`` package's convention: a raters x units matrix (a
sequence of sequences or a 2-D array) in which ``None`` or NaN marks a missing value. Values may
be numbers or strings (strings only make sense for nominal data, or for ordinal data when an
ordered ``value_domain`` is given).

Design decisions:

* Lists are converted with ``dtype=object`` whenever numpy would otherwise build a string array,
  because ``np.asarray(["a", float("nan")])`` silently turns NaN into the string ``"nan"``.
* Numeric data take a fast path: integer-valued data in a modest range are coded with a lookup
  table (O(n), no sort), which keeps a 50 x 200,000 matrix well under a second.
* Codes are ``int64`` with ``-1`` for missing, so counting is a single ``bincount``.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

LEVELS = ("nominal", "ordinal", "interval", "ratio")
_LUT_MAX_RANGE = 1 << 22


@dataclass(frozen=True)
class CodedData:
    """Reliability data as codes: ``codes[r, u]`` indexes ``domain``; -1 means missing."""

    codes: np.ndarray
    domain: list[Any]
    numeric_domain: np.ndarray | None  # float values of the domain when all are numbers


def check_level(level: str) -> None:
    """Raise ``ValueError`` unless ``level`` is one of nominal/ordinal/interval/ratio."""
    if level not in LEVELS:
        raise ValueError(f"level_of_measurement must be one of {LEVELS}, got {level!r}")


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (float, np.floating)):
        return bool(np.isnan(value))
    return False


def _is_number(value: Any) -> bool:
    return isinstance(value, (numbers.Real, np.number)) and not isinstance(value, str)


def as_matrix(data: Any) -> np.ndarray:
    """Return reliability data as a 2-D numpy array (numeric or object dtype)."""
    if isinstance(data, np.ndarray):
        array = data
    else:
        try:
            array = np.asarray(data)
            if array.dtype.kind in "US":
                array = np.array(data, dtype=object)
        except ValueError as error:
            raise ValueError(
                "reliability_data must be rectangular: every rater row needs one entry per "
                "unit (use None for a missing value)"
            ) from error
    if array.ndim != 2:
        raise ValueError(f"reliability_data must be 2-D (raters x units), got {array.ndim}-D data")
    if array.dtype.kind == "c":
        raise ValueError("complex values are not supported")
    if array.dtype.kind in "mM":
        raise ValueError("date/time values are not supported; convert them to numbers")
    return array


def _code_numeric(values: np.ndarray, missing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes and sorted unique domain for a float matrix with a missing mask."""
    present = values[~missing]
    codes = np.full(values.shape, -1, dtype=np.int64)
    if present.size == 0:
        return codes, np.empty(0, dtype=np.float64)
    low, high = present.min(), present.max()
    integral = np.all(np.floor(present) == present)
    if integral and high - low < _LUT_MAX_RANGE:
        offsets = (present - low).astype(np.int64)
        used = np.bincount(offsets, minlength=int(high - low) + 1) > 0
        lookup = np.cumsum(used) - 1
        codes[~missing] = lookup[offsets]
        domain = np.nonzero(used)[0].astype(np.float64) + low
        return codes, domain
    domain, inverse = np.unique(present, return_inverse=True)
    codes[~missing] = inverse.ravel()
    return codes, domain


def _code_with_domain(
    flat_values: Sequence[Any], positions: np.ndarray, shape: tuple[int, int], domain: list[Any]
) -> np.ndarray:
    lookup: dict[Any, int] = {}
    for index, value in enumerate(domain):
        if value in lookup:
            raise ValueError(f"value_domain contains {value!r} twice")
        lookup[value] = index
    unknown = [v for v in set(flat_values) if v not in lookup]
    if unknown:
        shown = ", ".join(repr(v) for v in sorted(unknown, key=repr)[:5])
        raise ValueError(f"reliability_data contains values outside value_domain: {shown}")
    codes = np.full(shape[0] * shape[1], -1, dtype=np.int64)
    codes[positions] = np.fromiter((lookup[v] for v in flat_values), np.int64, len(flat_values))
    return codes.reshape(shape)


def code_values(
    data: Any, level: str = "nominal", value_domain: Sequence[Any] | None = None
) -> CodedData:
    """Code reliability data for the given level of measurement.

    ``value_domain`` (optional) lists every admissible value; for ordinal data its order is the
    rank order; values outside it raise ``ValueError``. Without it the domain is the sorted set of
    values that occur (numbers) or the set of strings (nominal only).
    """
    check_level(level)
    array = as_matrix(data)
    shape = array.shape
    if array.dtype.kind in "biuf":
        values = array.astype(np.float64, copy=False)
        missing = np.isnan(values)
        if value_domain is None:
            codes, domain = _code_numeric(values, missing)
            return CodedData(codes, domain.tolist(), domain)
        flat_positions = np.flatnonzero(~missing)
        flat_values = values.ravel()[flat_positions].tolist()
    else:
        flat = array.ravel().tolist()
        flat_positions = np.fromiter(
            (i for i, v in enumerate(flat) if not _is_missing(v)), np.int64
        )
        flat_values = [flat[i] for i in flat_positions]
        all_numbers = all(_is_number(v) for v in flat_values)
        if value_domain is None and all_numbers:
            numeric = np.full(len(flat), np.nan)
            numeric[flat_positions] = np.asarray(flat_values, dtype=np.float64)
            numeric = numeric.reshape(shape)
            codes, domain = _code_numeric(numeric, np.isnan(numeric))
            return CodedData(codes, domain.tolist(), domain)
        if value_domain is None:
            if level != "nominal":
                raise ValueError(
                    f"{level} data with non-numeric values need an ordered value_domain"
                )
            value_domain = sorted(set(flat_values), key=lambda v: (type(v).__name__, v))
    domain = list(value_domain)
    if level in ("interval", "ratio") and not all(_is_number(v) for v in domain):
        raise ValueError(f"{level} data must be numbers")
    codes = _code_with_domain(flat_values, flat_positions, shape, domain)
    numeric_domain = (
        np.asarray(domain, dtype=np.float64) if all(_is_number(v) for v in domain) else None
    )
    return CodedData(codes, domain, numeric_domain)


@dataclass(frozen=True)
class ValueCounts:
    """Units x values counts plus what alpha and kappa need to know about the data."""

    counts: np.ndarray
    domain: list[Any]
    numeric_domain: np.ndarray | None
    n_rows: int
    n_raters: int  # rows with at least one value


def _fast_numeric_counts(array: np.ndarray) -> ValueCounts | None:
    """Counts straight from an integer-valued float matrix (no codes, no sort), else ``None``.

    Written for memory traffic: one shifted float copy, one integer copy (int32 when it fits),
    in-place updates, one ``bincount``. Missing entries land in a dropped column 0.
    """
    values = array.astype(np.float64, copy=False)
    missing = np.isnan(values)
    empty_rows = missing.all(axis=1)
    if empty_rows.all():
        return None
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    if high - low >= 4096:
        return None
    width = int(high - low) + 2  # column 0 collects missing entries
    n_units = values.shape[1]
    shifted = values - (low - 1.0)
    np.copyto(shifted, 0.0, where=missing)
    small = n_units * width < np.iinfo(np.int32).max
    keys = shifted.astype(np.int32 if small else np.int64)
    if not np.array_equal(keys, shifted):
        return None  # not integer-valued
    del shifted
    keys += np.arange(n_units, dtype=keys.dtype) * width
    counts = np.bincount(keys.ravel(), minlength=n_units * width).reshape(n_units, width)[:, 1:]
    used = counts.any(axis=0)
    domain = np.nonzero(used)[0].astype(np.float64) + low
    n_raters = int(values.shape[0] - np.count_nonzero(empty_rows))
    return ValueCounts(counts[:, used], domain.tolist(), domain, values.shape[0], n_raters)


def value_counts(
    data: Any, level: str = "nominal", value_domain: Sequence[Any] | None = None
) -> ValueCounts:
    """Units x values counts of reliability data (see :func:`code_values` for the domain)."""
    check_level(level)
    array = as_matrix(data)
    if value_domain is None and array.dtype.kind in "biuf":
        fast = _fast_numeric_counts(array)
        if fast is not None:
            return fast
    coded = code_values(array, level, value_domain)
    counts = unit_value_counts(coded.codes, len(coded.domain))
    n_raters = int(np.count_nonzero((coded.codes >= 0).any(axis=1)))
    return ValueCounts(counts, coded.domain, coded.numeric_domain, array.shape[0], n_raters)


def unit_value_counts(codes: np.ndarray, n_values: int) -> np.ndarray:
    """``counts[u, v]``: how many raters gave value ``v`` to unit ``u`` (units x values)."""
    n_units = codes.shape[1]
    width = n_values + 1  # column 0 collects missing entries
    keys = np.arange(n_units, dtype=np.int64) * width + (codes + 1)
    counts = np.bincount(keys.ravel(), minlength=n_units * width)
    return counts.reshape(n_units, width)[:, 1:]
