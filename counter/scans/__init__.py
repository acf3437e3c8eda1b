"""Digitised papers (bản số hóa): checking scan files, assembling them into one PDF, storing them by
hash, attaching them to a paper or to the result, and reusing a citizen's earlier scan."""
