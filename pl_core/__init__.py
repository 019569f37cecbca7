"""PL Diagnostics domain: frameworks, ingest, scoring, recommendations, goals and storage."""

__version__ = "0.1.0"
