// Trimming and nudging span boundaries (static/js/boundaries.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { isWhitespace, nudgeSpan, trimSpan } from "../../../static/js/boundaries.js";
import { OffsetMap } from "../../../static/js/offsets.js";

test("whitespace is trimmed at both ends, the same way every time", () => {
  const map = new OffsetMap("  Maduro teilte mit,\n\n dass \u00a0");
  assert.deepEqual(trimSpan(map, 0, map.length), { start: 2, end: 27 });
  assert.equal(map.slice(2, 27), "Maduro teilte mit,\n\n dass");
  assert.deepEqual(trimSpan(map, 2, 27), { start: 2, end: 27 }); // idempotent
});

test("a span of only whitespace is nothing", () => {
  const map = new OffsetMap("a \n\t b");
  assert.equal(trimSpan(map, 1, 5), null);
});

test("trimming counts code points after an emoji", () => {
  const map = new OffsetMap("📷 Quelle ");
  assert.deepEqual(trimSpan(map, 1, map.length), { start: 2, end: 8 });
  assert.equal(map.slice(2, 8), "Quelle");
});

test("zero-width space is content, no-break space is whitespace", () => {
  assert.equal(isWhitespace(0x200b), false);
  assert.equal(isWhitespace(0x00a0), true);
  assert.equal(isWhitespace(undefined), false);
});

test("a character nudge moves over a whole grapheme", () => {
  const text = "Cafe\u0301 👩‍👩‍👧 Ende";
  const map = new OffsetMap(text);
  // End after "Cafe": moving right takes the e and its accent together.
  assert.deepEqual(nudgeSpan(map, { start: 0, end: 3 }, "end", 1, "char"), { start: 0, end: 5 });
  // Start before the family emoji moving right skips all five code points.
  assert.deepEqual(nudgeSpan(map, { start: 6, end: 15 }, "start", 1, "char"), { start: 11, end: 15 });
  assert.deepEqual(nudgeSpan(map, { start: 11, end: 15 }, "start", -1, "char"), { start: 6, end: 15 });
});

test("word nudges keep whole words", () => {
  const map = new OffsetMap("Die Seiten vereinbarten einen Ausbau.");
  const span = { start: 4, end: 23 }; // "Seiten vereinbarten"
  assert.deepEqual(nudgeSpan(map, span, "start", -1, "word", "de"), { start: 0, end: 23 });
  assert.deepEqual(nudgeSpan(map, span, "start", 1, "word", "de"), { start: 11, end: 23 });
  assert.deepEqual(nudgeSpan(map, span, "end", 1, "word", "de"), { start: 4, end: 29 });
  assert.deepEqual(nudgeSpan(map, span, "end", -1, "word", "de"), { start: 4, end: 10 });
});

test("a nudge that would empty the span or leave the text is refused", () => {
  const map = new OffsetMap("ab");
  assert.equal(nudgeSpan(map, { start: 0, end: 1 }, "end", -1, "char"), null);
  assert.equal(nudgeSpan(map, { start: 0, end: 2 }, "start", -1, "char"), null);
  assert.equal(nudgeSpan(map, { start: 0, end: 2 }, "end", 1, "char"), null);
  assert.equal(nudgeSpan(map, { start: 0, end: 2 }, "start", 1, "word"), null);
});
