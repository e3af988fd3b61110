"""How a legal option is shown: its explanation in the person's language, with the official English name and
form numbers kept beside the translation (used by the legal, court and follow-up actions; Rasa-free)."""

from __future__ import annotations

from typing import Any

from actions.provenance import provenance_line
from actions.replies import Replies
from core.facts import Fact
from core.legal import LegalOption, legal_option

SMS_FIELDS = ("what_it_is", "how_to_apply")


def option_title(replies: Replies, option: LegalOption) -> str:
    """The option's name in the person's language, with the official English name beside it when they differ."""
    translated = replies.data("options", "name", option.name)
    return option.name if translated == option.name else f"{translated} ({option.name})"


def option_button(replies: Replies, key: str) -> dict[str, str]:
    return {
        "title": replies.data("options", "name", legal_option(key).name),
        "payload": f'/ask_legal_options{{"legal_option": "{key}"}}',
    }


def contact_lines(replies: Replies, contacts: tuple[Fact, ...]) -> list[str]:
    """ "Pine Tree Legal Assistance: 207-774-8211", the name translated from the file the fact comes from."""
    return [
        replies.text("utter_legal_contact", name=replies.data(c.table, "name", c.name), value=c.value) for c in contacts
    ]


def field_line(replies: Replies, field: str, text: str) -> str:
    """One of an option's facts, translated, under its label ("Cost: No fee.")."""
    return replies.text(f"utter_legal_{field}", text=replies.data("options", field, text))


def option_reply(replies: Replies, option: LegalOption) -> dict[str, Any]:
    fields = option.plain_text()
    shown = {k: v for k, v in fields.items() if not replies.plain_text or k in SMS_FIELDS}
    lines = [option_title(replies, option)]
    for field, text in shown.items():
        lines.append(field_line(replies, field, text))
        if field == "how_to_apply" and option.form_numbers:
            lines.append(replies.text("utter_legal_forms", forms=", ".join(option.form_numbers)))
    contacts = option.contacts[:2] if replies.plain_text else option.contacts
    lines.extend(contact_lines(replies, contacts))
    if option.case_type and not replies.plain_text:
        lines.append(replies.text("utter_legal_ask_court"))
    if not replies.plain_text:
        lines.append(provenance_line(replies, option.provenance))
    lines.append(replies.text("utter_legal_disclaimer"))
    return {"text": "\n".join(lines)}


def how_to_apply_reply(replies: Replies, option: LegalOption) -> dict[str, Any]:
    """The title, how to apply with the form numbers, and the cost: what a court question needs at once."""
    fields = option.plain_text()
    lines = [option_title(replies, option)]
    for field in ("how_to_apply", "fee"):
        if fields.get(field):
            lines.append(field_line(replies, field, fields[field]))
        if field == "how_to_apply" and option.form_numbers:
            lines.append(replies.text("utter_legal_forms", forms=", ".join(option.form_numbers)))
    return {"text": "\n".join(lines)}
