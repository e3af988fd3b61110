"""Rasa-free code that both servers use: paths, text folding, settings, the data files (places, courts, legal
options, facts, the services directory) and the names the two processes share. Imports neither `bot`,
`actions`, `tools`, Rasa nor rasa-sdk (pyproject.toml's import contracts)."""
