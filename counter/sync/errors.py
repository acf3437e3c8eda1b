"""How a call to the province failed: worth retrying later, or not until someone fixes something."""

from counter.errors import CounterError


class SyncError(CounterError):
    """A call to the provincial system failed; `str(e)` is the Vietnamese message."""


class TransientError(SyncError):
    """Network, timeout, 5xx, 429 or an unexpected answer: retry later with backoff."""


class OfflineError(TransientError):
    """Something answered, but not the province (a captive portal's login page)."""


class PermanentError(SyncError):
    """The province refused the item (4xx, validation error): retrying the same payload cannot help."""

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.code = code
