/**
 * Sending the outbox to the server, one op at a time, until every change has landed.
 *
 * Ops go out strictly in order (a create before the updates of the same annotation). A
 * retryable failure (see api.js) stops the queue and retries with exponential backoff
 * (0.5 s doubling to 10 s, with jitter), at once when the browser reports it is back online
 * or the user presses "Retry now". A refusal (stale version, read-only, invalid) removes the
 * op and reports it: a stale version is a conflict with another tab or person and is shown,
 * never overwritten. When a send's outcome is unknown (no answer), the next attempt first
 * asks the server whether it landed (outbox.reconcile), so a create is not made twice.
 */

import { ApiError } from "./api.js";
import { reconcile, replay } from "./outbox.js";

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 10000;
const HEARTBEAT_MS = 5000;

export class Sync {
  /**
   * @param {object} options
   * @param {import("./api.js").Api} options.api
   * @param {import("./outbox.js").Outbox} options.outbox
   * @param {import("./store.js").AnnotationStore} options.store
   * @param {number} options.articleId
   * @param {string} options.author the current user's username
   * @param {(status: object) => void} options.onStatus
   * @param {(problem: {kind: string, message: string, key?: string}) => void} options.onProblem
   * @param {(question: string, answer: object) => void} options.onAnswerSaved
   */
  constructor({ api, outbox, store, articleId, author, onStatus, onProblem, onAnswerSaved }) {
    Object.assign(this, { api, outbox, store, articleId, author, onStatus, onProblem, onAnswerSaved });
    this.running = false;
    this.failures = 0;
    this.timer = null;
    this.retryAt = null;
    this.state = "saved";
    this.message = "";
    this.paused = false;
  }

