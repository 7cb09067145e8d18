/**
 * The outbox: every change the reviewer makes, kept in the browser until the server has it.
 *
 * A change is first applied to the page, then queued here and written to localStorage, then
 * sent (sync.js). It leaves the queue only when the server answered: with success, or with a
 * refusal that no retry can fix (stale version, read-only, invalid). A failed network, a
 * server error or an expired session leave it queued and it is retried; a reload or a browser
 * restart finds it in localStorage and replays it on top of what the server sends.
 *
 * One queue per tab (key `<prefix><tab id>`, the tab id kept in sessionStorage so a reload
 * keeps it). Tabs never send each other's changes; a queue whose tab has been closed (no
 * heartbeat for STALE_MS) is adopted by the next tab that opens the same article.
 *
 * Operations, in the order the user made them:
 *   {kind: "create",  key, body: {label, start, end, quote, note}}
 *   {kind: "update",  key, version, fields: {label?, start?, end?, quote?, note?}}
 *   {kind: "delete",  key, version}
 *   {kind: "restore", key}
 *   {kind: "answer",  question, value}
 * `key` is the annotation id as a string, or a temporary "tmp-..." key until its create lands.
 * `version` is the version the server will have when the op arrives (updates are checked
 * against it; a mismatch means someone else changed the annotation: a conflict).
 * `attempted` marks an op whose last send had an unknown outcome (the request may have
 * landed): before resending, sync.js asks the server and `reconcile()` decides.
 *
 * Pure module (storage is injected): tested with node's test runner.
 */

export const STALE_MS = 20000;

let counter = 0;

/** A key unique enough for ops and temporary annotation ids. */
export function uniqueKey(prefix) {
  counter += 1;
  const random = Math.random().toString(36).slice(2, 10);
  return `${prefix}-${Date.now().toString(36)}-${counter}-${random}`;
}

function readRecord(storage, key) {
  try {
    const record = JSON.parse(storage.getItem(key) || "null");
    if (record && Array.isArray(record.ops)) return record;
  } catch {
    // A corrupt entry must not stop the page; it is treated as empty.
  }
  return null;
}

export class Outbox {
  /**
   * @param {Storage} storage localStorage, or any object with getItem/setItem/removeItem/key
   * @param {string} prefix e.g. "annotator:outbox:<user>:<article>:"
   * @param {string} tabId
   * @param {{now?: () => number}} [options]
   */
  constructor(storage, prefix, tabId, { now = Date.now } = {}) {
    this.storage = storage;
    this.prefix = prefix;
    this.key = prefix + tabId;
    this.now = now;
    /** @type {object[]} */
    this.ops = readRecord(storage, this.key)?.ops ?? [];
    /** Id of the op being sent right now (never merged into). */
    this.inflight = null;
    this.saveError = null;
  }

  /** Take over the queues of closed tabs (no heartbeat for STALE_MS); returns how many ops. */
  adoptOrphans() {
    const now = this.now();
    const orphans = [];
    for (let i = 0; i < this.storage.length; i++) {
      const key = this.storage.key(i);
      if (!key || !key.startsWith(this.prefix) || key === this.key) continue;
      const record = readRecord(this.storage, key);
      if (!record || now - (record.heartbeat || 0) > STALE_MS) orphans.push([key, record]);
    }
    let adopted = 0;
    for (const [key, record] of orphans) {
      if (record) {
        this.ops.push(...record.ops);
        adopted += record.ops.length;
      }
      this.storage.removeItem(key);
    }
    if (adopted) {
      this.ops.sort((a, b) => (a.at || 0) - (b.at || 0));
      this.save();
    }
    return adopted;
  }

  /** Write the queue (and a heartbeat) to storage; an empty queue removes the entry. */
  save() {
    try {
      if (this.ops.length === 0) this.storage.removeItem(this.key);
      else this.storage.setItem(this.key, JSON.stringify({ heartbeat: this.now(), ops: this.ops }));
      this.saveError = null;
    } catch (error) {
      // Storage full or disabled: the change stays in memory and is still sent.
      this.saveError = error;
    }
  }

  /** Refresh the heartbeat so other tabs do not adopt this queue. */
  heartbeat() {
    if (this.ops.length) this.save();
  }

  get size() {
    return this.ops.length;
  }

  head() {
    return this.ops[0] ?? null;
  }

  /**
   * Queue a change, merging it into an earlier one where that is safe.
   * @returns {{op: object, merged: boolean}} merged: it was folded into a queued op (so the
   *   server's version will not move one more time for it)
   */
  enqueue(change) {
    const op = { id: uniqueKey("op"), at: this.now(), ...change };
    const merged = this.#merge(op);
    if (!merged) this.ops.push(op);
    this.save();
    return { op: merged ?? op, merged: Boolean(merged) };
  }

