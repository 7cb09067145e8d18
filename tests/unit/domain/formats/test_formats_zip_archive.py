"""Streaming zip: to a seekable file and as chunks for a non-seekable response."""

from __future__ import annotations

import io
import zipfile

from annotator.domain.formats import brat_files, read_brat, write_zip, zip_chunks


class NonSeekable(io.RawIOBase):
    """A write-only stream like a socket or a WSGI response body."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.data += b
        return len(b)


def members():
    yield "a/1.txt", "Größe 😂\n"
    yield "a/1.ann", "T1\tx 0 5\tGröße\n"
    yield "bin/blob", bytes(range(256)) * 40


def test_write_zip_to_file_and_to_non_seekable_stream():
    seekable = io.BytesIO()
    assert write_zip(members(), seekable) == 3
    stream = NonSeekable()
    write_zip(members(), stream)
    for data in (seekable.getvalue(), bytes(stream.data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.testzip() is None
            assert archive.read("a/1.txt").decode("utf-8") == "Größe 😂\n"
            assert archive.read("bin/blob") == bytes(range(256)) * 40
            assert archive.getinfo("bin/blob").compress_type == zipfile.ZIP_DEFLATED


def test_zip_chunks_stream_member_by_member_and_are_deterministic():
    chunks = list(zip_chunks(members()))
    assert len(chunks) >= 3
    assert b"".join(chunks) == b"".join(zip_chunks(members()))
    with zipfile.ZipFile(io.BytesIO(b"".join(chunks))) as archive:
        assert archive.namelist() == ["a/1.txt", "a/1.ann", "bin/blob"]


def test_brat_export_survives_zipping(corpus):
    articles, annotations = corpus
    data = b"".join(zip_chunks(brat_files(articles, annotations)))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    assert len(read_brat(files)) == len(annotations)
