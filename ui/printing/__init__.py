"""Print preview and printing of the PDF forms built by printing/ (Qt side only)."""
