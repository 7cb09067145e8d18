"""Server-rendered SVG charts for the agreement report: a reviewer x reviewer heatmap and
horizontal bars with confidence-interval whiskers.

Pure (strings in, a string out): no Flask, no templates, so the charts are unit-tested on
literal data and can be saved as files. Design decisions:

* **CSP-safe.** The page's Content-Security-Policy forbids inline styles, so the markup holds
  no ``style`` attribute and no ``<style>`` element; colours, sizes and fonts are SVG
  presentation attributes (``fill``, ``font-size``), which are not styles. The page's
  stylesheet only scales the chart (``class="agreement-chart"``).
* **Accessible.** Each chart is ``role="img"`` labelled by its ``<title>`` and ``<desc>``;
  every cell and bar has its own ``<title>`` (a tooltip, and text for screen readers that
  explore the graphic), and the numbers are printed, not only encoded as colour.
* **Honest about undefined values.** A NaN (``None``) is never drawn as 0: heatmap cells show
  a dash on a hatched-looking grey, bars show "undefined" and the reason.
* **Colour scale** for the heatmap: a sequential light-to-dark blue ramp over [0, 1]
  (interpolated in sRGB between fixed stops, dark enough at the top end for white text);
  text colour switches by the background's relative luminance (WCAG 2.1 definition).
* **Reference lines** on the alpha bars at 0.667 and 0.800: Krippendorff's guidance that
  alpha >= .800 supports conclusions and .667 <= alpha < .800 only tentative ones
  (Krippendorff, *Content Analysis*, 2nd ed., 2004, p. 241).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
INK = "#1c1f24"
MUTED = "#57606a"
GRID = "#d0d7de"
UNDEFINED_FILL = "#e4e8ec"
DIAGONAL_FILL = "#ffffff"
BAR_FILL = "#0b5cad"
WHISKER = "#1c1f24"
#: Light-to-dark blue, value 0 -> first stop, 1 -> last stop.
RAMP = ("#f3f8fd", "#c6dbef", "#8fbfe0", "#4a98c9", "#1764ab", "#08306b")
REFERENCE_LINES = ((0.667, "0.667"), (0.8, "0.800"))
#: Bar names longer than this are shortened with an ellipsis (the tooltip has them whole).
NAME_CHARS = 34


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _number(value: float) -> str:
    """Coordinates with at most two decimals, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _defined(value: float | None) -> bool:
    return value is not None and not math.isnan(value)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def ramp_colour(value: float) -> str:
    """The heatmap colour of ``value`` (clipped to [0, 1]) as ``#rrggbb``."""
    value = min(1.0, max(0.0, value))
    position = value * (len(RAMP) - 1)
    index = min(int(position), len(RAMP) - 2)
    fraction = position - index
    low, high = _rgb(RAMP[index]), _rgb(RAMP[index + 1])
    mixed = (round(a + (b - a) * fraction) for a, b in zip(low, high, strict=True))
    return "#" + "".join(f"{c:02x}" for c in mixed)


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of ``#rrggbb`` (sRGB linearised, threshold 0.04045)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background``.

    Pure black and white, so that the better of the two always reaches at least 4.58:1
    (the worst case is a background of luminance 0.179), above WCAG's 4.5:1 for text.
    """
    luminance = relative_luminance(background)
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


def _open(svg_id: str, width: float, height: float, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="agreement-chart" id="{_text(svg_id)}" '
        f'role="img" aria-labelledby="{_text(svg_id)}-title {_text(svg_id)}-desc" '
        f'width="{_number(width)}" height="{_number(height)}" '
        f'viewBox="0 0 {_number(width)} {_number(height)}" font-family="{_text(FONT)}" '
        f'fill="{INK}">',
        f'<title id="{_text(svg_id)}-title">{_text(title)}</title>',
        f'<desc id="{_text(svg_id)}-desc">{_text(description)}</desc>',
    ]


def _shorten(name: str, limit: int) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def matrix_heatmap_svg(
    names: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    counts: Sequence[Sequence[int]] | None = None,
    title: str,
    description: str,
    svg_id: str = "reviewer-matrix",
    value_name: str = "F1",
) -> str:
    """A square heatmap of ``values[i][j]`` (expected in [0, 1]; NaN/None = undefined).

    ``counts[i][j]`` (optional) is shown in each cell's tooltip, e.g. shared articles. Values
    are printed in the cells (two decimals) while cells are at least 22 px wide; above about
    40 names the cells shrink and the numbers live in the tooltips only. An empty ``names``
    gives a small chart that says so.
    """
    n = len(names)
    if any(len(row) != n for row in values) or len(values) != n:
        raise ValueError("values must be a square matrix with one row per name")
    cell = 40 if n <= 8 else 32 if n <= 16 else max(12, min(26, 760 // max(n, 1)))
    show_numbers = cell >= 22
    font = 12 if cell >= 32 else 10 if cell >= 26 else 9
    longest = max((len(name) for name in names), default=4)
    label_chars = min(longest, 18)
    left = 12 + label_chars * 7
    top = 12 + label_chars * 5 + 10
    legend_height = 56
    width = max(left + n * cell + 16, left + 420)  # the legend needs about 420 px
    height = top + n * cell + legend_height
    out = _open(svg_id, width, height, title, description)
    if n == 0:
        out.append(
            f'<text x="12" y="{_number(top)}" fill="{MUTED}" font-size="13">'
            "No reviewers to compare.</text></svg>"
        )
        return "\n".join(out)
    out.append('<g class="column-names">')
    for j, name in enumerate(names):
        x, y = left + j * cell + cell / 2, top - 6
        out.append(
            f'<text x="{_number(x)}" y="{_number(y)}" font-size="{font}" '
            f'transform="rotate(-55 {_number(x)} {_number(y)})">'
            f"{_text(_shorten(name, label_chars))}</text>"
        )
    out.append('</g><g class="row-names">')
    for i, name in enumerate(names):
        y = top + i * cell + cell / 2 + font / 3
        out.append(
            f'<text x="{_number(left - 6)}" y="{_number(y)}" font-size="{font}" '
            f'text-anchor="end">{_text(_shorten(name, label_chars))}</text>'
        )
    out.append('</g><g class="cells">')
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            x, y = left + j * cell, top + i * cell
            defined = _defined(value)
            fill = ramp_colour(value) if defined else UNDEFINED_FILL
            if i == j:
                fill = DIAGONAL_FILL
            shown = f"{value:.2f}" if defined else "–"
            tip = _cell_tip(names, i, j, shown, counts, value_name)
            out.append(
                f'<g><title>{_text(tip)}</title><rect x="{_number(x)}" '
                f'y="{_number(y)}" width="{cell}" height="{cell}" fill="{fill}" '
                f'stroke="#ffffff" stroke-width="1"/>'
            )
            if show_numbers and i != j:
                colour = text_colour(fill) if defined else MUTED
                out.append(
                    f'<text x="{_number(x + cell / 2)}" y="{_number(y + cell / 2 + 4)}" '
                    f'font-size="{font}" text-anchor="middle" fill="{colour}">'
                    f"{_text(shown)}</text>"
                )
            out.append("</g>")
    out.append("</g>")
    out.extend(_heatmap_legend(svg_id, left, top + n * cell + 18, value_name))
    out.append("</svg>")
    return "\n".join(out)


def _cell_tip(names, i: int, j: int, shown: str, counts, value_name: str) -> str:
    if i == j:
        tip = names[i]
        if counts is not None:
            tip += f": {counts[i][i]} article{'' if counts[i][i] == 1 else 's'} in the report"
        return tip
    tip = f"{names[i]} × {names[j]}: {value_name} {shown}"
    if counts is not None:
        tip += f" ({counts[i][j]} shared article{'' if counts[i][j] == 1 else 's'})"
    return tip


def _heatmap_legend(svg_id: str, x: float, y: float, value_name: str) -> list[str]:
    gradient = f"{svg_id}-ramp"
    stops = "".join(
        f'<stop offset="{_number(i / (len(RAMP) - 1))}" stop-color="{colour}"/>'
        for i, colour in enumerate(RAMP)
    )
    bar = 160
    out = [
        f'<g class="legend"><defs><linearGradient id="{_text(gradient)}">{stops}'
        "</linearGradient></defs>",
        f'<text x="{_number(x)}" y="{_number(y - 4)}" font-size="11" fill="{MUTED}">'
        f"{_text(value_name)}</text>",
        f'<rect x="{_number(x)}" y="{_number(y)}" width="{bar}" height="10" '
        f'fill="url(#{_text(gradient)})" stroke="{GRID}"/>',
    ]
    for tick in (0, 0.5, 1):
        tx = x + tick * bar
        out.append(
            f'<text x="{_number(tx)}" y="{_number(y + 24)}" font-size="11" '
            f'text-anchor="middle" fill="{MUTED}">{tick:g}</text>'
        )
    sx = x + bar + 24
    out.append(
        f'<rect x="{_number(sx)}" y="{_number(y)}" width="10" height="10" '
        f'fill="{UNDEFINED_FILL}" stroke="{GRID}"/>'
        f'<text x="{_number(sx + 14)}" y="{_number(y + 9)}" font-size="11" '
        f'fill="{MUTED}">no shared article with spans</text></g>'
    )
    return out


@dataclass(frozen=True)
class IntervalBar:
    """One bar: ``value`` with an optional interval [``low``, ``high``] (NaN/None = none).

    ``group`` rows (e.g. a layer) are drawn bold and the others indented beneath them;
    ``note`` says why an undefined value is undefined.
    """

    name: str
    value: float | None
    low: float | None = None
    high: float | None = None
    group: bool = False
    note: str | None = None


def _domain(bars: Sequence[IntervalBar]) -> tuple[float, float]:
    """[lowest of 0, values and interval ends, rounded down to 0.25 and at least -1; 1]."""
    points = [0.0]
    for bar in bars:
        points += [v for v in (bar.value, bar.low, bar.high) if _defined(v)]
    low = max(-1.0, math.floor(min(points) * 4) / 4)
    return low, 1.0


def interval_bars_svg(
    bars: Sequence[IntervalBar],
    *,
    title: str,
    description: str,
    svg_id: str,
    value_name: str = "alpha",
    interval_name: str = "95% interval",
    references: Sequence[tuple[float, str]] = REFERENCE_LINES,
) -> str:
    """Horizontal bars from 0 to each value, with interval whiskers and the value printed.

    The axis runs from min(0, every value and interval end), rounded down to a quarter and
    at least -1, to 1; ``references`` are dashed vertical lines (value, label).
    """
    row, plot = 24, 360
    left = 236  # room for names of up to NAME_CHARS characters
    top = 34
    height = top + max(len(bars), 1) * row + 44
    width = left + plot + 70
    low, high = _domain(bars)

    def x_of(value: float) -> float:
        return left + (min(high, max(low, value)) - low) / (high - low) * plot

    out = _open(svg_id, width, height, title, description)
    axis_y = top + len(bars) * row + 4
    ticks = [t / 4 for t in range(int(low * 4), 5)]
    out.append('<g class="axis">')
    for tick in ticks:
        tx = x_of(tick)
        out.append(
            f'<line x1="{_number(tx)}" y1="{top - 6}" x2="{_number(tx)}" '
            f'y2="{_number(axis_y)}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{_number(tx)}" y="{_number(axis_y + 16)}" font-size="11" '
            f'text-anchor="middle" fill="{MUTED}">{tick:g}</text>'
        )
    zero = x_of(0.0)
    out.append(
        f'<line x1="{_number(zero)}" y1="{top - 6}" x2="{_number(zero)}" '
        f'y2="{_number(axis_y)}" stroke="{MUTED}" stroke-width="1.5"/>'
    )
    for value, label in references:
        if low <= value <= high:
            rx = x_of(value)
            out.append(
                f'<line x1="{_number(rx)}" y1="{top - 10}" x2="{_number(rx)}" '
                f'y2="{_number(axis_y)}" stroke="#9a6700" stroke-width="1" '
                f'stroke-dasharray="4 3"/><text x="{_number(rx)}" y="{top - 14}" '
                f'font-size="10" text-anchor="middle" fill="#6c4a00">'
                f"{_text(label)}</text>"
            )
    out.append(
        f'<text x="{_number(left + plot)}" y="{_number(axis_y + 30)}" font-size="11" '
        f'text-anchor="end" fill="{MUTED}">{_text(value_name)}</text></g>'
    )
    if not bars:
        out.append(
            f'<text x="{left}" y="{top + 14}" font-size="13" fill="{MUTED}">Nothing to show.</text>'
        )
    for index, bar in enumerate(bars):
        out.append(_bar_row(bar, top + index * row, row, x_of, value_name, interval_name))
    out.append("</svg>")
    return "\n".join(out)


def _bar_row(
    bar: IntervalBar, y: float, row: float, x_of, value_name: str, interval_name: str
) -> str:
    """One row: its ``<title>`` first (the tooltip of the whole row), name, bar, whiskers."""
    middle = y + row / 2
    indent = 0 if bar.group else 14
    weight = ' font-weight="700"' if bar.group else ""
    shown = _shorten(bar.name, NAME_CHARS - (0 if bar.group else 2))
    name = (
        f'<text x="{_number(indent + 4)}" y="{_number(middle + 4)}" font-size="12"{weight}>'
        f"{_text(shown)}</text>"
    )
    zero = x_of(0.0)
    if not _defined(bar.value):
        tip = f"{bar.name}: {value_name} undefined" + (f" ({bar.note})" if bar.note else "")
        return (
            f'<g class="bar-row"><title>{_text(tip)}</title>{name}'
            f'<text x="{_number(zero + 6)}" y="{_number(middle + 4)}" font-size="11" '
            f'fill="{MUTED}">undefined</text></g>'
        )
    value = float(bar.value)  # defined, checked above
    end = x_of(value)
    interval = _defined(bar.low) and _defined(bar.high)
    tip = f"{bar.name}: {value_name} {value:.3f}"
    if interval:
        tip += f", {interval_name} {bar.low:.3f} to {bar.high:.3f}"
    parts = [f'<g class="bar-row"><title>{_text(tip)}</title>', name]
    bar_height = 12 if bar.group else 10
    opacity = "1" if bar.group else "0.75"
    parts.append(
        f'<rect x="{_number(min(zero, end))}" y="{_number(middle - bar_height / 2)}" '
        f'width="{_number(max(abs(end - zero), 1))}" height="{bar_height}" '
        f'fill="{BAR_FILL}" fill-opacity="{opacity}"/>'
    )
    right = end
    if interval:
        a, b = x_of(float(bar.low)), x_of(float(bar.high))
        right = max(right, b)
        parts.append(
            f'<line x1="{_number(a)}" y1="{_number(middle)}" x2="{_number(b)}" '
            f'y2="{_number(middle)}" stroke="{WHISKER}" stroke-width="1.5"/>'
        )
        for cap in (a, b):
            parts.append(
                f'<line x1="{_number(cap)}" y1="{_number(middle - 5)}" '
                f'x2="{_number(cap)}" y2="{_number(middle + 5)}" stroke="{WHISKER}" '
                f'stroke-width="1.5"/>'
            )
    parts.append(
        f'<text x="{_number(max(right, zero) + 6)}" y="{_number(middle + 4)}" '
        f'font-size="11">{value:.2f}</text></g>'
    )
    return "".join(parts)
