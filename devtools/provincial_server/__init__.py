"""A reference provincial server for tests and demos, speaking docs/portal.md (both dialects): `ProvincialServer`."""

from devtools.provincial_server.faults import Faults
from devtools.provincial_server.faults import parse as parse_faults
from devtools.provincial_server.server import ProvincialServer

__all__ = ["Faults", "ProvincialServer", "parse_faults"]
