"""The reader of NLU training files understands both ways Rasa 3 writes examples."""

from core.training_data import examples_by_intent, read_examples


def test_examples_with_their_own_metadata_are_read_as_plain_texts(tmp_path):
    path = tmp_path / "legal_options.yml"
    path.write_text(
        'version: "3.1"\n'
        "nlu:\n"
        "  - intent: ask_legal_options\n"
        "    examples:\n"
        "      - text: |\n"
        "          can the court make him stay away\n"
        "        metadata:\n"
        "          legal_option: protection_from_abuse\n"
        "      - text: is the interpreter free\n"
        "  - intent: greet\n"
        "    examples: |\n"
        "      - hi there\n"
        "      - [Bangor](town) please\n",
        encoding="utf-8",
    )
    assert list(read_examples(path)) == [
        ("ask_legal_options", "can the court make him stay away"),
        ("ask_legal_options", "is the interpreter free"),
        ("greet", "hi there"),
        ("greet", "Bangor please"),
    ]
    assert examples_by_intent(tmp_path)["ask_legal_options"] == [
        "can the court make him stay away",
        "is the interpreter free",
    ]
