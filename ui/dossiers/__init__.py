"""Dossier lists."""
