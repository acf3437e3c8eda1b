"""The Đồng bộ section, the background sync and its status in the status bar."""
