"""How a record's raw entry (the text of the entry as in its file) is stored, and read back.

The abstract is usually most of an entry (85 % of the characters of the 100,000-record
benchmark file), and it is also stored, normalised, in `record.abstract`. When that normalised
abstract occurs verbatim in the raw entry (and is not short), SQLite stores the raw entry
*without* it, as bytes:

    b"A" <offset> b"," <crc32 of the abstract, 8 hex digits> b"\\n" <the rest, UTF-8>

where <offset> is the character position the abstract is put back at. SQLite keeps those bytes
as a BLOB in the TEXT-declared `raw` column (column affinity never converts a BLOB), so no
schema change is needed and rows stored as text before keep working: a `str` is the entry
itself. PostgreSQL always gets text (TOAST compresses it anyway).

This is a third smaller database and a third less to write and fsync at the import's commit.
Every reader of `record.raw` goes through `record_raw`; a record's abstract is never edited
(records are immutable), and the checksum makes a violation of that an error, never a silently
different entry.
"""

from __future__ import annotations

import zlib

from review.errors import LitsiftError

_ELIDED = b"A"[0]
MIN_ELIDED = 64  # characters; cutting out a shorter abstract saves too little to bother


class RawEntryError(LitsiftError):
    """A stored raw entry cannot be rebuilt (its record's abstract no longer matches)."""

    title = "raw entry damaged"


def pack_raw(raw: str, abstract: str) -> str | bytes:
    """The raw entry as stored: `raw` itself, or bytes without `abstract` if it occurs in it."""
    if len(abstract) < MIN_ELIDED:
        return raw
    at = raw.find(abstract)
    if at < 0:
        return raw
    crc = zlib.crc32(abstract.encode("utf-8", "surrogatepass"))
    rest = raw[:at] + raw[at + len(abstract) :]
    return b"A%d,%08x\n" % (at, crc) + rest.encode("utf-8", "surrogatepass")


def record_raw(stored: str | bytes | None, abstract: str | None) -> str:
    """The raw entry, verbatim, from the stored `raw` value and the record's `abstract`."""
    if stored is None:
        return ""
    if isinstance(stored, str):
        return stored  # stored as text: before this format, elsewhere than SQLite, or no match
    stored = bytes(stored)  # a memoryview from some drivers
    head, sep, rest = stored.partition(b"\n")
    try:
        if not sep or head[0] != _ELIDED:
            raise ValueError("unknown format")
        at_text, crc_text = head[1:].split(b",")
        at, crc = int(at_text), int(crc_text, 16)
    except (ValueError, IndexError) as e:
        raise RawEntryError(f"a stored raw entry is in an unknown format ({head[:20]!r})") from e
    abstract = abstract or ""
    if zlib.crc32(abstract.encode("utf-8", "surrogatepass")) != crc:
        raise RawEntryError(
            "a record's raw entry was stored without its abstract, and the abstract has "
            "changed since, so the entry cannot be rebuilt",
            hint="records must not be edited; restore the review from a backup",
        )
    text = rest.decode("utf-8", "surrogatepass")
    return text[:at] + abstract + text[at:]
