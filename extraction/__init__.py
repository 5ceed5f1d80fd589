"""Structured data extraction: form definitions, values and reconciliation (to come)."""
