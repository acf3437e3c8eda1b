"""Faults injected per run or at run time. Spec: comma-separated items, e.g. `delay=300,500=2,lose=1`.

  delay=MS     wait MS milliseconds before every answer
  500=N        answer HTTP 500 to the next N service calls
  429=N        answer HTTP 429 (Retry-After: 1) to the next N service calls
  reset=N      read the next N requests, then reset the connection (RST) without applying them
  lose=N       apply the next N service calls, then close the socket without answering
  garble=N     apply the next N service calls, then answer HTTP 200 JSON without error_code ({"ok": true}):
               a proxy or a half-upgraded gateway answering nonsense
  hang=N       hold the next N service calls (not log-ins) for HANG_SECONDS, past any client timeout, then drop
               them unapplied
  captive      answer every request with 200 text/html (a captive portal's login page)
  expire=N     a session expires after N service calls (the client must log in again)
  down=S       refuse connections (not listening) for the first S seconds after start
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

COUNTED = ("500", "429", "reset", "lose", "garble", "hang")
HANG_SECONDS = 4.0


@dataclass
class Faults:
    delay_ms: int = 0
    captive: bool = False
    session_calls: int = 0  # 0: sessions never expire
    down_seconds: float = 0.0

    def __post_init__(self):
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(COUNTED, 0)

    def arm(self, name: str, times: int = 1) -> None:
        if name not in COUNTED:
            raise ValueError(f"unknown counted fault: {name} (one of {', '.join(COUNTED)})")
        with self._lock:
            self._counts[name] = times

    def take(self, name: str) -> bool:
        """Consume one occurrence of a counted fault: True if it fires now."""
        with self._lock:
            if self._counts[name] > 0:
                self._counts[name] -= 1
                return True
            return False

    def clear(self) -> None:
        with self._lock:
            self._counts = dict.fromkeys(COUNTED, 0)
        self.delay_ms, self.captive, self.session_calls = 0, False, 0


def parse(spec: str) -> Faults:
    faults = Faults()
    for item in filter(None, (part.strip() for part in (spec or "").split(","))):
        name, _, value = item.partition("=")
        if name in COUNTED:
            faults.arm(name, int(value or 1))
        elif name == "delay":
            faults.delay_ms = int(value)
        elif name == "captive":
            faults.captive = True
        elif name == "expire":
            faults.session_calls = int(value or 1)
        elif name == "down":
            faults.down_seconds = float(value)
        else:
            raise ValueError(f"unknown fault: {item}")
    return faults
