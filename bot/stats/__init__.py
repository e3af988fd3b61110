"""Anonymous statistics for the people who fund and run the assistant (privacy rule 6).

Only counts per (day, channel, language, topic) are kept, in a SQLite file written with sqlite-utils: no
sender, no text, no time finer than a day. `counts` records them, `topics` maps intents to topics,
`report` prints the monthly table and draws the chart (`make stats`).
"""
