/**
 * What the page tells the reviewer about their work: the save state (all saved / saving /
 * not saved yet and why), problems that need their attention (a conflict, a refusal), short
 * announcements for screen readers, and the undo offer after a delete.
 *
 * The save state is also mirrored on the workspace element (`data-save-state`,
 * `data-pending`) so tests and styles can follow it.
 */

import { escapeHtml } from "./render.js";

const TOAST_MS = 8000;

export class StatusPanel {
  /**
   * @param {{saveStatus: HTMLElement, alerts: HTMLElement, toastBox: HTMLElement,
   *          announcer: HTMLElement, workspace: HTMLElement}} elements
   * @param {{onRetry: () => void}} handlers
   */
  constructor(elements, handlers) {
    Object.assign(this, elements);
    this.handlers = handlers;
    this.toastTimer = null;
    this.countdown = null;
    this.saveStatus.addEventListener("click", (event) => {
      if (event.target.closest("[data-action=retry]")) this.handlers.onRetry();
    });
    this.alerts.addEventListener("click", (event) => {
      const button = event.target.closest("[data-action=dismiss]");
      if (button) button.closest(".alert").remove();
    });
  }

  /** @param {{state: string, pending: number, retryAt: number|null, message: string}} status */
  showSave(status) {
    this.workspace.dataset.saveState = status.state;
    this.workspace.dataset.pending = String(status.pending);
    clearInterval(this.countdown);
    let text;
    const trouble = status.state !== "saved" && status.state !== "saving";
    if (status.state === "saved") text = "All changes saved.";
    else if (status.state === "saving") text = `Saving ${status.pending} change(s)…`;
    else text = `${status.pending} change(s) not saved yet. ${status.message}`;
    let html = `<span class="save-text">${escapeHtml(text)}</span> <span class="countdown"></span>`;
    if (status.state === "signed-out") {
      html += ` <a href="/login" target="_blank" rel="noopener">Sign in (new tab)</a>`;
    }
    if (trouble) html += ` <button type="button" class="link-button" data-action="retry">Retry now</button>`;
    this.saveStatus.innerHTML = html;
    this.saveStatus.className = `save-status state-${status.state}`;
    if (trouble && status.retryAt) {
      // Only the countdown changes each second: the button stays the same element.
      const countdown = this.saveStatus.querySelector(".countdown");
      const tick = () => {
        const seconds = Math.max(0, Math.ceil((status.retryAt - Date.now()) / 1000));
        countdown.textContent = seconds ? `Next try in ${seconds} s.` : "";
      };
      tick();
      this.countdown = setInterval(tick, 1000);
    }
  }

  /** A problem the user must see (conflict, refusal); stays until dismissed. */
  alert(message, kind = "error") {
    const item = document.createElement("div");
    item.className = `alert alert-${kind}`;
    item.innerHTML =
      `<p>${escapeHtml(message)}</p>` +
      `<button type="button" class="link-button" data-action="dismiss">Dismiss</button>`;
    this.alerts.append(item);
  }

  /** A short message for screen readers (and a brief visual hint). */
  announce(message) {
    this.announcer.textContent = "";
    // A new text node in a live region is announced even when the text repeats.
    requestAnimationFrame(() => {
      this.announcer.textContent = message;
    });
  }

  /** A message with one action (e.g. "Undo"), hidden after a few seconds. */
  toast(message, actionText, action) {
    clearTimeout(this.toastTimer);
    this.toastBox.hidden = false;
    this.toastBox.innerHTML =
      `<span>${escapeHtml(message)}</span>` +
      (actionText ? ` <button type="button" data-action="toast">${escapeHtml(actionText)}</button>` : "");
    const button = this.toastBox.querySelector("[data-action=toast]");
    button?.addEventListener("click", () => {
      this.hideToast();
      action();
    });
    this.toastTimer = setTimeout(() => this.hideToast(), TOAST_MS);
  }

  hideToast() {
    clearTimeout(this.toastTimer);
    this.toastBox.hidden = true;
    this.toastBox.textContent = "";
  }
}
