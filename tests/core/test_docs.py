"""The README documents every setting and keeps the two commands a newcomer needs."""

from core.settings import SETTINGS
from tests.conftest import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_with_its_default():
    for setting in SETTINGS:
        row = next((line for line in README.splitlines() if line.startswith(f"| `{setting.name}` |")), None)
        assert row is not None, f"README lacks a row for {setting.name}"
        assert (f"`{setting.default}`" in row) if setting.default else "(empty)" in row, setting.name


def test_readme_gives_the_two_commands():
    assert "make run" in README and "make test" in README
