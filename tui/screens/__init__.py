"""Screens of the Textual app, one per module, each with its .tcss beside it."""
