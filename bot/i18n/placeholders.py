"""The `{name}` placeholders of a reply's text, which a translation must keep exactly (Rasa-free)."""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))
