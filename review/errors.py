"""Exceptions raised by the review layer; each carries a message a person can act on."""

from __future__ import annotations


class LitsiftError(Exception):
    """Base class: `str(err)` is the message, `title` a short heading, `hint` what to try."""

    title = "litsift error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __reduce__(self) -> tuple[object, ...]:
        # keep the hint when the error crosses a process boundary
        return (self.__class__, (self.message,), {"hint": self.hint})

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\nhint: {self.hint}"


class ImportFormatError(LitsiftError):
    """A whole file was refused: unreadable, in no known format, or with nothing usable."""

    title = "import refused"


class DuplicateImportError(LitsiftError):
    """The same file (by sha256) was imported before."""

    title = "already imported"


class SchemaTooNewError(LitsiftError):
    """The database was written by a newer litsift."""

    title = "database too new"


class NotFoundError(LitsiftError):
    """A record, batch or other object named by the user does not exist."""

    title = "not found"


class InvalidInputError(LitsiftError):
    """An argument or value is out of range or malformed."""

    title = "invalid input"


class ConflictError(LitsiftError):
    """A change lost a race with another session too many times in a row."""

    title = "conflict"


class DatabaseUnavailableError(LitsiftError):
    """The review database cannot be reached, opened, read or written."""

    title = "database unavailable"
