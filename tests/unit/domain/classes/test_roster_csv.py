"""Roster CSV: what spreadsheets write is read; every problem is reported with line and field."""

from __future__ import annotations

import pytest

from annotator.domain.classes.roster_csv import (
    RosterFileError,
    RosterProblem,
    RosterRow,
    parse_roster_csv,
)


def problems_of(data):
    with pytest.raises(RosterFileError) as info:
        parse_roster_csv(data)
    return [(p.line, p.field) for p in info.value.problems]


def test_reads_username_name_email():
    rows = parse_roster_csv(
        b"username,name,email\nada,Ada Lovelace,ada@example.org\n bob , Bob ,\n"
    )
    assert rows == [
        RosterRow(2, "ada", "Ada Lovelace", "ada@example.org"),
        RosterRow(3, "bob", "Bob", ""),
    ]


def test_only_username_is_required_and_columns_may_come_in_any_order():
    rows = parse_roster_csv("Email,USERNAME\nz@example.org,zoe\n")
    assert rows == [RosterRow(2, "zoe", "", "z@example.org")]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_files(delimiter):
    text = f"username{delimiter}name\ncem{delimiter}Cem Öztürk\n"
    assert parse_roster_csv(text.encode("utf-8")) == [RosterRow(2, "cem", "Cem Öztürk", "")]


def test_byte_order_mark_crlf_blank_lines_and_quoted_commas():
    data = '\ufeffusername,name\r\n\r\ndee,"Doe, Dee"\r\n\r\n'.encode()
    assert parse_roster_csv(data) == [RosterRow(3, "dee", "Doe, Dee", "")]


def test_every_problem_is_reported_with_line_and_field():
    data = (
        b"username,name,email\n"
        b"ada,Ada,ada@example.org\n"
        b",Nobody,\n"  # line 3: username empty
        b"bob,Bob,not-an-address\n"  # line 4: email
        b"ADA,Ada again,\n"  # line 5: duplicate of line 2
        b"cy,Cy\n"  # line 6: field count
    )
    assert problems_of(data) == [(3, "username"), (4, "email"), (5, "username"), (6, "file")]


def test_duplicate_message_names_the_first_line():
    with pytest.raises(RosterFileError) as info:
        parse_roster_csv(b"username\nada\nbob\nAda\n")
    assert str(info.value) == "line 4, username: 'Ada' is already on line 2"


def test_unknown_and_repeated_columns_are_header_errors():
    assert problems_of(b"username,mail\nada,a@example.org\n") == [(1, "header")]
    assert problems_of(b"username,name,Name\nada,A,B\n") == [(1, "header")]
    assert problems_of(b"name,email\nAda,a@example.org\n") == [(1, "header")]


def test_a_quoted_field_spanning_lines_is_reported_on_its_first_line():
    data = b'username,name\nada,"Ada\nLovelace"\nbob,Bob\nbob,Bob\n'
    problems = problems_of(data)
    assert problems == [(2, "name"), (5, "username")]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", [(0, "file")]),
        (b"\n\n", [(0, "file")]),
        (b"username\n", [(0, "file")]),
        (b"username,name\nada,\xff\xfe\n", [(2, "file")]),
    ],
)
def test_unusable_files(data, expected):
    assert problems_of(data) == expected


def test_row_limit():
    data = "username\n" + "".join(f"u{i}\n" for i in range(11))
    with pytest.raises(RosterFileError) as info:
        parse_roster_csv(data, max_rows=10)
    assert info.value.problems == [
        RosterProblem(12, "file", "more than 10 people; split the roster")
    ]


def test_long_values():
    long_name = "x" * 201
    assert problems_of(f"username,name\nada,{long_name}\n") == [(2, "name")]
    assert problems_of("username\n" + "u" * 65 + "\n") == [(2, "username")]
