"""The Nhật ký section: the audit log for administrators."""
