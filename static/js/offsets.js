/**
 * The one place where browser offsets (UTF-16 code units) meet stored offsets (Unicode code
 * points of the canonical text).
 *
 * JavaScript strings, DOM Ranges and Selections count UTF-16 code units; the server, the
 * exports and every other tool count code points (W3C TextPositionSelector, brat, Python's
 * str). The two differ only for characters outside the Basic Multilingual Plane (emoji, some
 * CJK), which take a surrogate pair: two units, one code point. Combining marks are one unit
 * and one code point each, so they need no special care here.
 *
 * `OffsetMap` precomputes the positions of the astral characters of one text, so each
 * conversion is a binary search (O(log k), k = number of astral characters) and a text
 * without any (the common case) converts by identity. A lone surrogate (not part of a valid
 * pair) counts as one code point, as Python counts it.
 *
 * Pure module: no DOM, so node's test runner covers it (tests/unit/js/offsets.test.mjs).
 */

/** @param {number} unit @returns {boolean} */
function isHigh(unit) {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** @param {number} unit @returns {boolean} */
function isLow(unit) {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Number of code points in `text` (what Python's `len()` reports). */
export function codePointLength(text) {
  let pairs = 0;
  for (let i = 0; i < text.length - 1; i++) {
    if (isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1))) {
      pairs++;
      i++;
    }
  }
  return text.length - pairs;
}

/** Index of the first element of sorted `values` that is >= `target`. */
function lowerBound(values, target) {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class OffsetMap {
  /** @param {string} text the canonical text (any string works) */
  constructor(text) {
    this.text = text;
    /** UTF-16 index of the high surrogate of each astral character, ascending. */
    this.astralUnits = [];
    for (let i = 0; i < text.length - 1; i++) {
      if (isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1))) {
        this.astralUnits.push(i);
        i++;
      }
    }
    /** Code-point index of each astral character, ascending (same order). */
    this.astralPoints = this.astralUnits.map((unit, k) => unit - k);
    this.utf16Length = text.length;
    this.length = text.length - this.astralUnits.length;
  }

  /**
   * Code-point offset -> UTF-16 offset. Throws RangeError outside 0..length.
   * @param {number} point
   */
  toUtf16(point) {
    if (!Number.isInteger(point) || point < 0 || point > this.length) {
      throw new RangeError(`code-point offset ${point} is outside 0..${this.length}`);
    }
    if (this.astralUnits.length === 0) return point;
    return point + lowerBound(this.astralPoints, point);
  }

  /**
   * UTF-16 offset -> code-point offset. Throws RangeError outside 0..utf16Length.
   *
   * An offset between the two halves of a surrogate pair has no code-point equivalent:
   * `round` decides: "floor" (default) gives the offset before the character, "ceil" the
   * offset after it, "throw" raises RangeError. Use "floor" for span starts and "ceil" for
   * span ends, so a half-selected emoji is included rather than cut.
   * @param {number} unit
   * @param {"floor"|"ceil"|"throw"} [round]
   */
  toCodePoint(unit, round = "floor") {
    if (!Number.isInteger(unit) || unit < 0 || unit > this.utf16Length) {
      throw new RangeError(`UTF-16 offset ${unit} is outside 0..${this.utf16Length}`);
    }
    if (this.astralUnits.length === 0) return unit;
    const before = lowerBound(this.astralUnits, unit); // astral chars starting before `unit`
    if (before > 0 && this.astralUnits[before - 1] + 1 === unit) {
      if (round === "throw") {
        throw new RangeError(`UTF-16 offset ${unit} splits a surrogate pair`);
      }
      const charPoint = this.astralPoints[before - 1];
      return round === "ceil" ? charPoint + 1 : charPoint;
    }
    return unit - before;
  }

  /** The text between two code-point offsets (what the server stores as the quote). */
  slice(start, end) {
    return this.text.slice(this.toUtf16(start), this.toUtf16(end));
  }

  /** The code point starting at code-point offset `point` (undefined at the end). */
  codePointAt(point) {
    if (point < 0 || point >= this.length) return undefined;
    return this.text.codePointAt(this.toUtf16(point));
  }
}

/** Code-point offset -> UTF-16 offset in `text` (O(n); use OffsetMap for many look-ups). */
export function codePointToUtf16(text, point) {
  return new OffsetMap(text).toUtf16(point);
}

/** UTF-16 offset -> code-point offset in `text` (O(n); use OffsetMap for many look-ups). */
export function utf16ToCodePoint(text, unit, round = "floor") {
  return new OffsetMap(text).toCodePoint(unit, round);
}
