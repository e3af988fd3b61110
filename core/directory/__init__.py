"""The community-services directory: Open Referral HSDS 3 tables built from CSV files (Rasa-free).

`schema` names the sources and tables, `validate` checks every row (a source, a date, known counties, no
shelter address), `build` makes build/directory.db from them, `search` finds services by need, county and
language, `report` lists what still needs checking. `tools/directory.py` is the command line (make directory).
"""
