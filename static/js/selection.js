/**
 * Selecting text in the article, with the mouse or the keyboard, as a trimmed code-point range.
 *
 * Mouse: the browser's own selection (drag, double- or triple-click, within or across
 * paragraphs). Keyboard: when the article has focus, arrow keys move a caret and Shift+arrows
 * extend the selection (Ctrl/Alt for words, Up/Down by line, Home/End to the line's ends),
 * through Selection.modify, so the selection the keyboard makes is the same kind of object the
 * mouse makes and is read the same way. The caret is drawn by us (browsers draw none in text
 * that is not editable).
 *
 * The range is read from the selection's boundary points through TextView.pointToOffset
 * (never from selection.toString()), then trimmed (boundaries.js). The last non-empty range
 * stays "pending" while focus moves to the palette, and is shown with the CSS Custom
 * Highlight API so it stays visible when the native selection is gone.
 */

import { trimSpan } from "./boundaries.js";
import { TextView } from "./textview.js";

const GRANULARITY = {
  ArrowLeft: ["backward", "character"],
  ArrowRight: ["forward", "character"],
  ArrowUp: ["backward", "line"],
  ArrowDown: ["forward", "line"],
  Home: ["backward", "lineboundary"],
  End: ["forward", "lineboundary"],
};

export class SelectionController {
  /**
   * @param {TextView} view
   * @param {object} handlers
   * @param {(pending: {start: number, end: number, quote: string} | null) => void} handlers.onChange
   * @param {(keys: string[], mark: HTMLElement) => void} handlers.onActivate open the inspector
   * @param {() => void} handlers.onChooseLabel Enter with a selection: go to the palette
   * @param {() => object[]} handlers.annotations visible annotations in text order
   * @param {(key: string, mark: HTMLElement) => void} [handlers.onFocus] a highlight got focus
   * @param {HTMLElement} caret the element drawn as the keyboard caret
   */
  constructor(view, handlers, caret) {
    this.view = view;
    this.root = view.root;
    this.handlers = handlers;
    this.caret = caret;
    this.pending = null;
    this.frameRequested = false;
    this.highlight = typeof Highlight === "function" && globalThis.CSS?.highlights ? CSS.highlights : null;
  }

  attach() {
    document.addEventListener("selectionchange", () => this.#scheduleRead());
    this.root.addEventListener("keydown", (event) => this.#onKeyDown(event));
    this.root.addEventListener("click", (event) => this.#onClick(event));
    this.root.addEventListener("focusin", () => this.#drawCaret());
    this.root.addEventListener("focusout", () => this.#drawCaret());
    window.addEventListener("resize", () => this.#drawCaret());
  }

  #scheduleRead() {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.#read();
      this.#drawCaret();
    });
  }

  /** The selection's range if it touches the article, else null. */
  #articleRange() {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0) return null;
    const range = selection.getRangeAt(0);
    if (!range.intersectsNode(this.root)) return null;
    return range;
  }

  /** Read the current selection (mouse or keyboard); keep the pending range otherwise. */
  #read() {
    const range = this.#articleRange();
    if (!range) return; // focus went elsewhere (palette, inspector): keep what was selected
    if (range.collapsed) {
      if (this.root.contains(range.startContainer)) this.setPending(null);
      return;
    }
    this.setPending(this.spanOf(range));
  }

  /** The pending span, reading the selection first (events may not have fired yet). */
  readNow() {
    this.#read();
    return this.pending;
  }

  /** Trimmed code-point span of a DOM range, with its exact quote; null if only whitespace. */
  spanOf(range) {
    const start = this.view.pointToOffset(range.startContainer, range.startOffset, "floor");
    const end = this.view.pointToOffset(range.endContainer, range.endOffset, "ceil");
    const trimmed = trimSpan(this.view.map, start, end);
    if (!trimmed) return null;
    return { ...trimmed, quote: this.view.map.slice(trimmed.start, trimmed.end) };
  }

  setPending(pending) {
    const same =
      pending === this.pending ||
      (pending && this.pending && pending.start === this.pending.start && pending.end === this.pending.end);
    this.pending = pending;
    if (this.highlight) {
      const range = pending ? this.view.rangeFor(pending.start, pending.end) : null;
      if (range) this.highlight.set("pending-selection", new Highlight(range));
      else this.highlight.delete("pending-selection");
    }
    if (!same) this.handlers.onChange(pending);
  }

  /** Forget the selection (after it became an annotation, or on Escape). */
  clear() {
    const range = this.#articleRange();
    if (range && !range.collapsed) {
      const selection = document.getSelection();
      selection.collapse(range.endContainer, range.endOffset);
    }
    this.setPending(null);
  }

  /** Re-show the pending range after the text was re-rendered. */
  refresh() {
    if (this.pending) this.setPending({ ...this.pending });
    this.#drawCaret();
  }

  /** Put the caret (collapsed selection) at a code-point offset. */
  placeCaret(point) {
    const position = this.view.offsetToPoint(point, 1);
    if (!position) return;
    document.getSelection().collapse(position.node, position.offset);
  }

  #caretOffset() {
    const selection = document.getSelection();
    if (!selection?.rangeCount || !this.root.contains(selection.focusNode)) return null;
    return this.view.pointToOffset(selection.focusNode, selection.focusOffset);
  }

