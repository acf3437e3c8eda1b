"""The power-loss torture's child: receives, hands over, attaches scans and syncs in a loop on a real data
directory, until its parent SIGKILLs it (tests/torture/test_power_loss.py, tests/bench/test_bench_torture.py).

    python -m tests.torture.worker DATA_DIR SEED

It prints "ready" once the app is open, then one line per finished action, flushed, so the parent knows it is at
work when it kills it. It is a test tool: it starts the app the way a restart after a power cut does (open_app).
"""

from __future__ import annotations

import itertools
import random
import sys
from pathlib import Path

from counter.dossiers import lifecycle, reception
from counter.office.users import authenticate
from counter.records import ApplicantInput, DossierDraft
from counter.scans import attachments
from counter.setup import open_app
from counter.sync import batch

PASSWORD = ("canbo", "canbo123")
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Dung", "Hoàng Văn Em")


def page(folder: Path, rng: random.Random) -> Path:
    """A small scan of its own (a PNG of random colour: a new file in the store each time)."""
    from PIL import Image

    path = folder / f"page-{rng.getrandbits(48):012x}.png"
    Image.new("RGB", (120, 170), tuple(rng.randrange(256) for _ in range(3))).save(path, dpi=(200, 200))
    return path


def applicant(rng: random.Random) -> ApplicantInput:
    return ApplicantInput(id_number=f"0380{rng.randrange(10**8):08d}", full_name=rng.choice(NAMES),
                          phone=f"09{rng.randrange(10**8):08d}", address="Thôn 3, Xã Quảng Hùng, Thanh Hóa")


def say(*words: object) -> None:
    print(*words, flush=True)


def main(data_dir: Path, seed: int) -> None:
    rng = random.Random(seed)
    ctx = open_app(data_dir)
    ctx.user = authenticate(ctx, *PASSWORD)
    scans = data_dir.parent / f"worker-scans-{seed}"
    scans.mkdir(exist_ok=True)
    say("ready")
    received: list[str] = []
    for turn in itertools.count():
        dossier, _ = reception.receive_dossier(ctx, DossierDraft(procedure_code="1.004873",
                                                                 applicant=applicant(rng)))
        received.append(dossier.code)
        say("received", dossier.code)
        attachments.attach_component(ctx, dossier.code, None, [page(scans, rng)])
        say("attached", dossier.code)
        if rng.random() < 0.5:
            lifecycle.handover(ctx, received.pop(rng.randrange(len(received))), "Công chức Tư pháp - Hộ tịch")
            say("handed over")
        # Each run's first turn syncs: a run is killed within about a second, and on a loaded machine it may not
        # reach a later turn, so without it a torture could pass without a single kill during a sync.
        if turn == 0 or rng.random() < 0.3:
            report = batch.sync_once(ctx, confirm=False)
            say("synced", report.sent_dossiers, report.sent_steps)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
