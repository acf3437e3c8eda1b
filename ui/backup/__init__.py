"""Backups while the app runs (issue 18): on a timer, after the end-of-day batch, on close; their status."""
