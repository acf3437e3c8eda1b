#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the app and its tests need (Qt's runtime libraries,
# python3-venv; PostgreSQL: office mode's server, which the tests start a throwaway cluster of, tests/pg.py; CUPS
# with the cups-pdf virtual printer and poppler's pdftoppm/pdftotext for the test that prints through a real print
# queue, tests/ui/test_cups_print.py). Installs only what is missing; uses sudo when not root. psycopg
# (requirements.lock) is the binary wheel: it brings its own libpq, so no client library is needed here.
set -euo pipefail

packages=(
    python3-venv
    libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
    libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
    libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1
    libnss3 libxrandr2 libxcomposite1 libxdamage1 libxtst6 libasound2
    postgresql postgresql-contrib
    cups cups-client printer-driver-cups-pdf poppler-utils
)

command -v dpkg-query >/dev/null || { echo "not a Debian/Ubuntu system: install Qt 6 runtime libraries yourself"; exit 0; }

missing=()
for p in "${packages[@]}"; do
    # Ubuntu 24.04 renamed some libraries with a t64 suffix: either name will do.
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" && continue
    dpkg-query -W -f='${Status}' "${p}t64" 2>/dev/null | grep -q "ok installed" && continue
    missing+=("$p")
done
# python3.11 -m venv needs the matching venv package on Debian/Ubuntu.
if ! ${PY:-python3} -c "import ensurepip" 2>/dev/null; then
    missing+=("python3.11-venv")
fi
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
for p in "${missing[@]}"; do
    # Install one by one so a name absent on this release (t64 renames) does not stop the rest.
    $sudo apt-get install -y -qq "$p" >/dev/null 2>&1 \
        || $sudo apt-get install -y -qq "${p}t64" >/dev/null 2>&1 \
        || echo "note: could not install $p (may not exist on this release)"
done
