// Paragraphs, lanes and segments (static/js/segments.js) and their HTML (render.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { OffsetMap } from "../../../static/js/offsets.js";
import { escapeHtml, paragraphInnerHtml, textHtml } from "../../../static/js/render.js";
import {
  assignLanes,
  paragraphAt,
  paragraphsOf,
  paragraphsTouching,
  segmentize,
} from "../../../static/js/segments.js";

const TEXT = "Maduro teilte mit.\n\nQuelle: Sputnik 📷\n\nMehr zum Thema";

function span(key, start, end, label = "l") {
  return { key, start, end, label };
}

function stripTags(html) {
  return html.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}

test("paragraphs are the non-empty lines, in code points", () => {
  const map = new OffsetMap(TEXT);
  const paragraphs = paragraphsOf(map);
  assert.deepEqual(
    paragraphs.map((p) => [p.start, p.end, p.prevEnd]),
    [[0, 18, 0], [20, 37, 18], [39, 53, 37]],
  );
  assert.equal(map.slice(20, 37), "Quelle: Sputnik 📷");
});

test("lanes: nested and overlapping spans stack, disjoint ones share lane 0", () => {
  const lanes = assignLanes([span("a", 0, 10), span("b", 2, 5), span("c", 4, 12), span("d", 12, 14)]);
  assert.deepEqual(Object.fromEntries(lanes), { a: 0, b: 1, c: 2, d: 0 });
});

test("segments are flat, cover the paragraph exactly and list their spans", () => {
  const map = new OffsetMap(TEXT);
  const paragraphs = paragraphsOf(map);
  const spans = [span("a", 0, 6), span("b", 3, 13), span("x", 7, 30)];
  const lists = segmentize(paragraphs, spans);
  const first = lists[0].map((s) => [s.start, s.end, s.spans.map((x) => x.key).sort().join("")]);
  assert.deepEqual(first, [[0, 3, "a"], [3, 6, "ab"], [6, 7, "b"], [7, 13, "bx"], [13, 18, "x"]]);
  const second = lists[1].map((s) => [s.start, s.end, s.spans.map((x) => x.key).join("")]);
  assert.deepEqual(second, [[20, 30, "x"], [30, 37, ""]]);
  // The span crossing paragraphs gets its tag once, where it starts.
  assert.deepEqual(lists[0][3].starting.map((x) => x.key), ["x"]);
  assert.deepEqual(lists[1][0].starting, []);
});

test("a span starting in the newlines is tagged at the next paragraph", () => {
  const map = new OffsetMap(TEXT);
  const lists = segmentize(paragraphsOf(map), [span("n", 18, 26)]);
  assert.deepEqual(lists[1][0].starting.map((x) => x.key), ["n"]);
});

test("rendering keeps the text identical and escapes it", () => {
  const text = 'A <b>bold</b> & "quoted" 📷 text';
  const map = new OffsetMap(text);
  const paragraphs = paragraphsOf(map);
  const spans = [span("1", 2, 13, "loaded-language"), span("2", 8, 26, "direct-quote")];
  const ctx = {
    map,
    lanes: assignLanes(spans),
    labelNames: new Map([["loaded-language", "Loaded <language>"], ["direct-quote", "Direct quote"]]),
    pending: new Set(["2"]),
    current: null,
  };
  const html = textHtml(paragraphs, segmentize(paragraphs, spans), ctx);
  assert.ok(!html.includes("<b>"));
  assert.equal(stripTags(html), text);
  assert.match(html, /data-tag="Loaded &lt;language&gt;"/);
  assert.match(html, /class="hl u0-loaded-language u1-direct-quote p1 t-direct-quote g-direct-quote"/);
  assert.match(html, /data-tag="Direct quote \(unsaved\)"/);
  assert.equal(escapeHtml('<"&>'), "&lt;&quot;&amp;&gt;");
  const inner = paragraphInnerHtml(segmentize(paragraphs, [])[0], ctx);
  assert.equal(inner, escapeHtml(text));
});

test("paragraph look-ups by offset", () => {
  const paragraphs = paragraphsOf(new OffsetMap(TEXT));
  assert.deepEqual(paragraphsTouching(paragraphs, 10, 25), [0, 1]);
  assert.deepEqual(paragraphsTouching(paragraphs, 18, 20), []);
  assert.equal(paragraphAt(paragraphs, 18), 0);
  assert.equal(paragraphAt(paragraphs, 19, 1), 1);
  assert.equal(paragraphAt(paragraphs, 19, -1), 0);
  assert.equal(paragraphAt(paragraphs, 60), -1);
});
