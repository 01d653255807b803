"""Raw SQLite inserts of metric points (run, commit, name, step, value) in WAL mode, one transaction per batch.

Prints `points_per_s=<float> bytes_per_point=<float>`. The peer of RLHF Lab's P3 workload.
Usage: python3 sqlite_inserts.py PATH POINTS BATCH
"""
import os
import sqlite3
import sys
import time


def main():
    path, points, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE metrics(run_id INTEGER, commit_id INTEGER, name TEXT, step INTEGER, value REAL)")
    names = ["rm.loss", "rm.accuracy", "policy.kl", "policy.gold"]
    start = time.perf_counter()
    step = 0
    for c in range(0, points, batch):
        rows = []
        for _ in range(min(batch, points - c)):
            rows.append((1, c // batch + 1, names[step % 4], step // 4, step * 0.001))
            step += 1
        db.execute("BEGIN")
        db.executemany("INSERT INTO metrics VALUES (?, ?, ?, ?, ?)", rows)
        db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    size = os.path.getsize(path)
    print(f"points_per_s={points / elapsed:.1f} bytes_per_point={size / points:.1f}")


if __name__ == "__main__":
    main()
