"""Custom actions, one flat module per feature area (rasa-sdk loads every module in this package).

The action server's process is bot/runtime/action_server.py, which adds its error answers before rasa-sdk
starts; this package imports nothing.
"""
