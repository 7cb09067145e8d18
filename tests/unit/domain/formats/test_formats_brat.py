"""brat standoff: layout, T lines that match the text, fragments, round trip, errors."""

from __future__ import annotations

import re

import pytest

from annotator.domain.formats import BratLabel, FormatError, brat_files, read_brat
from annotator.domain.formats.brat import LINE_BREAKS, fragments, reviewer_directory


def export(articles, annotations, **kwargs) -> dict[str, str]:
    return dict(brat_files(articles, annotations, **kwargs))


def test_layout_one_directory_per_reviewer(corpus):
    articles, annotations = corpus
    files = export(articles, annotations)
    assert "annotation.conf" in files and "visual.conf" in files
    for article in articles:
        reviewers = {a.reviewer for a in annotations if a.article_id == article.id}
        for reviewer in reviewers:
            assert files[f"{reviewer}/{article.id}.txt"] == article.text
            assert f"{reviewer}/{article.id}.ann" in files
    assert not any(path.startswith("/") or ".." in path for path in files)


def test_every_t_line_text_equals_the_article_slices(corpus):
    """Check the files the way brat's server does: slices joined by one space."""
    articles, annotations = corpus
    files = export(articles, annotations)
    checked = 0
    for path, content in files.items():
        if not path.endswith(".ann"):
            continue
        text = files[path[:-4] + ".txt"]
        for line in content.split("\n"):
            if not line.startswith("T"):
                continue
            _, data, shown = line.split("\t", 2)
            _, offsets = data.split(" ", 1)
            pairs = [tuple(map(int, p.split(" "))) for p in offsets.split(";")]
            assert shown == " ".join(text[s:e] for s, e in pairs)
            assert not any(c in LINE_BREAKS for s, e in pairs for c in text[s:e])
            checked += 1
    assert checked == len(annotations)


def test_span_across_line_breaks_becomes_fragments(make_article, make_annotation):
    text = "Oben steht\nmehr\u2028als\n\nhier."
    article = make_article(text=text)
    record = make_annotation(text=text, start=5, end=24, note="a\nb\u2028c\rd")
    ann = export([article], [record])["alice/1.ann"]
    assert ann == (
        "T1\teconomic 5 10;11 15;16 19;21 24\tsteht mehr als hie\n#1\tAnnotatorNotes T1\ta b c d\n"
    )
    assert fragments(text, 5, 24) == [(5, 10), (11, 15), (16, 19), (21, 24)]
    [span] = read_brat(export([article], [record]))
    assert (span.start, span.end, span.quote) == (5, 24, text[5:24])


def test_offsets_count_code_points(make_article, make_annotation):
    text = "👩🏽‍🔬 sagt: Größe"
    record = make_annotation(text=text, needle="Größe")
    ann = export([make_article(text=text)], [record])["alice/1.ann"]
    assert ann == "T1\teconomic 11 16\tGröße\n"  # the emoji sequence is 4 code points


def test_round_trip_is_identical(corpus, to_record):
    articles, annotations = corpus
    first = export(articles, annotations)
    spans = read_brat(first)
    order = {article.id: n for n, article in enumerate(articles)}
    spans.sort(key=lambda s: order[s.article_id])  # stable: reviewer directories stay sorted
    again = export(articles, [to_record(s) for s in spans])
    assert again == first
    by_position = {(a.article_id, a.reviewer, a.start, a.end): a for a in annotations}
    for span in spans:
        original = by_position[(span.article_id, span.reviewer, span.start, span.end)]
        assert span.quote == original.quote
        assert span.layer == original.layer and span.label == original.label
        assert span.note == re.sub(f"[{LINE_BREAKS}]", " ", original.note)


