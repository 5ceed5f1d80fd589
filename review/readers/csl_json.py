"""CSL-JSON (the Citation Style Language's data schema): the "CSL JSON" export of Zotero,
Mendeley and Better BibTeX, and doi.org's citeproc JSON. An object in it is turned into the
column names the tabular mapping knows, so the JSON reader reads it like any other list of
records.

CSL writes names as objects (`{"family": "Berg", "given": "Anna", "non-dropping-particle":
"van der"}` or `{"literal": "WHO"}`), dates as `{"date-parts": [[2019, 3, 1]]}` (or `raw`,
`literal`), the journal as `container-title`, keywords as one `keyword` string, and its own
types (`article-journal`, `chapter`, `paper-conference`...). Its `source` is the database
the item came from (PubMed), not the journal.
"""

from __future__ import annotations

from collections.abc import Mapping

_CSL_KEYS = frozenset({"container-title", "issued", "citation-key", "title-short"})
_TYPES = {
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "paper-conference": "CPAPER",
    "chapter": "CHAP",
    "book": "BOOK",
    "report": "RPRT",
    "thesis": "THES",
    "webpage": "ELEC",
    "post-weblog": "BLOG",
    "dataset": "DATA",
    "patent": "PAT",
    "entry-encyclopedia": "ENCYC",
    "entry-dictionary": "DICT",
    "manuscript": "UNPB",
    "article": "UNPB",  # CSL's "article" is a preprint or working paper
    "software": "COMP",
}


def is_csl(obj: Mapping[str, object]) -> bool:
    """Whether a JSON object is a CSL item: a CSL-only key, or names written as objects."""
    if _CSL_KEYS & obj.keys():
        return True
    names = obj.get("author") or obj.get("editor")
    return isinstance(names, list) and bool(names) and isinstance(names[0], dict)


def csl_name(name: object) -> str:
    """`{"family": "Berg", "given": "Anna", "non-dropping-particle": "van der"}` as
    "van der Berg, Anna"; a `literal` (an organisation) as it is."""
    if not isinstance(name, Mapping):
        return str(name)
    if name.get("literal"):
        return str(name["literal"])
    family = " ".join(str(p) for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    given = " ".join(str(p) for p in (name.get("given"), name.get("dropping-particle")) if p)
    suffix = f", {name['suffix']}" if name.get("suffix") else ""
    return f"{family}, {given}{suffix}" if family and given else family or given


def csl_year(date: object) -> str:
    """The year of a CSL date (`date-parts`, `raw` or `literal`), as text."""
    if not isinstance(date, Mapping):
        return str(date or "")
    parts = date.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return str(parts[0][0])
    return str(date.get("raw") or date.get("literal") or "")


def flatten_csl(obj: dict[str, object]) -> dict[str, object]:
    """A CSL item with its values in the shapes the tabular mapping reads; any other object
    unchanged."""
    if not is_csl(obj):
        return obj
    out = {k: v for k, v in obj.items() if k not in ("source", "author", "editor", "issued")}
    names = obj.get("author") or obj.get("editor") or []
    out["authors"] = [csl_name(n) for n in names] if isinstance(names, list) else names
    out["year"] = csl_year(obj.get("issued"))
    if isinstance(obj.get("type"), str):
        out["type"] = _TYPES.get(str(obj["type"]), str(obj["type"]))
    out["journal"] = obj.get("container-title") or ""
    out["keywords"] = obj.get("keyword") or ""
    out.pop("container-title", None)
    out.pop("keyword", None)
    return out
