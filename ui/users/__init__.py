"""The Người dùng section: an administrator manages users, roles and passwords."""
