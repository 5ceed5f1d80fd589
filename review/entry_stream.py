"""Reading a file's entries and normalising their fields, in a second process for large files.

Parsing and normalising are pure Python and hold the GIL. For a large file in a format that can
be cut between records (RIS), two child processes each read one half while this process stores
what the first sends through a pipe; the second spools to a temporary file, read once the
first half is stored. Small files are read in-process (starting processes costs more than it
saves). Either way the caller sees one iterator, in file order.
"""

from __future__ import annotations

import json
import logging
import multiprocessing as mp
import operator
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NamedTuple

from review.biblio import BIBLIO_FIELDS
from review.fields import normalize_fields
from review.raw_entry import pack_raw
from review.readers.base import Entry, ParsedEntry, Reader, RejectedEntry
from review.readers.source import SourceFile

log = logging.getLogger(__name__)

PARALLEL_MIN_BYTES = 32 << 20
FIRST_SHARE = 0.5  # of the file, read by the first child (measured: 0.5 beats 0.6 and 0.7)
BATCH = 500
NUL_SHOWN = "\u2400"  # ␀ stands for a NUL byte in a quarantined entry


# The record columns a prepared entry fills, in the order of PreparedRecord.values.
RECORD_VALUE_COLUMNS = ("line", "source_key", *BIBLIO_FIELDS, "raw")
_LIST_COLUMNS = ("authors", "keywords")
_record_values = operator.itemgetter(*RECORD_VALUE_COLUMNS)
_json_string = json.encoder.encode_basestring  # (C) what json.dumps uses with ensure_ascii=False


class PreparedRecord(NamedTuple):
    """A parsed entry ready to insert: `values` follow RECORD_VALUE_COLUMNS (lists already
    JSON). A named tuple of plain values, because 100,000 of them cross a process boundary:
    a slotted dataclass took twice as long to pickle and unpickle (its state goes through
    Python-level `__getstate__`/`__setstate__` for every record)."""

    values: tuple[object, ...]
    warnings: list[str]
    label: str = ""  # a screening label from the file (ASReview's `label_included`)

    @property
    def line(self) -> int:
        return int(self.values[0])  # type: ignore[call-overload]

    @property
    def source_key(self) -> str:
        return str(self.values[1])


Prepared = PreparedRecord | RejectedEntry


def prepare(entry: Entry, pack: bool = False, bad_bytes: bool = False) -> Prepared:
    """Normalise a parsed entry's fields; rejected entries pass through. With `pack`, the raw
    entry is stored without its abstract where it can be (review/raw_entry.py). An entry
    holding a NUL, or (`bad_bytes`: the file had bytes invalid in its encoding) a U+FFFD that
    stands for one, is quarantined: it would be stored wrong."""
    if isinstance(entry, RejectedEntry):
        if "\x00" in entry.raw:
            return RejectedEntry(entry.line, entry.reason, entry.raw.replace("\x00", NUL_SHOWN))
        return entry
    if bad := bad_byte(entry, bad_bytes):
        # (PostgreSQL text cannot hold a NUL: the quarantine shows where it was)
        return RejectedEntry(entry.line, bad, entry.raw.replace("\x00", NUL_SHOWN))
    cols, warnings = normalize_fields(entry.fields)
    cols["line"] = entry.line
    cols["source_key"] = entry.source_key.strip()
    cols["raw"] = pack_raw(entry.raw, str(cols["abstract"])) if pack else entry.raw
    for c in _LIST_COLUMNS:
        cols[c] = json_list(cols[c])  # type: ignore[arg-type]
    label = entry.fields.get("label_included", "")
    return PreparedRecord(_record_values(cols), entry.warnings + warnings, str(label or ""))


def bad_byte(entry: ParsedEntry, invalid_bytes: bool) -> str:
    """Why this entry cannot be stored as read ("" when it can)."""
    texts = [entry.raw, *(v for v in entry.fields.values() if isinstance(v, str))]
    if any("\x00" in t for t in texts):
        return "holds a NUL byte (not text): fix the entry in its file and resolve it"
    if invalid_bytes and any("\ufffd" in t for t in texts):
        return (
            "holds a byte that is not valid in the file's encoding (shown as U+FFFD): "
            "fix the entry in its file and resolve it"
        )
    return ""


def json_list(items: list[str]) -> str:
    """`json.dumps(items, ensure_ascii=False)` for a list of strings, without building a
    JSONEncoder for each call (which made it a fifth of the cost of normalising a record)."""
    return "[" + ", ".join(map(_json_string, items)) + "]"


def _send_all(
    reader_name: str, source: SourceFile, pack: bool, send: Callable[[object], None]
) -> None:
    """Parse and prepare `source`, handing batches to `send`, then its warnings (or the error)."""
    from review.readers.registry import get_reader

    try:
        batch: list[Prepared] = []
        bad = source.bad_bytes > 0
        for entry in get_reader(reader_name).read(source):
            batch.append(prepare(entry, pack, bad))
            if len(batch) >= BATCH:
                send(("entries", batch))
                batch = []
        send(("entries", batch))
        send(("done", source.warnings))
    except BaseException as e:  # handed to the parent, which raises it
        try:
            send(("error", e))
        except Exception:
            send(("error", RuntimeError(f"{type(e).__name__}: {e}")))


