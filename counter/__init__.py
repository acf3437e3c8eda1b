"""Quầy Một Cửa domain: plain Python, no Qt. One function per user intent."""

APP_ID = "quay-mot-cua"
APP_NAME = "Quầy Một Cửa"
__version__ = "0.1.0"
