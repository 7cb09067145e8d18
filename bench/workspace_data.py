"""Benchmark data for the workspace: a long multilingual article and thousands of spans.

The text is assembled from hand-written news-style sentences in German, English, French,
Spanish and Russian, with the things that break offset arithmetic in practice: umlauts,
typographic quotes, emoji outside the Basic Multilingual Plane, and publisher boilerplate.
A fixed random seed makes every run build the same article and the same spans, so figures
from different runs (and machines) compare like with like.

Spans start and end on word boundaries, mostly inside one paragraph, sometimes across two;
with 2,800 spans over roughly 7,000 words they overlap and nest heavily, and a few share
exactly the same words under a different label -- the worst case for highlight rendering.
"""

from __future__ import annotations

import random
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from annotator.domain.text.canonical import canonical_text, quote_context

SEED = 20240611

SENTENCES = {
    "de": [
        "Die Regierung kündigte am Montag neue Maßnahmen gegen die steigenden Energiepreise an.",
        "Nach Angaben des Ministeriums sollen die Hilfen schon im nächsten Quartal fließen.",
        "Kritiker sprechen von einem „Tropfen auf den heißen Stein“ und fordern mehr.",
        "Ein Sprecher der Opposition erklärte, die Bürger würden erneut im Stich gelassen.",
        "Über die genauen Zahlen herrscht weiterhin Unklarheit, räumte die Behörde ein.",
        "Die Lage an der Grenze bleibt angespannt; Beobachter berichten von Schüssen.",
        "Experten der Universität Göttingen halten die Prognose für übertrieben optimistisch.",
        "Laut einem internen Papier, das dieser Zeitung vorliegt, war das Risiko längst bekannt.",
        "Der Bürgermeister äußerte sich zunächst nicht zu den Vorwürfen.",
        "Viele Anwohner fühlen sich übergangen und kündigen Widerstand an.",
        "Dahinter stecke ein größerer Plan, behaupten anonyme Quellen aus Regierungskreisen.",
        "Die Fußballfans feierten bis spät in die Nacht auf dem Marktplatz. ⚽🎉",
    ],
    "en": [
        "Officials confirmed on Tuesday that the talks had stalled over security guarantees.",
        "\u201cWe will not be intimidated,\u201d the minister told reporters outside parliament.",
        "Critics called the decision reckless and warned of a dangerous escalation.",
        "According to a person familiar with the matter, the deal was never close.",
        "The agency did not respond to repeated requests for comment.",
        "Analysts say the move is part of a much broader strategy to reshape the region.",
        "Local residents described scenes of chaos as the water kept rising. 🌊",
        "A spokesperson insisted that the figures had been independently verified.",
        "The report, seen by this newspaper, paints a far darker picture than officials admit.",
        "Supporters hailed the president as a visionary leader who finally delivers.",
        "It is the third such incident this year, raising questions about oversight.",
    ],
    "fr": [
        "Le gouvernement a présenté mercredi un projet de loi très contesté.",
        "« C'est une trahison », a dénoncé un élu de l'opposition à l'Assemblée.",
        "Selon une source proche du dossier, les négociations ont échoué à la dernière minute.",
        "Les syndicats appellent à une grève générale dès la semaine prochaine.",
        "La préfecture n'a pas souhaité réagir à ces accusations.",
        "Des milliers de manifestants ont défilé dans les rues de Marseille. ✊",
        "Les économistes s'inquiètent d'une hausse durable des prix à la consommation.",
    ],
    "es": [
        "El presidente aseguró que la economía crece a un ritmo «histórico».",
        "Según fuentes oficiales, el acuerdo se firmará antes de fin de año.",
        "La oposición denunció una campaña de desinformación sin precedentes.",
        "Miles de personas salieron a las calles de Caracas para mostrar su apoyo. 🇻🇪",
        "Un portavoz del ministerio declinó hacer comentarios sobre el informe.",
        "Los expertos advierten de que las cifras no coinciden con los datos del banco central.",
    ],
    "ru": [
        "Министр заявил, что ситуация полностью находится под контролем.",
        "По данным источника, переговоры продолжатся на следующей неделе.",
        "Эксперты называют эти обвинения безосновательными и политически мотивированными.",
        "В посольстве опровергли сообщения западных СМИ.",
        "Жители города жалуются на перебои с электричеством уже третий день. ⚡",
    ],
}

