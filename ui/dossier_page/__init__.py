"""One dossier: everything about it, and the actions its state allows."""
