"""Starting the servers: `make run`'s launcher (serve), the two process entry points (rasa_server,
action_server), what a failed custom action answers (action_faults), and Rasa's log privacy (log_privacy)."""
