"""`litsift synth ...`: synthesis of the extracted data (tables, maps, meta-analysis, brief).

Each part registers its commands on `app` from its own module (`synth_*.py`), so this group
stays a list of parts.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Synthesis of the extracted data: tables, evidence maps, meta-analysis, a brief.",
    no_args_is_help=True,
)
