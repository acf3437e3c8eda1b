"""The Báo cáo section (F5): the office's scorecard (counter/reports/scorecard.py) for every logged-in user."""
