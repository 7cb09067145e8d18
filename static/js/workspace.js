/**
 * The reviewer's workspace: entry point of the article page.
 *
 * Start-up is one round trip: the page preloads the article (text + codebook) and the
 * annotations while the modules load (<link rel="preload"> in article.html), the text with all
 * highlights is built as one HTML string and inserted once, then `data-workspace-ready="1"` is
 * set on <html> and `performance.mark("workspace-ready")` is recorded: the benchmark and the
 * browser tests wait for exactly that (`data-highlight-count` says how many annotations are
 * shown). The side list, the answers and the outbox's sending come after.
 *
 * Modes: "edit" for a reviewer with an open assignment; "readonly" after submitting, or for
 * staff (instructors, researchers) looking at reviewers' work. The server decides the mode
 * (data attributes on #workspace) and enforces it; the page only mirrors it.
 */

import { Api } from "./api.js";
import { Editor } from "./editor.js";
import { Inspector } from "./inspector.js";
import { OffsetMap } from "./offsets.js";
import { Outbox, replay } from "./outbox.js";
import { Palette } from "./palette.js";
import { Questions } from "./questions.js";
import { SelectionController } from "./selection.js";
import { SideList } from "./sidelist.js";
import { StatusPanel } from "./status.js";
import { AnnotationStore } from "./store.js";
import { setupSubmit } from "./submit.js";
import { Sync } from "./sync.js";
import { CLAIM_WAIT_MS, claimTabId } from "./tabs.js";
import { TextView } from "./textview.js";

const $ = (selector) => document.querySelector(selector);

function isTypingTarget(target) {
  return Boolean(target?.closest?.("input, textarea, select, [contenteditable]"));
}

class Workspace {
  constructor(root) {
    this.root = root;
    const data = root.dataset;
    this.articleId = Number(data.articleId);
    this.user = data.user;
    this.writable = data.mode === "edit";
    this.staff = data.staff === "1";
    this.locale = data.language || undefined;
    this.api = new Api();
    this.store = new AnnotationStore();
    this.outbox = null;
    this.sync = null;
    this.status = new StatusPanel(
      {
        saveStatus: $("#save-status"),
        alerts: $("#alerts"),
        toastBox: $("#toast"),
        announcer: $("#announcer"),
        workspace: root,
      },
      { onRetry: () => this.sync?.retryNow() },
    );
  }

  pendingKeys() {
    return this.outbox ? this.outbox.pendingKeys() : new Set();
  }

  async start() {
    const id = this.articleId;
    const mine = this.staff ? "" : `?author=${encodeURIComponent(this.user)}`;
    // The page preloads these two (see article.html); a fetch of the same URL with the same
    // mode gets the preloaded response instead of asking again.
    const preloaded = (name, path) => {
      const url = document.querySelector(`link[data-load="${name}"]`)?.href;
      return url ? this.api.getPreloaded(url) : this.api.get(path);
    };
    const pending = [
      preloaded("article", `/articles/${id}`),
      preloaded("annotations", `/articles/${id}/annotations${mine}`),
    ];
    const answersRequest = this.staff ? Promise.resolve([]) : this.api.get(`/articles/${id}/answers`);
    answersRequest.catch(() => {}); // reported when awaited, after the text is on screen
    const [article, annotations] = await Promise.all(pending);
    this.#setupModel(article);
    if (this.writable) this.#setupOutbox();
    this.store.reset(replay(annotations, this.outbox?.ops ?? [], this.user));
    this.view.pending = this.pendingKeys();
    this.view.render(this.store.visible());
    this.#setupPanels();
    this.store.subscribe((change) => this.#onStoreChange(change));
    this.#bindKeys();
    document.documentElement.dataset.highlightCount = String(this.store.visible().length);
    document.documentElement.dataset.workspaceReady = "1";
    performance.mark("workspace-ready");
    // The side list can wait for the first paint of the text (thousands of entries).
    const drawList = () => this.sidelist.drawNow(this.store.visible(), this.pendingKeys());
    if ("requestIdleCallback" in window) requestIdleCallback(drawList, { timeout: 500 });
    else setTimeout(drawList, 0);
    if (this.sync) this.sync.start({ delayMs: this.outbox.size ? CLAIM_WAIT_MS : 0 });
    await this.#loadAnswers(answersRequest);
  }

  #setupModel(article) {
    this.article = article;
    this.codebook = article.codebook;
    this.map = new OffsetMap(article.text);
    this.labels = new Map();
    const labelNames = new Map();
    for (const layer of this.codebook.layers) {
      for (const label of layer.labels) {
        this.labels.set(label.key, { ...label, layer: layer.key });
        labelNames.set(label.key, label.name);
      }
    }
    this.view = new TextView($("#article-text"), this.map, labelNames);
  }

