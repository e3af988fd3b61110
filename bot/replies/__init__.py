"""Replies: the catalog renderer (Rasa-free, shared with the action server), the response generator Rasa
loads from endpoints.yml, SMS segment sizing, and the message templates the channels and actions use
(messages/*.yml)."""
