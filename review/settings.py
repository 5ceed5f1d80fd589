"""Typed review settings: the protocol, the keymap and the ranker spec.

Settings are stored as JSON rows in the `setting` table (one key per model) and always read and
written through these pydantic models, so every reader sees the same shape and a bad value is
refused with the name of the key that is wrong. Each model carries a `version` so a later
litsift can upgrade an older shape on read.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlmodel import select

from review.db import Store
from review.errors import InvalidInputError
from review.models import Setting
from review.setting_values import get_setting, set_setting

STAGES = ("title-abstract", "full-text")
Stage = Literal["title-abstract", "full-text"]

NOT_RETRIEVED = "not retrieved"
DEFAULT_REASONS = (
    "wrong population",
    "wrong intervention",
    "wrong comparator",
    "wrong outcome",
    "wrong study design",
    "wrong publication type",
    "duplicate report",
    NOT_RETRIEVED,
)


def _all_stages() -> list[Stage]:
    return ["title-abstract", "full-text"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def _clean_terms(terms: list[str]) -> list[str]:
    """Whitespace collapsed; blank and repeated (case-insensitive) entries dropped."""
    out: list[str] = []
    seen: set[str] = set()
    for t in terms:
        t = " ".join(str(t).split())
        if t and t.lower() not in seen:
            seen.add(t.lower())
            out.append(t)
    return out


class Eligibility(_Model):
    """The inclusion and exclusion criteria reviewers screen against."""

    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)


class Keywords(_Model):
    """Words highlighted for reviewers; they also seed the ranking's cold start."""

    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)

    @field_validator("include", "exclude")
    @classmethod
    def _clean(cls, v: list[str]) -> list[str]:
        return _clean_terms(v)


class Protocol(_Model):
    """What the review is about and how it is run."""

    version: int = 1
    name: str = ""
    question: str = ""
    eligibility: Eligibility = Field(default_factory=Eligibility)
    keywords: Keywords = Field(default_factory=Keywords)
    exclusion_reasons: list[str] = Field(default_factory=lambda: list(DEFAULT_REASONS))
    # independent decisions per record at each stage: 1 (single) or 2 (dual, blinded)
    screening_mode: Literal["single", "dual"] = "single"
    stages: list[Stage] = Field(default_factory=_all_stages)
    # independent extractions per study: 1, or 2 (the second blind, then reconciled)
    extractors: Literal[1, 2] = 1
    # when the review updates an earlier one (PRISMA 2020 "previous studies/reports")
    previous_studies: int = Field(default=0, ge=0)
    previous_reports: int = Field(default=0, ge=0)
    # the stopping rule the advice follows ("": litsift's default; see screening.stopping)
    stopping_rule: str = Field(
        default="", pattern=r"^((hypergeom|decay|switch|rate)(:0?\.\d+)?|consecutive(:\d+)?|none)?$"
    )

    @field_validator("exclusion_reasons")
    @classmethod
    def _clean_reasons(cls, v: list[str]) -> list[str]:
        return _clean_terms(v)

    @property
    def decisions_per_record(self) -> int:
        """Independent decisions each record needs at a stage."""
        return 2 if self.screening_mode == "dual" else 1


class RankerSpec(_Model):
    """The ranker actually used: a preset name, its parameters and the seed (stored with each
    ranking so a decision's `model_version` can be traced and a run replayed)."""

    version: int = 1
    preset: str = "svm-phased"
    params: dict[str, Any] = Field(default_factory=dict)
    seed: int = 0

    def tag(self) -> str:
        """A short stable string naming this spec (for `decision.model_version`)."""
        params = json.dumps(self.params, sort_keys=True, separators=(",", ":"))
        return (
            f"{self.preset}:{self.seed}:{params}" if self.params else f"{self.preset}:{self.seed}"
        )


class Keymap(_Model):
    """Binding id (`screen.action`) → key(s), Textual keymap syntax."""

    version: int = 1
    keys: dict[str, str] = Field(default_factory=dict)


M = TypeVar("M", bound="_Model")

_KEYS: dict[type[_Model], str] = {Protocol: "protocol", Keymap: "keys", RankerSpec: "ranker"}


