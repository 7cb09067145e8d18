// Comparison page: selecting a piece of text shows who tagged what; filters apply on change.
// The page is complete without this script (server-rendered); this only adds interaction.
// No inline styles or scripts: everything goes through classes (strict CSP).

const DISAGREEMENT = ".cell.a-majority, .cell.a-partial, .cell.a-split, .cell.a-single";
const AGREEMENT_WORDS = {
  full: "Full agreement: every reviewer, same label.",
  majority: "Majority: more than half of the reviewers chose the same label, not all.",
  partial: "Partial agreement: some reviewers share a label, but no label has a majority.",
  split: "Split: several reviewers tagged this, but no two chose the same label.",
  single: "Only one reviewer tagged this.",
  none: "Nobody tagged this.",
};

function agreementOf(cell) {
  const found = [...cell.classList].find((name) => name.startsWith("a-"));
  return found ? found.slice(2) : "none";
}

function setUpFilters(form) {
  const layer = form.querySelector("#filter-layer");
  const label = form.querySelector("#filter-label");
  form.addEventListener("change", (event) => {
    if (event.target === layer) {
      label.value = "";
    }
    if (event.target === label && label.value) {
      layer.value = "";
    }
    form.requestSubmit();
  });
  // Empty fields out of the URL, so links stay short and shareable.
  form.addEventListener("submit", () => {
    for (const field of form.querySelectorAll("select, input")) {
      if (!field.value || (field.type === "checkbox" && !field.checked)) {
        field.disabled = true;
      }
    }
  });
  // Coming back through the history (back/forward cache) must not leave fields disabled.
  window.addEventListener("pageshow", () => {
    for (const field of form.querySelectorAll("select, input")) field.disabled = false;
  });
}

function buildIndex(root) {
  const rows = new Map();
  for (const row of document.querySelectorAll("#annotation-index tbody tr")) {
    rows.set(row.dataset.ref, row);
  }
  const cellsByRef = new Map();
  for (const cell of root.querySelectorAll(".cell[data-refs]")) {
    for (const ref of cell.dataset.refs.split(" ")) {
      if (!cellsByRef.has(ref)) cellsByRef.set(ref, []);
      cellsByRef.get(ref).push(cell);
    }
  }
  return { rows, cellsByRef };
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** One entry per distinct (label, start, end) under the cell: who chose it, and their notes. */
function groupRows(rows) {
  const groups = new Map();
  for (const row of rows) {
    const gold = row.dataset.track === "gold";
    const key = `${gold ? "gold" : "r"}|${row.dataset.label}|${row.dataset.s}|${row.dataset.e}`;
    if (!groups.has(key)) {
      groups.set(key, {
        gold,
        label: row.dataset.label,
        labelName: row.querySelector(".label-name").textContent.trim(),
        start: row.dataset.s,
        end: row.dataset.e,
        quote: row.querySelector(".quote").textContent,
        who: [],
        notes: [],
      });
    }
    const group = groups.get(key);
    const name = row.querySelector(".who").textContent;
    group.who.push(name);
    const note = row.querySelector(".note").textContent;
    if (note) group.notes.push(`${name}: ${note}`);
  }
  // Gold first, then the most chosen, then text order.
  return [...groups.values()].sort(
    (a, b) => b.gold - a.gold || b.who.length - a.who.length || a.start - b.start,
  );
}

function renderGroup(group) {
  const item = element("li", group.gold ? "detail-group gold" : "detail-group");
  const head = element("div", "dg-head");
  head.append(element("span", `swatch lbl-${group.label}`), element("strong", "", group.labelName));
  head.append(element("span", "muted", `[${group.start}, ${group.end})`));
  const count = group.gold ? "Gold" : `${group.who.length} reviewer${group.who.length === 1 ? "" : "s"}`;
  head.append(element("span", "dg-count", count));
  item.append(head, element("div", "dg-quote", group.quote));
  if (!group.gold) item.append(element("div", "dg-who", group.who.join(", ")));
  if (group.notes.length) {
    const notes = element("ul", "dg-notes");
    for (const note of group.notes) notes.append(element("li", "", note));
    item.append(notes);
  }
  return item;
}

function showDetail(cell, index, root, body) {
  for (const old of root.querySelectorAll(".cell.selected, .cell.related")) {
    old.classList.remove("selected", "related");
  }
  const refs = cell.dataset.refs.split(" ");
  for (const ref of refs) {
    for (const other of index.cellsByRef.get(ref) || []) other.classList.add("related");
  }
  cell.classList.add("selected");

  const rows = refs.map((ref) => index.rows.get(ref)).filter(Boolean);
  rows.sort((a, b) => trackOrder(a) - trackOrder(b));
  const reviewers = new Set(rows.filter((r) => r.dataset.track !== "gold").map((r) => r.dataset.track));
  const total = Number(root.dataset.reviewers || 0);

  body.replaceChildren();
  const text = cell.querySelector(".ct").textContent;
  body.append(element("p", "detail-span", `[${cell.dataset.s}, ${cell.dataset.e}) “${text}”`));
  const summary = element("p", "detail-summary");
  summary.append(element("span", `agree-swatch a-${agreementOf(cell)}`), " ");
  summary.append(`${AGREEMENT_WORDS[agreementOf(cell)]} ${reviewers.size} of ${total} reviewers tagged it.`);
  body.append(summary);
  const list = element("ul", "detail-groups");
  for (const group of groupRows(rows)) list.append(renderGroup(group));
  body.append(list);
}

function trackOrder(row) {
  return row.dataset.track === "gold" ? -1 : Number(row.dataset.track);
}

function setUpSelection(root, body) {
  const index = buildIndex(root);
  const activate = (cell) => showDetail(cell, index, root, body);
  root.addEventListener("click", (event) => {
    const cell = event.target.closest(".cell[data-refs]");
    if (cell) activate(cell);
  });
  root.addEventListener("keydown", (event) => {
    const cell = event.target.closest(".cell[data-refs]");
    if (cell && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      activate(cell);
    }
  });
  return activate;
}

function setUpNavigation(root, activate) {
  const previous = document.getElementById("prev-disagreement");
  const next = document.getElementById("next-disagreement");
  const cells = [...root.querySelectorAll(DISAGREEMENT)].filter((cell) => cell.dataset.refs);
  if (!cells.length) return;
  previous.hidden = false;
  next.hidden = false;
  const go = (step) => {
    const current = root.querySelector(".cell.selected");
    let position = current ? cells.indexOf(current) : -1;
    if (position === -1 && step < 0) position = cells.length;
    const target = cells[(position + step + cells.length) % cells.length];
    target.focus();
    target.scrollIntoView({ block: "center" });
    activate(target);
  };
  previous.addEventListener("click", () => go(-1));
  next.addEventListener("click", () => go(1));
}

document.documentElement.classList.add("js");
const root = document.getElementById("compare");
const form = document.getElementById("compare-filters");
if (form) setUpFilters(form);
if (root) {
  const activate = setUpSelection(root, document.getElementById("detail-body"));
  setUpNavigation(root, activate);
}