def test_configuration(make_article, make_annotation):
    files = export(
        [make_article()],
        [make_annotation(label_name="Wirtschaft | Geld")],
        labels=[
            BratLabel("source", "anonymous", "Anonyme Quelle", "#ff8800"),
            BratLabel("framing", "moral", "", "red;evil"),
        ],
    )
    conf = files["annotation.conf"]
    assert "[entities]\n!framing\n economic\n moral\n!source\n anonymous\n" in conf
    assert "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>" in conf
    for section in ["[relations]", "[events]", "[attributes]"]:
        assert section in conf
    visual = files["visual.conf"]
    assert "economic | Wirtschaft   Geld" in visual
    assert "anonymous\tbgColor:#ff8800" in visual and "evil" not in visual


def test_reviewer_directories_are_safe_and_reversible():
    assert reviewer_directory("c.d") == "c.d"
    assert reviewer_directory("../etc") == "%2E.%2Fetc"
    assert reviewer_directory("jörg müller") == "j%C3%B6rg%20m%C3%BCller"
    with pytest.raises(ValueError):
        reviewer_directory("")


def test_writer_refuses_bad_data(make_article, make_annotation):
    article = make_article()
    with pytest.raises(ValueError, match="not a brat type"):
        export([article], [make_annotation(label="two words")])
    with pytest.raises(ValueError, match="does not match its quote"):
        export([article], [make_annotation(quote="wrong!!")])
    with pytest.raises(ValueError, match="grouped by article"):
        export([article], [make_annotation(article_id=99)])
    newline_only = make_article(text="a\n\nb")
    with pytest.raises(ValueError, match="only line breaks"):
        export([newline_only], [make_annotation(text="a\n\nb", start=1, end=3)])


def test_reader_ignores_relations_and_handles_foreign_names():
    files = {
        "corpus/DOC-1.txt": "Japan was struck.",
        "corpus/DOC-1.ann": "T1\tGPE 0 5\tJapan\nR1\tLocated Arg1:T1 Arg2:T1\nA1\tNeg T1\n",
    }
    [span] = read_brat(files)
    assert (span.article_id, span.source, span.reviewer, span.label) == (
        None,
        "DOC-1",
        "corpus",
        "GPE",
    )
    assert span.layer is None and span.where.filename == "corpus/DOC-1.ann"


def test_reader_accepts_indented_continuations_and_windows_paths():
    files = {"a\\7.txt": "erste\n   zweite", "a\\7.ann": "T1\tx 0 5;9 15\terste zweite\n"}
    [span] = read_brat(files)
    assert (span.article_id, span.start, span.end) == (7, 0, 15)


@pytest.mark.parametrize(
    ("ann", "line", "field", "words"),
    [
        ("T1\tx 0 5\tJapan\nT2\tx 0 5\tJapon\n", 2, "text", "does not match"),
        ("T1\tx 0 x\tJapan\n", 1, "offsets", "START END"),
        ("T1\tx 6 5\t\n", 1, "offsets", "non-empty range"),
        ("T1\tx 0 99\tJapan\n", 1, "offsets", "inside the text"),
        ("T1\tx 0 5;10 16\tJapan struck\n", 1, "offsets", "discontinuous"),
        ("T1\tx 10 16;0 5\tstruck Japan\n", 1, "offsets", "in order"),
        ("T1\t 0 5\tJapan\n", 1, "type", "missing"),
        ("T1\tx 0 5\tJapan\nT1\tx 0 5\tJapan\n", 2, "id", "used twice"),
        ("T1\tx 0 5\tJapan\n#1\tAnnotatorNotes T9\tnote\n", None, "target", "unknown span"),
    ],
)
def test_reader_errors_name_file_line_and_field(ann, line, field, words):
    files = {"bob/3.txt": "Japan was struck.", "bob/3.ann": ann}
    with pytest.raises(FormatError) as caught:
        read_brat(files)
    error = caught.value
    assert (error.filename, error.line, error.field) == ("bob/3.ann", line, field)
    assert words in error.message


def test_reader_needs_the_text_file():
    with pytest.raises(FormatError, match=r"bob/3.ann: no matching text file 'bob/3.txt'"):
        read_brat({"bob/3.ann": "T1\tx 0 5\tJapan\n"})
