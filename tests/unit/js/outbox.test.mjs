// The outbox queue (static/js/outbox.js): persistence, merging, adoption, replay, reconcile.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Outbox, STALE_MS, reconcile, replay } from "../../../static/js/outbox.js";

class MemoryStorage {
  constructor() {
    this.items = new Map();
  }
  get length() {
    return this.items.size;
  }
  key(i) {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(key) {
    return this.items.has(key) ? this.items.get(key) : null;
  }
  setItem(key, value) {
    this.items.set(key, String(value));
  }
  removeItem(key) {
    this.items.delete(key);
  }
}

const PREFIX = "annotator:outbox:alice:7:";
const BODY = { label: "loaded-language", start: 3, end: 9, quote: "teilte", note: "" };

test("queued ops survive a reload of the page", () => {
  const storage = new MemoryStorage();
  const first = new Outbox(storage, PREFIX, "tab-1");
  first.enqueue({ kind: "create", key: "tmp-1", body: { ...BODY } });
  first.enqueue({ kind: "answer", question: "genre", value: "reporting" });
  const reloaded = new Outbox(storage, PREFIX, "tab-1");
  assert.equal(reloaded.size, 2);
  assert.equal(reloaded.head().kind, "create");
  reloaded.remove(reloaded.head().id);
  reloaded.remove(reloaded.head().id);
  assert.equal(storage.length, 0, "an empty queue leaves nothing behind");
});

test("updates merge into a queued create or update, never into the op in flight", () => {
  const outbox = new Outbox(new MemoryStorage(), PREFIX, "tab");
  outbox.enqueue({ kind: "create", key: "tmp-1", body: { ...BODY } });
  const merged = outbox.enqueue({ kind: "update", key: "tmp-1", version: 1, fields: { note: "n" } });
  assert.equal(merged.merged, true);
  assert.equal(outbox.size, 1);
  assert.equal(outbox.head().body.note, "n");

  outbox.inflight = outbox.head().id;
  const separate = outbox.enqueue({ kind: "update", key: "tmp-1", version: 1, fields: { note: "m" } });
  assert.equal(separate.merged, false);
  const again = outbox.enqueue({ kind: "update", key: "tmp-1", version: 2, fields: { label: "x" } });
  assert.equal(again.merged, true);
  assert.deepEqual(outbox.ops[1].fields, { note: "m", label: "x" });
  assert.equal(outbox.ops[1].version, 1);
});

test("a newer answer to the same question replaces the queued one", () => {
  const outbox = new Outbox(new MemoryStorage(), PREFIX, "tab");
  outbox.enqueue({ kind: "answer", question: "genre", value: "reporting" });
  outbox.enqueue({ kind: "answer", question: "tone", value: "neutral" });
  outbox.enqueue({ kind: "answer", question: "genre", value: "opinion" });
  assert.deepEqual(outbox.ops.map((op) => [op.question, op.value]), [["tone", "neutral"], ["genre", "opinion"]]);
  assert.deepEqual([...outbox.pendingAnswers()], [["tone", "neutral"], ["genre", "opinion"]]);
});

test("after a create lands, later ops use the server id", () => {
  const outbox = new Outbox(new MemoryStorage(), PREFIX, "tab");
  const created = outbox.enqueue({ kind: "create", key: "tmp-1", body: { ...BODY } }).op;
  outbox.inflight = created.id;
  outbox.enqueue({ kind: "delete", key: "tmp-1", version: 1 });
  outbox.remove(created.id);
  outbox.rewriteKey("tmp-1", "42");
  assert.deepEqual([...outbox.pendingKeys()], ["42"]);
  assert.deepEqual(outbox.dropFor("42").map((op) => op.kind), ["delete"]);
  assert.equal(outbox.size, 0);
});

test("a closed tab's queue is adopted; a live tab's is left alone", () => {
  const storage = new MemoryStorage();
  let now = 1_000_000;
  const clock = () => now;
  const closed = new Outbox(storage, PREFIX, "closed", { now: clock });
  closed.enqueue({ kind: "answer", question: "genre", value: "satire" });
  now += STALE_MS + 1;
  const live = new Outbox(storage, PREFIX, "live", { now: clock });
  live.enqueue({ kind: "answer", question: "tone", value: "neutral" });
  const other = new Outbox(storage, "annotator:outbox:bob:7:", "x", { now: clock });
  other.enqueue({ kind: "answer", question: "genre", value: "opinion" });
  const mine = new Outbox(storage, PREFIX, "mine", { now: clock });
  assert.equal(mine.adoptOrphans(), 1);
  assert.deepEqual(mine.ops.map((op) => op.value), ["satire"]);
  assert.equal(storage.getItem(`${PREFIX}closed`), null);
  assert.notEqual(storage.getItem(`${PREFIX}live`), null);
});

test("a corrupt stored queue is treated as empty", () => {
  const storage = new MemoryStorage();
  storage.setItem(`${PREFIX}tab`, "{not json");
  assert.equal(new Outbox(storage, PREFIX, "tab").size, 0);
});

test("replay shows queued changes on top of the server's list", () => {
  const server = [
    { id: 1, label: "a", start: 0, end: 4, quote: "Eins", note: "", version: 3, deleted: null },
    { id: 2, label: "b", start: 5, end: 9, quote: "Zwei", note: "", version: 1, deleted: null },
  ];
  const ops = [
    { kind: "update", key: "1", version: 3, fields: { note: "offline" } },
    { kind: "delete", key: "2", version: 1 },
    { kind: "create", key: "tmp-9", body: { ...BODY } },
    { kind: "update", key: "404", version: 1, fields: { note: "gone" } },
  ];
  const state = replay(server, ops, "alice");
  assert.equal(state.get("1").note, "offline");
  assert.equal(state.get("1").version, 4);
  assert.ok(state.get("2").deleted);
  assert.equal(state.get("tmp-9").author, "alice");
  assert.equal(state.get("tmp-9").quote, "teilte");
  assert.equal(state.has("404"), false);
});

test("reconcile recognises a create or update that landed without an answer", () => {
  const server = [
    { id: 5, ...BODY, deleted: null, version: 1 },
    { id: 6, label: "b", start: 1, end: 2, quote: "x", note: "hi", deleted: null, version: 4 },
    { id: 7, label: "b", start: 1, end: 2, quote: "x", note: "", deleted: "2026-01-01T00:00:00Z", version: 2 },
  ];
  const create = { kind: "create", key: "tmp-1", body: { ...BODY } };
  assert.equal(reconcile(create, server, new Set()).id, 5);
  assert.equal(reconcile(create, server, new Set(["5"])), null, "a known annotation is not ours");
  assert.equal(reconcile({ kind: "update", key: "6", version: 3, fields: { note: "hi" } }, server, new Set()).id, 6);
  assert.equal(reconcile({ kind: "update", key: "6", version: 3, fields: { note: "other" } }, server, new Set()), null);
  assert.equal(reconcile({ kind: "delete", key: "7", version: 1 }, server, new Set()).id, 7);
  assert.equal(reconcile({ kind: "delete", key: "6", version: 4 }, server, new Set()), null);
});
