"""The `litsift` command: one Typer app, one module per command group in `tui/commands/`."""

from __future__ import annotations

import logging
import os

import typer

from tui.commands import (
    agreement,
    conflicts,
    copy,
    dedup,
    demo,
    export,
    extract,
    form,
    home,
    imports,
    keys,
    notes,
    prisma,
    protocol,
    quarantine,
    records,
    review,
    rule,
    screening,
    simulate,
    source,
    study,
    synth,
    synth_meta,
    synth_tables,
)
from tui.help_format import show_flags_as_flags

show_flags_as_flags()
app = typer.Typer(
    name="litsift",
    help="Systematic reviews in the terminal: import, deduplicate, screen (alone or blind in "
    "pairs), report PRISMA 2020, extract data into forms, synthesise it (tables, maps, "
    "meta-analysis).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
review.register(app)
imports.register(app)
records.register(app)
notes.register(app)
screening.register(app)
home.register(app)
keys.register(app)
simulate.register(app)
app.add_typer(export.app, name="export")
app.add_typer(quarantine.app, name="quarantine")
app.add_typer(dedup.app, name="dedup")
app.add_typer(conflicts.app, name="conflicts")
agreement.register(app)
app.add_typer(protocol.app, name="protocol")
demo.register(app)
prisma.register(app)
rule.register(app)
app.add_typer(source.app, name="source")
app.add_typer(study.app, name="study")
copy.register(app)
app.add_typer(form.app, name="form")
app.add_typer(extract.app, name="extract")
synth_tables.register(synth.app)
synth_meta.register(synth.app)
app.add_typer(synth.app, name="synth")


def main() -> None:
    """Console entry point."""
    level = os.environ.get("LITSIFT_LOG", "WARNING").upper()
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
