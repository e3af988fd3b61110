"""`make fallback`: writes the Twilio fallback TwiML files into deploy/twilio/ (bot/replies/fallback.py).

Run it after a catalog, a number in data/facts/lines.csv or the language registry changed; the tests fail
while the checked-in files differ from what it writes.
"""

from __future__ import annotations

import sys

from bot.replies.fallback import write_fallback_files
from core.paths import PROJECT_ROOT


def main() -> int:
    for path in write_fallback_files():
        print(f"wrote {path.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
