"""Configuration: the targets file (plan, form and indicators), loaded once and strictly."""
