"""The main window: navigation, header, status bar and the wiring between pages."""
