"""Staff pages for one article: compare reviewers, and adjudicate the gold set.

Both pages are server-rendered and work without scripts (filters are GET forms, decisions
are POST forms that redirect back to the row they changed); the ES modules in
``static/js/review/`` only add selection, keyboard navigation and the "use text selection"
helper. Label colours come from the project stylesheet (``articles.codebook_css``),
because the Content-Security-Policy forbids inline style attributes.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from annotator.app.extensions import db
from annotator.domain.permissions import can_adjudicate, can_view_agreement
from annotator.domain.text.segments import paragraphs_with_segments
from annotator.models import Article
from annotator.services.adjudication import decisions as adjudication_service
from annotator.services.adjudication.answers import decide_answer
from annotator.services.adjudication.state import adjudication_state
from annotator.services.codebooks import codebook_dict
from annotator.services.comparison import MAX_TRACKS, comparison, label_index

bp = Blueprint("review", __name__)

VIEWS = ("tracks", "merged")
DENSITIES = ("auto", "thin", "labelled")
#: With more reviewers than this, "auto" density draws thin tracks without names.
LABELLED_TRACKS_UP_TO = 8
STATUS_NAMES = {
    "open": "Open",
    "accepted": "Accepted",
    "edited": "Accepted, then edited",
    "rejected": "Rejected",
}


def _choice(name: str, choices: tuple[str, ...]) -> str:
    value = request.args.get(name, choices[0])
    return value if value in choices else choices[0]


@bp.get("/articles/<int:article_id>/compare")
def compare(article_id: int):
    letters = request.args.get("letters", "") in {"1", "on", "true"}
    data = comparison(
        current_user,
        article_id,
        layer=request.args.get("layer") or None,
        label=request.args.get("label") or None,
        letters=letters,
    )
    density = _choice("density", DENSITIES)
    if density == "auto":
        density = "labelled" if len(data.tracks) <= LABELLED_TRACKS_UP_TO else "thin"
    view = "merged" if data.too_many_tracks else _choice("view", VIEWS)
    return render_template(
        "review/compare.html",
        c=data,
        view=view,
        density=density,
        density_choice=_choice("density", DENSITIES),
        max_tracks=MAX_TRACKS,
        adjudicate=can_adjudicate(data.context.actor),
    )


@bp.get("/articles/<int:article_id>/adjudicate")
def adjudicate(article_id: int):
    state = adjudication_state(current_user, article_id, request.args.get("threshold"))
    article = db.session.get(Article, article_id)
    codebook = codebook_dict(state.context.codebook_id)
    marks = [(c.start, c.end, f"c{i}") for i, c in enumerate(state.spans)]
    marks += [(g["start"], g["end"], f"g{g['id']}") for g in state.gold]
    questions = [q for q in codebook["questions"] if not q["retired"] or q["key"] in state.answers]
    return render_template(
        "review/adjudicate.html",
        state=state,
        article=article,
        codebook=codebook,
        labels=label_index(codebook),
        questions=questions,
        paragraphs=paragraphs_with_segments(article.text, marks),
        status_names=STATUS_NAMES,
        agreed_keys={c.key for c in state.agreed_spans},
        agreed_answers={(c.question, c.value) for c in state.agreed_answers},
        compare=can_view_agreement(state.context.actor),
        question_text={q["key"]: q["text"] for q in codebook["questions"]},
        answer_names={
            (q["key"], a["key"]): a["name"] for q in codebook["questions"] for a in q["answers"]
        },
    )


def _int(value: str | None) -> int | str | None:
    """A form number as int; anything else is passed on for the service to refuse by field."""
    if value is None or value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError:
        return value


def _back(article_id: int, anchor: str | None = None):
    threshold = request.form.get("threshold") or None
    target = url_for("review.adjudicate", article_id=article_id, threshold=threshold)
    return redirect(f"{target}#{anchor}" if anchor else target, code=303)


def span_anchor(label: str, start: int, end: int) -> str:
    return f"cand-{label}-{start}-{end}"


@bp.post("/articles/<int:article_id>/adjudicate/spans")
def adjudicate_span(article_id: int):
    form = request.form
    decision = adjudication_service.decide_span(
        current_user,
        article_id,
        {
            "label": form.get("label"),
            "start": _int(form.get("start")),
            "end": _int(form.get("end")),
            "decision": form.get("decision"),
            "reason": form.get("reason", ""),
        },
    )
    candidate = decision["candidate"]
    verb = "Accepted" if decision["decision"] == "accept" else "Rejected"
    flash(f"{verb} “{_short(candidate['quote'])}” ({candidate['label']}).", "success")
    anchor = form.get("anchor") or span_anchor(
        candidate["label"], candidate["start"], candidate["end"]
    )
    return _back(article_id, anchor)


@bp.post("/articles/<int:article_id>/adjudicate/gold/<int:annotation_id>")
def edit_gold(article_id: int, annotation_id: int):
    form = request.form
    payload = {"reason": form.get("reason", "")}
    for name in ("start", "end"):
        if form.get(name, "").strip():
            payload[name] = _int(form.get(name))
    if form.get("label"):
        payload["label"] = form["label"]
    if form.get("version", "").isdigit():
        payload["version"] = int(form["version"])
    decision = adjudication_service.edit_gold_span(current_user, annotation_id, payload)
    target = decision["candidate"]["to"]
    flash(
        f"Gold span changed to {target['label']} [{target['start']}, {target['end']}).", "success"
    )
    return _back(article_id, f"gold-{annotation_id}")


@bp.post("/articles/<int:article_id>/adjudicate/answers")
def adjudicate_answer(article_id: int):
    form = request.form
    decision = decide_answer(
        current_user,
        article_id,
        {
            "question": form.get("question"),
            "value": form.get("value"),
            "decision": form.get("decision"),
            "reason": form.get("reason", ""),
        },
    )
    candidate = decision["candidate"]
    verb = "Accepted" if decision["decision"] == "accept" else "Rejected"
    flash(f"{verb} “{candidate['value']}” for {candidate['question']}.", "success")
    return _back(article_id, f"question-{candidate['question']}")


@bp.post("/articles/<int:article_id>/adjudicate/bulk")
def adjudicate_bulk(article_id: int):
    result = adjudication_service.bulk_accept(
        current_user,
        article_id,
        request.form.get("threshold") or None,
        request.form.get("reason", ""),
    )
    flash(
        f"Accepted {result['spans']} agreed span(s) and {result['answers']} answer(s) "
        f"(agreed by at least {result['required_votes']}).",
        "success",
    )
    return _back(article_id)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
