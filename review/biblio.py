"""The names of a record's normalised bibliographic fields, in the one order used everywhere.

A module of its own, with no imports, so that the import's reader processes (which parse and
normalise but never touch the database) start without loading SQLModel and SQLAlchemy: that
took a quarter of a second per process, on the import's critical path.
"""

BIBLIO_FIELDS = (
    "title", "abstract", "authors", "year", "journal", "volume", "issue", "pages", "doi",
    "pmid", "isbn", "issn", "url", "keywords", "language", "type",
)  # fmt: skip

# Every reference type code of the RIS specification (RefMan/EndNote/Zotero).
RIS_TYPES = frozenset((
    "ABST", "ADVS", "AGGR", "ANCIENT", "ART", "BILL", "BLOG", "BOOK", "CASE", "CHAP", "CHART",
    "CLSWK", "COMP", "CONF", "CPAPER", "CTLG", "DATA", "DBASE", "DICT", "EBOOK", "ECHAP",
    "EDBOOK", "EJOUR", "ELEC", "ENCYC", "EQUA", "FIGURE", "GEN", "GOVDOC", "GRANT", "HEAR",
    "ICOMM", "INPR", "JFULL", "JOUR", "LEGAL", "MANSCPT", "MAP", "MGZN", "MPCT", "MULTI",
    "MUSIC", "NEWS", "PAMP", "PAT", "PCOMM", "RPRT", "SER", "SLIDE", "SOUND", "STAND", "STAT",
    "THES", "UNBILL", "UNPB", "VIDEO", "WEB",
))  # fmt: skip
