"""The names of a record's normalised bibliographic fields, in the one order used everywhere.

A module of its own, with no imports, so that the import's reader processes (which parse and
normalise but never touch the database) start without loading SQLModel and SQLAlchemy: that
took a quarter of a second per process, on the import's critical path.
"""

BIBLIO_FIELDS = (
    "title", "abstract", "authors", "year", "journal", "volume", "issue", "pages", "doi",
    "pmid", "isbn", "issn", "url", "keywords", "language", "type",
)  # fmt: skip
