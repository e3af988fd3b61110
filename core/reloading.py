"""Values read from files and read again as soon as a file changes (Rasa-free).

A running server picks up what a translator or maintainer just saved (a saved catalog, a new language in
the registry, a keyword, a reply's wording) without a restart, within a second. A half-saved or mistyped edit
must not stop it from answering anyone: the value read before stays, with one warning per change of the file.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")

# A file is looked at (stat) at most this often. Every reply and parse asks for catalogs, keywords and reply
# texts several times; looking each time was 6% of the server's CPU under load (docs/performance.md), and a
# translator's edit showing up a second later changes nothing for anyone. Read at each call, so tests can
# set it to 0.
CHECK_EVERY_SECONDS = 1.0


class Reloading(Generic[T]):
    """`read(*paths)`, kept per set of paths and read again when one of the files changes.

    A change is a new modification time or size (two writes within one tick of the filesystem's clock share a
    modification time), looked for at most every `check_every` seconds (CHECK_EVERY_SECONDS unless given;
    `clock` is monotonic, so a change of the wall clock never stops the checks). When a changed file cannot
    be read (`errors`), the value read before is kept and one warning is logged; `default()` stands in when
    nothing was read before, and while a file does not exist. Without a default, those errors are raised. Safe
    to call from several threads.
    """

    def __init__(
        self,
        read: Callable[..., T],
        *,
        errors: tuple[type[Exception], ...] = (),
        default: Callable[[], T] | None = None,
        check_every: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read = read
        self._errors = errors
        self._default = default
        self._check_every = check_every
        self._clock = clock
        self._lock = threading.Lock()
        # per set of paths: the files' modification times and sizes, the value, when the files were looked at
        self._cache: dict[tuple[Path, ...], tuple[tuple[tuple[int, int], ...], T, float]] = {}

    def __call__(self, *paths: Path) -> T:
        now = self._clock()
        every = CHECK_EVERY_SECONDS if self._check_every is None else self._check_every
        cached = self._cache.get(paths)
        if cached is not None and now - cached[2] < every:
            return cached[1]
        try:
            stats = [path.stat() for path in paths]
        except OSError:
            if self._default is None:
                raise
            return self._default()
        signature = tuple((stat.st_mtime_ns, stat.st_size) for stat in stats)
        with self._lock:
            cached = self._cache.get(paths)
            if cached is not None and cached[0] == signature:
                self._cache[paths] = (signature, cached[1], now)
                return cached[1]
            try:
                value = self._read(*paths)
            except self._errors as error:
                if cached is not None:
                    value = cached[1]
                elif self._default is not None:
                    value = self._default()
                else:
                    raise
                shown = ", ".join(str(path) for path in paths)
                logger.warning("%s cannot be read (%s); still using what was read before", shown, type(error).__name__)
            self._cache[paths] = (signature, value, now)
            return value
