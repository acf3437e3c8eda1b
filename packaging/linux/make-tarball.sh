#!/usr/bin/env bash
# The Linux package: the one-folder build with its .desktop file, icon and the script that installs the menu
# entry, as dist/quay-mot-cua-VERSION-linux-ARCH.tar.gz. Usage: make-tarball.sh dist/quay-mot-cua VERSION
set -euo pipefail
folder="$1"
version="$2"
here="$(cd "$(dirname "$0")" && pwd)"
cp "$here/quay-mot-cua.desktop" "$here/install-desktop-entry.sh" "$folder/"
cp "build/quay-mot-cua/icon/quay-mot-cua.png" "$folder/"
cp "resources/fonts/LICENSE-OFL.txt" "$folder/LICENSE-fonts-OFL.txt"
tarball="$(dirname "$folder")/quay-mot-cua-$version-linux-$(uname -m).tar.gz"
tar -czf "$tarball" -C "$(dirname "$folder")" "$(basename "$folder")"
echo "$tarball ($(du -h "$tarball" | cut -f1); the folder: $(du -sh "$folder" | cut -f1))"
