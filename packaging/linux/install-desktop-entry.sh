#!/usr/bin/env bash
# Puts Quầy Một Cửa in the applications menu (and on the desktop when there is one), pointing at this folder.
# Run it from the unpacked folder: as the user for yourself, with sudo for every user of this PC.
set -euo pipefail
folder="$(cd "$(dirname "$0")" && pwd)"
if [ -n "${QMC_APPLICATIONS_DIR:-}" ]; then  # tests, or an office's own menu folder
    target="$QMC_APPLICATIONS_DIR"
elif [ "$(id -u)" -eq 0 ]; then
    target=/usr/share/applications
else
    target="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
fi
mkdir -p "$target"
sed "s|@FOLDER@|$folder|g" "$folder/quay-mot-cua.desktop" > "$target/quay-mot-cua.desktop"
chmod 644 "$target/quay-mot-cua.desktop"
desktop="$(command -v xdg-user-dir >/dev/null && xdg-user-dir DESKTOP || echo "$HOME/Desktop")"
if [ "$(id -u)" -ne 0 ] && [ -d "$desktop" ]; then
    install -m 755 "$target/quay-mot-cua.desktop" "$desktop/quay-mot-cua.desktop"
    command -v gio >/dev/null && gio set "$desktop/quay-mot-cua.desktop" metadata::trusted true 2>/dev/null || true
fi
echo "Đã thêm Quầy Một Cửa vào danh sách ứng dụng ($target)."
echo "Dữ liệu của chương trình nằm ở ~/.local/share/quay-mot-cua (xóa thư mục cài đặt không xóa dữ liệu)."