  #lastFor(key) {
    for (let i = this.ops.length - 1; i >= 0; i--) {
      if (this.ops[i].key === key) return this.ops[i];
    }
    return null;
  }

  #merge(op) {
    if (op.kind === "answer") {
      const index = this.ops.findIndex(
        (other) => other.kind === "answer" && other.question === op.question && other.id !== this.inflight,
      );
      if (index === -1) return null;
      this.ops.splice(index, 1);
      return null; // the new op goes to the end, after whatever it replaced
    }
    if (op.kind !== "update") return null;
    const last = this.#lastFor(op.key);
    if (!last || last.id === this.inflight) return null;
    if (last.kind === "update") {
      Object.assign(last.fields, op.fields);
      return last;
    }
    if (last.kind === "create") {
      Object.assign(last.body, op.fields);
      return last;
    }
    return null;
  }

  /** Remove a finished op. */
  remove(opId) {
    this.ops = this.ops.filter((op) => op.id !== opId);
    if (this.inflight === opId) this.inflight = null;
    this.save();
  }

  /** Mark an op whose send had an unknown outcome. */
  markAttempted(opId) {
    const op = this.ops.find((candidate) => candidate.id === opId);
    if (op) op.attempted = true;
    this.save();
  }

  /** After a create landed: later ops refer to the server's id. */
  rewriteKey(oldKey, newKey) {
    for (const op of this.ops) if (op.key === oldKey) op.key = newKey;
    this.save();
  }

  /** Drop every queued op of one annotation (after a refusal); returns them. */
  dropFor(key) {
    const dropped = this.ops.filter((op) => op.key === key);
    this.ops = this.ops.filter((op) => op.key !== key);
    this.save();
    return dropped;
  }

  /** Keys of annotations with queued changes. */
  pendingKeys() {
    const keys = new Set();
    for (const op of this.ops) if (op.key) keys.add(op.key);
    return keys;
  }

  /** Questions with a queued answer, with the value queued last. */
  pendingAnswers() {
    const answers = new Map();
    for (const op of this.ops) if (op.kind === "answer") answers.set(op.question, op.value);
    return answers;
  }
}

/**
 * Local state = what the server sent + the queued ops, replayed in order. Used on load (a
 * reload must show unsaved changes) and after the server's list is fetched again.
 * @param {object[]} serverAnnotations as the API lists them (taken over, see below)
 * @param {object[]} ops queued ops
 * @param {string} author the current user's username (for locally created annotations)
 * @returns {Map<string, object>} key -> annotation (deleted ones have `deleted` set)
 */
export function replay(serverAnnotations, ops, author) {
  const byKey = new Map();
  // The list objects are taken over (given a `key`), not copied: thousands of copies on every
  // page load cost more than they protect; callers pass a freshly parsed list.
  for (const annotation of serverAnnotations) {
    annotation.key = String(annotation.id);
    byKey.set(annotation.key, annotation);
  }
  for (const op of ops) {
    if (op.kind === "answer") continue;
    const current = byKey.get(op.key);
    if (op.kind === "create") {
      if (!current) {
        byKey.set(op.key, {
          id: null, key: op.key, author, version: 1, deleted: null, note: "", ...op.body,
        });
      }
    } else if (!current) {
      continue; // the annotation is gone on the server; sync.js will report the op
    } else if (op.kind === "update") {
      Object.assign(current, op.fields);
      current.version = (op.version ?? current.version) + 1;
    } else if (op.kind === "delete") {
      current.deleted = current.deleted || "pending";
      current.version = (op.version ?? current.version) + 1;
    } else if (op.kind === "restore") {
      current.deleted = null;
      current.version += 1;
    }
  }
  return byKey;
}

/**
 * Did an op whose outcome was unknown land after all? Returns the server's annotation that
 * shows it did, or null (then the op is sent again).
 * @param {object} op
 * @param {object[]} serverAnnotations the author's annotations, deleted ones included
 * @param {Set<string>} knownKeys keys of server annotations the page already knows
 */
export function reconcile(op, serverAnnotations, knownKeys) {
  if (op.kind === "create") {
    const body = op.body;
    return (
      serverAnnotations.find(
        (a) =>
          !a.deleted &&
          !knownKeys.has(String(a.id)) &&
          a.label === body.label &&
          a.start === body.start &&
          a.end === body.end &&
          (a.note || "") === (body.note || ""),
      ) ?? null
    );
  }
  const found = serverAnnotations.find((a) => String(a.id) === op.key);
  if (!found) return null;
  if (op.kind === "update") {
    if (found.deleted) return null;
    for (const [field, value] of Object.entries(op.fields)) {
      const actual = field === "quote" ? found.quote : found[field];
      if ((actual ?? "") !== (value ?? "")) return null;
    }
    return found.version > op.version ? found : null;
  }
  if (op.kind === "delete") return found.deleted ? found : null;
  if (op.kind === "restore") return found.deleted ? null : found;
  return null;
}
