"""Babel extractor for the domain's responses: `pybabel extract` calls `extract_responses` (see babel.cfg).

Each response text becomes a catalog entry whose msgctxt is the response name, so an edit to the English
text marks the translation fuzzy instead of orphaning it; a variation for one channel (`channel: sms`) gets
"<response>:<channel>", and button titles "<response>:button". A `# TRANSLATORS:` comment in the lines just above a response's text reaches the
translator as an extracted comment.
"""

from __future__ import annotations

from typing import Iterator

import yaml

TRANSLATOR_TAG = "TRANSLATORS:"


def _comments_above(lines: list[str], line_index: int) -> list[str]:
    """The `# TRANSLATORS:` comment lines directly above line_index (0-based), top first."""
    found = []
    index = line_index - 1
    while index >= 0 and lines[index].strip().startswith("#"):
        text = lines[index].strip().lstrip("#").strip()
        if text.startswith(TRANSLATOR_TAG):
            found.append(text)
        index -= 1
    return list(reversed(found))


def _mapping(node: yaml.Node) -> dict[str, yaml.Node]:
    return {key.value: value for key, value in node.value} if isinstance(node, yaml.MappingNode) else {}


def iter_response_messages(text: str) -> Iterator[tuple[int, str, str, list[str]]]:
    """Yield (line number, msgctxt, msgid, translator comments) for every response text and button title."""
    root = yaml.compose(text)
    if root is None:
        return
    lines = text.splitlines()
    responses = _mapping(root).get("responses")
    if responses is None:
        return
    for name_node, variations in responses.value:
        name = name_node.value
        for variation in variations.value:
            fields = _mapping(variation)
            comments = _comments_above(lines, variation.start_mark.line)
            channel = fields.get("channel")
            context = f"{name}:{channel.value}" if channel is not None else name
            if "text" in fields:
                node = fields["text"]
                yield node.start_mark.line + 1, context, node.value, comments
            for button in getattr(fields.get("buttons"), "value", []):
                title = _mapping(button).get("title")
                if title is not None:
                    yield title.start_mark.line + 1, f"{name}:button", title.value, []


def extract_responses(fileobj, keywords, comment_tags, options):
    """Babel extractor entry point (signature fixed by Babel)."""
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    for lineno, context, msgid, comments in iter_response_messages(text):
        yield lineno, "pgettext", (context, msgid), comments
