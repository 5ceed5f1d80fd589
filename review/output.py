"""Writing a command's output to `--out`: the one place that decides what may be written where.

- `None` or `-` (or `/dev/stdout`) is standard output, written as a stream;
- a FIFO, a terminal, `/dev/null` or `/dev/fd/N` is opened and written as a stream;
- a regular file is written to a temporary file in the same folder and renamed into place when
  complete, with the usual mode (the umask decides, as for any new file);
- an existing file is replaced only with `force`; a symbolic link is then replaced itself,
  its target is never written through;
- the review's own files (the SQLite database and its -wal/-shm/-journal, whatever the links
  and hard links leading to them) are never written, even with `force`;
- a folder, a block or other device, or a missing folder is refused with an `OutputError`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from review.errors import LitsiftError

SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")
_STDOUT_NAMES = {"-", "/dev/stdout", "/proc/self/fd/1", "/dev/fd/1"}
_STDERR_NAMES = {"/dev/stderr", "/proc/self/fd/2", "/dev/fd/2"}
_TERMINALS = ("/dev/tty", "/dev/pts/", "/dev/console")


class OutputError(LitsiftError):
    """An output file that litsift will not (or cannot) write."""

    title = "cannot write output"


def database_files(db_path: Path | None) -> list[Path]:
    """A SQLite review's own files: the database and its -wal, -shm and -journal files."""
    if db_path is None:
        return []
    return [Path(f"{db_path}{suffix}") for suffix in SQLITE_SUFFIXES]


def check_targets(paths: Iterable[Path], *, force: bool, protect: Iterable[Path]) -> None:
    """For files a command writes itself (several beside each other): refuse the review's own
    files always, and an existing file unless `force`, as `open_output` does."""
    protect = list(protect)
    for target in paths:
        _check_not_protected(target, protect)
        if target.exists() and not force:
            raise OutputError(
                f"{target}: already exists; litsift does not overwrite it",
                hint="pass --force to replace it, or choose another --out file",
            )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _check_not_protected(target: Path, protect: Iterable[Path]) -> None:
    """Refuse `target` when it is, or leads to, one of the `protect`ed files."""
    real = Path(os.path.realpath(target))
    own = Path(os.path.realpath(target.parent)) / target.name
    for p in protect:
        p_real = Path(os.path.realpath(p))
        if real == p_real or own == p_real or _same_file(target, p):
            raise OutputError(
                f"{target}: this is the review's own database file ({p}); writing there would "
                "destroy the review",
                hint="choose another --out file (e.g. export.csv)",
            )


def _stream_kind(mode: int, target: Path) -> bool:
    """Whether an existing file of this mode is written as a stream (not replaced)."""
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return True
    if stat.S_ISCHR(mode):
        # only harmless character devices: /dev/null and terminals (never opened to find out:
        # opening some devices does something)
        real = os.path.realpath(target)
        return real == os.devnull or real.startswith(_TERMINALS)
    return False


@contextlib.contextmanager
def _stream(stream: TextIO) -> Iterator[TextIO]:
    yield stream
    stream.flush()


@contextlib.contextmanager
def _open_stream(target: Path, encoding: str, newline: str) -> Iterator[TextIO]:
    try:
        f = open(target, "w", encoding=encoding, newline=newline)  # noqa: SIM115
    except OSError as e:
        raise OutputError(f"{target}: cannot be opened for writing ({e.strerror or e})") from e
    with f:
        yield f


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def _atomic(target: Path, encoding: str, newline: str) -> Iterator[TextIO]:
    folder = target.parent
    for _ in range(100):
        tmp = folder / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
        except OSError as e:
            raise OutputError(
                f"{target}: cannot write in {folder} ({e.strerror or e})",
                hint="choose a folder you can write to",
            ) from e
    else:  # pragma: no cover - 100 random names all taken
        raise OutputError(f"{target}: cannot create a temporary file in {folder}")
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # as open() would: the umask decides
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def open_output(
    out: str | os.PathLike[str] | None,
    *,
    force: bool = False,
    protect: Iterable[Path] = (),
    encoding: str = "utf-8",
    newline: str = "",
) -> contextlib.AbstractContextManager[TextIO]:
    """A text stream for `--out` (see the module docstring for the rules).

    Everything is checked before anything is written; a refusal raises `OutputError`. A regular
    file appears only when the block finishes without an error.
    """
    if out is None or str(out) in _STDOUT_NAMES:
        return _stream(sys.stdout)
    if str(out) in _STDERR_NAMES:
        return _stream(sys.stderr)
    target = Path(out).expanduser()
    if not str(target).strip():
        raise OutputError("--out is empty", hint="give a file name, or - for standard output")
    protect = list(protect)
    _check_not_protected(target, protect)
    try:
        link = target.lstat()
    except FileNotFoundError:
        link = None
    except OSError as e:
        if e.errno == errno.ENAMETOOLONG:
            raise OutputError(f"{str(target)[:80]}...: the name is too long") from e
        if e.errno == errno.ENOTDIR:
            raise OutputError(f"{target}: {target.parent} is not a folder") from e
        raise OutputError(f"{target}: cannot be used ({e.strerror or e})") from e
    if link is not None:
        try:
            mode = target.stat().st_mode
        except OSError:
            mode = link.st_mode  # a dangling link
        if stat.S_ISDIR(mode):
            raise OutputError(
                f"{target}: is a folder", hint="give a file name inside it, e.g. --out DIR/out.csv"
            )
        if _stream_kind(mode, target):
            return _open_stream(target, encoding, newline)
        if not stat.S_ISREG(mode) and not stat.S_ISLNK(link.st_mode):
            raise OutputError(
                f"{target}: is a device or special file, not a regular file",
                hint="give the name of a regular file, or - for standard output",
            )
        if not force:
            kind = "a symbolic link" if stat.S_ISLNK(link.st_mode) else "a file"
            raise OutputError(
                f"{target}: already exists ({kind}); litsift does not overwrite it",
                hint="pass --force to replace it, or choose another --out file",
            )
    folder = target.parent
    if not folder.is_dir():
        if folder.exists():
            raise OutputError(f"{target}: {folder} is not a folder")
        raise OutputError(
            f"{target}: the folder {folder} does not exist",
            hint=f"create it first (mkdir -p {folder}) or choose another --out file",
        )
    return _atomic(target, encoding, newline)
