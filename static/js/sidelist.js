/**
 * The side list: the annotations in text order, filterable by layer and label, with counts
 * per label. Each entry is a button: activating it scrolls to the span, focuses it and opens
 * the inspector.
 *
 * A long list (thousands of entries) is shown a page at a time: the first PAGE entries, then
 * more when the end of the list scrolls into view or "Show more" is pressed. Styling thousands
 * of entries at once cost more main-thread time than rendering the whole article. Redraws are
 * batched to one per animation frame, as one innerHTML string.
 */

import { escapeHtml } from "./render.js";

/** Entries shown at first, and added by each "Show more". */
export const PAGE = 200;

function preview(quote, limit = 80) {
  const flat = quote.replace(/\s+/g, " ").trim();
  return flat.length > limit ? `${flat.slice(0, limit - 1)}…` : flat;
}

export class SideList {
  /**
   * @param {HTMLElement} container
   * @param {object} codebook
   * @param {{onOpen: (key: string) => void, showAuthor: boolean, title: string}} options
   */
  constructor(container, codebook, { onOpen, showAuthor = false, title = "Your annotations" }) {
    this.container = container;
    this.codebook = codebook;
    this.onOpen = onOpen;
    this.showAuthor = showAuthor;
    this.title = title;
    this.labels = new Map();
    for (const layer of codebook.layers) {
      for (const label of layer.labels) this.labels.set(label.key, { ...label, layer: layer.key });
    }
    this.layerFilter = "";
    this.labelFilter = "";
    this.frame = null;
    this.annotations = [];
    this.pending = new Set();
    this.limit = PAGE;
  }

  render() {
    let layerOptions = `<option value="">All layers</option>`;
    let labelOptions = `<option value="">All labels</option>`;
    for (const layer of this.codebook.layers) {
      layerOptions += `<option value="${escapeHtml(layer.key)}">${escapeHtml(layer.name)}</option>`;
      const options = layer.labels
        .map((label) => `<option value="${escapeHtml(label.key)}">${escapeHtml(label.name)}</option>`)
        .join("");
      labelOptions += `<optgroup label="${escapeHtml(layer.name)}">${options}</optgroup>`;
    }
    this.container.innerHTML =
      `<h2 id="sidelist-title">${escapeHtml(this.title)} <span class="total"></span></h2>` +
      `<div class="filters">` +
      `<label>Layer <select class="filter-layer">${layerOptions}</select></label>` +
      `<label>Label <select class="filter-label">${labelOptions}</select></label></div>` +
      `<details class="counts-box" open><summary>Counts per label</summary><table class="counts">` +
      `<thead><tr><th scope="col">Label</th><th scope="col" class="num">Count</th></tr></thead>` +
      `<tbody></tbody></table></details>` +
      `<p class="shown muted" aria-live="polite"></p>` +
      `<ol class="annotation-list" aria-labelledby="sidelist-title"></ol>` +
      `<button type="button" class="show-more" hidden></button>`;
    this.list = this.container.querySelector(".annotation-list");
    this.counts = this.container.querySelector(".counts tbody");
    this.total = this.container.querySelector(".total");
    this.shown = this.container.querySelector(".shown");
    this.more = this.container.querySelector(".show-more");
    this.container.querySelector(".filter-layer").addEventListener("change", (event) => {
      this.layerFilter = event.target.value;
      this.limit = PAGE;
      this.#draw();
    });
    this.container.querySelector(".filter-label").addEventListener("change", (event) => {
      this.labelFilter = event.target.value;
      this.limit = PAGE;
      this.#draw();
    });
    this.more.addEventListener("click", () => this.#showMore());
    if (typeof IntersectionObserver === "function") {
      new IntersectionObserver((entries) => {
        if (entries.some((entry) => entry.isIntersecting) && !this.more.hidden) this.#showMore();
      }).observe(this.more);
    }
    this.list.addEventListener("click", (event) => {
      const item = event.target.closest(".ann-item");
      if (item) this.onOpen(item.dataset.key);
    });
  }

  /** New data; drawn on the next animation frame (several changes, one redraw). */
  update(annotations, pending) {
    this.annotations = annotations;
    this.pending = pending;
    if (this.frame === null) {
      this.frame = requestAnimationFrame(() => {
        this.frame = null;
        this.#draw();
      });
    }
  }

  /** Draw now (used on load, so the first paint is complete). */
  drawNow(annotations, pending) {
    this.annotations = annotations;
    this.pending = pending;
    this.#draw();
  }

  #matches(annotation) {
    if (this.labelFilter && annotation.label !== this.labelFilter) return false;
    if (this.layerFilter) {
      const layer = annotation.layer || this.labels.get(annotation.label)?.layer;
      if (layer !== this.layerFilter) return false;
    }
    return true;
  }

  #showMore() {
    this.limit += PAGE;
    this.#draw();
  }

  #draw() {
    const counts = new Map();
    const parts = [];
    let shown = 0;
    let matching = 0;
    for (const annotation of this.annotations) {
      counts.set(annotation.label, (counts.get(annotation.label) || 0) + 1);
      if (!this.#matches(annotation)) continue;
      matching += 1;
      if (shown >= this.limit) continue;
      shown += 1;
      const label = this.labels.get(annotation.label);
      const unsaved = this.pending.has(annotation.key)
        ? ` <span class="badge-unsaved">unsaved</span>`
        : "";
      const author = this.showAuthor ? ` <span class="ann-author">${escapeHtml(annotation.author)}</span>` : "";
      const note = annotation.note ? ` <span class="ann-note">${escapeHtml(preview(annotation.note, 60))}</span>` : "";
      parts.push(
        `<li><button type="button" class="ann-item" data-key="${escapeHtml(annotation.key)}">` +
          `<span class="chip c-${escapeHtml(annotation.label)}">${escapeHtml(label?.name ?? annotation.label)}</span>` +
          `${author}${unsaved} <span class="ann-quote">“${escapeHtml(preview(annotation.quote))}”</span>${note}` +
          `</button></li>`,
      );
    }
    this.list.innerHTML = parts.join("");
    this.total.textContent = `(${this.annotations.length})`;
    this.shown.textContent =
      matching === this.annotations.length ? "" : `${matching} of ${this.annotations.length} match.`;
    const rest = matching - shown;
    this.more.hidden = rest <= 0;
    this.more.textContent = `Show ${Math.min(rest, PAGE)} more (${rest} not shown)`;
    let rows = "";
    for (const [key, label] of this.labels) {
      const count = counts.get(key);
      if (!count) continue;
      rows +=
        `<tr data-label="${escapeHtml(key)}"><td><span class="swatch sw-${escapeHtml(key)}" aria-hidden="true"></span> ` +
        `${escapeHtml(label.name)}</td><td class="num">${count}</td></tr>`;
    }
    this.counts.innerHTML = rows || `<tr><td colspan="2" class="muted">No annotations yet.</td></tr>`;
  }
}
