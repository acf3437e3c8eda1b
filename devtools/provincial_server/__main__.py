"""`python -m devtools.provincial_server --db province.sqlite3 [--port 8700] [--dialect opencps|gateway] …`."""

from __future__ import annotations

import argparse
import time

from devtools.provincial_server import faults as faults_mod
from devtools.provincial_server.server import DIALECTS, ProvincialServer


def _statuses(text: str) -> frozenset[str] | None:
    codes = frozenset(c.strip() for c in text.split(",") if c.strip())
    return codes or None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.provincial_server", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Reference provincial server speaking docs/portal.md. opencps: POST /auth, POST /integration "
                    "(DongBoHoSoMC, CapNhatTienDoHoSoMC, TraCuuHoSo); gateway: POST /ThemMoi, /CapNhat, "
                    "/DongBoTienTrinh, /TraCuu. Both: GET /_state, POST /_admin/set_status, and with --uploads "
                    "POST /upload, GET /files/<id>.",
        epilog="Fault SPEC:\n" + (faults_mod.__doc__ or "").split("\n", 2)[2])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--db", required=True, help="the province's SQLite file")
    parser.add_argument("--dialect", choices=DIALECTS, default="opencps")
    parser.add_argument("--credentials", default="quay:matkhau", help="USER:PASSWORD accepted by /auth (opencps)")
    parser.add_argument("--madonvi", default=None, help="the only unit code accepted (opencps; default: any)")
    parser.add_argument("--statuses", default="", help="status codes accepted, e.g. 1,2,3,4,7,9,10 "
                                                       "(default: opencps 1..10, gateway 1,2,3,4,7,9,10)")
    parser.add_argument("--uploads", action="store_true", help="serve POST /upload; attachments must point at it")
    parser.add_argument("--steps-per-call", type=int, default=10, help="most steps accepted in one call")
    parser.add_argument("--known-procedures", default="", help="extra national procedure codes, comma-separated")
    parser.add_argument("--faults", default="", help="see below")
    args = parser.parse_args(argv)
    user, _, password = args.credentials.partition(":")
    faults = faults_mod.parse(args.faults)
    extra = tuple(c.strip() for c in args.known_procedures.split(",") if c.strip())
    server = ProvincialServer(args.db, host=args.host, port=args.port, credentials=(user, password),
                              known_procedures_extra=extra, faults=faults, dialect=args.dialect,
                              madonvi=args.madonvi, statuses=_statuses(args.statuses), uploads=args.uploads,
                              steps_per_call=args.steps_per_call)
    time.sleep(faults.down_seconds)
    server.start()
    print(f"provincial server on {server.url} ({server.dialect})", flush=True)
    print(f"  endpoint:  {server.endpoint}", flush=True)
    if server.dialect == "opencps":
        print(f"  login URL: {server.login_url}", flush=True)
    else:
        print("  login URL: (none: the gateway dialect has no log-in)", flush=True)
    if server.upload_url:
        print(f"  upload:    {server.upload_url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
