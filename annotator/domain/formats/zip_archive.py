"""Write zip archives member by member, to a file or as a stream of bytes.

Exports that are several files (brat) are zipped on the fly: each ``(path, content)``
member is compressed (``ZIP_DEFLATED``) and written as soon as it arrives, so memory
holds one member at a time. :func:`zip_chunks` works without a seekable file (an HTTP
response body): :mod:`zipfile` then writes sizes in data descriptors after each member,
which every unzip tool reads.

Member timestamps default to a fixed date so the same export gives the same bytes
(useful for checksums and tests); pass ``date_time`` to stamp the real time.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from typing import BinaryIO

Member = tuple[str, str | bytes]
DateTime = tuple[int, int, int, int, int, int]
FIXED_DATE: DateTime = (1980, 1, 1, 0, 0, 0)


def _write_members(
    archive: zipfile.ZipFile, members: Iterable[Member], date_time: DateTime
) -> Iterator[None]:
    """Write each member into ``archive``; yield after each one."""
    for path, content in members:
        data = content.encode("utf-8") if isinstance(content, str) else content
        info = zipfile.ZipInfo(path, date_time=date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16  # rw-r--r-- when unzipped on Unix
        with archive.open(info, "w") as member:
            member.write(data)
        yield


def write_zip(
    members: Iterable[Member],
    fileobj: BinaryIO,
    *,
    compresslevel: int = 6,
    date_time: DateTime = FIXED_DATE,
) -> int:
    """Write ``members`` (``str`` content is UTF-8 encoded) into ``fileobj``; return how many."""
    with zipfile.ZipFile(fileobj, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zf:
        return sum(1 for _ in _write_members(zf, members, date_time))


class _ChunkSink:
    """A write-only, non-seekable file that hands written bytes out in pieces."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def zip_chunks(
    members: Iterable[Member], *, compresslevel: int = 6, date_time: DateTime = FIXED_DATE
) -> Iterator[bytes]:
    """Yield a zip archive of ``members`` as byte chunks (at least one per member)."""
    sink = _ChunkSink()
    with zipfile.ZipFile(
        sink,  # type: ignore[arg-type]  # write/flush is all ZipFile needs in "w" mode
        "w",
        zipfile.ZIP_DEFLATED,
        compresslevel=compresslevel,
    ) as archive:
        for _ in _write_members(archive, members, date_time):
            if chunk := sink.take():
                yield chunk
    if chunk := sink.take():
        yield chunk
