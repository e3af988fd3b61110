"""deploy/env.example lists every setting of core/settings.py once: the ones an operator must set as lines
to fill in, every other one commented out with its default, so uncommenting changes nothing."""

import re

from core.paths import PROJECT_ROOT
from core.settings import SETTINGS

ENV_EXAMPLE = PROJECT_ROOT / "deploy" / "env.example"
LINE = re.compile(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")
TO_FILL_IN = {"TWILIO_AUTH_TOKEN", "SMS_PUBLIC_URL", "SMS_NUMBER"}


def entries() -> list[tuple[bool, str, str]]:
    """(commented, name, value) of every NAME=value line."""
    found = []
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = LINE.match(line)
        if match:
            found.append((bool(match.group(1)), match.group(2), match.group(3)))
    return found


def test_every_setting_is_listed_once_and_nothing_else():
    names = [name for _, name, _ in entries()]
    assert sorted(names) == sorted(setting.name for setting in SETTINGS)
    assert len(names) == len(set(names))


def test_commented_settings_show_their_defaults_and_only_the_ones_to_fill_in_are_set():
    defaults = {setting.name: setting.default for setting in SETTINGS}
    for commented, name, value in entries():
        if commented:
            assert value == defaults[name], name
        else:
            assert name in TO_FILL_IN, f"{name} is set in env.example; comment it out with its default"
    assert {name for commented, name, _ in entries() if not commented} == TO_FILL_IN
