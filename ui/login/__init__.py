"""Log-in and unlock."""
