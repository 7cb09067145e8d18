"""Inter-annotator agreement: pure Python + numpy, importable without the web app.

    >>> from annotator.domain.agreement import krippendorff_alpha
    >>> round(krippendorff_alpha([[1, 2, 2, None], [1, 2, 3, 3]], "nominal").value, 3)
    0.545

Modules (each documents its formulas and sources):

* ``alpha``: Krippendorff's alpha at nominal/ordinal/interval/ratio level (Krippendorff 2011).
* ``kappa``: percent agreement, Fleiss' kappa (Fleiss 1971; Gwet 2014 for missing ratings),
  Cohen's kappa (scikit-learn's conventions, linear/quadratic weights).
* ``spans``: one-to-one span matching and span F1 (exact or overlap).
* ``coding``: spans as present/absent data per character or token, run-length compressed.
* ``unitizing``: Krippendorff's unitizing alpha (1995/2004, as in DKPro Statistics).
* ``bootstrap``: article-level (cluster) bootstrap intervals.
* ``report`` / ``report_model``: the whole study report as plain dataclasses, JSON and CSV.

Every coefficient is returned as a small frozen result (``value`` and ``reason``); undefined
coefficients are ``nan`` with a reason instead of a misleading 0 or 1.
"""

from annotator.domain.agreement.alpha import alpha_from_coincidences, krippendorff_alpha
from annotator.domain.agreement.bootstrap import bootstrap_alpha
from annotator.domain.agreement.coding import CodingData, coding_reliability_data
from annotator.domain.agreement.kappa import (
    cohen_kappa,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    percent_agreement,
)
from annotator.domain.agreement.report import study_report
from annotator.domain.agreement.report_model import QuestionSpec, StudyReport, report_csv_rows
from annotator.domain.agreement.result import (
    AgreementResult,
    BootstrapResult,
    SpanF1Result,
    UnitizingResult,
)
from annotator.domain.agreement.spans import match_spans, span_f1
from annotator.domain.agreement.unitizing import pooled_unitizing_alpha, unitizing_alpha

__all__ = [
    "AgreementResult",
    "BootstrapResult",
    "CodingData",
    "QuestionSpec",
    "SpanF1Result",
    "StudyReport",
    "UnitizingResult",
    "alpha_from_coincidences",
    "bootstrap_alpha",
    "coding_reliability_data",
    "cohen_kappa",
    "fleiss_kappa",
    "fleiss_kappa_from_counts",
    "krippendorff_alpha",
    "match_spans",
    "percent_agreement",
    "pooled_unitizing_alpha",
    "report_csv_rows",
    "span_f1",
    "study_report",
    "unitizing_alpha",
]
