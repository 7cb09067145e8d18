/**
 * Which browser tab this is, so each tab keeps its own outbox (see outbox.js).
 *
 * The id lives in sessionStorage, which survives a reload of the same tab; that is what lets a
 * reloaded page find its unsaved changes. A tab duplicated by the browser inherits a copy of
 * sessionStorage, and so the same id: at start-up each page announces its id on a
 * BroadcastChannel, and a live tab holding the same id answers "taken", upon which the newcomer
 * takes a fresh id (and leaves the queued changes to the tab that made them).
 */

import { uniqueKey } from "./outbox.js";

const SESSION_KEY = "annotator:tab-id";
/** How long a page waits for a "taken" answer before it sends anything. */
export const CLAIM_WAIT_MS = 150;

function newTabId() {
  const id = uniqueKey("tab");
  try {
    sessionStorage.setItem(SESSION_KEY, id);
  } catch {
    // sessionStorage unavailable: the id lasts as long as the page.
  }
  return id;
}

/**
 * @param {(freshId: string) => void} onDuplicate called when another live tab owns our id
 * @returns {string} this tab's id
 */
export function claimTabId(onDuplicate) {
  let id;
  try {
    id = sessionStorage.getItem(SESSION_KEY);
  } catch {
    id = null;
  }
  if (!id) id = newTabId();
  if (typeof BroadcastChannel !== "function") return id;
  const instance = uniqueKey("page");
  const channel = new BroadcastChannel("annotator-tabs");
  channel.addEventListener("message", (event) => {
    const message = event.data || {};
    if (message.type === "hello" && message.tab === id && message.instance !== instance) {
      channel.postMessage({ type: "taken", tab: id, to: message.instance });
    } else if (message.type === "taken" && message.to === instance) {
      id = newTabId();
      onDuplicate(id);
    }
  });
  channel.postMessage({ type: "hello", tab: id, instance });
  return id;
}
