"""Persistence: peewee models, the connection, migrations and backups. No domain rules, no Qt."""
