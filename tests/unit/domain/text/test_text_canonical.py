"""canonical_text and text_sha256: the rules every span offset depends on."""

import unicodedata

import pytest

from annotator.domain.text.canonical import canonical_text, text_sha256

A_UMLAUT_NFD = "A\u0308"  # "Ä" as A + COMBINING DIAERESIS


def test_decomposed_umlaut_becomes_one_code_point():
    assert canonical_text(f"{A_UMLAUT_NFD}pfel") == "\u00c4pfel"
    assert len(canonical_text(f"{A_UMLAUT_NFD}pfel")) == 5


def test_crlf_and_lone_cr_become_newlines():
    assert canonical_text("one\r\ntwo\rthree\nfour") == "one\ntwo\nthree\nfour"


def test_crlf_is_one_newline_not_two():
    assert canonical_text("a\r\n\r\nb") == "a\n\nb"


@pytest.mark.parametrize("separator", ["\u2028", "\x85", "\x0b", "\x0c"])
def test_other_line_separators_become_newlines(separator):
    assert canonical_text(f"a{separator}b") == "a\nb"


def test_paragraph_separator_becomes_blank_line():
    assert canonical_text("a\u2029b") == "a\n\nb"


def test_leading_bom_removed_and_inner_one_kept():
    assert canonical_text("\ufeffText\ufeffmore") == "Text\ufeffmore"


def test_control_characters_removed_but_tabs_kept():
    assert canonical_text("a\x00b\x07c\td\x1be\x9bf") == "abc\tdef"


def test_emoji_outside_bmp_untouched():
    text = "Flagge 🇩🇪 und 😀 ok"
    assert canonical_text(text) == text


def test_combining_marks_without_precomposed_form_stay():
    # q + COMBINING DOT BELOW + COMBINING DOT ABOVE has no precomposed form
    text = "q\u0323\u0307"
    assert canonical_text(text) == unicodedata.normalize("NFC", text)
    assert len(canonical_text(text)) == 3


def test_nfc_reorders_combining_marks_canonically():
    # dot above before dot below is reordered (canonical ordering) and composed
    assert canonical_text("s\u0307\u0323") == "\u1e69"


def test_trailing_whitespace_and_leading_blank_lines_removed():
    assert canonical_text("\n \n\t\n  Indented title\nbody  \n\n \t") == "  Indented title\nbody"


def test_internal_whitespace_untouched():
    text = "a  b\t\tc\u00a0d \nline with trailing spaces   \n\n\n\nfar below"
    assert canonical_text(text) == text


def test_whitespace_only_is_empty():
    assert canonical_text("\ufeff \r\n\t\u2028\u2029 \x00") == ""


@pytest.mark.parametrize(
    "raw",
    [
        "\ufeff\ufeff \n x",
        "\n\ufeffabc",
        "A\x00\u0308",
        "\r\x00\n",
        "x\u2029\u2029y \u2028",
        "e\u0301\r\n\u0301",
        "  \n\t\n",
    ],
)
def test_idempotent(raw):
    once = canonical_text(raw)
    assert canonical_text(once) == once


def test_control_between_base_and_mark_does_not_leave_text_unnormalised():
    once = canonical_text("A\x00\u0308")
    assert once == "\u00c4"
    assert unicodedata.is_normalized("NFC", once)


def test_sha256_stable_across_newline_styles_and_normal_forms():
    lf = "Die \u00c4pfel\nsind rot.\n"
    variants = [
        lf,
        lf.replace("\n", "\r\n"),
        lf.replace("\n", "\r"),
        "\ufeff" + lf,
        unicodedata.normalize("NFD", lf),
    ]
    assert {text_sha256(v) for v in variants} == {text_sha256(lf)}


def test_sha256_is_hash_of_canonical_utf8():
    import hashlib

    assert text_sha256("\u00c4") == hashlib.sha256("\u00c4".encode()).hexdigest()
    assert text_sha256("a") != text_sha256("b")


def test_sha256_distinguishes_internal_whitespace():
    assert text_sha256("a b") != text_sha256("a  b")
