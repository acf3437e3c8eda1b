"""Dossiers: reception, the lifecycle and its transition table, the paused clock, history, look-ups,
the applicants and their ID-card QR, today's board, the print log."""
