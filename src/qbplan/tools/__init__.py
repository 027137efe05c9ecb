"""Planner tools beside the pipeline: the blank form, explain, and annotate."""
