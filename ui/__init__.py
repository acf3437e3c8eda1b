"""The desktop app: the only package that imports PySide6. Screens call counter/ and show its records."""

import os

# Qt's raster engine hands the fills and blends of a large repaint to a pool of threads and waits for them. On a
# counter PC's two cores, busy with other work, the wait costs more than the fill: the main window's repaint took
# 4.1–4.2 ms median with the pool and 2.1–3.2 ms without, and the dossier page's first frame after a scan painted
# in 3.9–5.5 ms instead of 6.1–7.8 (tests/bench, million-dossier database, runs in turns). Set here, before any
# widget paints: Qt reads it once, at the first paint.
os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
