"""The desktop app: the only package that imports PySide6. Screens call counter/ and show its records."""
