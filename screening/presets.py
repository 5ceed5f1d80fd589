"""Named ranker presets: features, classifier, balancing, query strategy and retraining schedule
as plain data (stored with a review or a simulation so that a run can be reproduced). The
presets themselves are the table in presets.toml (package data)."""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import Any

from screening.balance import Balancer
from screening.errors import ScreeningError
from screening.features import TextFeatures
from screening.fusion import ViewFusion
from screening.models import make_classifier
from screening.query import Query
from screening.view_selection import ViewEvidence


@dataclass(frozen=True)
class Schedule:
    """When to retrain: after every label until `every_label_until` records are screened, and
    after every include; after that every `step_fraction` of N records (at least 1)."""

    every_label_until: int = 100
    step_fraction: float = 0.01
    after_include: bool = True

    def step(self, n_screened: int, n_total: int) -> int:
        """Records to serve from the current ranking before the next fit."""
        if n_screened < self.every_label_until:
            return 1
        return max(1, round(self.step_fraction * n_total))


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    features: dict[str, Any] = field(default_factory=dict)
    classifier: str = "lr"
    classifier_params: dict[str, Any] = field(default_factory=dict)
    balancer: Balancer = field(default_factory=Balancer)
    query: Query = field(default_factory=Query)
    title_weight: int = 1
    schedule: Schedule = field(default_factory=Schedule)

    def make_features(self) -> TextFeatures:
        return TextFeatures(**self.features)

    def make_classifier(self) -> Any:
        """A fresh classifier; `fusion` fuses the ranks of members that each see one view of
        the features: `classifier_params` {"method", "k", "members": [[name, params, view]]}."""
        if self.classifier == "fusion":
            p = self.classifier_params
            feats = self.make_features()
            members = [(f"{n}@{v}", make_classifier(n, **kw)) for n, kw, v in p["members"]]
            spans = [feats.view_columns(v) for _, _, v in p["members"]]
            method = "rrf" if p.get("method") == "select" else p.get("method", "rrf")
            return ViewFusion(members, spans, method=method, k=p.get("k", 60.0))
        return make_classifier(self.classifier, **self.classifier_params)

    def make_selector(self) -> ViewEvidence | None:
        """For a fusion with `method = "select"`: the review's evidence that sets the fusion's
        weights before each fit (screening.view_selection); None for every other preset."""
        if self.classifier != "fusion" or self.classifier_params.get("method") != "select":
            return None
        if self.balancer.presumed:
            raise ScreeningError(
                f"preset {self.name!r}: view selection judges the labelled records alone",
                hint="use a balancer without presumed excludes",
            )
        p, fusion = self.classifier_params, self.make_classifier()
        return ViewEvidence(
            fusion.estimators,
            fusion.spans,
            self.balancer,
            margin=p.get("margin", 2.0),
            min_includes=p.get("min_includes", 5),
            incumbent=p.get("incumbent"),
            min_lead=p.get("min_lead", 0.0),
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _load_presets() -> dict[str, Preset]:
    """The presets of the package-data table presets.toml, in its order."""
    table = tomllib.loads(resources.files("screening").joinpath("presets.toml").read_text("utf-8"))
    balancers = {name: Balancer(**args) for name, args in table["balancers"].items()}
    presets: dict[str, Preset] = {}
    for spec in table["preset"]:
        features = {  # TOML has no tuples: TextFeatures takes its ranges as (low, high)
            k: tuple(v) if isinstance(v, list) else v for k, v in spec.pop("features", {}).items()
        }
        balancer = balancers[spec.pop("balancer")] if "balancer" in spec else Balancer()
        presets[spec["name"]] = Preset(**spec, features=features, balancer=balancer)
    return presets


PRESETS = _load_presets()
DEFAULT_PRESET = "svm-phased"


def get_preset(name: str | None) -> Preset:
    """A preset by name (None: the default)."""
    try:
        return PRESETS[name or DEFAULT_PRESET]
    except KeyError:
        raise ScreeningError(
            f"unknown model preset {name!r}", hint=f"use one of: {', '.join(PRESETS)}"
        ) from None
