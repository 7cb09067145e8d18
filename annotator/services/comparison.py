"""The comparison page of one article: every reviewer's spans as aligned tracks, agreement
per piece of text, filtered by layer or label, optionally with reviewers shown as letters.

Views only render what :func:`comparison` returns. In letters mode (classroom display) the
returned data carries no username or real name at all -- reviewers are "A", "B", ... in a
stable order that is not alphabetical
(:func:`annotator.domain.review.comparison_layout.classroom_order`), and
gold is "Gold" -- so the template cannot leak a name by accident.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.app.extensions import db
from annotator.domain.permissions import can_view_agreement
from annotator.domain.review.comparison_layout import (
    AGREEMENT_CLASSES,
    LaidOutLine,
    TrackSpan,
    classroom_order,
    lay_out,
    letter_name,
)
from annotator.models import Article, User
from annotator.services.access import ArticleContext, load_article_context, require
from annotator.services.codebooks import codebook_dict
from annotator.services.errors import ValidationFailed
from annotator.services.reviewer_work import load_article_work

LINE_WIDTH = 90
#: Above this many reviewers the tracks would not fit a screen; the page shows the merged view.
MAX_TRACKS = 100


@dataclass(frozen=True)
class Track:
    index: int
    name: str  # username, or the letter in letters mode
    full_name: str  # real name when known ("" in letters mode)
    status: str | None
    count: int  # annotations shown on this track (after the filter)


@dataclass
class Comparison:
    article: Article
    context: ArticleContext
    codebook: dict
    labels: dict[str, dict]  # label key -> label dict plus "layer" and "layer_name"
    layer: str | None
    label: str | None
    letters: bool
    tracks: list[Track]
    not_started: list[str]  # usernames (empty in letters mode; see not_started_count)
    not_started_count: int
    gold_visible: bool
    gold_count: int
    lines: list[LaidOutLine]
    annotations: list[dict]  # shown spans, name-safe: ref, track, reviewer, label, ...
    label_counts: dict[str, int]
    agreement_chars: dict[str, int] = field(default_factory=dict)

    @property
    def too_many_tracks(self) -> bool:
        return len(self.tracks) > MAX_TRACKS

    @property
    def tagged_chars(self) -> int:
        return sum(n for cls, n in self.agreement_chars.items() if cls != "none")


def label_index(codebook: dict) -> dict[str, dict]:
    """Every label of a codebook dict by key, with its layer's key and name added."""
    return {
        label["key"]: {**label, "layer": layer["key"], "layer_name": layer["name"]}
        for layer in codebook["layers"]
        for label in layer["labels"]
    }


def _check_filter(codebook: dict, labels: dict, layer: str | None, label: str | None) -> str | None:
    """Refuse unknown keys (422); return the layer to use (a label implies its layer)."""
    if layer is not None and layer not in {item["key"] for item in codebook["layers"]}:
        raise ValidationFailed(f"{layer!r} is not a layer of this codebook.", field="layer")
    if label is not None:
        if label not in labels:
            raise ValidationFailed(f"{label!r} is not a label of this codebook.", field="label")
        return labels[label]["layer"]
    return layer


def comparison(
    user: User,
    article_id: int,
    *,
    layer: str | None = None,
    label: str | None = None,
    letters: bool = False,
    width: int = LINE_WIDTH,
) -> Comparison:
    """Everything the comparison page shows. Instructors and researchers only (403 for
    reviewers, 404 for outsiders); ``layer``/``label`` filter the spans (unknown keys: 422; a
    label overrides a layer it is not in)."""
    context = load_article_context(user, article_id)
    require(
        can_view_agreement(context.actor),
        "Only instructors and researchers can compare reviewers.",
    )
    codebook = codebook_dict(context.codebook_id)
    labels = label_index(codebook)
    layer = _check_filter(codebook, labels, layer, label)
    work = load_article_work(context)

    def shown(annotation: dict) -> bool:
        if label is not None:
            return annotation["label"] == label
        return layer is None or annotation["layer"] == layer

    participants = work.participants
    if letters:
        order = classroom_order(article_id, [r.user_id for r in participants])
        position = {user_id: index for index, user_id in enumerate(order)}
        participants = sorted(participants, key=lambda r: position[r.user_id])
    track_of = {r.username: index for index, r in enumerate(participants)}
    names = {
        r.username: letter_name(i) if letters else r.username for i, r in enumerate(participants)
    }
    spans = [a for a in work.annotations if shown(a) and a["author"] in track_of]
    gold = [a for a in work.gold_annotations if shown(a)]
    counts = {r.username: 0 for r in participants}
    label_counts: dict[str, int] = {}
    for a in spans:
        counts[a["author"]] += 1
        label_counts[a["label"]] = label_counts.get(a["label"], 0) + 1
    article = db.session.get(Article, article_id)
    lines = lay_out(
        article.text,
        [
            TrackSpan(track_of[a["author"]], a["label"], a["start"], a["end"], a["id"])
            for a in spans
        ],
        reviewers=len(participants),
        gold=[TrackSpan(-1, a["label"], a["start"], a["end"], a["id"]) for a in gold],
        width=width,
    )
    agreement_chars = dict.fromkeys(AGREEMENT_CLASSES, 0)
    for line in lines:
        for cell in line.cells:
            agreement_chars[cell.agreement] += cell.end - cell.start

    def present(annotation: dict, reviewer: str, track: int | None) -> dict:
        return {
            "ref": annotation["id"],
            "track": track,
            "reviewer": reviewer,
            "label": annotation["label"],
            "start": annotation["start"],
            "end": annotation["end"],
            "quote": annotation["quote"],
            "note": annotation["note"],
        }

    presented = [present(a, names[a["author"]], track_of[a["author"]]) for a in spans]
    presented += [present(a, "Gold", None) for a in gold]
    return Comparison(
        article=article,
        context=context,
        codebook=codebook,
        labels=labels,
        layer=layer,
        label=label,
        letters=letters,
        tracks=[
            Track(
                index=i,
                name=names[r.username],
                full_name="" if letters else r.name,
                status=r.status,
                count=counts[r.username],
            )
            for i, r in enumerate(participants)
        ],
        not_started=[] if letters else [r.username for r in work.not_started],
        not_started_count=len(work.not_started),
        gold_visible=work.gold_visible,
        gold_count=len(gold),
        lines=lines,
        annotations=presented,
        label_counts=label_counts,
        agreement_chars=agreement_chars,
    )
