"""The two dialects' defaults, and the status mapping, as data (resources/data/portal_profiles.json).

A province's variant is a profile plus a few settings, not a fork of the client: what differs between the
OpenCPS adapter and a province's own gateway is how a call is addressed (counter.sync.dialects), how many steps
go in one call, and which national status a local one is sent as.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

import resources
from counter.errors import ValidationError
from counter.status import Status

OPENCPS = "opencps"
GATEWAY = "gateway"
DIALECTS = (OPENCPS, GATEWAY)
ACTIONS = ("insert", "update", "steps", "lookup")
NO_MAPPING = ("không", "none")  # typed to say "send every status as it is", over a profile's default
MAX_STEPS_PER_CALL = 10  # TH chunks steps by 10; more in one call is a body no peer sends


@dataclass(frozen=True)
class StatusMap:
    """Local status → the national code sent for it; statuses not listed are sent as they are."""

    sent: Mapping[int, int] = field(default_factory=lambda: MappingProxyType({}))

    def to_portal(self, local: int) -> int:
        return self.sent.get(int(local), int(local))

    def to_local(self, portal: int, current: int | None = None) -> int | None:
        """The local status a province status stands for: ours if ours is sent as it (nothing changed), itself if
        it is sent as itself, else the first of ours sent as it; None if none of ours is ever sent as it."""
        if current is not None and self.to_portal(current) == portal:
            return current
        candidates = [s.value for s in Status if self.to_portal(s) == portal]
        if portal in candidates:
            return portal
        return candidates[0] if candidates else None

    def __str__(self) -> str:
        return ",".join(f"{k}={v}" for k, v in sorted(self.sent.items()))

    @classmethod
    def parse(cls, text: str) -> StatusMap:
        """`5=9,6=9,8=9` (or `5:9 6:9`); refuses a code that is not a national status."""
        pairs: dict[int, int] = {}
        for item in text.replace(";", ",").replace(" ", ",").split(","):
            if not item.strip():
                continue
            local, sep, portal = item.replace(":", "=").partition("=")
            if not sep or not _is_status(local) or not _is_status(portal):
                raise ValidationError(f"Bảng đổi trạng thái phải có dạng 5=9,6=9 với mã trạng thái từ 1 đến 10 "
                                      f"(đã nhập “{text}”).")
            if int(local) != int(portal):
                pairs[int(local)] = int(portal)
        return cls(MappingProxyType(pairs))


def _is_status(text: str) -> bool:
    return text.strip().isdigit() and int(text) in {s.value for s in Status}


@dataclass(frozen=True)
class Profile:
    name: str
    label: str
    source: str
    statuses: StatusMap
    steps_per_call: int
    paths: Mapping[str, str]


@cache
def profiles() -> dict[str, Profile]:
    data = json.loads(resources.path("data", "portal_profiles.json").read_text(encoding="utf-8"))["profiles"]
    return {name: Profile(name, p["label"], p["source"],
                          StatusMap(MappingProxyType({int(k): int(v) for k, v in p["status_map"].items()})),
                          int(p["steps_per_call"]), MappingProxyType(dict(p["paths"])))
            for name, p in data.items()}


def profile(dialect: str) -> Profile:
    found = profiles().get(dialect or OPENCPS)
    if found is None:
        raise ValidationError(f"Kiểu kết nối phải là {' hoặc '.join(DIALECTS)} (đã nhập “{dialect}”).")
    return found
