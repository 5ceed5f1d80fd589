"""Screening: text features, ranking models, active learning, simulation and stopping."""