  #ensureSelectionInside() {
    const range = this.#articleRange();
    if (range && this.root.contains(range.startContainer)) return;
    const focused = document.activeElement?.closest?.("mark.hl");
    const start = focused ? Number(focused.dataset.s) : this.#firstVisibleOffset();
    this.placeCaret(start);
  }

  #firstVisibleOffset() {
    for (const paragraph of this.root.children) {
      if (paragraph.getBoundingClientRect().bottom > 0) return Number(paragraph.dataset.start);
    }
    return 0;
  }

  #onKeyDown(event) {
    if (event.defaultPrevented) return;
    const move = GRANULARITY[event.key];
    if (move && !event.metaKey) {
      event.preventDefault();
      this.#ensureSelectionInside();
      let [direction, granularity] = move;
      if ((event.ctrlKey || event.altKey) && granularity === "character") granularity = "word";
      if (event.ctrlKey && granularity === "lineboundary") granularity = "documentboundary";
      const selection = document.getSelection();
      const alter = event.shiftKey ? "extend" : "move";
      selection.modify(alter, direction, granularity);
      this.#keepInside(alter, direction);
      this.#read();
      this.#drawCaret();
      this.caret.scrollIntoView?.({ block: "nearest" });
      return;
    }
    if (event.key === "Enter" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      this.#read();
      const range = this.#articleRange();
      if (range && !range.collapsed && this.pending) {
        this.handlers.onChooseLabel();
        return;
      }
      const mark = this.#markAtCaret();
      if (mark) this.handlers.onActivate(TextView.keysOf(mark), mark);
      return;
    }
    if (event.key === "]" || event.key === "[") {
      event.preventDefault();
      this.focusNeighbour(event.key === "]" ? 1 : -1);
      return;
    }
    if (event.key === "Escape") {
      this.clear();
    }
  }

  /** A keyboard move must not leave the article (Selection.modify knows no such limit). */
  #keepInside(alter, direction) {
    const selection = document.getSelection();
    if (!selection.rangeCount || this.root.contains(selection.focusNode)) return;
    const edge = direction === "forward" ? this.view.map.length : 0;
    const position = this.view.offsetToPoint(edge, direction === "forward" ? -1 : 1);
    if (!position) return;
    if (alter === "extend" && this.root.contains(selection.anchorNode)) {
      selection.extend(position.node, position.offset);
    } else {
      selection.collapse(position.node, position.offset);
    }
  }

  #markAtCaret() {
    const active = document.activeElement;
    if (active?.matches?.("mark.hl") && this.root.contains(active)) return active;
    const range = this.#articleRange();
    if (!range) return null;
    const node = range.startContainer;
    const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    return element?.closest("mark.hl") ?? null;
  }

  /** Focus the first highlight of the next (1) or previous (-1) annotation after the caret. */
  focusNeighbour(direction) {
    const annotations = this.handlers.annotations();
    if (!annotations.length) return;
    const active = document.activeElement;
    const focusedKey = active?.dataset?.focusKey;
    let here = this.#caretOffset() ?? -1;
    let index;
    if (focusedKey) {
      index = annotations.findIndex((annotation) => annotation.key === focusedKey) + direction;
    } else if (direction > 0) {
      index = annotations.findIndex((annotation) => annotation.start > here);
    } else {
      here = here < 0 ? this.view.map.length : here;
      index = annotations.findLastIndex((annotation) => annotation.start < here);
    }
    if (index < 0 || index >= annotations.length) return;
    this.focusAnnotation(annotations[index].key);
  }

  /** Move focus to an annotation's first highlight and the caret to its start. */
  focusAnnotation(key, { scroll = true } = {}) {
    const mark = this.view.marksFor(key)[0];
    if (!mark) return null;
    mark.tabIndex = -1;
    mark.dataset.focusKey = key;
    mark.addEventListener("blur", () => mark.removeAttribute("data-focus-key"), { once: true });
    mark.focus({ preventScroll: true });
    if (scroll) mark.scrollIntoView({ block: "center" });
    this.placeCaret(Number(mark.dataset.s));
    this.handlers.onFocus?.(key, mark);
    return mark;
  }

  #onClick(event) {
    const mark = event.target.closest?.("mark.hl");
    if (!mark) return;
    const range = this.#articleRange();
    if (range && !range.collapsed) return; // the user was selecting, not clicking
    this.handlers.onActivate(TextView.keysOf(mark), mark);
  }

  /** Draw the keyboard caret where the collapsed selection is, while the article has focus. */
  #drawCaret() {
    const caret = this.caret;
    const range = this.#articleRange();
    const focused = this.root.contains(document.activeElement);
    if (!focused || !range || !range.collapsed || !this.root.contains(range.startContainer)) {
      caret.hidden = true;
      return;
    }
    const rects = range.getClientRects();
    const rect = rects.length ? rects[0] : range.getBoundingClientRect();
    if (!rect || rect.height === 0) {
      caret.hidden = true;
      return;
    }
    const frame = caret.parentElement.getBoundingClientRect();
    caret.hidden = false;
    caret.style.transform = `translate(${rect.left - frame.left}px, ${rect.top - frame.top}px)`;
    caret.style.height = `${rect.height}px`;
  }
}
