"""The reports the office is judged by (issue 19), computed once and rendered several ways: the register (Mẫu 07,
`register.py`), the processing statistics (Biểu số 06, `stats.py`) and the office's scorecard. What they compute
is frozen dataclasses in `records.py`, which `printing/` (PDF, xlsx) and `ui/` read; the layouts and counting
rules are ../shared/reports.md's."""
