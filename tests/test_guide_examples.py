"""Every example in docs/guide.md runs: each `litsift ...` line of its shell blocks and each
Python snippet, in the order the guide gives them, against one demo review (`litsift demo
--keep`) in a temporary folder that also holds the files the examples name.

What the test does that a reader would do by hand: it writes the input files the examples
import (small RIS, MEDLINE, BibTeX, XLSX and CSV files; `scopus.ris` has one entry without
its ER tag, so the quarantine examples have something to show), and it "edits" `fix.ris`
where the guide says to. Team-server URLs (`postgresql+psycopg://me@dbserver/...`) become a
SQLite file, so the copy examples run without a server. Lines that are not litsift commands
(`pip install`, `export`, `frictionless validate`) are not run. Skipped, with the reason in
SKIPPED: examples that open the terminal UI, and the one that needs a form other than the
demo's.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tui.cli import app

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guide.md"
TEAM_URL = "postgresql+psycopg://me@dbserver/outcomes_review"
SKIPPED = {
    "litsift screen": "opens the terminal UI (tests/tui drive it through Pilot)",
    "outcomes.smd": "needs a form whose outcomes group has smd and CI columns, not the demo's "
    "(tests/extraction/test_synth_meta_cli.py runs --ci and --where)",
}

runner = CliRunner()


@dataclass(frozen=True)
class Example:
    line: int  # in docs/guide.md
    kind: str  # "sh" (one litsift command) or "python" (one snippet)
    text: str


def guide_examples() -> list[Example]:
    """The litsift commands of the guide's sh blocks (one per command, `\\` continuations
    joined, `;` split) and its Python snippets, in order."""
    out: list[Example] = []
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = re.match(r"\s*```(\w+)\s*$", lines[i])
        if not m:
            i += 1
            continue
        start, body = i + 1, []
        i += 1
        while not lines[i].strip().startswith("```"):
            body.append(lines[i].strip())
            i += 1
        i += 1
        if m.group(1) == "python":
            out.append(Example(start + 1, "python", "\n".join(body)))
            continue
        text = "\n".join(body).replace("\\\n", " ")
        for offset, command in enumerate(text.splitlines()):
            for part in re.split(r";\s*(?=litsift )", command):
                if part.startswith("litsift "):
                    out.append(Example(start + 1 + offset, "sh", part))
    return out


RIS_ENTRY = "TY  - JOUR\nTI  - {title}\nAU  - Doe, A.\nPY  - 2021\nDO  - {doi}\nER  - \n\n"


def write_inputs(folder: Path) -> None:
    """The files the guide's examples name."""
    from openpyxl import Workbook  # type: ignore[import-untyped]

    ris = RIS_ENTRY.format(title="Paying for outcomes in welfare-to-work", doi="10.9/a1")
    broken = "TY  - JOUR\nTI  - An entry whose ER tag was lost\nPY  - 2020\n\n"
    (folder / "scopus.ris").write_text(broken + ris, encoding="utf-8")
    (folder / "embase.ris").write_text(
        RIS_ENTRY.format(title="Outcome payments in health care", doi="10.9/a2"), encoding="utf-8"
    )
    (folder / "pubmed.nbib").write_text(
        "PMID- 31234567\nTI  - Social outcomes contracts in child welfare.\n"
        "FAU - Roe, Beth\nAU  - Roe B\nDP  - 2019 Mar\nTA  - Child Welfare\n\n",
        encoding="utf-8",
    )
    book = Workbook()
    book.active.append(["Title", "Authors", "Publication Year"])
    book.active.append(["Outcomes fund evaluation report", "Government Outcomes Lab", 2022])
    book.save(folder / "gol-reports.xlsx")
    (folder / "snowballing.bib").write_text(
        "@article{lee2018,\n  title = {Impact bonds and their critics},\n"
        "  author = {Lee, C.},\n  year = {2018},\n}\n",
        encoding="utf-8",
    )
    (folder / "asreview_export.csv").write_text(
        "title,abstract,label_included\nPayment by results in prisons,Reoffending,1\n"
        "A trial of hand washing,Schools,0\n",
        encoding="utf-8",
    )
    (folder / "papers").mkdir()
    (folder / "papers" / "smith2019.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    form = Path(__file__).resolve().parents[1] / "corpora" / "demo" / "obc_form.yaml"
    (folder / "obc_form.yaml").write_text(form.read_text(encoding="utf-8"), encoding="utf-8")


def before(example: Example, folder: Path) -> None:
    """What the guide asks the reader to do by hand before this example."""
    if "quarantine resolve" in example.text:  # "edit fix.ris, then:"
        fixed = (folder / "fix.ris").read_text(encoding="utf-8").rstrip() + "\nER  - \n"
        (folder / "fix.ris").write_text(fixed, encoding="utf-8")


@pytest.fixture(scope="module")
def guide_review(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("guide")
    result = runner.invoke(app, ["demo", "--keep", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    write_inputs(folder)
    old = Path.cwd()
    env = {k: os.environ.pop(k) for k in ("LITSIFT_DB", "LITSIFT_REVIEWER") if k in os.environ}
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(old)
        os.environ.update(env)


def run_command(text: str, folder: Path) -> None:
    words = shlex.split(text.replace(TEAM_URL, str(folder / "team.db")), comments=True)
    target = None
    if ">" in words:
        at = words.index(">")
        words, target = words[:at], words[at + 1]
    result = runner.invoke(app, words[1:])
    assert "Traceback" not in result.output
    assert result.exit_code == 0, f"{text}\n{result.output}"
    if target:
        (folder / target).write_text(result.stdout, encoding="utf-8")


EXAMPLES = guide_examples()


def test_the_guide_has_examples_of_both_kinds() -> None:
    kinds = [e.kind for e in EXAMPLES]
    assert kinds.count("sh") > 50 and kinds.count("python") >= 4


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e.kind}-line{e.line}" for e in EXAMPLES])
def test_guide_example_runs(example: Example, guide_review: Path) -> None:
    for needle, reason in SKIPPED.items():
        if needle in example.text:
            pytest.skip(reason)
    before(example, guide_review)
    if example.kind == "sh":
        run_command(example.text, guide_review)
    else:
        exec(compile(example.text, f"docs/guide.md:{example.line}", "exec"), {})
