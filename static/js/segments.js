/**
 * Cutting the canonical text into paragraphs and segments for display, without changing it.
 *
 * A paragraph is a non-empty line (text between newlines); the newlines themselves are not
 * rendered but stay in the offsets, so a span may cross paragraphs. This mirrors the server's
 * annotator/text_segments.py, which renders the page for readers without scripts.
 *
 * A segment is a maximal run of characters covered by the same set of annotations. Segments
 * are flat and non-overlapping, so overlapping and nested spans render as a sequence of
 * elements whose text, concatenated, is exactly the paragraph. Each annotation gets a *lane*
 * (a stacking level, by interval partitioning): the lane fixes where its underline is drawn,
 * so one annotation's underline stays at the same height along its whole length.
 *
 * Pure module: tested with node's test runner (tests/unit/js/segments.test.mjs).
 */

/**
 * @typedef {{key: string, start: number, end: number}} Span  offsets in code points
 * @typedef {{start: number, end: number, u16Start: number, u16End: number, prevEnd: number}}
 *   Paragraph  prevEnd: end of the previous paragraph (0 for the first)
 * @typedef {{start: number, end: number, spans: Span[], starting: Span[]}} Segment
 */

const NONE = Object.freeze([]);

/**
 * Non-empty lines of the text.
 * @param {import("./offsets.js").OffsetMap} map
 * @returns {Paragraph[]}
 */
export function paragraphsOf(map) {
  const text = map.text;
  const result = [];
  let unit = 0;
  let prevEnd = 0;
  while (unit <= text.length) {
    let newline = text.indexOf("\n", unit);
    if (newline === -1) newline = text.length;
    if (newline > unit) {
      const start = map.toCodePoint(unit);
      const end = map.toCodePoint(newline);
      result.push({ start, end, u16Start: unit, u16End: newline, prevEnd });
      prevEnd = end;
    }
    unit = newline + 1;
  }
  return result;
}

/** Order spans by start, longer first, then key: the order lanes are handed out in. */
export function compareSpans(a, b) {
  return a.start - b.start || b.end - a.end || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * Give each span the lowest lane free at its start (greedy interval partitioning, which
 * uses the fewest lanes possible: the maximum nesting depth).
 * @param {Span[]} spans
 * @returns {Map<string, number>} key -> lane (0 = closest to the text)
 */
export function assignLanes(spans) {
  const lanes = new Map();
  const laneEnds = [];
  for (const span of [...spans].sort(compareSpans)) {
    let lane = 0;
    while (lane < laneEnds.length && laneEnds[lane] > span.start) lane++;
    laneEnds[lane] = span.end;
    lanes.set(span.key, lane);
  }
  return lanes;
}

/**
 * Segments of each paragraph.
 *
 * `spans` may be all spans of the text or only those that overlap the given paragraphs
 * (paragraphs must be in text order). A span is listed in `starting` of the first segment it
 * covers: where it starts, or at the start of the paragraph when it starts in the newlines
 * before it.
 * @param {Paragraph[]} paragraphs
 * @param {Span[]} spans
 * @returns {Segment[][]}
 */
export function segmentize(paragraphs, spans) {
  const byStart = [...spans].sort((a, b) => a.start - b.start);
  const byEnd = [...spans].sort((a, b) => a.end - b.end);
  const active = new Set();
  let nextStart = 0;
  let nextEnd = 0;
  const result = [];
  for (const paragraph of paragraphs) {
    const pieces = [];
    let cursor = paragraph.start;
    while (cursor < paragraph.end) {
      let starting = NONE;
      while (nextStart < byStart.length && byStart[nextStart].start <= cursor) {
        const span = byStart[nextStart++];
        if (span.end <= cursor) continue; // lies wholly before (e.g. only newlines)
        active.add(span);
        const first =
          span.start === cursor ||
          (cursor === paragraph.start && span.start >= paragraph.prevEnd);
        if (first) {
          if (starting === NONE) starting = [];
          starting.push(span);
        }
      }
      while (nextEnd < byEnd.length && byEnd[nextEnd].end <= cursor) {
        active.delete(byEnd[nextEnd++]);
      }
      let next = paragraph.end;
      if (nextStart < byStart.length && byStart[nextStart].start < next) {
        next = byStart[nextStart].start;
      }
      if (nextEnd < byEnd.length && byEnd[nextEnd].end < next) next = byEnd[nextEnd].end;
      pieces.push({
        start: cursor,
        end: next,
        spans: active.size ? [...active] : NONE,
        starting,
      });
      cursor = next;
    }
    result.push(pieces);
  }
  return result;
}

/**
 * Indexes of the paragraphs that overlap `[start, end)` (binary search; a range that lies in
 * the newlines between two paragraphs touches none).
 * @param {Paragraph[]} paragraphs
 */
export function paragraphsTouching(paragraphs, start, end) {
  let lo = 0;
  let hi = paragraphs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (paragraphs[mid].end <= start) lo = mid + 1;
    else hi = mid;
  }
  const indexes = [];
  for (let i = lo; i < paragraphs.length && paragraphs[i].start < end; i++) indexes.push(i);
  return indexes;
}

/**
 * Index of the paragraph containing code point `point`, or, when it falls between
 * paragraphs, of the next one (`bias` 1) or the previous one (`bias` -1). -1 if none.
 */
export function paragraphAt(paragraphs, point, bias = 1) {
  let lo = 0;
  let hi = paragraphs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (paragraphs[mid].end < point) lo = mid + 1;
    else hi = mid;
  }
  // paragraphs[lo] is the first one that ends at or after point.
  if (lo < paragraphs.length && paragraphs[lo].start <= point) return lo;
  if (bias < 0) return lo - 1;
  return lo < paragraphs.length ? lo : -1;
}
