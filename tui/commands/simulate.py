"""`litsift simulate`: screen a labelled CSV (or a folder of them) with the ranker, no database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tui.common import JsonOption, handle_errors, out_console, print_json, progress_steps


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate)


@handle_errors
def simulate(
    data: Annotated[Path, typer.Argument(help="Labelled CSV (label_included) or a folder.")],
    model: Annotated[str | None, typer.Option("--model", help="Ranker preset.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the priors and sampling.")] = 0,
    seeds: Annotated[int, typer.Option("--seeds", help="Runs: seeds seed..seed+N-1.")] = 1,
    prior_included: Annotated[
        int, typer.Option("--prior-included", help="Included records known before screening.")
    ] = 1,
    prior_excluded: Annotated[
        int, typer.Option("--prior-excluded", help="Excluded records known before screening.")
    ] = 1,
    stop: Annotated[
        str, typer.Option("--stop", help="hypergeom, decay, switch, rate, consecutive[:N] or none.")
    ] = ("hypergeom"),
    out: Annotated[Path | None, typer.Option("--out", help="Write the order CSV here.")] = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Draw recall curves here (.svg, .png, .pdf).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --out/--plot file.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Simulate screening: WSS@95, recall@10%, ATD, last include, where the stop rule fired."""
    from screening import service  # numpy, scikit-learn, spaCy: only when simulating
    from screening.recall_plot import check_plot_target, write_recall_plot

    if plot is not None:
        check_plot_target(plot, force=force)
    with progress_steps(as_json) as step:
        report = service.simulate(
            data,
            model=model,
            seed=seed,
            seeds=seeds,
            prior_included=prior_included,
            prior_excluded=prior_excluded,
            stop=stop,
            out=out,
            force=force,
            on_step=step,
        )
    if plot is not None:
        write_recall_plot(report.runs, plot, force=force)
    rows = service.summarize(report)
    if as_json:
        print_json({**report.to_dict(), "summary": rows})
        return
    t = Table(title=f"model {report.model}, stop {report.stop}", box=None, pad_edge=False)
    heads = ("dataset", "n", "k", "wss95", "recall10", "atd", "last", "stop at", "recall there")
    for h in heads:
        t.add_column(h, justify="left" if h == "dataset" else "right", no_wrap=True)
    for r in rows:
        whole = r["dataset"] != "mean"
        stop_at = 1 - r["stop_work_saved"] if "stop_work_saved" in r else float("nan")
        t.add_row(
            r["dataset"],
            f"{r['n']:.0f}" if whole else "",
            f"{r['k']:.0f}" if whole else "",
            *(f"{r[c]:.3f}" for c in ("wss95", "recall10", "atd", "last")),
            f"{stop_at:.3f}",
            f"{r.get('stop_recall', float('nan')):.3f}",
        )
    out_console.print(t)
