"""The codebooks shipped with the package: shape, counts and lossless round trips."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from annotator.domain.codebook.model import (
    bundled_codebook_names,
    load_codebook,
    loads_codebook,
    parse_codebook,
)

FRAMES = {
    "economic",
    "capacity-and-resources",
    "morality",
    "fairness-and-equality",
    "legality-constitutionality-jurisprudence",
    "policy-prescription-and-evaluation",
    "crime-and-punishment",
    "security-and-defense",
    "health-and-safety",
    "quality-of-life",
    "cultural-identity",
    "public-opinion",
    "political",
    "external-regulation-and-reputation",
    "other-frame",
}

TECHNIQUE_GROUPS = {
    "persuasion-attack-on-reputation": 5,
    "persuasion-justification": 5,
    "persuasion-distraction": 3,
    "persuasion-simplification": 3,
    "persuasion-call": 3,
    "persuasion-manipulative-wording": 4,
}


@pytest.mark.parametrize("name", ["classroom", "research"])
def test_bundled_codebook_loads_and_is_named_after_its_file(name):
    spec = load_codebook(name)
    assert spec.name == name
    assert spec.title and spec.description
    assert all(label.description for label in spec.labels())


@pytest.mark.parametrize("name", bundled_codebook_names())
def test_to_dict_round_trips(name):
    spec = load_codebook(name)
    assert parse_codebook(spec.to_dict()) == spec
    assert loads_codebook(json.dumps(spec.to_dict())) == spec


@pytest.mark.parametrize("name", bundled_codebook_names())
def test_to_dict_reproduces_the_shipped_file(name):
    raw = resources.files("annotator").joinpath("codebooks", f"{name}.json").read_text("utf-8")
    assert load_codebook(name).to_dict() == json.loads(raw)


def test_classroom_shape():
    spec = load_codebook("classroom")
    assert [layer.key for layer in spec.layers] == ["framing", "sources", "publisher"]
    assert len(spec.labels()) <= 20
    assert all(label.shortcut for label in spec.labels())
    assert 2 <= len(spec.questions) <= 4
    assert spec.question("credibility").level == "ordinal"
    assert [a.key for a in spec.question("credibility").answers] == ["1", "2", "3", "4", "5"]


def test_classroom_covers_the_sample_article_features():
    spec = load_codebook("classroom")
    for key in (
        "image-credit",  # "Quelle: Sputnik ©"
        "direct-quote",
        "indirect-speech",  # Konjunktiv after "teilte mit"
        "big-picture-narrative",  # "multipolare Welt ohne hegemoniale Imperien"
        "threat-appeal",  # "Bedrohungen der NATO"
        "related-links",  # "Mehr zum Thema -"
        "publisher-statement",  # the closing statement about the EU blocking RT
        "reader-appeal",  # "teilt sie gern überall"
    ):
        assert spec.label(key) is not None, key


def test_research_has_the_15_frames_and_23_techniques():
    spec = load_codebook("research")
    assert {label.key for label in spec.layer("media-frames").labels} == FRAMES
    groups = {
        layer.key: len(layer.labels) for layer in spec.layers if layer.key in TECHNIQUE_GROUPS
    }
    assert groups == TECHNIQUE_GROUPS
    assert sum(groups.values()) == 23


def test_research_questions():
    spec = load_codebook("research")
    assert [q.key for q in spec.questions] == ["genre", "primary-frame", "tone", "credibility"]
    assert [a.key for a in spec.question("genre").answers] == ["reporting", "opinion", "satire"]
    assert {a.key for a in spec.question("primary-frame").answers} == FRAMES
    tone = spec.question("tone")
    assert tone.level == "ordinal"
    assert [a.key for a in tone.answers] == [
        "explicit-anti",
        "implicit-anti",
        "neutral",
        "implicit-pro",
        "explicit-pro",
    ]
    assert len(spec.question("credibility").answers) == 5
