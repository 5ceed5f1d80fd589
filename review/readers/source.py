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
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from review.errors import ImportFormatError

CHUNK = 1 << 20
BINARY_SHARE = 0.02  # NUL and control bytes above this share of a file: binary
MAX_NOTED = 20  # bad bytes warned about by line, per file
_CONTROL_BYTES = bytes(c for c in range(32) if c not in b"\t\n\r\f\v\x1a\x1b") + b"\x7f"
_HIGH_BYTES = bytes(range(0x80, 0x100))
_ESCAPED = re.compile("[\udc80-\udcff]")
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
    # Bytes found while settling the encoding: invalid for it (read as U+FFFD) and NULs. The
    # entries holding them are quarantined.
    bad_bytes: int = 0
    nul_bytes: int = 0

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
    """Refuse binary content read in a UTF-16/32 encoding: many control characters."""
    text = sample.decode(encoding, errors="replace")[:20000]
    if not text:
        return
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    if bad / len(text) > BINARY_SHARE:
        raise _binary(path, f"{bad} control or invalid characters in the first {len(text)}")


def _binary(path: Path, evidence: str) -> ImportFormatError:
    return ImportFormatError(
        f"{path}: this is not a text file (binary content: {evidence})",
        hint="export the references as RIS, BibTeX, MEDLINE, CSV, XLSX or EndNote XML",
    )


@dataclass
class _Scan:
    """What one pass over a file's bytes found (the evidence the encoding is settled on)."""

    size: int = 0
    lines: int = 0  # newlines so far
    nul: int = 0
    controls: int = 0  # C0 controls other than whitespace, and NUL
    high: int = 0  # bytes >= 0x80
    utf8_invalid: int = 0  # invalid UTF-8 sequences
    utf8_multibyte: int = 0  # valid non-ASCII UTF-8 characters
    nul_lines: list[int] = field(default_factory=list)
    bad_lines: list[tuple[int, int]] = field(default_factory=list)  # (line, byte value)

    def add(self, chunk: bytes, utf8: codecs.IncrementalDecoder) -> None:
        self.size += len(chunk)
        controls = len(chunk) - len(chunk.translate(None, _CONTROL_BYTES))
        high = len(chunk) - len(chunk.translate(None, _HIGH_BYTES))
        self.controls += controls
        self.high += high
        if controls and (nul := chunk.count(0)):
            self.nul += nul
            at = -1
            while len(self.nul_lines) < MAX_NOTED and (at := chunk.find(0, at + 1)) >= 0:
                self.nul_lines.append(self.lines + chunk.count(b"\n", 0, at) + 1)
        if high or utf8.getstate()[0]:
            # surrogateescape: every byte that is not valid UTF-8 becomes one lone surrogate
            text = utf8.decode(chunk)
            invalid = [m.start() for m in _ESCAPED.finditer(text)]
            self.utf8_invalid += len(invalid)
            self.utf8_multibyte += len(text) - (len(chunk) - high) - len(invalid)
            for at in invalid[: MAX_NOTED - len(self.bad_lines)]:
                line = self.lines + text.count("\n", 0, at) + 1
                self.bad_lines.append((line, ord(text[at]) - 0xDC00))
        # (an ASCII chunk with nothing left open before it cannot change the decoder's state)
        self.lines += chunk.count(b"\n")

    def mostly_utf8(self, bom: bool) -> bool:
        """UTF-8 with a few bad bytes (not a legacy encoding): a BOM says so, or valid
        multi-byte characters outnumber the invalid bytes two to one (text in a legacy
        encoding almost never holds a valid UTF-8 sequence)."""
        if self.utf8_invalid == 0:
            return True
        return bom or self.utf8_multibyte >= 2 * self.utf8_invalid

    def looks_binary(self) -> bool:
        """Binary on the evidence of the whole file: NULs and other control bytes are more
        than 2% of it (one NUL in a text export is a bad byte, not a binary file)."""
        return self.controls / max(self.size, 1) > BINARY_SHARE


