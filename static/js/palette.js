/**
 * The label palette: the codebook's labels grouped by layer, searchable, each with its
 * shortcut key. Choosing a label (click, Enter on a button, Enter in the search field, or the
 * shortcut key anywhere outside a text field) turns the pending selection into an annotation.
 *
 * Keyboard: "/" focuses the search; Up/Down move between the visible labels; Escape returns
 * to the article. Retired labels are not offered (they may still show on old annotations).
 */

import { escapeHtml } from "./render.js";

function quotePreview(quote, limit = 90) {
  const flat = quote.replace(/\s+/g, " ");
  return flat.length > limit ? `${flat.slice(0, limit - 1)}…` : flat;
}

export class Palette {
  /**
   * @param {HTMLElement} container
   * @param {object} codebook as the API sends it
   * @param {{onPick: (labelKey: string) => void, onEscape: () => void}} handlers
   */
  constructor(container, codebook, handlers) {
    this.container = container;
    this.codebook = codebook;
    this.handlers = handlers;
    /** shortcut key -> label key */
    this.shortcuts = new Map();
  }

  render() {
    let groups = "";
    for (const layer of this.codebook.layers) {
      const labels = layer.labels.filter((label) => !label.retired);
      if (!labels.length) continue;
      let items = "";
      for (const label of labels) {
        if (label.shortcut) this.shortcuts.set(label.shortcut, label.key);
        const search = `${label.name} ${label.key} ${label.description || ""} ${layer.name}`.toLowerCase();
        const shortcut = label.shortcut
          ? `<kbd aria-hidden="true">${escapeHtml(label.shortcut)}</kbd>`
          : "";
        items +=
          `<li data-search="${escapeHtml(search)}"><button type="button" class="label-button" ` +
          `data-label="${escapeHtml(label.key)}" title="${escapeHtml(label.description || label.name)}"` +
          (label.shortcut ? ` aria-keyshortcuts="${escapeHtml(label.shortcut)}"` : "") +
          ` aria-describedby="pending-text"><span class="swatch sw-${escapeHtml(label.key)}" aria-hidden="true"></span>` +
          `<span class="label-name">${escapeHtml(label.name)}</span>${shortcut}</button></li>`;
      }
      const id = `layer-${escapeHtml(layer.key)}`;
      groups +=
        `<section class="layer-group" aria-labelledby="${id}"><h3 id="${id}">${escapeHtml(layer.name)}</h3>` +
        `<ul class="label-list">${items}</ul></section>`;
    }
    this.container.innerHTML =
      `<h2 id="palette-title">Labels</h2>` +
      `<p id="pending-text" class="pending-text" aria-live="polite"></p>` +
      `<label class="visually-hidden" for="label-search">Search labels</label>` +
      `<input id="label-search" class="label-search" type="search" autocomplete="off" ` +
      `placeholder="Search labels (press /)" aria-controls="label-groups">` +
      `<p class="no-match muted" hidden>No label matches.</p>` +
      `<div id="label-groups" class="label-groups">${groups}</div>`;
    this.search = this.container.querySelector("#label-search");
    this.pendingText = this.container.querySelector("#pending-text");
    this.noMatch = this.container.querySelector(".no-match");
    this.container.addEventListener("click", (event) => {
      const button = event.target.closest(".label-button");
      if (button) this.handlers.onPick(button.dataset.label);
    });
    this.search.addEventListener("input", () => this.#filter());
    this.search.addEventListener("keydown", (event) => this.#onSearchKey(event));
    this.container.querySelector("#label-groups").addEventListener("keydown", (event) => {
      this.#onListKey(event);
    });
    this.setPending(null);
  }

  /** Show what is selected (or how to select). */
  setPending(pending) {
    if (!this.pendingText) return;
    this.container.classList.toggle("has-pending", Boolean(pending));
    this.pendingText.textContent = pending
      ? `Selected: “${quotePreview(pending.quote)}” — choose a label or press its key.`
      : "Select text in the article (mouse, or Shift+arrow keys), then choose a label.";
  }

  focusSearch() {
    this.search?.focus();
    this.search?.select();
  }

  #visibleButtons() {
    return [...this.container.querySelectorAll("li:not([hidden]) > .label-button")];
  }

  #filter() {
    const words = this.search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let any = false;
    for (const group of this.container.querySelectorAll(".layer-group")) {
      let groupVisible = false;
      for (const item of group.querySelectorAll("li")) {
        const match = words.every((word) => item.dataset.search.includes(word));
        item.hidden = !match;
        groupVisible ||= match;
      }
      group.hidden = !groupVisible;
      any ||= groupVisible;
    }
    this.noMatch.hidden = any;
  }

  #onSearchKey(event) {
    if (event.key === "Enter") {
      event.preventDefault();
      const first = this.#visibleButtons()[0];
      if (first) this.handlers.onPick(first.dataset.label);
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      this.#visibleButtons()[0]?.focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      if (this.search.value) {
        this.search.value = "";
        this.#filter();
      } else {
        this.handlers.onEscape();
      }
    }
  }

  #onListKey(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const buttons = this.#visibleButtons();
    const index = buttons.indexOf(document.activeElement);
    if (index === -1) return;
    event.preventDefault();
    const next = index + (event.key === "ArrowDown" ? 1 : -1);
    if (next < 0) this.search.focus();
    else buttons[Math.min(next, buttons.length - 1)].focus();
  }
}