def _to_pipe(reader_name: str, source: SourceFile, pack: bool, out: Connection) -> None:
    """Child process for the first part: batches go through a pipe as they are ready."""
    try:
        _send_all(reader_name, source, pack, out.send)
    finally:
        out.close()


def _to_spool(reader_name: str, source: SourceFile, pack: bool, spool: str) -> None:
    """Child process for the second part: batches go to a file the parent reads afterwards,
    so this child never waits for the parent."""
    # Its first line's number is counted here rather than before the readers start: that
    # pass over the first half of the file would hold up both.
    source = source.part(source.start, source.end, lines_before(source.path, source.start) + 1)
    with open(spool, "wb") as f:
        _send_all(reader_name, source, pack, lambda msg: pickle.dump(msg, f, protocol=5))


def _receive(messages: Iterable[Any], source: SourceFile) -> Iterator[Prepared]:
    for kind, payload in messages:
        if kind == "entries":
            yield from payload
        elif kind == "done":
            source.warnings.extend(payload)
            return
        else:
            raise payload if isinstance(payload, BaseException) else RuntimeError(str(payload))
    raise RuntimeError(f"the reader process for {source.path} ended early")


def _pipe_messages(conn: Connection) -> Iterator[Any]:
    while True:
        try:
            yield conn.recv()
        except EOFError:
            return


def _spool_messages(path: str) -> Iterator[Any]:
    with open(path, "rb") as f:
        while True:
            try:
                yield pickle.load(f)
            except EOFError:
                return


def split_point(source: SourceFile, marker: bytes) -> int | None:
    """The byte offset just after the first line starting with `marker` past the middle of
    the file; None if there is none (or the encoding is not ASCII-compatible)."""
    if not source.encoding.replace("_", "-").lower().startswith(("utf-8", "ascii")):
        return None
    with open(source.path, "rb") as f:
        f.seek(int(source.size * FIRST_SHARE))
        window = f.read(1 << 20)
    at = window.find(marker)
    if at < 0:
        return None
    eol = window.find(b"\n", at + len(marker))
    if eol < 0:
        return None
    return int(source.size * FIRST_SHARE) + eol + 1


def lines_before(path: Path, end: int) -> int:
    """How many lines (ended by LF, CRLF or CR) the first `end` bytes of a file hold."""
    lines, after_cr, left = 0, False, end
    with open(path, "rb") as f:
        while left > 0 and (chunk := f.read(min(1 << 20, left))):
            left -= len(chunk)
            lines += chunk.count(b"\n")
            if b"\r" in chunk:
                lines += chunk.count(b"\r") - chunk.count(b"\r\n")
            if after_cr and chunk[:1] == b"\n":
                lines -= 1  # a CRLF cut between two chunks
            after_cr = chunk[-1:] == b"\r"
    return lines


@contextmanager
def _without_main_script() -> Iterator[None]:
    """Start spawned readers without re-running the program that started them.

    A spawned child imports the parent's `__main__` script by its path; for the `litsift`
    console script that is the whole CLI (Typer, Rich, every command: 0.5-0.7 s per child),
    though a reader needs only `review`. The readers' targets live in this module, so the
    script's path is hidden while they start (as it is when running `python -m`)."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or path is None or getattr(main, "__spec__", None) is not None:
        yield
        return
    del main.__file__
    try:
        yield
    finally:
        main.__file__ = path


def prepared_entries(
    reader: Reader, source: SourceFile, *, parallel: bool | None = None, pack: bool = False
) -> Iterator[Prepared]:
    """Every entry of `source`, normalised, in file order; a large file is read in two parts
    by two child processes while this one stores what arrives."""
    marker = getattr(reader, "split_marker", None)
    if parallel is None:
        parallel = source.size >= PARALLEL_MIN_BYTES
    offset = split_point(source, marker) if parallel and marker else None
    if offset is None:
        bad = source.bad_bytes > 0
        for entry in reader.read(source):
            yield prepare(entry, pack, bad)
        return
    first, second = source.part(0, offset, 1), source.part(offset, None, 0)  # (0: counted later)
    ctx = mp.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    with tempfile.TemporaryDirectory(prefix="litsift-import-") as tmp:
        spool = os.path.join(tmp, "part2.pickle")
        procs = [
            ctx.Process(target=_to_pipe, args=(reader.name, first, pack, send), daemon=True),
            ctx.Process(target=_to_spool, args=(reader.name, second, pack, spool), daemon=True),
        ]
        with _without_main_script():
            for p in procs:
                p.start()
        send.close()
        try:
            yield from _receive(_pipe_messages(receive), first)
            procs[1].join()
            yield from _receive(_spool_messages(spool), second)
            source.warnings.extend(first.warnings + second.warnings)
        finally:
            receive.close()
            for p in procs:
                if p.is_alive():
                    p.terminate()
                p.join()
