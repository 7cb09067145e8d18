/**
 * HTML for the article text with its highlights, built as one string per paragraph.
 *
 * Why strings: the text of a long article with thousands of highlights becomes one
 * `innerHTML` assignment, which the browser parses and lays out once; creating thousands of
 * nodes one by one (or a framework's diffing) costs several times more. Every piece of text is
 * escaped here, so the only markup is ours.
 *
 * Markup contract (selection.js and the tests rely on it):
 * - `<p data-start data-end>` per paragraph, offsets in code points of the canonical text;
 * - inside, unhighlighted text is a bare text node; highlighted text is
 *   `<mark class="hl ..." data-s data-e data-ids="k1 k2">` holding exactly one text node;
 * - nothing else is added to the text: label tags are CSS generated content (`::before`
 *   with `attr(data-tag)`), so `textContent` of a paragraph is exactly its canonical text,
 *   and screen readers (Chromium exposes generated content) hear the label before the span.
 *
 * Styling is by classes only (CSP: no style attributes): `u<lane>-<label>`
 * underline colour per lane, `p<lane>` for an unsaved annotation's lane, `t-<label>` tint,
 * `g-<label>` tag colour. /projects/<slug>/codebook.css defines the label classes.
 *
 * Pure module (no DOM): tested with node's test runner (tests/unit/js/render.test.mjs).
 */

/** Lanes drawn separately; deeper annotations share the last lane (their tags still show). */
export const MAX_LANES = 4;

const TEXT_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

const NEEDS_ESCAPE = /[&<>"]/;

/** Escape text for element content and double-quoted attribute values. */
export function escapeHtml(value) {
  const text = String(value);
  // Most pieces of an article need no escaping; testing first avoids building a new string.
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>"]/g, (ch) => TEXT_ESCAPES[ch]) : text;
}

/**
 * @typedef {object} RenderContext
 * @property {import("./offsets.js").OffsetMap} map
 * @property {Map<string, number>} lanes  annotation key -> lane
 * @property {Map<string, string>} labelNames  label key -> display name
 * @property {Set<string>} pending  keys of annotations with unsaved changes
 * @property {string|null} current  key of the annotation open in the inspector
 * @property {Map<string, object>} [cache]  filled by the renderer; drop it when lanes, pending
 *   keys or label names change
 */

/** Per-annotation pieces of markup, computed once per render and reused by every segment. */
function infoOf(ctx, span) {
  ctx.cache ??= new Map();
  let info = ctx.cache.get(span.key);
  if (!info) {
    const lane = Math.min(ctx.lanes.get(span.key) ?? 0, MAX_LANES - 1);
    const pending = ctx.pending.has(span.key);
    info = {
      lane,
      classes: ` u${lane}-${span.label}${pending ? ` p${lane}` : ""}`,
      name: ctx.labelNames.get(span.label) ?? span.label,
      pending,
    };
    ctx.cache.set(span.key, info);
  }
  return info;
}

function byLane(ctx) {
  ctx.byLane ??= (a, b) => infoOf(ctx, a).lane - infoOf(ctx, b).lane;
  return ctx.byLane;
}

/** Append the markup of one highlighted segment to `out`. */
function pushMark(out, segment, text, ctx) {
  const spans = segment.spans.length > 1 ? [...segment.spans].sort(byLane(ctx)) : segment.spans;
  out.push('<mark class="hl');
  let ids = "";
  let current = false;
  for (const span of spans) {
    out.push(infoOf(ctx, span).classes);
    ids += ids ? ` ${span.key}` : span.key;
    if (span.key === ctx.current) current = true;
  }
  // Tint with the colour of the annotation in the highest lane (usually the innermost).
  out.push(" t-", spans[spans.length - 1].label);
  if (current) out.push(" cur");
  let tag = "";
  if (segment.starting.length) {
    const starting =
      segment.starting.length > 1 ? [...segment.starting].sort(byLane(ctx)) : segment.starting;
    out.push(" g-", starting[0].label);
    let names = "";
    let unsaved = false;
    for (const span of starting) {
      const info = infoOf(ctx, span);
      names += names ? ` + ${info.name}` : info.name;
      unsaved ||= info.pending;
    }
    tag = `" data-tag="${escapeHtml(unsaved ? `${names} (unsaved)` : names)}`;
  }
  out.push(
    `" data-s="${segment.start}" data-e="${segment.end}" data-ids="${escapeHtml(ids)}${tag}">`,
    escapeHtml(text),
    "</mark>",
  );
}

function pushParagraph(out, segments, ctx) {
  const { map } = ctx;
  for (const segment of segments) {
    const text = map.text.slice(map.toUtf16(segment.start), map.toUtf16(segment.end));
    if (segment.spans.length) pushMark(out, segment, text, ctx);
    else out.push(escapeHtml(text));
  }
}

/**
 * Inner HTML of one paragraph.
 * @param {import("./segments.js").Segment[]} segments
 * @param {RenderContext} ctx
 */
export function paragraphInnerHtml(segments, ctx) {
  const out = [];
  pushParagraph(out, segments, ctx);
  return out.join("");
}

/** Opening tag of a paragraph element. */
export function paragraphOpenTag(paragraph) {
  return `<p data-start="${paragraph.start}" data-end="${paragraph.end}">`;
}

/**
 * HTML of the whole text: one array of pieces, joined once (no intermediate strings per
 * paragraph or per highlight, which made the garbage collector the biggest cost).
 * @param {import("./segments.js").Paragraph[]} paragraphs
 * @param {import("./segments.js").Segment[][]} segmentLists one list per paragraph
 * @param {RenderContext} ctx
 */
export function textHtml(paragraphs, segmentLists, ctx) {
  const out = [];
  for (let i = 0; i < paragraphs.length; i++) {
    out.push(paragraphOpenTag(paragraphs[i]));
    pushParagraph(out, segmentLists[i], ctx);
    out.push("</p>");
  }
  return out.join("");
}
