"""Errors raised by the screening engine."""

from __future__ import annotations

from review.errors import LitsiftError


class ScreeningError(LitsiftError):
    """A screening setting or input that cannot be used."""

    title = "screening error"


class DatasetError(ScreeningError):
    """A labelled data set for simulation could not be read."""

    title = "data set refused"
