"""Opening an input file: hash, size, encoding detection and decoding.

Order: an explicit `--encoding`; a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-8 if every byte
decodes; UTF-16 without BOM if NUL bytes alternate; a `% Encoding:`/XML declaration; else
charset-normalizer's guess (preferring Western and GB encodings when guesses tie) — a guess is
reported as a warning. Binary content (NUL bytes, control characters) is refused.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from review.errors import ImportFormatError

CHUNK = 1 << 20
_DECLARED = re.compile(rb"(?:%\s*Encoding:\s*|encoding=[\"'])([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_PREFERENCE = ("cp1252", "latin_1", "iso8859_15", "gb18030", "big5", "shift_jis", "cp949")
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class SourceFile:
    """A file to import, with its checksum and the encoding its text is read with."""

    path: Path
    sha256: str
    size: int
    encoding: str
    warnings: list[str] = field(default_factory=list)
    is_zip: bool = False
    errors: str = "strict"
    # A part of the file (bytes start..end, its first line's number), when it is read in parts.
    start: int = 0
    end: int | None = None
    first_line: int = 1

    @property
    def name(self) -> str:
        return self.path.name

    def part(self, start: int, end: int | None, first_line: int) -> SourceFile:
        """The same file restricted to bytes `start:end`, whose first line is `first_line`."""
        return replace(self, start=start, end=end, first_line=first_line, warnings=[])

    def open_text(self) -> TextIO:
        """Open for reading text line by line (universal newlines: LF, CRLF and bare CR)."""
        if self.start == 0 and self.end is None:
            return open(self.path, encoding=self.encoding, errors=self.errors, newline=None)
        raw = open(self.path, "rb")  # noqa: SIM115 (closed by the wrapper)
        raw.seek(self.start)
        limit = (self.end if self.end is not None else self.size) - self.start
        return io.TextIOWrapper(
            io.BufferedReader(_Bounded(raw, limit), CHUNK),
            encoding=self.encoding,
            errors=self.errors,
            newline=None,
        )

    def read_text(self) -> str:
        """The whole decoded text, with newlines normalised to LF."""
        with self.open_text() as f:
            return f.read()

    def head(self, chars: int = 16384) -> str:
        """The first characters of the text (for format detection)."""
        if self.is_zip:
            return ""
        with self.open_text() as f:
            return f.read(chars)

    def lines(self) -> Iterator[tuple[int, str]]:
        """(1-based line number, line without its newline)."""
        with self.open_text() as f:
            for n, line in enumerate(f, self.first_line):
                yield n, line.rstrip("\n")


class _Bounded(io.RawIOBase):
    """A binary file seen only up to `limit` bytes from where it stands."""

    def __init__(self, f: io.BufferedReader, limit: int) -> None:
        self._f, self._left = f, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._left <= 0:
            return 0
        view = memoryview(buffer)[: self._left]
        n = self._f.readinto(view)
        self._left -= n or 0
        return n or 0

    def close(self) -> None:
        self._f.close()
        super().close()


def _bom_encoding(start: bytes) -> str | None:
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if start.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _utf16_without_bom(start: bytes) -> str | None:
    sample = start[:4096]
    if len(sample) < 8:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    return None


def _guess_legacy(path: Path, sample: bytes) -> str:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(sample))
    if not matches:
        raise ImportFormatError(
            f"{path}: not text in any encoding litsift recognises",
            hint="if this is a text export, pass --encoding (e.g. --encoding cp1252)",
        )
    best = min(m.chaos for m in matches)
    close = [m for m in matches if m.chaos <= best + 0.1]

    def rank(m: object) -> int:
        names = getattr(m, "could_be_from_charset", [getattr(m, "encoding", "")])
        for i, pref in enumerate(_PREFERENCE):
            if pref in names:
                return i
        return len(_PREFERENCE)

    return str(min(close, key=rank).encoding)


def _check_text(path: Path, encoding: str, sample: bytes) -> None:
    """Refuse binary content: NULs or many control characters in the decoded start."""
    text = sample.decode(encoding, errors="replace")[:20000]
    if not text:
        return
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    if "\x00" in text or bad / len(text) > 0.02:
        raise ImportFormatError(
            f"{path}: this is not a text file (binary content: {bad} control or invalid "
            f"characters in the first {len(text)})",
            hint="export the references as RIS, BibTeX, MEDLINE, CSV, XLSX or EndNote XML",
        )


def open_source(path: str | Path, encoding: str | None = None) -> SourceFile:
    """Hash a file and settle the encoding its text is read with."""
    p = Path(path)
    if not p.exists():
        raise ImportFormatError(f"{p}: no such file")
    if p.is_dir():
        raise ImportFormatError(f"{p}: is a directory, not a file")
    digest = hashlib.sha256()
    size = 0
    utf8 = codecs.getincrementaldecoder("utf-8")()
    utf8_ok = True
    start = b""
    try:
        with open(p, "rb") as f:
            while chunk := f.read(CHUNK):
                if len(start) < 65536:
                    start += chunk[: 65536 - len(start)]
                digest.update(chunk)
                size += len(chunk)
                if utf8_ok:
                    try:
                        utf8.decode(chunk)
                    except UnicodeDecodeError:
                        utf8_ok = False
        if utf8_ok:
            utf8.decode(b"", final=True)
    except UnicodeDecodeError:
        utf8_ok = False
    except OSError as e:
        raise ImportFormatError(f"{p}: cannot be read ({e.strerror or e})") from e
    if size == 0:
        raise ImportFormatError(f"{p}: the file is empty")
    src = SourceFile(p, digest.hexdigest(), size, "utf-8")
    if start.startswith(ZIP_MAGIC):
        src.is_zip = True
        src.encoding = "binary"
        return src
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError as e:
            raise ImportFormatError(f"unknown encoding {encoding!r} (given for {p})") from e
        src.encoding = encoding
    elif enc := _bom_encoding(start):
        src.encoding = enc
    elif utf8_ok:
        src.encoding = "utf-8"
    elif enc := _utf16_without_bom(start):
        src.encoding = enc
    elif b"\x00" in start:
        raise ImportFormatError(
            f"{p}: this is not a text file (binary content: NUL bytes)",
            hint="export the references as RIS, BibTeX, MEDLINE, CSV, XLSX or EndNote XML",
        )
    else:
        declared = _DECLARED.search(start[:2048])
        enc = None
        if declared:
            name = declared.group(1).decode("ascii", "replace")
            try:
                enc = codecs.lookup(name).name
            except LookupError:
                enc = None
        if enc is None:
            enc = _guess_legacy(p, start)
            src.warnings.append(
                f"{p.name} is not UTF-8; read as {enc} (a guess: pass --encoding if the text "
                "looks wrong)"
            )
        src.encoding = enc
        src.errors = "replace"
    _check_text(p, src.encoding, start)
    return src