def _upgrade(model: type[_Model], raw: Any) -> Any:
    """Older stored shapes → the current one."""
    if model is Keymap and isinstance(raw, dict) and "keys" not in raw:
        return {"keys": raw}  # schema ≤ 3 stored the bare mapping
    return raw


def invalid(key: str, exc: ValidationError) -> InvalidInputError:
    """A validation error as a user-facing error naming each bad key."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or key
        parts.append(f"{where}: {err['msg']}")
    return InvalidInputError(
        f"invalid {key} setting: " + "; ".join(parts),
        hint=f"`litsift protocol show` prints the {key}'s keys and their current values"
        if key == "protocol"
        else "see `litsift --help`",
    )


def load(store: Store, model: type[M]) -> M:
    """The stored setting as its typed model (defaults when it was never set)."""
    key = _KEYS[model]
    raw = _upgrade(model, get_setting(store, key))
    if raw is None:
        return model()
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        raise invalid(key, e) from e


def save(store: Store, value: _Model, *, actor: str = "") -> None:
    """Store a setting (validated by its model) and log the change in the audit log."""
    key = _KEYS[type(value)]
    set_setting(store, key, value.model_dump(mode="json"), actor=actor)


def protocol(store: Store) -> Protocol:
    """The review's protocol."""
    return load(store, Protocol)


def parse_protocol(data: Any) -> Protocol:
    """Validate a protocol read from a file or typed by a user."""
    try:
        return Protocol.model_validate(data)
    except ValidationError as e:
        raise invalid("protocol", e) from e


def set_protocol_value(store: Store, key: str, value: str, *, actor: str = "") -> Protocol:
    """Set one protocol key (dotted for nested ones, e.g. `keywords.include`). A list-valued
    key takes a JSON list or lines separated by newlines or `;`; anything else is parsed as
    JSON when it is valid JSON and taken as text otherwise."""
    current = protocol(store).model_dump(mode="json")
    parts = key.split(".")
    node: Any = current
    for p in parts[:-1]:
        if not isinstance(node, dict) or p not in node:
            raise _unknown_key(key)
        node = node[p]
    if not isinstance(node, dict) or parts[-1] not in node:
        raise _unknown_key(key)
    old = node[parts[-1]]
    node[parts[-1]] = _coerce(value, old)
    new = parse_protocol(current)
    save(store, new, actor=actor)
    return new


def _unknown_key(key: str) -> InvalidInputError:
    known = ", ".join(_dotted_keys(Protocol().model_dump(mode="json")))
    return InvalidInputError(f"no protocol key {key!r}", hint=f"the keys are: {known}")


def _dotted_keys(d: dict[str, Any], prefix: str = "") -> list[str]:
    out: list[str] = []
    for k, v in d.items():
        if isinstance(v, dict) and v:
            out += _dotted_keys(v, f"{prefix}{k}.")
        else:
            out.append(prefix + k)
    return out


def _coerce(value: str, old: Any) -> Any:
    if isinstance(old, list):
        try:
            parsed = json.loads(value)
            if isinstance(parsed, list):
                return parsed
        except ValueError:
            pass
        sep = "\n" if "\n" in value else ";"
        return [v.strip() for v in value.split(sep) if v.strip()]
    if isinstance(old, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def all_settings(store: Store) -> dict[str, Any]:
    """Every stored setting row (raw JSON), for backup and copy."""
    with store.session() as s:
        return {row.key: row.value for row in s.exec(select(Setting))}


def read_protocol_file(path: str | Path) -> Protocol:
    """A protocol from a JSON or TOML file (by its suffix; JSON otherwise), validated."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InvalidInputError(
            f"cannot read protocol file {p}: {e}", hint="pass a UTF-8 JSON or TOML file"
        ) from e
    try:
        data = tomllib.loads(text) if p.suffix.lower() == ".toml" else json.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as e:
        raise InvalidInputError(
            f"{p} is not valid {'TOML' if p.suffix.lower() == '.toml' else 'JSON'}: {e}",
            hint="`litsift protocol show --json` prints a protocol in the expected shape",
        ) from e
    return parse_protocol(data)
