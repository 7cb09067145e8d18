/**
 * The reviewer's edits as commands: create, change, nudge, delete, undo. Each one updates the
 * page at once (optimistically) and queues the change in the outbox, which saves it; the
 * expected version travels with every update so a change made elsewhere is detected, never
 * overwritten.
 *
 * Version bookkeeping: the local copy's `version` is the version the server will have once
 * every queued op has landed. An op merged into a queued one (outbox.enqueue says so) does not
 * move it.
 */

import { nudgeSpan } from "./boundaries.js";
import { uniqueKey } from "./outbox.js";

function preview(text, limit = 60) {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > limit ? `${flat.slice(0, limit - 1)}…` : flat;
}

export class Editor {
  /**
   * @param {object} options
   * @param {import("./store.js").AnnotationStore} options.store
   * @param {import("./sync.js").Sync} options.sync
   * @param {import("./offsets.js").OffsetMap} options.map
   * @param {Map<string, {name: string, layer: string}>} options.labels
   * @param {string} options.author
   * @param {string} [options.locale]
   * @param {import("./status.js").StatusPanel} options.status
   */
  constructor({ store, sync, map, labels, author, locale, status }) {
    Object.assign(this, { store, sync, map, labels, author, locale, status });
    this.lastDeleted = null;
  }

  /**
   * Turn a selected span into an annotation with `labelKey`.
   * @param {{start: number, end: number, quote: string}} span
   * @returns {string} the new annotation's (temporary) key
   */
  create(span, labelKey) {
    const label = this.labels.get(labelKey);
    const key = uniqueKey("tmp");
    const body = { label: labelKey, start: span.start, end: span.end, quote: span.quote, note: "" };
    this.sync.enqueue({ kind: "create", key, body });
    this.store.put({
      id: null,
      key,
      layer: label?.layer ?? null,
      author: this.author,
      version: 1,
      deleted: null,
      created: null,
      updated: null,
      ...body,
    });
    this.status.announce(`${label?.name ?? labelKey} added to “${preview(span.quote)}”.`);
    return key;
  }

  /** Change label, note or boundaries (the quote follows the boundaries). */
  update(key, fields) {
    const current = this.store.get(key);
    if (!current || current.deleted) return;
    const change = { ...fields };
    if ("start" in change || "end" in change) {
      change.start = change.start ?? current.start;
      change.end = change.end ?? current.end;
      change.quote = this.map.slice(change.start, change.end);
    }
    const { merged } = this.sync.enqueue({ kind: "update", key, version: current.version, fields: change });
    const layer = change.label ? this.labels.get(change.label)?.layer : current.layer;
    this.store.put({
      ...current,
      ...change,
      layer: layer ?? current.layer,
      version: merged ? current.version : current.version + 1,
    });
    if (change.label) {
      this.status.announce(`Label changed to ${this.labels.get(change.label)?.name ?? change.label}.`);
    }
  }

  /** Move one boundary by a character or a word; says so when it cannot move. */
  nudge(key, edge, direction, unit) {
    const current = this.store.get(key);
    if (!current) return;
    const moved = nudgeSpan(this.map, current, edge, direction, unit, this.locale);
    if (!moved) {
      this.status.announce(`The ${edge} cannot move further that way.`);
      return;
    }
    this.update(key, moved);
    this.status.announce(`Now “${preview(this.map.slice(moved.start, moved.end))}”.`);
  }

  /** Delete (softly: the server keeps it) and offer to undo. */
  remove(key) {
    const current = this.store.get(key);
    if (!current || current.deleted) return;
    this.sync.enqueue({ kind: "delete", key, version: current.version });
    this.store.put({ ...current, deleted: "pending", version: current.version + 1 });
    this.lastDeleted = key;
    const name = this.labels.get(current.label)?.name ?? current.label;
    this.status.toast(`Deleted ${name} on “${preview(current.quote, 40)}”.`, "Undo", () => this.undo());
    this.status.announce(`Annotation deleted. Press Control+Z or the Undo button to restore it.`);
  }

  /** Undo the last delete. */
  undo() {
    const key = this.lastDeleted;
    this.lastDeleted = null;
    const current = key ? this.store.get(key) : null;
    if (!current || !current.deleted) return false;
    this.sync.enqueue({ kind: "restore", key });
    this.store.put({ ...current, deleted: null, version: current.version + 1 });
    this.status.hideToast();
    this.status.announce("Annotation restored.");
    return true;
  }
}
