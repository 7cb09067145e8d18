"""A codebook's label colours as a stylesheet, so the workspace needs no inline styles.

Under the app's Content-Security-Policy (``style-src 'self'``) neither ``style="..."``
attributes nor ``<style>`` blocks are allowed, yet every label has its own colour. This module
writes one small rule set per label; every page that shows labels links it as
``/projects/<slug>/codebook.css``.

Classes per label key ``K`` (keys are slugs, see ``codebook_checks.KEY_PATTERN``, so they are
valid in class names after a prefix):

- ``sw-K`` / ``swatch-K``: a colour swatch; ``c-K``: a chip (label name on the label colour);
- ``lbl-K``: sets ``--label-color`` for pages that draw with the colour themselves
  (comparison tracks, agreement bars, dashboard);
- ``t-K``: the faint tint of a highlight; ``g-K``: its label tag (``::before``; the selector
  is as specific as workspace.css's default tag rule and comes later, so it wins);
- ``u<lane>-K``: the underline colour of an annotation drawn in stacking lane ``lane``
  (``static/js/render.js`` draws ``MAX_LANES`` lanes; keep the two numbers equal).

Text on a label colour is black or white, whichever contrasts more: the better of the two
always reaches at least 4.58:1 (WCAG 2.x), above the 4.5:1 needed for normal text.
"""

from __future__ import annotations

from collections.abc import Mapping

from annotator.domain.codebook.checks import COLOR_PATTERN, KEY_PATTERN
from annotator.domain.codebook.model import wcag_contrast_ratio

#: Underline lanes drawn separately; must equal MAX_LANES in static/js/render.js.
MAX_LANES = 4
#: Alpha (hex) of a highlight's tint: light enough that text keeps its contrast.
TINT_ALPHA = "24"


def ink_for(color: str) -> str:
    """Black or white, whichever is more legible on ``color`` (``#rrggbb``)."""
    on_white = wcag_contrast_ratio(color, "#ffffff")
    on_black = wcag_contrast_ratio(color, "#000000")
    return "#ffffff" if on_white >= on_black else "#000000"


def label_rules(key: str, color: str) -> str:
    """The CSS rules of one label; empty for a key or colour that is not well-formed."""
    if not KEY_PATTERN.fullmatch(key) or not COLOR_PATTERN.fullmatch(color):
        return ""
    ink = ink_for(color)
    lanes = "".join(f".hl.u{lane}-{key}{{--u{lane}:{color}}}" for lane in range(MAX_LANES))
    return (
        f".sw-{key},.swatch-{key}{{background-color:{color}}}"
        f".lbl-{key}{{--label-color:{color}}}"
        f".c-{key}{{background-color:{color};color:{ink}}}"
        f".hl.t-{key}{{--tint:{color}{TINT_ALPHA}}}"
        f"mark.hl.g-{key}::before{{background-color:{color};color:{ink}}}"
        f"{lanes}\n"
    )


def label_stylesheet(codebook: Mapping) -> str:
    """CSS for every label of a codebook as :func:`codebook_dict` presents it."""
    parts = ["/* Label colours of this project's codebook (annotator/web/label_styles.py) */\n"]
    for layer in codebook.get("layers", []):
        for label in layer.get("labels", []):
            parts.append(label_rules(str(label.get("key", "")), str(label.get("color", ""))))
    return "".join(parts)
