"""The Danh mục thủ tục section for docs/screenshots/catalogue.png (and the import's dry-run report,
docs/screenshots/catalogue-import.png), logged in as the database's first administrator:

    python -m ui.screenshots.catalogue --data-dir /tmp/shotdata --out docs/screenshots/catalogue.png

It enters one fee with its decision, so use a throwaway data directory.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "tests" / "data" / "catalogue_national.json"


def shot_catalogue(ctx):
    from counter.catalogue import editing, procedures
    from counter.office.users import list_users
    from ui.app import create_main_window
    from ui.main_window.window import CATALOGUE
    from ui.screenshots.common import SCREEN

    admin = next(u for u in list_users(ctx) if u.role == "admin")
    ctx.user = admin
    if not procedures.get_procedure(ctx, "1.004873").fee_source:  # one fee entered with its decision
        editing.set_rules(ctx, "1.004873", source="Nghị quyết 12/2025/NQ-HĐND", amount=5000, per="trường hợp",
                          kind="working_days", days=3)
    window = create_main_window(ctx, admin)
    window.resize(SCREEN)
    window.show()
    window.show_section(CATALOGUE)
    window.catalogue.page.reload()
    return window


def shot_import(window):
    page = window.catalogue.page
    dialog = page.import_dialog(SAMPLE)
    assert dialog is not None
    return dialog


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots.catalogue")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots/catalogue.png"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from counter.setup import open_app
    from ui.app import make_application
    from ui.screenshots.common import save_shot
    ctx = open_app(args.data_dir)
    make_application([sys.argv[0]])
    window = shot_catalogue(ctx)
    print(save_shot(shot_import(window), args.out.with_name("catalogue-import.png")))
    print(save_shot(window, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
