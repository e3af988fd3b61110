"""Custom actions, one flat module per feature area (rasa-sdk loads every module in this package)."""
