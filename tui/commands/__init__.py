"""CLI commands, one module per group; each command parses, calls one service, renders."""
