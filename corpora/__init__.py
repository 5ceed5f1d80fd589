"""Corpora: the bundled demo review and loaders for labelled data sets."""
