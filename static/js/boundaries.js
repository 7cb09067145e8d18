/**
 * Span boundaries on the canonical text: trimming a selection, and nudging an edge by a
 * character or a word. All offsets are code points (see offsets.js).
 *
 * Trimming rule (the same for mouse, keyboard and nudged spans): code points matching
 * JavaScript's `\s` (Unicode White_Space plus U+FEFF) are removed from both ends; a span that
 * is only whitespace becomes `null`. Zero-width characters that are not White_Space (U+200B,
 * joiners) are content and stay.
 *
 * A "character" for nudging is a grapheme cluster, so an edge never lands between a letter and
 * its combining accent or inside an emoji sequence; a "word" is what Intl.Segmenter calls
 * word-like for the article's language. Segmenting looks only at a window around the edge, so
 * a nudge costs the same in a long article as in a short one.
 *
 * Pure module: tested with node's test runner (tests/unit/js/boundaries.test.mjs).
 */

const WHITESPACE = /^\s$/u;
/** Characters looked at on each side of an edge when segmenting. */
const WINDOW = 300;

/** @param {number|undefined} codePoint */
export function isWhitespace(codePoint) {
  return codePoint !== undefined && WHITESPACE.test(String.fromCodePoint(codePoint));
}

/**
 * Trim whitespace from both ends of `[start, end)`.
 * @param {import("./offsets.js").OffsetMap} map
 * @returns {{start: number, end: number} | null} null when nothing but whitespace remains
 */
export function trimSpan(map, start, end) {
  let from = Math.max(0, start);
  let to = Math.min(map.length, end);
  while (from < to && isWhitespace(map.codePointAt(from))) from++;
  while (to > from && isWhitespace(map.codePointAt(to - 1))) to--;
  return from < to ? { start: from, end: to } : null;
}

/**
 * Segments of the text around `point`, as code-point ranges.
 * @returns {{start: number, end: number, wordLike: boolean}[]}
 */
function segmentsAround(map, point, granularity, locale) {
  const from = Math.max(0, point - WINDOW);
  const to = Math.min(map.length, point + WINDOW);
  const unitFrom = map.toUtf16(from);
  const chunk = map.text.slice(unitFrom, map.toUtf16(to));
  const segmenter = new Intl.Segmenter(locale || undefined, { granularity });
  const result = [];
  for (const piece of segmenter.segment(chunk)) {
    const start = map.toCodePoint(unitFrom + piece.index);
    const end = map.toCodePoint(unitFrom + piece.index + piece.segment.length);
    result.push({ start, end, wordLike: Boolean(piece.isWordLike) });
  }
  return result;
}

/** The nearest candidate strictly before (direction -1) or after (+1) `point`. */
function nearest(candidates, point, direction) {
  let best = null;
  for (const candidate of candidates) {
    if (direction < 0 && candidate < point && (best === null || candidate > best)) best = candidate;
    if (direction > 0 && candidate > point && (best === null || candidate < best)) best = candidate;
  }
  return best;
}

/**
 * Move one edge of a span by one character (grapheme) or one word.
 *
 * For words, a start edge moves to the previous/next start of a word and an end edge to the
 * previous/next end of a word, so the span keeps covering whole words.
 *
 * @param {import("./offsets.js").OffsetMap} map
 * @param {{start: number, end: number}} span
 * @param {"start"|"end"} edge
 * @param {-1|1} direction
 * @param {"char"|"word"} unit
 * @param {string} [locale] the article's language, for word rules
 * @returns {{start: number, end: number} | null} null when the move is impossible (edge of
 *   the text, or the span would become empty)
 */
export function nudgeSpan(map, span, edge, direction, unit, locale) {
  const point = edge === "start" ? span.start : span.end;
  let target;
  if (unit === "char") {
    const pieces = segmentsAround(map, point, "grapheme", locale);
    const cuts = pieces.map((piece) => piece.start);
    if (pieces.length) cuts.push(pieces[pieces.length - 1].end);
    target = nearest(cuts, point, direction);
  } else {
    const words = segmentsAround(map, point, "word", locale).filter((piece) => piece.wordLike);
    const cuts = words.map((word) => (edge === "start" ? word.start : word.end));
    target = nearest(cuts, point, direction);
  }
  if (target === null) return null;
  const moved = edge === "start" ? { start: target, end: span.end } : { start: span.start, end: target };
  if (moved.start < 0 || moved.end > map.length || moved.start >= moved.end) return null;
  return moved;
}