def _refuse_special(p: Path) -> None:
    """Refuse what is not a regular file before opening it (a FIFO or /dev/zero would hang)."""
    try:
        st = p.stat()
    except FileNotFoundError as e:
        raise ImportFormatError(
            f"{p}: no such file", hint="check the path (relative to this folder)"
        ) from e
    except OSError as e:
        name = str(p) if len(str(p)) <= 200 else str(p)[:200] + "..."
        raise ImportFormatError(
            f"{name}: cannot be read ({e.strerror or e})", hint="check the file's permissions"
        ) from e
    if stat.S_ISDIR(st.st_mode):
        raise ImportFormatError(
            f"{p}: is a directory, not a file", hint="import the files in it: litsift import DIR/*"
        )
    if not stat.S_ISREG(st.st_mode):
        raise ImportFormatError(
            f"{p}: is not a regular file (a device, pipe or socket)",
            hint="save the export to a file and import that file",
        )


def open_source(path: str | Path, encoding: str | None = None) -> SourceFile:
    """Hash a file and settle the encoding its text is read with."""
    p = Path(path)
    _refuse_special(p)
    digest = hashlib.sha256()
    scan = _Scan()
    utf8 = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    start = b""
    try:
        with open(p, "rb") as f:
            while chunk := f.read(CHUNK):
                if len(start) < 65536:
                    start += chunk[: 65536 - len(start)]
                digest.update(chunk)
                scan.add(chunk, utf8)
        tail = utf8.decode(b"", final=True)
        scan.utf8_invalid += len(_ESCAPED.findall(tail))
        if tail and len(scan.bad_lines) < MAX_NOTED:
            scan.bad_lines.append((scan.lines + 1, ord(tail[0]) - 0xDC00))
    except OSError as e:
        raise ImportFormatError(f"{p}: cannot be read ({e.strerror or e})") from e
    size = scan.size
    if size == 0:
        raise ImportFormatError(
            f"{p}: the file is empty",
            hint="export the search results again (a download cut short leaves an empty file)",
        )
    src = SourceFile(p, digest.hexdigest(), size, "utf-8")
    if start.startswith(ZIP_MAGIC):
        src.is_zip = True
        src.encoding = "binary"
        return src
    bom = _bom_encoding(start)
    if encoding:
        try:
            name = codecs.lookup(encoding).name
        except LookupError as e:
            raise ImportFormatError(
                f"unknown encoding {encoding!r} (given for {p})",
                hint="name a Python codec, e.g. --encoding cp1252, latin-1, utf-16 or gb18030",
            ) from e
        src.encoding = encoding
        if name.startswith(("utf-16", "utf-32")):
            _check_text(p, encoding, start)
        elif scan.looks_binary():
            raise _binary(p, f"{scan.controls} NUL or control bytes in {size}")
        else:
            _note_bad_bytes(src, scan, utf8_errors=False)
        return src
    wide = bom if bom in ("utf-16", "utf-32") else _utf16_without_bom(start)
    if wide:
        # NUL bytes are half of UTF-16 text: the byte scan says nothing here
        src.encoding = wide
        src.errors = "replace"
        _check_text(p, wide, start)
        return src
    if scan.looks_binary():
        raise _binary(p, f"{scan.controls} NUL or control bytes in {size}")
    if scan.mostly_utf8(bom == "utf-8-sig"):
        src.encoding = bom or "utf-8"
        _note_bad_bytes(src, scan)
        return src
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
    _note_bad_bytes(src, scan, utf8_errors=False)
    return src


def _note_bad_bytes(src: SourceFile, scan: _Scan, *, utf8_errors: bool = True) -> None:
    """Warn, with its line, about each NUL and each byte that is not valid UTF-8 (the first
    few); the entries holding them are quarantined (entry_stream.prepare)."""
    if utf8_errors and scan.utf8_invalid:
        src.errors = "replace"
        src.bad_bytes = scan.utf8_invalid
        for line, byte in scan.bad_lines:
            src.warnings.append(
                f"line {line}: byte 0x{byte:02X} is not valid {src.encoding.upper()}; the entry "
                "holding it is quarantined"
            )
    if scan.nul:
        src.nul_bytes = scan.nul
        for line in scan.nul_lines:
            src.warnings.append(f"line {line}: a NUL byte; the entry holding it is quarantined")
    noted = (len(scan.bad_lines) if utf8_errors else 0) + len(scan.nul_lines)
    total = (scan.utf8_invalid if utf8_errors else 0) + scan.nul
    if total > noted:
        src.warnings.append(f"... and {total - noted} more bad bytes")
