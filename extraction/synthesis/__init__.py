"""Synthesis of extracted data: summary tables, evidence maps, meta-analysis, briefs."""
