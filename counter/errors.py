"""Typed errors. Each carries a plain Vietnamese message the UI and the CLI show as they are."""


class CounterError(Exception):
    """Base of every error the domain raises on purpose; `str(e)` is the Vietnamese message."""


class ValidationError(CounterError):
    """Bad input from the user or a script: nothing was written."""


class NotFound(CounterError):
    """A code, id or name that does not exist."""


class CodeBlockExhausted(CounterError):
    """This workstation has used all 1,000 codes of its block for the day."""


class IllegalTransition(CounterError):
    """The dossier's state does not allow that action."""


class AuthError(CounterError):
    """Wrong username or password (never says which)."""


class PermissionDenied(CounterError):
    """The logged-in user's role may not do that (e.g. only a leader signs an apology)."""
