"""Synchronisation with the provincial system (domain.md §7, DESIGN.md "Sync")."""
