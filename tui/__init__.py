"""The terminal front ends: the Typer CLI (`tui.cli`) and the Textual app."""
