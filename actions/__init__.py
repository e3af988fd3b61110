"""Custom actions, one flat module per feature area (rasa-sdk loads every module in this package)."""

from bot.runtime import action_server

# The action server imports this package before it starts: its error answers are set here (bot/runtime/action_server.py).
action_server.register()
