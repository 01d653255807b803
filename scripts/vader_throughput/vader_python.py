"""Times vaderSentiment 3.3.2's polarity_scores(text)["compound"] on the equivalence fixture's texts (the peer of
main.swift; scripts/vader_throughput.sh runs both)."""
import json
import sys
import time

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

fixture, repeats = sys.argv[1], int(sys.argv[2])
with open(fixture, encoding="utf-8") as f:
    texts = [json.loads(line)["text"] for line in f.read().rstrip("\n").split("\n")]
analyzer = SentimentIntensityAnalyzer()
checksum = 0.0
start = time.perf_counter()
for _ in range(repeats):
    for text in texts:
        checksum += analyzer.polarity_scores(text)["compound"]
seconds = time.perf_counter() - start
count = len(texts) * repeats
print(f"python: {count} texts in {seconds:.3f} s: {int(count / seconds)} texts/s (checksum {checksum})")
