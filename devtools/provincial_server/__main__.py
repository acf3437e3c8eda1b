"""`python -m devtools.provincial_server --port 8700 --db province.sqlite3 [--credentials U:P] [--faults SPEC]`."""

from __future__ import annotations

import argparse
import time

from devtools.provincial_server import faults as faults_mod
from devtools.provincial_server.server import ProvincialServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.provincial_server", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Reference provincial gateway (login, DongBoHoSoMC, CapNhatTienDoHoSoMC, TraCuuHoSo, "
                    "TaiTepTin; GET /_state, POST /_admin/set_status).",
        epilog="Fault SPEC:\n" + faults_mod.__doc__.split("\n", 2)[2])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--db", required=True, help="the province's SQLite file")
    parser.add_argument("--credentials", default="quay:matkhau", help="USER:PASSWORD accepted by login")
    parser.add_argument("--known-procedures", default="", help="extra national procedure codes, comma-separated")
    parser.add_argument("--faults", default="", help="see below")
    args = parser.parse_args(argv)
    user, _, password = args.credentials.partition(":")
    faults = faults_mod.parse(args.faults)
    extra = tuple(c.strip() for c in args.known_procedures.split(",") if c.strip())
    server = ProvincialServer(args.db, host=args.host, port=args.port, credentials=(user, password),
                              known_procedures_extra=extra, faults=faults)
    time.sleep(faults.down_seconds)
    server.start()
    print(f"provincial server on {server.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
