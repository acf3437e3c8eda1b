"""Realistic synthetic dossiers for demonstrations and the 1,000,000-dossier benchmark database."""
