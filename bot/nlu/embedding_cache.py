"""Sentence embeddings of training examples, kept between trainings (`.rasa/sentence-embeddings.sqlite`).

Encoding the 13,800 training texts is two thirds of a training from scratch (about 200 of 290 s,
docs/performance.md). Rasa's own cache keeps a component's output only while all of its input is unchanged,
so a translator who added one example waited for every example to be encoded again. This cache keeps each
example's vector under a hash of its text and the encoder's fingerprint (its name and version): a new training
encodes only the examples that are new or changed, and cross-validation's folds encode nothing twice.

Only training examples pass through it (`SentenceEncoderFeaturizer.process_training_data`): what people write
to the assistant is encoded in memory and never written anywhere (docs/privacy.md). The file holds hashes and
vectors, no text. It lives in `.rasa/`, beside Rasa's cache: not in git, and not copied by the benchmark, whose
"from scratch" training starts without it. A vector unused for `KEEP_DAYS` days is dropped. A cache that
cannot be read or written (locked, broken, read-only) is left alone: training encodes everything, as before.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path

import numpy as np

from core.paths import PROJECT_ROOT

logger = logging.getLogger(__name__)

CACHE_FILE = PROJECT_ROOT / ".rasa" / "sentence-embeddings.sqlite"
# Texts per encoder call. The engine gives each text the same vector whatever the batch; on 2,048 training
# examples, batches of 16 took 11.9 ms a text and batches of 64 12.7 (three runs each), 256 14.2, 1,024 16.1.
BATCH_SIZE = 16
KEEP_DAYS = 60
_DAY = 86_400


def _key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def encode_training_texts(
    encode: Callable[[Sequence[str]], np.ndarray],
    dimensions: int,
    fingerprint: str,
    texts: Sequence[str],
    path: Path | None = None,
) -> np.ndarray:
    """One vector per text (zeros for an empty text), from the cache where it has them; the others are
    encoded in batches and stored."""
    path = path or CACHE_FILE
    vectors = np.zeros((len(texts), dimensions), dtype=np.float32)
    wanted = {text for text in texts if text}
    found = _read(path, fingerprint, wanted, dimensions)
    missing = sorted(wanted - found.keys())
    for start in range(0, len(missing), BATCH_SIZE):
        batch = missing[start : start + BATCH_SIZE]
        found.update(zip(batch, encode(batch), strict=True))
    _write(path, fingerprint, {text: found[text] for text in missing}, used=wanted)
    for index, text in enumerate(texts):
        if text:
            vectors[index] = found[text]
    return vectors


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=30)
    connection.execute(
        # A rowid table: its rows (1.5 KB vectors) are too large for WITHOUT ROWID, which tripled the file.
        "CREATE TABLE IF NOT EXISTS vectors (encoder TEXT NOT NULL, key BLOB NOT NULL, vector BLOB NOT NULL, "
        "used INTEGER NOT NULL, PRIMARY KEY (encoder, key))"
    )
    return connection


def _read(path: Path, fingerprint: str, texts: set[str], dimensions: int) -> dict[str, np.ndarray]:
    if not texts or not path.exists():
        return {}
    keys = {_key(text): text for text in texts}
    try:
        with closing(_connect(path)) as connection:
            rows = connection.execute("SELECT key, vector FROM vectors WHERE encoder = ?", (fingerprint,))
            return {
                keys[key]: np.frombuffer(vector, dtype=np.float32).copy()
                for key, vector in rows
                if key in keys and len(vector) == dimensions * 4
            }
    except sqlite3.Error as error:
        logger.warning("sentence embedding cache %s not read (%s): encoding every example", path, error)
        return {}


def _write(path: Path, fingerprint: str, new: dict[str, np.ndarray], used: set[str]) -> None:
    now = int(time.time())
    try:
        with closing(_connect(path)) as connection, connection:
            connection.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)",
                [(fingerprint, _key(text), np.asarray(v, dtype=np.float32).tobytes(), now) for text, v in new.items()],
            )
            connection.executemany(
                "UPDATE vectors SET used = ? WHERE encoder = ? AND key = ?",
                [(now, fingerprint, _key(text)) for text in used if text not in new],
            )
            connection.execute("DELETE FROM vectors WHERE used < ?", (now - KEEP_DAYS * _DAY,))
    except sqlite3.Error as error:
        logger.warning("sentence embedding cache %s not written (%s)", path, error)
