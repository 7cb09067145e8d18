"""Driving the workspace page like a person: mouse drags over given characters, keys, and a
look at what the server stored.

Positions are code-point offsets of the canonical text. To find a character on screen the
helpers walk the paragraph's DOM text (which must equal the canonical text: that is one of the
things under test) and count code points themselves, independently of the page's own modules.
"""

from __future__ import annotations

from sqlalchemy import select

from annotator.app.extensions import db
from annotator.models import Annotation, Answer

READY = "() => document.documentElement.dataset.workspaceReady === '1'"
SAVED = "() => document.getElementById('workspace').dataset.saveState === 'saved'"

CHAR_RECT = """(offset) => {
  const root = document.getElementById('article-text');
  for (const p of root.children) {
    const start = Number(p.dataset.start), end = Number(p.dataset.end);
    if (offset < start || offset >= end) continue;
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    let position = start;
    let node;
    while ((node = walker.nextNode())) {
      const chars = [...node.data];
      if (offset < position + chars.length) {
        const unit = chars.slice(0, offset - position).join('').length;
        const range = document.createRange();
        range.setStart(node, unit);
        range.setEnd(node, unit + chars[offset - position].length);
        const rect = range.getClientRects()[0] || range.getBoundingClientRect();
        return {left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom};
      }
      position += chars.length;
    }
  }
  return null;
}"""

ARTICLE_TEXT = """() => {
  // The canonical text as the page shows it: paragraphs at their offsets, newlines between.
  let text = '';
  for (const p of document.getElementById('article-text').children) {
    const start = Number(p.dataset.start);
    while ([...text].length < start) text += '\\n';
    text += p.textContent;
  }
  return text;
}"""

FETCH = """async ([method, path, body]) => {
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const response = await fetch(path, {
    method,
    headers: {'Content-Type': 'application/json', 'X-CSRFToken': token, Accept: 'application/json'},
    body: body === null ? undefined : JSON.stringify(body),
  });
  return {status: response.status, body: await response.json()};
}"""


def open_article(page, base_url: str, article_id: int):
    page.goto(f"{base_url}/articles/{article_id}")
    page.wait_for_function(READY, timeout=10_000)
    return page


def wait_saved(page, timeout: float = 10_000):
    page.wait_for_function(SAVED, timeout=timeout)


def char_rect(page, offset: int) -> dict:
    rect = page.evaluate(CHAR_RECT, offset)
    assert rect is not None, f"no character at offset {offset} on the page"
    return rect


def drag_select(page, start: int, end: int) -> None:
    """Press the mouse on the left edge of character ``start`` and release it on the right
    edge of character ``end - 1``, as a person selecting ``[start, end)`` would."""
    page.evaluate(
        "(offset) => { const r = document.getElementById('article-text'); "
        "for (const p of r.children) { if (Number(p.dataset.end) > offset) "
        "{ p.scrollIntoView({block: 'center'}); return; } } }",
        start,
    )
    first = char_rect(page, start)
    last = char_rect(page, end - 1)
    page.mouse.move(first["left"] + 1, (first["top"] + first["bottom"]) / 2)
    page.mouse.down()
    page.mouse.move(last["right"] - 1, (last["top"] + last["bottom"]) / 2, steps=8)
    page.mouse.up()


def tag(page, start: int, end: int, key: str) -> None:
    """Select ``[start, end)`` with the mouse, press a label's shortcut, wait until saved."""
    drag_select(page, start, end)
    page.wait_for_selector("#palette.has-pending")
    page.keyboard.press(key)
    wait_saved(page)


def article_text(page) -> str:
    return page.evaluate(ARTICLE_TEXT)


def api(page, method: str, path: str, body=None) -> tuple[int, object]:
    """A request from inside the page (its session and CSRF token), like the workspace's own."""
    result = page.evaluate(FETCH, [method, path, body])
    return result["status"], result["body"]


def stored_annotations(article_id: int, *, include_deleted: bool = False) -> list[Annotation]:
    """What the server committed (a fresh transaction sees the live server's writes)."""
    db.session.rollback()
    query = select(Annotation).where(Annotation.article_id == article_id)
    if not include_deleted:
        query = query.where(Annotation.deleted.is_(None))
    return list(db.session.execute(query.order_by(Annotation.start, Annotation.id)).scalars())


def stored_answers(article_id: int) -> dict[str, str | None]:
    db.session.rollback()
    rows = db.session.execute(select(Answer).where(Answer.article_id == article_id)).scalars()
    return {answer.question.key: answer.value for answer in rows}


def highlight_ids(page) -> set[str]:
    return set(
        page.evaluate(
            "() => [...document.querySelectorAll('#article-text mark[data-ids]')]"
            ".flatMap((m) => m.dataset.ids.split(' '))"
        )
    )
