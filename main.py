"""Quầy Một Cửa: without arguments, the desktop app; with a subcommand, a script-friendly tool (cli/).

Exit codes: 0 success, 2 bad input (one line on stderr); `sync` also uses 1 and 3 (cli.sync).
"""

from __future__ import annotations

import sys

from cli.args import CliError
from cli.parser import build_parser
from counter.errors import CounterError, DatabaseUnusable
from counter.integrity import DatabaseDamaged, check_tables_with_opening


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "parse-cccd":  # needs no database
            from cli.commands import cmd_parse_cccd
            return cmd_parse_cccd(args, None)
        from cli.database import open_database
        from counter.logsetup import setup_logging
        from counter.office.connection import CentreUnreachable
        from counter.office.local_config import LocalConfigError
        from counter.setup import default_data_dir
        data_dir = args.data_dir or default_data_dir()
        setup_logging(data_dir)
        if args.command == "restore":  # before opening: the database it replaces may be the damaged one
            from cli.restore import cmd_restore
            return cmd_restore(args, data_dir)
        if args.command == "office":  # before opening: the counter's file is read as it is, the centre's is the target
            from cli.office import cmd_office
            return cmd_office(args, data_dir)
        if args.command == "check" and args.full:  # the tables' checks start beside the opening's quick_check
            check_tables_with_opening()
        gui = args.command is None  # the app checks the file in the background after its log-in shows (ui/app.py)
        try:  # the PC's database: --database, its configuration (the centre's), or the data folder's file
            ctx = open_database(args, data_dir, check_later=gui)
        except (DatabaseUnusable, DatabaseDamaged, CentreUnreachable, LocalConfigError) as e:
            if args.command is not None:
                raise
            from ui.app import RESTORED, show_start_error  # the app says it in a dialog, not a traceback
            local = isinstance(e, (DatabaseUnusable, DatabaseDamaged))
            shown = show_start_error(str(e), data_dir if local else None)  # and offers the newest verified backup
            if shown != RESTORED:
                return shown
            ctx = open_database(args, data_dir, check_later=gui)
        if gui:
            from ui.app import RESTORED, run
            while (ended := run(ctx, quit_after_start=args.quit_after_start)) == RESTORED:
                ctx = open_database(args, data_dir, check_later=True)  # the background check found damage
            return ended
        from cli.commands import COMMANDS  # the commands' modules: not on the app's start
        return COMMANDS[args.command](args, ctx)
    except DatabaseDamaged as e:
        if args.command == "check":  # the damage is what `check` reports: exit 1, named
            from cli.commands import cmd_check_damaged
            return cmd_check_damaged(args, e)
        print(str(e).replace("\n", " "), file=sys.stderr)
        return 2
    except (CliError, CounterError) as e:
        print(str(e).replace("\n", " "), file=sys.stderr)
        return 2
    finally:
        check_tables_with_opening(False)


if __name__ == "__main__":
    sys.exit(main())
