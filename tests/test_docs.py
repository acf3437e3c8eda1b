"""The README and docs/settings.md name every setting `main.py settings set` accepts."""

from pathlib import Path

from counter.sync import settings

ROOT = Path(__file__).resolve().parent.parent


def test_every_settings_key_is_documented_in_the_readme_and_the_settings_page():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for key in settings.KEYS:
        assert f"`{key}`" in readme, key
        assert f"`{key}`" in page, key
