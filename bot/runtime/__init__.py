"""Starting and running the servers: the launcher that serves what is built (serve), the two process entry
points (rasa_server, action_server), /health and its recent traffic (health, traffic), what a failed custom
action answers (action_faults), and Rasa's log privacy (log_privacy)."""
