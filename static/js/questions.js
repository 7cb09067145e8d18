/**
 * Article-level questions of the codebook: one radio group per question, saved the moment an
 * answer is picked (through the outbox, so an answer given offline is not lost). Each group
 * says whether its answer is saved. Retired questions are shown only if already answered.
 */

import { escapeHtml } from "./render.js";

export class Questions {
  /**
   * @param {HTMLElement} container
   * @param {object} codebook
   * @param {{onAnswer: (question: string, value: string|null) => void}} handlers
   */
  constructor(container, codebook, handlers) {
    this.container = container;
    this.questions = codebook.questions;
    this.handlers = handlers;
    this.readOnly = false;
  }

  render(answers = new Map()) {
    const visible = this.questions.filter((q) => !q.retired || answers.has(q.key));
    if (!visible.length) {
      this.container.hidden = true;
      return;
    }
    let html = `<h2 id="questions-title">About the whole article</h2>`;
    for (const question of visible) {
      const name = `q-${question.key}`;
      const options = question.answers
        .map(
          (answer) =>
            `<label class="answer"><input type="radio" name="${escapeHtml(name)}" ` +
            `value="${escapeHtml(answer.key)}"> ${escapeHtml(answer.name)}</label>`,
        )
        .join("");
      const hint = question.level === "ordinal" ? `<span class="muted"> (a scale, in order)</span>` : "";
      html +=
        `<fieldset class="question" data-question="${escapeHtml(question.key)}">` +
        `<legend>${escapeHtml(question.text)}${hint}</legend>` +
        (question.description ? `<p class="muted question-help">${escapeHtml(question.description)}</p>` : "") +
        `<div class="answers">${options}</div>` +
        `<div class="question-foot"><button type="button" class="link-button clear-answer">Clear answer</button>` +
        `<span class="answer-state" aria-live="polite"></span></div></fieldset>`;
    }
    this.container.innerHTML = html;
    this.container.addEventListener("change", (event) => {
      const input = event.target;
      if (input.type !== "radio") return;
      const key = input.closest("fieldset").dataset.question;
      this.handlers.onAnswer(key, input.value);
      this.setState(key, "pending");
    });
    this.container.addEventListener("click", (event) => {
      const button = event.target.closest(".clear-answer");
      if (!button) return;
      const fieldset = button.closest("fieldset");
      for (const input of fieldset.querySelectorAll("input")) input.checked = false;
      this.handlers.onAnswer(fieldset.dataset.question, null);
      this.setState(fieldset.dataset.question, "pending");
    });
    for (const [key, value] of answers) this.setValue(key, value);
  }

  #fieldset(key) {
    return this.container.querySelector(`fieldset[data-question="${CSS.escape(key)}"]`);
  }

  setValue(key, value) {
    const fieldset = this.#fieldset(key);
    if (!fieldset) return;
    for (const input of fieldset.querySelectorAll("input")) input.checked = input.value === value;
  }

  /** "saved", "pending" (not yet saved) or "" (nothing to say). */
  setState(key, state) {
    const fieldset = this.#fieldset(key);
    if (!fieldset) return;
    const label = fieldset.querySelector(".answer-state");
    fieldset.dataset.state = state;
    label.textContent = state === "saved" ? "Saved" : state === "pending" ? "Not saved yet" : "";
    label.classList.toggle("badge-unsaved", state === "pending");
  }

  setReadOnly(readOnly) {
    this.readOnly = readOnly;
    for (const control of this.container.querySelectorAll("input, button")) {
      control.disabled = readOnly;
    }
  }
}