  #setupOutbox() {
    const prefix = `annotator:outbox:${this.user}:${this.articleId}:`;
    const tabId = claimTabId((freshId) => {
      // A duplicated tab: the original tab owns the queued changes; start an empty queue.
      this.outbox = new Outbox(localStorage, prefix, freshId);
      if (this.sync) this.sync.outbox = this.outbox;
      this.sync?.resync();
    });
    this.outbox = new Outbox(localStorage, prefix, tabId);
    this.outbox.adoptOrphans();
    this.sync = new Sync({
      api: this.api,
      outbox: this.outbox,
      store: this.store,
      articleId: this.articleId,
      author: this.user,
      onStatus: (status) => this.status.showSave(status),
      onProblem: (problem) => this.#onProblem(problem),
      onAnswerSaved: (question) => {
        if (!this.outbox.pendingAnswers().has(question)) this.questions.setState(question, "saved");
      },
    });
    this.editor = new Editor({
      store: this.store,
      sync: this.sync,
      map: this.map,
      labels: this.labels,
      author: this.user,
      locale: this.locale,
      status: this.status,
    });
  }

  #setupPanels() {
    this.selection = new SelectionController(
      this.view,
      {
        onChange: (pending) => this.palette.setPending(pending),
        onActivate: (keys) => this.inspector.open(keys),
        onChooseLabel: () => this.palette.focusSearch(),
        annotations: () => this.store.visible(),
        onFocus: (key, mark) => this.#announceHighlight(key, mark),
      },
      $("#caret"),
    );
    this.selection.attach();
    this.palette = new Palette($("#palette"), this.codebook, {
      onPick: (labelKey) => this.#create(labelKey),
      onEscape: () => this.view.root.focus(),
    });
    this.palette.render();
    this.inspector = new Inspector($("#inspector"), {
      codebook: this.codebook,
      store: this.store,
      pendingKeys: () => this.pendingKeys(),
      handlers: {
        onUpdate: (key, fields) => this.editor?.update(key, fields),
        onNudge: (key, edge, direction, unit) => this.editor?.nudge(key, edge, direction, unit),
        onDelete: (key) => {
          this.editor?.remove(key);
          this.view.root.focus();
        },
        onShow: (key) => this.#setCurrent(key),
        onClose: (key) => {
          this.#setCurrent(null);
          if (!key || !this.selection.focusAnnotation(key, { scroll: false })) this.view.root.focus();
        },
      },
    });
    this.sidelist = new SideList($("#sidelist"), this.codebook, {
      onOpen: (key) => {
        this.selection.focusAnnotation(key);
        this.inspector.open([key], { key });
      },
      showAuthor: this.staff,
      title: this.staff ? "Reviewers' annotations" : "Your annotations",
    });
    this.sidelist.render();
    this.questions = new Questions($("#questions"), this.codebook, {
      onAnswer: (question, value) => this.sync?.enqueue({ kind: "answer", question, value }),
    });
    const showTags = $("#show-tags");
    showTags.addEventListener("change", () => {
      this.view.root.classList.toggle("hide-tags", !showTags.checked);
    });
    setupSubmit(this);
    if (!this.writable) this.setReadOnly(this.root.dataset.readonlyReason || "readonly");
  }

  async #loadAnswers(request) {
    if (this.staff) {
      this.questions.container.hidden = true;
      return;
    }
    let answers = [];
    try {
      answers = await request;
    } catch (error) {
      this.status.alert(`Your answers could not be loaded: ${error.message}`);
    }
    const values = new Map(answers.map((answer) => [answer.question, answer.value]));
    const pending = this.outbox?.pendingAnswers() ?? new Map();
    for (const [question, value] of pending) values.set(question, value);
    this.questions.render(values);
    for (const question of values.keys()) {
      this.questions.setState(question, pending.has(question) ? "pending" : "saved");
    }
    if (!this.writable) this.questions.setReadOnly(true);
  }

  #create(labelKey) {
    if (!this.writable || !this.editor) return;
    const span = this.selection.readNow();
    if (!span) {
      this.status.announce("Select some text in the article first, then choose a label.");
      this.palette.setPending(null);
      return;
    }
    const key = this.editor.create(span, labelKey);
    this.selection.clear();
    if (this.palette.container.contains(document.activeElement)) {
      this.selection.focusAnnotation(key, { scroll: false });
    }
  }

  /** Tell screen-reader users which labels the focused highlight carries. */
  #announceHighlight(key, mark) {
    const annotation = this.store.get(key);
    if (!annotation) return;
    const others = TextView.keysOf(mark).filter((other) => other !== key).length;
    const name = this.labels.get(annotation.label)?.name ?? annotation.label;
    const flat = annotation.quote.replace(/\s+/g, " ");
    const quote = flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
    const overlap = others ? ` Overlaps ${others} other annotation(s).` : "";
    this.status.announce(`${name}: “${quote}”.${overlap} Press Enter to open it.`);
  }

  #setCurrent(key) {
    const previous = this.view.current;
    if (previous === key) return;
    this.view.current = key;
    const ranges = [];
    for (const candidate of [previous, key]) {
      const annotation = candidate && this.store.get(candidate);
      if (annotation) ranges.push([annotation.start, annotation.end]);
    }
    this.view.update(this.store.visible(), ranges);
  }

  #onStoreChange(change) {
    if (change.renamed) {
      const [oldKey, newKey] = change.renamed;
      if (this.view.current === oldKey) this.view.current = newKey;
      if (this.editor?.lastDeleted === oldKey) this.editor.lastDeleted = newKey;
    }
    const focusKey = document.activeElement?.dataset?.focusKey;
    const visible = this.store.visible();
    this.view.pending = this.pendingKeys();
    if (change.reset) this.view.render(visible);
    else this.view.update(visible, change.ranges);
    if (focusKey && !this.view.root.contains(document.activeElement)) {
      const key = change.renamed && change.renamed[0] === focusKey ? change.renamed[1] : focusKey;
      if (this.store.get(key) && !this.store.get(key).deleted) {
        this.selection.focusAnnotation(key, { scroll: false });
      } else this.view.root.focus();
    }
    this.selection.refresh();
    document.documentElement.dataset.highlightCount = String(visible.length);
    this.sidelist.update(visible, this.view.pending);
    this.inspector.refresh(change);
  }

  #onProblem(problem) {
    if (problem.kind === "read-only") {
      this.setReadOnly("submitted");
    }
    this.status.alert(problem.message, problem.kind === "conflict" ? "warning" : "error");
  }

  /** Switch the page to read-only (after submitting, or when the server says so). */
  setReadOnly(reason) {
    this.writable = false;
    this.root.dataset.mode = "readonly";
    this.sync?.pause();
    $("#palette").hidden = true;
    this.inspector.setReadOnly(true);
    this.questions.setReadOnly(true);
    const banner = $("#readonly-banner");
    banner.hidden = false;
    banner.textContent =
      reason === "submitted"
        ? "Submitted: this assignment is read-only. An instructor can reopen it."
        : this.staff
          ? "You are viewing reviewers' work; it is read-only."
          : "This article is read-only for you.";
    $("#submit-area").hidden = true;
  }

  #bindKeys() {
    document.addEventListener("keydown", (event) => {
      if (event.defaultPrevented || document.querySelector("dialog[open]")) return;
      if (event.key === "Escape") {
        if (this.inspector.isOpen) this.inspector.close();
        return;
      }
      if (isTypingTarget(event.target)) return;
      if (event.ctrlKey || event.metaKey) {
        if (event.key.toLowerCase() === "z" && !event.shiftKey && this.editor?.undo()) {
          event.preventDefault();
        }
        return;
      }
      if (event.altKey) return;
      if (event.key === "/") {
        event.preventDefault();
        this.palette.focusSearch();
        return;
      }
      if (event.key === "Delete" && this.writable && this.inspector.isOpen) {
        event.preventDefault();
        this.editor.remove(this.inspector.key);
        return;
      }
      const label = this.palette.shortcuts.get(event.key);
      if (label && this.writable && this.selection.readNow()) {
        event.preventDefault();
        this.#create(label);
      }
    });
  }
}

const root = document.getElementById("workspace");
if (root) {
  const workspace = new Workspace(root);
  workspace.start().catch((error) => {
    const box = document.getElementById("alerts");
    const message = document.createElement("p");
    message.className = "alert alert-error";
    message.textContent = `The workspace could not start: ${error.message} Reload the page to try again.`;
    box?.append(message);
    console.error(error);
  });
}
