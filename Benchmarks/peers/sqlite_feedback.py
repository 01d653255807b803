"""Raw SQLite inserts of preference rows into a table of the store's `feedback` columns, in WAL mode, one transaction.

Each row is what RLHF Lab's P12 commits: uid, prompt index, chosen and rejected vectors of DIM little-endian f32
values, annotator, seed, a 64-character row hash and the version that added it. Rows are built before the clock
starts; the clock covers `executemany` and the commit. Prints `rows_per_s=<float>`. The peer of P12.
Usage: python3 sqlite_feedback.py PATH ROWS DIM
"""
import os
import random
import sqlite3
import struct
import sys
import time


def main():
    path, count, dim = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(
        "CREATE TABLE feedback(id INTEGER PRIMARY KEY, object_id INTEGER NOT NULL, uid INTEGER NOT NULL,"
        " prompt INTEGER NOT NULL, chosen BLOB NOT NULL, rejected BLOB NOT NULL, annotator TEXT NOT NULL,"
        " seed INTEGER NOT NULL, row_hash TEXT NOT NULL, added_in INTEGER NOT NULL, removed_in INTEGER,"
        " prompt_text TEXT, chosen_text TEXT, rejected_text TEXT, sampling TEXT)"
    )
    db.execute("CREATE INDEX feedback_object_uid ON feedback(object_id, uid)")
    db.execute("CREATE INDEX feedback_added ON feedback(added_in)")
    db.execute("CREATE INDEX feedback_removed ON feedback(removed_in)")
    rng = random.Random(1)
    pack = struct.Struct(f"<{dim}f").pack
    rows = []
    for uid in range(1, count + 1):
        chosen = pack(*(rng.gauss(0, 1) for _ in range(dim)))
        rejected = pack(*(rng.gauss(0, 1) for _ in range(dim)))
        rows.append((1, uid, uid % 256, chosen, rejected, "bradleyTerry(noise: 0.05)", rng.getrandbits(63),
                     "%064x" % rng.getrandbits(256), 1))
    start = time.perf_counter()
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO feedback(object_id, uid, prompt, chosen, rejected, annotator, seed, row_hash, added_in)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.close()
    print(f"rows_per_s={count / elapsed:.1f}")


if __name__ == "__main__":
    main()
