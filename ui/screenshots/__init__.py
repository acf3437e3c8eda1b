"""Screenshot tools for the README and reviews (not the product): each module drives real screens on
a demo database and saves PNGs. `python -m ui.screenshots.common --data-dir DIR --out docs/screenshots`
takes the main set; `reception`, `scans` and `admin` take their own."""
