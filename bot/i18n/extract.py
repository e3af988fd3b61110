"""Babel extractor for the domain's responses: `pybabel extract` calls `extract_responses` (see babel.cfg).

Each response text becomes a catalog entry whose msgctxt is the response name, so an edit to the English
text marks the translation fuzzy instead of orphaning it; a variation for one channel (`channel: sms`) gets
"<response>:<channel>", and button titles "<response>:button". A `# TRANSLATORS:` comment in the lines just
above a response's text reaches the translator as an extracted comment.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from bot.i18n.translate_first import NOTE as TRANSLATE_FIRST_NOTE
from bot.i18n.translate_first import translate_first_rank

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
            if "text" in fields and fields["text"].value:  # a message of buttons only has no text
                node = fields["text"]
                yield node.start_mark.line + 1, context, node.value, comments
            for button in getattr(fields.get("buttons"), "value", []):
                title = _mapping(button).get("title")
                if title is not None:
                    yield title.start_mark.line + 1, f"{name}:button", title.value, []


def extract_responses(fileobj, keywords, comment_tags, options):
    """Babel extractor entry point (signature fixed by Babel). A reply to translate first says so in its note."""
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    for lineno, context, msgid, comments in iter_response_messages(text):
        first = [TRANSLATE_FIRST_NOTE] if translate_first_rank(context) is not None else []
        yield lineno, "pgettext", (context, msgid), first + comments


def data_context(table: str, column: str) -> str:
    """The catalog context of a shown data column: "<table>:<column>" ("options:what_it_is"). One context per
    column, not per row, so a text that many rows share ("24/7") is translated once."""
    return f"{table}:{column}"


def iter_data_texts(
    text: str, table: str, columns: list[str], skip_status: str = "unconfirmed", status_column: str = "status"
):
    """Yield (line number, msgctxt, msgid) for every shown cell of a data CSV that has words: a number
    ("(207) 822-0792", "24/7") is shown as it is. Rows whose `status_column` is `skip_status` are never shown,
    so they are not sent to translators either."""
    import csv
    import io

    reader = csv.DictReader(io.StringIO(text))
    for row in reader:
        if skip_status and row.get(status_column) == skip_status:
            continue
        for column in columns:
            value = (row.get(column) or "").strip()
            if any(ch.isalpha() for ch in value):
                yield reader.line_num, data_context(table, column), value


def extract_data_csv(fileobj, keywords, comment_tags, options):
    """Babel extractor for text that data files show people (babel.cfg: `table` and `columns` per file)."""
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    table, columns = options["table"], options["columns"].split()
    note = options.get("note", "")
    comments = [f"{TRANSLATOR_TAG} {note}"] if note else []
    # Directory rows marked unconfirmed are never shown; an option may be shown with its own hedge (skip_status =).
    skip_status = options.get("skip_status", "unconfirmed")
    # The directory's HSDS files name it fact_status (HSDS's own `status` is a service's active/inactive).
    status_column = options.get("status_column", "status")
    for lineno, context, msgid in iter_data_texts(text, table, columns, skip_status, status_column):
        yield lineno, "pgettext", (context, msgid), comments
