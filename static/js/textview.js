/**
 * The article text on the page: rendering highlights into it, and translating between DOM
 * positions and code-point offsets of the canonical text.
 *
 * Offsets are never measured on the highlighted DOM's text: every paragraph and every
 * highlight carries its own code-point offsets (`data-start`, `data-s`), and a position inside
 * a text node is that offset plus the UTF-16 distance converted through the one OffsetMap of
 * the canonical text. So the markup can change freely (highlights, generated label tags)
 * without moving anyone's offsets.
 *
 * Updates re-render only the paragraphs an annotation change touched (plus those whose
 * annotations moved to another lane); the whole text is rebuilt in one innerHTML assignment
 * only on load or when many paragraphs changed at once.
 */

import { paragraphInnerHtml, textHtml } from "./render.js";
import { assignLanes, paragraphAt, paragraphsOf, paragraphsTouching, segmentize } from "./segments.js";

/** Above this many dirty paragraphs a full render is cheaper than piecewise updates. */
const FULL_RENDER_THRESHOLD = 60;

export class TextView {
  /**
   * @param {HTMLElement} root the element holding the paragraphs (and nothing else)
   * @param {import("./offsets.js").OffsetMap} map
   * @param {Map<string, string>} labelNames
   */
  constructor(root, map, labelNames) {
    this.root = root;
    this.map = map;
    this.labelNames = labelNames;
    this.paragraphs = paragraphsOf(map);
    this.lanes = new Map();
    this.pending = new Set();
    this.current = null;
  }

