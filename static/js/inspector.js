/**
 * The inspector: what is known about the annotation(s) at one spot, and how to change it.
 *
 * Opened by clicking a highlight, Enter on a focused highlight, or a side-list entry. Where
 * several annotations overlap, it lists them and shows one at a time. Editing: change the
 * label, write a note (saved a moment after typing stops, and on leaving the field), move
 * either boundary by a character or a word, delete (with undo). Read-only pages show the
 * same facts without the controls. Every control is a native form element, so keyboard and
 * screen-reader use come for free; Escape closes and returns focus to the text.
 */

import { escapeHtml } from "./render.js";

const NOTE_DELAY_MS = 700;

const NUDGES = [
  ["start", -1, "word", "⇤ word", "Move the start one word earlier"],
  ["start", -1, "char", "← char", "Move the start one character earlier"],
  ["start", 1, "char", "char →", "Move the start one character later"],
  ["start", 1, "word", "word ⇥", "Move the start one word later"],
  ["end", -1, "word", "⇤ word", "Move the end one word earlier"],
  ["end", -1, "char", "← char", "Move the end one character earlier"],
  ["end", 1, "char", "char →", "Move the end one character later"],
  ["end", 1, "word", "word ⇥", "Move the end one word later"],
];

function formatTime(iso) {
  if (!iso) return "not yet";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export class Inspector {
  /**
   * @param {HTMLElement} container
   * @param {object} options
   * @param {object} options.codebook
   * @param {import("./store.js").AnnotationStore} options.store
   * @param {() => Set<string>} options.pendingKeys
   * @param {object} options.handlers onUpdate(key, fields), onNudge(key, edge, direction,
   *   unit), onDelete(key), onClose(key), onShow(key)
   */
  constructor(container, { codebook, store, pendingKeys, handlers }) {
    this.container = container;
    this.codebook = codebook;
    this.store = store;
    this.pendingKeys = pendingKeys;
    this.handlers = handlers;
    this.readOnly = false;
    this.keys = [];
    this.key = null;
    this.noteTimer = null;
    this.labelNames = new Map();
    for (const layer of codebook.layers) {
      for (const label of layer.labels) this.labelNames.set(label.key, label.name);
    }
    container.addEventListener("click", (event) => this.#onClick(event));
    container.addEventListener("change", (event) => this.#onChange(event));
    container.addEventListener("input", (event) => this.#onInput(event));
    container.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        this.close();
      }
    });
  }

  get isOpen() {
    return !this.container.hidden;
  }

  setReadOnly(readOnly) {
    this.readOnly = readOnly;
    this.builtFor = null;
    if (this.isOpen) this.#render();
  }

  /**
   * Show the annotations `keys` (those at one spot); `key` picks which one is shown first.
   */
  open(keys, { key = null, focus = true } = {}) {
    this.#flushNote();
    this.keys = keys.filter((candidate) => this.store.get(candidate));
    if (!this.keys.length) return;
    this.key = key && this.keys.includes(key) ? key : this.keys[this.keys.length - 1];
    this.container.hidden = false;
    this.#render();
    this.handlers.onShow(this.key);
    if (focus) this.container.querySelector("h2").focus();
  }

  close() {
    if (!this.isOpen) return;
    this.#flushNote();
    const key = this.key;
    this.container.hidden = true;
    this.keys = [];
    this.key = null;
    this.handlers.onClose(key);
  }

  /** The store changed: show the new state (keeping a note being typed). */
  refresh(change) {
    if (!this.isOpen) return;
    if (change?.renamed) {
      const [oldKey, newKey] = change.renamed;
      this.keys = this.keys.map((candidate) => (candidate === oldKey ? newKey : candidate));
      if (this.key === oldKey) this.key = newKey;
      if (this.builtFor === oldKey) this.builtFor = newKey;
    }
    const current = this.store.get(this.key);
    if (!current || current.deleted) {
      this.keys = this.keys.filter((candidate) => {
        const annotation = this.store.get(candidate);
        return annotation && !annotation.deleted;
      });
      if (!this.keys.length) {
        this.close();
        return;
      }
      this.key = this.keys[this.keys.length - 1];
    }
    if (this.builtFor === this.key) this.#fill();
    else this.#render();
  }

  #labelOptions(selected) {
    let html = "";
    for (const layer of this.codebook.layers) {
      let options = "";
      for (const label of layer.labels) {
        if (label.retired && label.key !== selected) continue;
        const isSelected = label.key === selected ? " selected" : "";
        options += `<option value="${escapeHtml(label.key)}"${isSelected}>${escapeHtml(label.name)}</option>`;
      }
      if (options) html += `<optgroup label="${escapeHtml(layer.name)}">${options}</optgroup>`;
    }
    return html;
  }

  /** Build the inspector's controls for the shown annotation, then fill in its state. */
  #render() {
    const annotation = this.store.get(this.key);
    if (!annotation) return;
    let body =
      `<div class="inspector-head"><h2 id="inspector-title" tabindex="-1">` +
      `<span class="chip insp-chip"></span></h2>` +
      `<button type="button" class="close-button" data-action="close" aria-label="Close the inspector">✕</button></div>` +
      `<div class="chooser-wrap"></div>` +
      `<blockquote class="inspector-quote"></blockquote>` +
      `<dl class="meta inspector-meta"><dt>Position</dt><dd class="insp-position"></dd>` +
      `<dt>Author</dt><dd class="insp-author"></dd>` +
      `<dt>Saved</dt><dd class="insp-saved"></dd></dl>`;
    if (this.readOnly) {
      body += `<h3>Note</h3><p class="note-text"></p>`;
    } else {
      body +=
        `<label for="inspector-label">Label</label>` +
        `<select id="inspector-label">${this.#labelOptions(annotation.label)}</select>` +
        `<label for="inspector-note">Note</label>` +
        `<textarea id="inspector-note" rows="3" data-key="${escapeHtml(this.key)}"></textarea>` +
        this.#nudgeControls() +
        `<div class="inspector-actions"><button type="button" class="danger" data-action="delete">Delete annotation</button></div>`;
    }
    this.container.innerHTML = body;
    this.builtFor = this.key;
    this.#fill();
  }

  /** Show the current state without rebuilding controls (a note being typed is kept). */
  #fill() {
    const annotation = this.store.get(this.key);
    if (!annotation) return;
    const $ = (selector) => this.container.querySelector(selector);
    const name = this.labelNames.get(annotation.label) ?? annotation.label;
    const chip = $(".insp-chip");
    chip.className = `chip insp-chip c-${annotation.label}`;
    chip.textContent = name;
    let chooser = "";
    if (this.keys.length > 1) {
      const items = this.keys
        .map((candidate) => {
          const other = this.store.get(candidate);
          const pressed = candidate === this.key ? "true" : "false";
          return (
            `<li><button type="button" class="chooser-item" data-choose="${escapeHtml(candidate)}" ` +
            `aria-pressed="${pressed}"><span class="chip c-${escapeHtml(other.label)}">` +
            `${escapeHtml(this.labelNames.get(other.label) ?? other.label)}</span> ` +
            `<span class="visually-hidden">${escapeHtml(other.quote)}</span></button></li>`
          );
        })
        .join("");
      chooser = `<p class="muted">${this.keys.length} annotations here:</p><ul class="chooser">${items}</ul>`;
    }
    const wrap = $(".chooser-wrap");
    if (wrap.dataset.html !== chooser) {
      wrap.innerHTML = chooser;
      wrap.dataset.html = chooser;
    }
    $(".inspector-quote").textContent = annotation.quote;
    $(".insp-position").textContent =
      `characters ${annotation.start}–${annotation.end} (${annotation.end - annotation.start} long)`;
    $(".insp-author").textContent = annotation.author || "";
    const unsaved = this.pendingKeys().has(this.key);
    const saved = $(".insp-saved");
    saved.textContent = unsaved ? "not yet saved" : formatTime(annotation.updated);
    saved.classList.toggle("badge-unsaved", unsaved);
    const noteText = $(".note-text");
    if (noteText) noteText.textContent = annotation.note || "No note.";
    const select = $("#inspector-label");
    if (select && select.value !== annotation.label) {
      if (!select.querySelector(`option[value="${CSS.escape(annotation.label)}"]`)) {
        select.innerHTML = this.#labelOptions(annotation.label);
      }
      select.value = annotation.label;
    }
    const note = $("#inspector-note");
    if (note) {
      note.dataset.key = this.key;
      if (document.activeElement !== note) note.value = annotation.note ?? "";
    }
  }

  #nudgeControls() {
    const groups = { start: "", end: "" };
    for (const [edge, direction, unit, text, label] of NUDGES) {
      const id = `${edge}:${direction}:${unit}`;
      groups[edge] +=
        `<button type="button" class="nudge" data-nudge="${id}" aria-label="${label}" title="${label}">${text}</button>`;
    }
    return (
      `<fieldset class="nudge-group"><legend>Start</legend>${groups.start}</fieldset>` +
      `<fieldset class="nudge-group"><legend>End</legend>${groups.end}</fieldset>`
    );
  }

  #onClick(event) {
    const target = event.target.closest("button");
    if (!target) return;
    if (target.dataset.choose) {
      this.#flushNote();
      this.key = target.dataset.choose;
      this.#render();
      this.handlers.onShow(this.key);
      this.container.querySelector(`[data-choose="${CSS.escape(this.key)}"]`)?.focus();
    } else if (target.dataset.action === "close") {
      this.close();
    } else if (target.dataset.action === "delete") {
      this.#flushNote();
      this.handlers.onDelete(this.key);
    } else if (target.dataset.nudge) {
      const [edge, direction, unit] = target.dataset.nudge.split(":");
      this.handlers.onNudge(this.key, edge, Number(direction), unit);
    }
  }

  #onChange(event) {
    if (event.target.id === "inspector-label") {
      this.handlers.onUpdate(this.key, { label: event.target.value });
    } else if (event.target.id === "inspector-note") {
      this.#flushNote();
    }
  }

  #onInput(event) {
    if (event.target.id !== "inspector-note") return;
    clearTimeout(this.noteTimer);
    this.noteTimer = setTimeout(() => this.#flushNote(), NOTE_DELAY_MS);
  }

  /** Save the note being typed now (if it differs from what is stored). */
  #flushNote() {
    clearTimeout(this.noteTimer);
    this.noteTimer = null;
    const note = this.container.querySelector("#inspector-note");
    if (!note) return;
    const annotation = this.store.get(note.dataset.key);
    if (annotation && !annotation.deleted && (annotation.note || "") !== note.value) {
      this.handlers.onUpdate(note.dataset.key, { note: note.value });
    }
  }
}
