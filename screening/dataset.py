"""Reading a labelled data set for simulation: a CSV with title, abstract and label_included."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from screening.errors import DatasetError

LABEL = "label_included"


@dataclass
class LabelledData:
    path: Path
    titles: list[str]
    abstracts: list[str]
    labels: np.ndarray  # 1 included, 0 excluded; index = 0-based data row

    def __len__(self) -> int:
        return len(self.labels)


def read_labelled_csv(path: Path) -> LabelledData:
    """Rows of a labelled CSV (UTF-8, optional BOM). Every row needs a 0/1 `label_included`."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            cols = reader.fieldnames or []
            if LABEL not in cols:
                raise DatasetError(
                    f"{path}: no {LABEL!r} column (columns: {', '.join(cols) or 'none'})",
                    hint="simulation needs a labelled CSV with label_included = 1 or 0",
                )
            if "title" not in cols and "abstract" not in cols:
                raise DatasetError(
                    f"{path}: no 'title' or 'abstract' column, so nothing to rank on",
                    hint="simulation needs the record texts beside label_included",
                )
            titles, abstracts, labels = [], [], []
            for line, row in enumerate(reader, 2):
                raw = (row.get(LABEL) or "").strip()
                try:
                    y = int(float(raw))
                except ValueError:
                    raise DatasetError(
                        f"{path}, line {line}: label_included is {raw!r}, not 0 or 1",
                        hint="fill every label; simulation needs fully labelled data",
                    ) from None
                titles.append(row.get("title") or "")
                abstracts.append(row.get("abstract") or "")
                labels.append(1 if y else 0)
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise DatasetError(
            f"{path}: cannot read as a UTF-8 CSV ({e})", hint="check the path"
        ) from e
    data = LabelledData(path, titles, abstracts, np.asarray(labels, dtype=np.int64))
    if not data.labels.any():
        raise DatasetError(f"{path}: no record has label_included = 1", hint="nothing to find")
    return data
