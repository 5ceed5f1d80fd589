"""The review store: records, import readers, decisions, audit log, exports.

`review.service` is the entry point the CLI, the TUI and Python scripts share.
"""
