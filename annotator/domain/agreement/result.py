"""Small, frozen result values shared by every agreement measure.

Design decision: a measure never answers with a bare float. An agreement coefficient can be
*undefined* (one rater, one unit, nothing pairable, every rater used the same single value), and
a bare ``0.0`` or ``1.0`` in those cases misleads a researcher; a crash is no better in a report
that computes dozens of coefficients at once. So every measure returns a frozen dataclass whose
``value`` is a float (``nan`` when undefined) and whose ``reason`` says in one sentence why it is
undefined (``None`` when it is defined). The results behave like floats where that is handy
(``float(r)``, ``f"{r:.3f}"``) and turn into JSON-able dicts with ``to_dict()`` (NaN becomes
``None``, because JSON has no NaN).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

NAN = float("nan")


def jsonable(value: Any) -> Any:
    """Convert dataclasses, mappings, sequences and numpy scalars to JSON-able values.

    Non-finite floats (NaN, +-inf) become ``None``; tuples become lists; mapping keys become
    strings. Used by every ``to_dict()`` in this package.
    """
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if hasattr(value, "item") and not isinstance(value, (int, float)):
        value = value.item()  # numpy scalar
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value


class FloatLike:
    """Mixin: ``float(result)`` and ``format(result, ".3f")`` use ``result.value``."""

    value: float

    def __float__(self) -> float:
        return float(self.value)

    def __format__(self, spec: str) -> str:
        return format(float(self.value), spec) if spec else repr(self)

    @property
    def defined(self) -> bool:
        """True when ``value`` is a number (not NaN)."""
        return not math.isnan(self.value)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able dict of all fields (NaN -> None)."""
        return jsonable(self)


@dataclass(frozen=True, repr=True)
class AgreementResult(FloatLike):
    """One agreement coefficient.

    Attributes:
        value: the coefficient, ``nan`` when undefined.
        reason: why the coefficient is undefined, ``None`` when it is defined.
        measure: what was computed, e.g. ``"krippendorff_alpha/ordinal"``.
        n_units: units that entered the computation (for alpha and kappa: units with at least
            two values; for weighted/segment data the summed unit weight, e.g. characters; for
            unitizing alpha: the annotated units).
        n_raters: raters (rows) that contributed at least one value.
        n_values: pairable values (Krippendorff's n..); summed weights for weighted data.
        observed: observed disagreement D_o (alpha) or observed agreement P_o (kappa).
        expected: expected disagreement D_e (alpha) or chance agreement P_e (kappa).
    """

    value: float
    reason: str | None = None
    measure: str = ""
    n_units: float = 0
    n_raters: int = 0
    n_values: float = 0
    observed: float = NAN
    expected: float = NAN


def undefined(measure: str, reason: str, **counts: Any) -> AgreementResult:
    """An :class:`AgreementResult` with ``value=nan`` and the given reason."""
    return AgreementResult(NAN, reason, measure, **counts)


@dataclass(frozen=True, repr=True)
class SpanF1Result(FloatLike):
    """Span matching scores; ``value`` is F1.

    ``precision = tp / (tp + fp)`` (``nan`` when the first side has no spans),
    ``recall = tp / (tp + fn)`` (``nan`` when the second side has no spans) and
    ``f1 = 2 tp / (2 tp + fp + fn)``, which is defined whenever either side has a span and is
    ``nan`` only when both sides are empty (there is nothing to agree or disagree about).
    """

    value: float
    reason: str | None
    mode: str
    precision: float
    recall: float
    tp: int
    fp: int
    fn: int

    @property
    def f1(self) -> float:
        """Alias of ``value``."""
        return self.value


def span_scores(tp: int, fp: int, fn: int, mode: str) -> SpanF1Result:
    """Build a :class:`SpanF1Result` from match counts (see its docstring for the formulas)."""
    precision = tp / (tp + fp) if tp + fp else NAN
    recall = tp / (tp + fn) if tp + fn else NAN
    denominator = 2 * tp + fp + fn
    if denominator == 0:
        return SpanF1Result(NAN, "both sides are empty", mode, NAN, NAN, 0, 0, 0)
    reason = None
    if tp + fp == 0:
        reason = "the first side has no spans: precision is undefined"
    elif tp + fn == 0:
        reason = "the second side has no spans: recall is undefined"
    return SpanF1Result(2 * tp / denominator, reason, mode, precision, recall, tp, fp, fn)


@dataclass(frozen=True, repr=True)
class BootstrapResult(FloatLike):
    """A point estimate with a percentile bootstrap confidence interval.

    Attributes:
        value: the estimate on the full data (``nan`` when undefined).
        low, high: the interval bounds (``nan`` when no replicate was defined).
        ci: the confidence level, e.g. 0.95.
        n_boot: replicates drawn; n_valid: replicates whose estimate was defined (the interval
            uses only those, so a small n_valid means a fragile interval).
        seed: the seed of ``numpy.random.default_rng`` that reproduces the interval.
        reason: why the estimate or the interval is undefined, else ``None``.
    """

    value: float
    low: float
    high: float
    ci: float
    n_boot: int
    n_valid: int
    seed: int | None
    reason: str | None = None
    n_clusters: int = 0


@dataclass(frozen=True, repr=True)
class UnitizingResult(FloatLike):
    """Krippendorff's unitizing alpha: overall ``value`` and one result per category.

    ``observed`` and ``expected`` are the category-averaged disagreements D_o and D_e, as in
    DKPro Statistics' ``KrippendorffAlphaUnitizingAgreement``.
    """

    value: float
    reason: str | None
    observed: float
    expected: float
    n_raters: int
    n_units: int
    continuum_length: int
    per_category: dict[Any, AgreementResult] = field(default_factory=dict)
