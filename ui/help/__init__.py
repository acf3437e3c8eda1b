"""Trợ giúp: the About box, the logs' folder, the support bundle, the keyboard help card (wiring.py builds the
menu's actions; the content without Qt is counter.support)."""
