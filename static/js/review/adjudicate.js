// Adjudication page: link candidates and text, filter the candidate list, and fill span
// offsets from a text selection. Forms work without this script; offsets are Unicode code
// points of the canonical text (the browser's strings count UTF-16 units, so we convert here).

const text = document.getElementById("adj-text");

/** Code-point offset of a DOM boundary point inside a paragraph with data-start. */
function codePointOffset(node, offset) {
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  const paragraph = element && element.closest("#adj-text p[data-start]");
  if (!paragraph) return null;
  const range = document.createRange();
  range.setStart(paragraph, 0);
  range.setEnd(node, offset);
  return Number(paragraph.dataset.start) + Array.from(range.toString()).length;
}

/** The canonical text rebuilt from the paragraphs (newlines between them), as code points. */
function canonicalCodePoints() {
  const chars = [];
  for (const paragraph of text.querySelectorAll("p[data-start]")) {
    const start = Number(paragraph.dataset.start);
    while (chars.length < start) chars.push("\n");
    chars.push(...Array.from(paragraph.textContent));
  }
  return chars;
}

function currentSelection() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
  const range = selection.getRangeAt(0);
  if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return null;
  const start = codePointOffset(range.startContainer, range.startOffset);
  const end = codePointOffset(range.endContainer, range.endOffset);
  if (start === null || end === null || end <= start) return null;
  return { start, end };
}

function setUpSelectionForms(chars) {
  const hint = document.getElementById("selection-hint");
  let selected = null;
  document.addEventListener("selectionchange", () => {
    const found = currentSelection();
    if (found) {
      selected = found;
      hint.textContent = `Selected [${found.start}, ${found.end}): “${chars
        .slice(found.start, found.end)
        .join("")}” — use “Use text selection” in a form to take these offsets.`;
    }
  });
  for (const form of document.querySelectorAll("form.decide")) {
    const start = form.querySelector("input[name=start][type=number]");
    const end = form.querySelector("input[name=end][type=number]");
    const preview = form.querySelector(".quote-preview");
    const button = form.querySelector(".use-selection");
    if (!start || !end) continue;
    const update = () => {
      const s = Number(start.value);
      const e = Number(end.value);
      if (preview && start.value !== "" && end.value !== "" && e > s) {
        preview.textContent = `“${chars.slice(s, e).join("")}”`;
      } else if (preview) {
        preview.textContent = "";
      }
    };
    start.addEventListener("input", update);
    end.addEventListener("input", update);
    if (button) {
      button.hidden = false;
      button.addEventListener("click", () => {
        if (!selected) {
          hint.textContent = "Select some of the article text first, then press the button again.";
          return;
        }
        start.value = selected.start;
        end.value = selected.end;
        update();
      });
    }
  }
}

function focusMarks(marker, on) {
  for (const mark of text.querySelectorAll("mark.seg.focus")) mark.classList.remove("focus");
  if (!on) return;
  let first = null;
  for (const mark of text.querySelectorAll("mark.seg[data-c]")) {
    if (mark.dataset.c.split(" ").includes(marker)) {
      mark.classList.add("focus");
      first = first || mark;
    }
  }
  if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
}

function setUpLinks() {
  const items = [...document.querySelectorAll(".cand[data-c], .gold-item[data-c]")];
  for (const item of items) {
    item.addEventListener("click", (event) => {
      if (event.target.closest("form, a, button, input, select")) return;
      for (const other of items) other.classList.remove("focus");
      item.classList.add("focus");
      focusMarks(item.dataset.c, true);
    });
  }
  text.addEventListener("click", (event) => {
    const mark = event.target.closest("mark.seg[data-c]");
    if (!mark || !window.getSelection().isCollapsed) return;
    const markers = mark.dataset.c.split(" ");
    const matching = items.filter((item) => markers.includes(item.dataset.c) && !item.hidden);
    for (const other of items) other.classList.remove("focus");
    for (const item of matching) item.classList.add("focus");
    if (matching.length) matching[0].scrollIntoView({ block: "center", behavior: "smooth" });
  });
}

function setUpFilter() {
  const group = document.getElementById("cand-filter");
  if (!group) return;
  group.hidden = false;
  const candidates = [...document.querySelectorAll("#candidates .cand")];
  const tests = {
    all: () => true,
    open: (item) => item.dataset.status === "open",
    agreed: (item) => item.dataset.status === "open" && item.classList.contains("agreed"),
    decided: (item) => item.dataset.status !== "open",
  };
  for (const button of group.querySelectorAll("button[data-show]")) {
    button.addEventListener("click", () => {
      for (const other of group.querySelectorAll("button")) {
        other.setAttribute("aria-pressed", String(other === button));
      }
      const test = tests[button.dataset.show];
      for (const item of candidates) item.hidden = !test(item);
    });
  }
}

function setUpThreshold() {
  const form = document.getElementById("threshold-form");
  if (form) form.addEventListener("change", () => form.requestSubmit());
}

document.documentElement.classList.add("js");
if (text) {
  setUpSelectionForms(canonicalCodePoints());
  setUpLinks();
}
setUpFilter();
setUpThreshold();
