"""The Quản trị section: settings only an administrator may change."""
