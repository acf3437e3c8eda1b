"""The live board (issue 20): other counters' changes announced here within a second or two."""
