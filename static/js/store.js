/**
 * The page's copy of the annotations, keyed by `key` (the server id as a string, or a
 * temporary key until the server has assigned one).
 *
 * Every change notifies subscribers with the keys and the code-point ranges it touched, so
 * the text view re-renders only the affected paragraphs and the side list only itself.
 * Deleted annotations stay in the store (with `deleted` set) so an undo can bring them back.
 */

export class AnnotationStore {
  constructor() {
    /** @type {Map<string, object>} */
    this.byKey = new Map();
    this.listeners = new Set();
    this.sortedCache = null;
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  #emit(change) {
    this.sortedCache = null;
    for (const listener of this.listeners) listener(change);
  }

  /** Replace everything (initial load, or after re-reading the server's list). */
  reset(byKey) {
    this.byKey = byKey;
    this.#emit({ reset: true, keys: [...byKey.keys()], ranges: [] });
  }

  get(key) {
    return this.byKey.get(key) ?? null;
  }

  /** Visible (not deleted) annotations in text order: start, end, then key. */
  visible() {
    if (!this.sortedCache) {
      this.sortedCache = [...this.byKey.values()]
        .filter((annotation) => !annotation.deleted)
        .sort(
          (a, b) =>
            a.start - b.start || a.end - b.end || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
        );
    }
    return this.sortedCache;
  }

  /** Insert or replace one annotation. */
  put(annotation) {
    const before = this.byKey.get(annotation.key);
    this.byKey.set(annotation.key, annotation);
    const ranges = [[annotation.start, annotation.end]];
    if (before) ranges.push([before.start, before.end]);
    this.#emit({ keys: [annotation.key], ranges });
  }

  /** Change some fields of one annotation. */
  patch(key, fields) {
    const current = this.byKey.get(key);
    if (!current) return;
    this.put({ ...current, ...fields });
  }

  /** Something about the annotation changed that is not a field (e.g. it got saved). */
  touch(key) {
    const current = this.byKey.get(key);
    if (current) this.#emit({ keys: [key], ranges: [[current.start, current.end]] });
  }

  /** Forget an annotation entirely (e.g. a create the server refused). */
  drop(key) {
    const current = this.byKey.get(key);
    if (!current) return;
    this.byKey.delete(key);
    this.#emit({ keys: [key], ranges: [[current.start, current.end]] });
  }

  /** A temporary key became a server id. */
  rename(oldKey, newKey) {
    const current = this.byKey.get(oldKey);
    if (!current) return;
    this.byKey.delete(oldKey);
    this.byKey.set(newKey, { ...current, key: newKey });
    this.#emit({ keys: [oldKey, newKey], ranges: [[current.start, current.end]], renamed: [oldKey, newKey] });
  }
}
