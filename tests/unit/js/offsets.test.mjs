// UTF-16 <-> code point conversion (static/js/offsets.js), mirrored against Python's len().
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  OffsetMap,
  codePointLength,
  codePointToUtf16,
  utf16ToCodePoint,
} from "../../../static/js/offsets.js";

const EMOJI = "📷"; // U+1F4F7: two UTF-16 units, one code point
const FAMILY = "👩‍👩‍👧"; // three astral code points joined by two ZWJs: 8 units, 5 code points

test("plain BMP text converts by identity", () => {
  const map = new OffsetMap("Grüße aus Köln");
  assert.equal(map.length, 14);
  for (let i = 0; i <= 14; i++) {
    assert.equal(map.toUtf16(i), i);
    assert.equal(map.toCodePoint(i), i);
  }
});

test("code point length counts a surrogate pair once", () => {
  assert.equal(codePointLength(""), 0);
  assert.equal(codePointLength(EMOJI), 1);
  assert.equal(codePointLength(`a${EMOJI}b`), 3);
  assert.equal(codePointLength(FAMILY), 5);
});

test("offsets after an emoji shift by one unit per astral character", () => {
  const text = `Foto ${EMOJI} Quelle ${EMOJI}${EMOJI} Ende`;
  const map = new OffsetMap(text);
  assert.equal(map.length, [...text].length);
  const chars = [...text];
  let unit = 0;
  for (let point = 0; point <= chars.length; point++) {
    assert.equal(map.toUtf16(point), unit, `point ${point}`);
    assert.equal(map.toCodePoint(unit), point, `unit ${unit}`);
    if (point < chars.length) unit += chars[point].length;
  }
});

test("slice by code points gives the exact quote", () => {
  const text = `Quelle: Sputnik © Magda Hibelli ${EMOJI} „immer tiefer“`;
  const map = new OffsetMap(text);
  const start = [...text].indexOf(EMOJI);
  assert.equal(map.slice(start, start + 1), EMOJI);
  assert.equal(map.slice(start + 2, map.length), "„immer tiefer“");
});

test("combining marks are one unit and one code point each", () => {
  const text = "Cafe\u0301 und A\u0308rger"; // decomposed é and Ä (not NFC on purpose)
  const map = new OffsetMap(text);
  assert.equal(map.length, text.length);
  assert.equal(map.slice(0, 5), "Cafe\u0301");
});

test("an offset inside a surrogate pair rounds as asked", () => {
  const map = new OffsetMap(`a${EMOJI}b`);
  assert.equal(map.toCodePoint(2), 1); // floor: before the emoji
  assert.equal(map.toCodePoint(2, "ceil"), 2); // after it
  assert.throws(() => map.toCodePoint(2, "throw"), RangeError);
});

test("out-of-range offsets are refused", () => {
  const map = new OffsetMap(`x${EMOJI}`);
  assert.throws(() => map.toUtf16(3), RangeError);
  assert.throws(() => map.toUtf16(-1), RangeError);
  assert.throws(() => map.toUtf16(1.5), RangeError);
  assert.throws(() => map.toCodePoint(4), RangeError);
});

test("a lone surrogate counts as one code point, as in Python", () => {
  const text = "a\ud83db";
  const map = new OffsetMap(text);
  assert.equal(map.length, 3);
  assert.equal(map.toUtf16(2), 2);
});

test("one-shot helpers agree with the map", () => {
  const text = `${FAMILY} ok`;
  assert.equal(codePointToUtf16(text, 5), 8);
  assert.equal(utf16ToCodePoint(text, 8), 5);
  assert.equal(codePointLength(text), new OffsetMap(text).length);
});

test("codePointAt reads whole astral characters", () => {
  const map = new OffsetMap(`a${EMOJI}`);
  assert.equal(map.codePointAt(1), 0x1f4f7);
  assert.equal(map.codePointAt(2), undefined);
});
