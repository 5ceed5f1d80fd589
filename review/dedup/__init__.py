"""Deduplication: pure matching (normalise, block, score, cluster) and a service on a Store.

`review.dedup.engine.find_duplicates` works on plain record dicts, with no database;
`review.dedup.service` runs it on a review and keeps clusters and pair decisions.
"""