BOILERPLATE = [
    "Quelle: RIA Nowosti © Foto: Sergej Petrow 📷",
    "Mehr zum Thema – Botschaft dementiert Berichte über Truppenbewegungen",
    "Read more: Five things you need to know about the summit",
    "Abonnieren Sie unseren Kanal auf Telegram! 📲",
    "Les opinions exprimées n'engagent que leur auteur.",
    "Este artículo fue actualizado con nueva información. 🔄",
]

LABELS = [
    "loaded-language",
    "threat-appeal",
    "us-versus-them",
    "glowing-portrayal",
    "big-picture-narrative",
    "exaggeration",
    "direct-quote",
    "indirect-speech",
    "official-source",
    "expert-or-witness",
    "anonymous-source",
    "agency-or-outlet",
    "image-credit",
    "unsourced-claim",
    "section-label",
    "related-links",
    "publisher-statement",
    "reader-appeal",
    "editorial-note",
    "sponsored-content",
]

WORD = re.compile(r"\w+")


def article_text(length: int = 50_000, seed: int = SEED) -> str:
    """A canonical text of exactly ``length`` code points in paragraphs of mixed languages."""
    rng = random.Random(seed)
    languages = list(SENTENCES)
    paragraphs: list[str] = []
    total = 0
    while total < length + 200:
        if rng.random() < 0.12:
            paragraph = rng.choice(BOILERPLATE)
        else:
            language = rng.choice(languages)
            count = rng.randint(2, 6)
            paragraph = " ".join(rng.choice(SENTENCES[language]) for _ in range(count))
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    text = canonical_text("\n\n".join(paragraphs))[:length]
    # Never end on whitespace (canonicalisation would strip it and shorten the text).
    while text[-1].isspace():
        text = text[:-1] + "."
    assert len(canonical_text(text)) == length
    return text


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str


def spans(text: str, count: int = 2_800, seed: int = SEED) -> list[Span]:
    """``count`` word-aligned spans spread over the whole text, overlapping and nested.

    Lengths follow a rough power law (most spans are one to six words, a few are long);
    about 5 % repeat an earlier span exactly with another label, about 3 % cross a
    paragraph break.
    """
    rng = random.Random(seed + 1)
    words = [(m.start(), m.end()) for m in WORD.finditer(text)]
    word_ends = [end for _, end in words]
    result: list[Span] = []
    while len(result) < count:
        if result and rng.random() < 0.05:
            earlier = rng.choice(result)
            result.append(Span(earlier.start, earlier.end, rng.choice(LABELS)))
            continue
        first = rng.randrange(len(words))
        n_words = min(int(rng.paretovariate(1.3)), 40) + rng.randint(0, 4)
        last = min(first + n_words, len(words) - 1)
        start, end = words[first][0], words[last][1]
        if "\n\n" in text[start:end] and rng.random() > 0.03:
            # Keep it in its paragraph: end at the last word before the break.
            paragraph_end = start + text[start:end].index("\n\n")
            last = bisect_right(word_ends, paragraph_end) - 1
            end = word_ends[last]
        result.append(Span(start, end, rng.choice(LABELS)))
    return result


def annotation_rows(
    text: str, items: list[Span], *, article_id: int, author_id: int, label_ids: dict[str, int]
) -> list[dict]:
    """Rows for a bulk INSERT into ``annotations`` (same columns the service writes)."""
    base = datetime(2024, 6, 1, 9, 0, tzinfo=UTC)
    rows = []
    for index, span in enumerate(items):
        prefix, suffix = quote_context(text, span.start, span.end)
        moment = base + timedelta(seconds=7 * index)
        rows.append(
            {
                "article_id": article_id,
                "author_id": author_id,
                "label_id": label_ids[span.label],
                "start": span.start,
                "end": span.end,
                "exact": text[span.start : span.end],
                "prefix": prefix,
                "suffix": suffix,
                "note": "Check the original source." if index % 17 == 0 else "",
                "is_gold": False,
                "created": moment,
                "updated": moment,
                "deleted": None,
                "version": 1,
            }
        )
    return rows


def new_span_payloads(text: str, count: int, seed: int) -> list[dict]:
    """Valid create payloads (label, start, end, quote) for the API benchmark."""
    return [
        {"label": s.label, "start": s.start, "end": s.end, "quote": text[s.start : s.end]}
        for s in spans(text, count, seed)
    ]
