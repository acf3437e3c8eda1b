"""The office this database serves: its profile and hours, users, dossier codes and the code ledger."""
