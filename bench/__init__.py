"""`make bench`: this assistant side by side with the stock one `rasa init` makes, on the same machine.

Modules: `stats` (percentiles), `load` (the HTTP client that plays conversations over REST and SMS),
`servers` (starting each assistant from a clean environment, start-up time, memory), `stock` (the stock
project and its stubbed Twilio), `training` (training times and the catalog-only change), `nlu` (held-out
quality and parse time, in a process of its own), `targets` (the issue's targets), `report` (table,
results.json, chart, the README's Performance section) and `run` (the order of it all).
"""
