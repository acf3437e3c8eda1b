"""The command line: `main.py`'s subcommands and their machine-readable output."""