  /** A fresh render context (its per-annotation cache lives for one render or update). */
  #context() {
    return {
      map: this.map,
      lanes: this.lanes,
      labelNames: this.labelNames,
      pending: this.pending,
      current: this.current,
    };
  }

  /**
   * Render the whole text with `annotations` (visible ones, text order).
   * @param {object[]} annotations each with key, label, start, end
   */
  render(annotations) {
    this.lanes = assignLanes(annotations);
    const segments = segmentize(this.paragraphs, annotations);
    this.root.innerHTML = textHtml(this.paragraphs, segments, this.#context());
  }

  /**
   * Re-render after a change to some annotations.
   * @param {object[]} annotations all visible annotations, text order
   * @param {[number, number][]} ranges code-point ranges the change touched
   */
  update(annotations, ranges) {
    const oldLanes = this.lanes;
    this.lanes = assignLanes(annotations);
    const dirty = new Set();
    const touch = (start, end) => {
      for (const index of paragraphsTouching(this.paragraphs, start, end)) dirty.add(index);
    };
    for (const [start, end] of ranges) touch(start, end);
    for (const annotation of annotations) {
      if (oldLanes.get(annotation.key) !== this.lanes.get(annotation.key)) {
        touch(annotation.start, annotation.end);
      }
    }
    if (dirty.size === 0) return;
    if (dirty.size > FULL_RENDER_THRESHOLD) {
      this.root.innerHTML = textHtml(
        this.paragraphs,
        segmentize(this.paragraphs, annotations),
        this.#context(),
      );
      return;
    }
    const indexes = [...dirty].sort((a, b) => a - b);
    const paragraphs = indexes.map((index) => this.paragraphs[index]);
    const from = paragraphs[0].start;
    const to = paragraphs[paragraphs.length - 1].end;
    const spans = annotations.filter((annotation) => annotation.start < to && annotation.end > from);
    const segmentLists = segmentize(paragraphs, spans);
    const context = this.#context();
    indexes.forEach((index, i) => {
      this.root.children[index].innerHTML = paragraphInnerHtml(segmentLists[i], context);
    });
  }

  /** Marks (highlight elements) showing one annotation, in text order. */
  marksFor(key) {
    return [...this.root.querySelectorAll(`mark[data-ids~="${CSS.escape(key)}"]`)];
  }

  /** Annotation keys shown by one mark element. */
  static keysOf(mark) {
    return (mark?.dataset.ids || "").split(" ").filter(Boolean);
  }

  /**
   * Code-point offset of a DOM position (as in a Range boundary). Positions before the text
   * give 0, after it the text's length. `round` applies when the position splits a
   * surrogate pair (see OffsetMap.toCodePoint).
   * @param {Node} node
   * @param {number} offset
   * @param {"floor"|"ceil"} round
   */
  pointToOffset(node, offset, round = "floor") {
    const whole = document.createRange();
    whole.selectNodeContents(this.root);
    const where = whole.comparePoint(node, offset);
    if (where < 0) return 0;
    if (where > 0) return this.map.length;
    if (node.nodeType === Node.TEXT_NODE) return this.#textPointOffset(node, offset, round);
    const child = node.childNodes[offset];
    return child ? this.#startOf(child) : this.#endOf(node);
  }

  #textPointOffset(textNode, offset, round) {
    const parent = textNode.parentElement;
    let base;
    if (parent.dataset.s !== undefined) base = Number(parent.dataset.s);
    else base = this.#startOf(textNode);
    const unit = this.map.toUtf16(base) + Math.min(offset, textNode.data.length);
    return this.map.toCodePoint(unit, round);
  }

  /** Code-point offset where a node inside the root begins. */
  #startOf(node) {
    if (node.nodeType === Node.ELEMENT_NODE) {
      if (node.dataset.s !== undefined) return Number(node.dataset.s);
      if (node.dataset.start !== undefined) return Number(node.dataset.start);
    }
    // A bare text node: right after the previous highlight, or at the paragraph's start.
    const previous = node.previousSibling;
    if (previous && previous.nodeType === Node.ELEMENT_NODE && previous.dataset.e !== undefined) {
      return Number(previous.dataset.e);
    }
    const paragraph = node.parentElement?.closest("[data-start]");
    if (!previous && paragraph) return Number(paragraph.dataset.start);
    if (previous) return this.#endOf(previous);
    return 0;
  }

  /** Code-point offset where a node inside the root ends. */
  #endOf(node) {
    if (node === this.root) return this.map.length;
    if (node.nodeType === Node.ELEMENT_NODE) {
      if (node.dataset.e !== undefined) return Number(node.dataset.e);
      if (node.dataset.end !== undefined) return Number(node.dataset.end);
    }
    if (node.nodeType === Node.TEXT_NODE) {
      return this.map.toCodePoint(this.map.toUtf16(this.#startOf(node)) + node.data.length, "ceil");
    }
    const next = node.nextSibling;
    return next ? this.#startOf(next) : this.#endOf(node.parentNode);
  }

  /**
   * DOM position of a code-point offset: inside the text node holding it. An offset between
   * paragraphs goes to the end of the previous one (`bias` -1) or the start of the next (1).
   * @returns {{node: Node, offset: number} | null}
   */
  offsetToPoint(point, bias = 1) {
    const index = paragraphAt(this.paragraphs, point, bias);
    if (index < 0) return null;
    const paragraph = this.paragraphs[index];
    const element = this.root.children[index];
    const clamped = Math.min(Math.max(point, paragraph.start), paragraph.end);
    const unit = this.map.toUtf16(clamped);
    let last = null;
    for (const child of element.childNodes) {
      const text = child.nodeType === Node.TEXT_NODE ? child : child.firstChild;
      if (!text || text.nodeType !== Node.TEXT_NODE) continue;
      const start = this.map.toUtf16(this.#startOf(child));
      const end = start + text.data.length;
      // At a boundary between two pieces, prefer the later one when moving forward.
      if (unit < end || (unit === end && bias < 0)) {
        if (unit >= start) return { node: text, offset: unit - start };
      }
      last = { node: text, offset: text.data.length };
    }
    return last ?? { node: element, offset: 0 };
  }

  /** A DOM Range covering `[start, end)`. */
  rangeFor(start, end) {
    const range = document.createRange();
    const from = this.offsetToPoint(start, 1);
    const to = this.offsetToPoint(end, -1);
    if (!from || !to) return null;
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    return range;
  }
}