  start({ delayMs = 0 } = {}) {
    window.addEventListener("online", () => this.retryNow());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && this.outbox.size) this.retryNow();
    });
    this.heartbeatTimer = setInterval(() => this.outbox.heartbeat(), HEARTBEAT_MS);
    this.#report();
    if (delayMs) this.#schedule(delayMs, false);
    else this.flush();
  }

  /** Queue a change and start sending. Returns what Outbox.enqueue returns. */
  enqueue(change) {
    const queued = this.outbox.enqueue(change);
    this.#report();
    if (!this.timer) this.flush();
    return queued;
  }

  retryNow() {
    clearTimeout(this.timer);
    this.timer = null;
    this.flush();
  }

  /** Stop sending (the page became read-only); queued ops stay in storage. */
  pause() {
    this.paused = true;
    clearTimeout(this.timer);
    this.timer = null;
  }

  #report() {
    const pending = this.outbox.size;
    let state = this.state;
    if (pending === 0) state = "saved";
    else if (state === "saved") state = "saving";
    this.state = state;
    this.onStatus({ state, pending, retryAt: this.retryAt, message: this.message });
  }

  #schedule(delay, countFailure = true) {
    if (countFailure) this.failures += 1;
    clearTimeout(this.timer);
    this.retryAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.retryAt = null;
      this.flush();
    }, delay);
  }

  #backoff() {
    const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** this.failures);
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  async flush() {
    if (this.running || this.paused) return;
    this.running = true;
    try {
      let op;
      while (!this.paused && (op = this.outbox.head())) {
        this.outbox.inflight = op.id;
        this.state = "saving";
        this.#report();
        try {
          const result = await this.#send(op);
          this.outbox.remove(op.id);
          this.failures = 0;
          this.message = "";
          this.#landed(op, result);
        } catch (error) {
          this.outbox.inflight = null;
          if (!(error instanceof ApiError)) throw error;
          if (error.retryable) {
            await this.#retryLater(op, error);
            break;
          }
          this.#refused(op, error);
        }
      }
    } finally {
      this.outbox.inflight = null;
      this.running = false;
      this.#report();
    }
  }

  async #retryLater(op, error) {
    if (error.outcomeUnknown) this.outbox.markAttempted(op.id);
    if (error.needsSignIn) {
      const refreshed = await this.api.refreshCsrfToken();
      this.state = refreshed ? "saving" : "signed-out";
      this.message = refreshed
        ? "Your session was renewed; saving again."
        : "You were signed out. Sign in again in another tab; your changes are kept here and " +
          "will be saved then.";
      if (refreshed) {
        this.#schedule(0, false);
        return;
      }
    } else {
      this.state = "offline";
      this.message = error.network
        ? "The server cannot be reached. Your changes are kept in this browser and will be " +
          "saved when it is back."
        : `The server had a problem (${error.status}). Your changes are kept and retried.`;
    }
    this.#schedule(this.#backoff());
  }

  /** The author's annotations on the server, deleted ones included. */
  async #serverList() {
    const author = encodeURIComponent(this.author);
    return this.api.get(`/articles/${this.articleId}/annotations?author=${author}&include_deleted=1`);
  }

  async #send(op) {
    const idempotent = op.kind === "answer" || op.kind === "restore";
    if (op.attempted && !idempotent) {
      const known = new Set([...this.store.byKey.keys()].filter((key) => !key.startsWith("tmp-")));
      const landed = reconcile(op, await this.#serverList(), known);
      if (landed) return landed;
    }
    const annotationPath = `/annotations/${op.key}`;
    switch (op.kind) {
      case "create":
        return this.api.post(`/articles/${this.articleId}/annotations`, op.body);
      case "update":
        this.#requireServerKey(op);
        return this.api.patch(annotationPath, { version: op.version, ...op.fields });
      case "delete":
        this.#requireServerKey(op);
        return this.api.delete(`${annotationPath}?version=${op.version}`);
      case "restore":
        this.#requireServerKey(op);
        return this.api.post(`${annotationPath}/restore`);
      case "answer":
        return this.api.put(
          `/articles/${this.articleId}/answers/${encodeURIComponent(op.question)}`,
          { value: op.value },
        );
      default:
        throw new ApiError(`Unknown change ${op.kind}.`, { status: 400, error: "unknown_op" });
    }
  }

  #requireServerKey(op) {
    if (op.key.startsWith("tmp-")) {
      // Its create was refused; nothing to change on the server.
      throw new ApiError("This annotation was never saved.", { status: 404, error: "not_found" });
    }
  }

  #landed(op, result) {
    if (op.kind === "answer") {
      this.onAnswerSaved(op.question, result);
      return;
    }
    let key = op.key;
    if (op.kind === "create") {
      key = String(result.id);
      this.outbox.rewriteKey(op.key, key);
      this.store.rename(op.key, key);
    }
    const stillPending = this.outbox.pendingKeys().has(key);
    const local = this.store.get(key);
    if (!stillPending) {
      // Nothing more queued: the server's answer is the truth (version, timestamps).
      this.store.put({ ...result, key });
    } else if (local) {
      this.store.put({ ...local, id: result.id, created: result.created, author: result.author });
    }
  }

  #refused(op, error) {
    if (error.error === "read_only") {
      const dropped = this.outbox.ops.length;
      this.outbox.ops = [];
      this.outbox.save();
      this.onProblem({
        kind: "read-only",
        message: `${error.message} ${dropped} unsaved change(s) could not be saved.`,
      });
      this.resync();
      return;
    }
    if (op.kind === "answer") {
      this.outbox.remove(op.id);
      this.onProblem({ kind: "refused", message: `Your answer was not saved: ${error.message}` });
      return;
    }
    this.outbox.dropFor(op.key);
    const conflict = error.error === "stale_version" || error.error === "deleted";
    this.onProblem({
      kind: conflict ? "conflict" : "refused",
      key: op.key,
      message: conflict
        ? `Not saved: this annotation was changed in another tab or window. ${error.message} ` +
          "The page now shows the saved version."
        : `Not saved: ${error.message}`,
    });
    this.resync();
  }

  /** Re-read the author's annotations and replay what is still queued on top. */
  async resync() {
    try {
      const list = await this.#serverList();
      this.store.reset(replay(list, this.outbox.ops, this.author));
    } catch {
      // Offline again: the page keeps its current state; the next flush will tell.
    }
  }
}
