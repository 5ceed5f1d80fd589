"""Named ranker presets: features, classifier, balancing, query strategy and retraining schedule
as plain data (stored with a review or a simulation so that a run can be reproduced)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from screening.balance import Balancer
from screening.errors import ScreeningError
from screening.features import TextFeatures
from screening.fusion import ViewFusion
from screening.models import make_classifier
from screening.query import Query


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
    journal_token: bool = False  # the journal as one extra token (`journal_token`)
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
            return ViewFusion(members, spans, method=p.get("method", "rrf"), k=p.get("k", 60.0))
        return make_classifier(self.classifier, **self.classifier_params)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


ELAS_BALANCER = Balancer(include_weight=9.8, normalize=True)
ELAS_U4_LIKE = Preset(
    "elas-u4",
    "ASReview's ELAS u4 rebuilt: word 1-2-grams, linear SVM C=0.11, includes weigh 9.8 x "
    "balanced, weights normalised to mean 1",
    classifier="svm",
    classifier_params={"C": 0.11},
    balancer=ELAS_BALANCER,
)

CHAR_HASH = {"char_ngrams": (3, 5), "char_hash": 2**18}
WORDS_CHARS = [["svm", {"C": 0.11}, "words"], ["svm", {"C": 0.11}, "chars"]]

PHASED = Balancer(include_weight=1.0, heavy_until=0.10, heavy_weight=20.0)

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "svm-phased",
            "title counted twice + abstract, word 1-2-grams, linear SVM C=0.11; while under "
            "10% of records are screened includes weigh 20 x balanced (weights normalised), "
            "then balanced",
            classifier="svm",
            classifier_params={"C": 0.11},
            balancer=PHASED,
            title_weight=2,
        ),
        Preset(
            "svm",
            "word 1-2-grams, linear SVM C=0.11, balanced weights (includes weigh n_exc/n_inc)",
            classifier="svm",
            classifier_params={"C": 0.11},
            balancer=Balancer(include_weight=1.0),
        ),
        Preset(
            "svm-heavy",
            "word 1-2-grams, linear SVM C=0.11, includes weigh 3 x balanced",
            classifier="svm",
            classifier_params={"C": 0.11},
            balancer=Balancer(include_weight=3.0),
        ),
        ELAS_U4_LIKE,
        Preset(
            "lr",
            "word 1-2-grams, logistic regression C=10, balanced weights",
            classifier="lr",
            balancer=Balancer(include_weight=1.0),
        ),
        Preset(
            "nb",
            "word 1-2-grams, complement naive Bayes, balanced weights",
            classifier="nb",
            balancer=Balancer(include_weight=1.0),
        ),
        Preset(
            "ensemble",
            "word 1-2-grams, linear SVM + logistic regression (scaled scores averaged), "
            "phased weights as svm-phased",
            classifier="svm+lr",
            classifier_params={"svm": {"C": 0.11}},
            balancer=PHASED,
        ),
        Preset(
            "ensemble3",
            "title counted twice + abstract, word 1-2-grams; linear SVM + logistic regression "
            "+ complement naive Bayes (scaled scores averaged), phased weights as svm-phased",
            classifier="svm+lr+nb",
            classifier_params={"svm": {"C": 0.11}},
            balancer=PHASED,
            title_weight=2,
        ),
        Preset(
            "svm-char",
            "svm-phased plus character 3-5-grams of the tokens (weight 0.5): spelling variants",
            features={"char_ngrams": (3, 5)},
            classifier="svm",
            classifier_params={"C": 0.11},
            balancer=PHASED,
            title_weight=2,
        ),
        Preset(
            "elas-ens3",
            "elas-u4's features and weights; linear SVM C=0.11 + logistic regression + "
            "complement naive Bayes, scores scaled by their spread and averaged",
            classifier="svm+lr+nb",
            classifier_params={"svm": {"C": 0.11}},
            balancer=ELAS_BALANCER,
        ),
        Preset(
            "elas-svmnb",
            "elas-u4's features and weights; linear SVM C=0.11 + complement naive Bayes, "
            "scores scaled by their spread and averaged (the cheap, diverse pair)",
            classifier="svm+nb",
            classifier_params={"svm": {"C": 0.11}},
            balancer=ELAS_BALANCER,
        ),
        Preset(
            "elas-char",
            "elas-u4 plus character 3-5-grams of the tokens (weight 0.5): spelling variants",
            features={"char_ngrams": (3, 5)},
            classifier="svm",
            classifier_params={"C": 0.11},
            balancer=ELAS_BALANCER,
        ),
        Preset(
            "elas-c05",
            "elas-u4 with a weaker regularisation: linear SVM C=0.5",
            classifier="svm",
            classifier_params={"C": 0.5},
            balancer=ELAS_BALANCER,
        ),
        Preset(
            "elas-lsa",
            "elas-u4 plus 200 LSA dimensions (TruncatedSVD of the TF-IDF of all records, "
            "weight 0.5): a dense view that links records using different words",
            features={"lsa_components": 200},
            classifier="svm",
            classifier_params={"C": 0.11},
            balancer=ELAS_BALANCER,
        ),
        Preset(
            "elas-rrf-char",
            "reciprocal-rank fusion (k=60) of two linear SVMs C=0.11 with elas-u4's weights: "
            "one on word 1-2-grams, one on character 3-5-grams (hashed)",
            features=CHAR_HASH,
            classifier="fusion",
            classifier_params={"method": "rrf", "k": 60.0, "members": WORDS_CHARS},
            balancer=ELAS_BALANCER,
        ),
        Preset(
            "elas-mrank-char",
            "mean-rank fusion of two linear SVMs C=0.11 with elas-u4's weights: one on word "
            "1-2-grams, one on character 3-5-grams (hashed)",
            features=CHAR_HASH,
            classifier="fusion",
            classifier_params={"method": "mean", "members": WORDS_CHARS},
            balancer=ELAS_BALANCER,
        ),
        Preset(
            "elas-rrf-lsa",
            "reciprocal-rank fusion (k=60) of two linear SVMs C=0.11 with elas-u4's weights: "
            "one on word 1-2-grams, one on 200 LSA dimensions of them",
            features={"lsa_components": 200},
            classifier="fusion",
            classifier_params={
                "method": "rrf",
                "k": 60.0,
                "members": [["svm", {"C": 0.11}, "words"], ["svm", {"C": 0.11}, "lsa"]],
            },
            balancer=ELAS_BALANCER,
        ),
        Preset(
            "elas-journal",
            "elas-u4 plus the journal as one token (where the file has journals)",
            classifier="svm",
            classifier_params={"C": 0.11},
            balancer=ELAS_BALANCER,
            journal_token=True,
        ),
        Preset(
            "svm-lsa",
            "word 1-2-grams + 200 LSA dimensions, linear SVM C=0.11, balanced weights",
            features={"lsa_components": 200},
            classifier="svm",
            classifier_params={"C": 0.11},
            balancer=Balancer(include_weight=1.0),
        ),
    )
}
DEFAULT_PRESET = "svm-phased"


def get_preset(name: str | None) -> Preset:
    """A preset by name (None: the default)."""
    try:
        return PRESETS[name or DEFAULT_PRESET]
    except KeyError:
        raise ScreeningError(
            f"unknown model preset {name!r}", hint=f"use one of: {', '.join(PRESETS)}"
        ) from None
