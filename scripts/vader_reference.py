#!/usr/bin/env python3
"""The VADER equivalence fixture: texts scored by the reference package, vaderSentiment 3.3.2.

    python3 scripts/vader_reference.py           write Tests/SentimentTests/Fixtures/vader_reference.jsonl
    python3 scripts/vader_reference.py --check   re-score the committed fixture with the installed package (and
                                                 rebuild its texts); fail on any difference (CI runs this)
    python3 scripts/vader_reference.py --gpt-samples OUT
                                                 write gpt_samples.txt from OUT, the output of
                                                 `cd Tests/SentimentTests/Fixtures && rlhf run gpt_samples.rlhf`

Needs `pip install vaderSentiment==3.3.2`. Each line is one JSON object: the text, `scores` = polarity_scores(text) as
Python prints them (neg, neu, pos rounded to 3 places, compound to 4) and `unrounded` = the same four figures before
that final `round` (read by running polarity_scores with the module's `round` replaced by the identity), so the Swift
port is compared bit for bit, not only to 4 decimals. Floats are written as Python's repr (shortest round trip).

The texts (deterministic: fixed lists and `random.Random(15)`):
  - the lexicon's words in context: every 10th entry of data/vader_lexicon.txt in a template sentence;
  - sentences exercising every rule of 3.3.2 (boosters and dampeners, capitals, negation at distance 1-3, "n't",
    "never so/this", "without doubt", "least", "but", "kind of", "no", the idioms, "!" and "?", emojis, the empty
    text, punctuation only, Unicode whitespace and non-ASCII letters), each at least a dozen times;
  - random word sequences over the rules' trigger words, so the rules meet each other;
  - Shakespeare the lexicon was not tuned on: lines and passages of data/tinyshakespeare.txt, and continuations a
    briefly trained lab GPT wrote (Tests/SentimentTests/Fixtures/gpt_samples.txt, when present).

Python 3.12 changed `sum` of floats to compensated summation; VADER's compound sums with it, so the unrounded figures
here are Python 3.11's (the version this machine and CI run), which sums left to right as the port does.
"""
import json
import pathlib
import random
import sys

import vaderSentiment.vaderSentiment as vader_module
from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SentimentIntensityAnalyzer

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "Tests" / "SentimentTests" / "Fixtures" / "vader_reference.jsonl"
GPT_SAMPLES = ROOT / "Tests" / "SentimentTests" / "Fixtures" / "gpt_samples.txt"


def lexicon_texts():
    words = []
    for line in (ROOT / "data" / "vader_lexicon.txt").read_text(encoding="utf-8").rstrip("\n").split("\n"):
        if line:
            words.append(line.strip().split("\t")[0])
    templates = [
        "The movie was {w}.", "I think it is {w}", "{w}", "She said the food was very {w}!",
        "It is not {w} at all.", "What a {w} day, but the night was long.", "They were {W} today.",
        "honestly , {w} ... really", "He is kind of {w}?", "{w} {w} {w}",
    ]
    texts = []
    for index, word in enumerate(words[::10]):
        template = templates[index % len(templates)]
        texts.append(template.format(w=word, W=word.upper()))
    return texts


def rule_texts():
    texts = []
    boosters = sorted(BOOSTER_DICT)
    for index, booster in enumerate(boosters):
        texts.append(f"The food was {booster} good.")
        texts.append(f"This is {booster} bad" if index % 2 else f"{booster.upper()} bad service here")
    texts += [f"It was {b} very good" for b in boosters[:12]]
    texts += [f"{b} the best, {b} nice" for b in boosters[12:24]]
    # Capitals: ALL CAPS only counts when some words are not.
    texts += [
        "The food was GREAT", "GREAT FOOD", "I LOVE it", "THIS IS BAD", "This is BAD", "VERY good", "VERY GOOD",
        "very GOOD", "It is EXTREMELY bad", "IT IS EXTREMELY BAD", "He HATES me", "HATE", "Hate", "the WORST day",
        "I am SO happy", "I AM SO HAPPY!!!", "NOT good", "not GOOD", "KIND OF good", "The MOVIE was good",
    ]
    # Negation at distance 1, 2 and 3, every NEGATE word, and "n't" words outside the list.
    for index, negation in enumerate(NEGATE):
        gap = ["", "really ", "the very "][index % 3]
        texts.append(f"It is {negation} {gap}good")
        texts.append(f"{negation.capitalize()} {gap}bad at all")
    texts += [
        "It mayn't be good", "You shan't like it", "It isn't bad", "it ISN'T bad", "ain't nothing good",
        "I don't think it is good", "not a good idea", "not the best", "not very good", "not at all happy",
        "nothing is wrong", "never good", "never bad", "uh-uh good", "uhuh bad", "despite the good reviews",
    ]
    texts += [
        "It has never been so good", "It has never been this good", "never so very good", "never this very bad",
        "It was so good", "It was this bad", "never so happy", "this is so great", "so so bad", "never so",
        "the food was so very good", "this good", "never this", "never ever so good",
    ]
    texts += [
        "Without doubt, excellent idea.", "Without a doubt, an excellent idea.", "without any doubt good",
        "without doubt good", "without doubt bad", "WITHOUT DOUBT great", "without a doubt bad", "without good",
        "without the good", "without really good", "doubt good", "without doubt",
    ]
    texts += [
        "the least good", "at least good", "very least good", "least good", "least", "This is the least bad option",
        "at least it isn't a horrible book", "Roger Dodger is one of the least compelling variations on this theme.",
        "the very least you could do is good", "least of all happy", "LEAST happy", "at the least happy",
        "least least good",
    ]
    texts += [
        "good but bad", "but good", "good but", "BUT", "but", "good, but bad but great", "good good but bad",
        "The plot was good, but the characters are uncompelling and the dialog is not great.",
        "bad but good", "nice but", "but but good", "I love it but I hate it", "great great great but",
        "happy sad but happy sad", "bad, BUT great", "It was fine but not perfect", "good but good",
        "love hate but love hate", "1 good but", "fun but sad but fun",
    ]
    texts += [
        "kind of good", "it is kind of bad", "kind of", "kind", "sort of good", "just enough good", "kinda good",
        "The book was only kind of good.", "kind of the best", "he is kind", "kind of kind", "sorta bad",
        "a kind of magic", "KIND of good", "kind-of good", "it was sort of just enough good",
    ]
    texts += [
        "no good", "no problem", "no", "no way", "not bad or good", "no love or hate", "no love nor hate",
        "no hope or love", "no no good", "no, good", "there is no good reason", "No Good", "NO", "no fun or joy here",
    ]
    texts += [
        "that is the shit", "this party is the bomb", "what a bad ass", "he is a badass", "yeah right",
        "the kiss of death", "a cake to die for", "my beating heart", "at the bus stop", "THE SHIT",
        "it was the bomb!!!", "not the shit", "yeah right, great", "to die for!", "this is the shit",
        "i am in the red", "cut the mustard", "under the weather", "on the ball", "break a leg", "upper hand",
        "they are in the black", "blowing smoke", "the good kiss of death", "really good bus stop",
    ]
    for base in ["good", "bad", "ok", "so what"]:
        for mark in ["!", "!!", "!!!", "!!!!", "!!!!!!", "?", "??", "???", "????", "?!?!", "!?"]:
            texts.append(base + mark)
    texts += [
        "!!!", "???", "...", "", " ", "\t\n", "!", "?!", "good ! ! ! ! !", "bad ? ? ?", "great!!!!!!!!!", ":)", ":-)",
        ":D", "<3", ":(", ":'(", "(:", "*\\0/*", ";)", "\u037e)", "lol", "LOL", "LOL!!!", "lol lol",
    ]
    emojis = ["😁", "💘", "💋", "😢", "😡", "👍", "👎", "🙂", "😀", "💩", "❤", "❤️", "‼", "⁉", "🇬🇧", "👍🏽", "🎉", "😭"]
    for index, emoji in enumerate(emojis):
        texts.append(f"Catch utf-8 emoji such as {emoji} and more")
        texts.append(f"good{emoji}bad" if index % 2 else f"{emoji}{emoji} {emoji}")
    texts += [
        "Très bien, c'est magnifique", "naïve but happy", "GOOD ÉTÉ", "ΚΑΛΟ good", "İYİ good", "ǅungla is GOOD",
        "\u212aind of good", "KIND OF good", "STRAßE good", "ǈ good", "ﬁne good", "good\u00a0day", "good\u3000bad",
        "good\u2028bad!", "great\u200bday", "Ⅻ GOOD", "ⓑad GOOD", "ſo good", "ǆ NICE", "ﬀ happy", "ΣΑΣ GOOD",
        "Я удивлен GOOD", "私は good です", "café GOOD", "cafe\u0301 GOOD", "HAPPY ɐ sad",
        "Sentiment analysis has never been good.", "Most automated sentiment analysis tools are shit.",
        "good\tbad\ngreat", "  good  ", "\u3000good\u3000", "\u0085good", "\x1cgood\x1f",
    ]
    return texts


def random_texts(rng):
    vocabulary = [
        "good", "bad", "great", "horrible", "love", "hate", "nice", "sad", "happy", "kind", "of", "sort", "least",
        "at", "very", "so", "this", "never", "without", "doubt", "no", "or", "nor", "not", "isn't", "but", "the",
        "shit", "bomb", "yeah", "right", "to", "die", "for", "bus", "stop", "kiss", "death", "just", "enough",
        "really", "extremely", "barely", "kinda", "it", "was", "and", ":)", ":(", "lol", "😁", "💔", "a", "idea",
    ]
    texts = []
    for _ in range(400):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(2, 12))]
        words = [w.upper() if rng.random() < 0.15 else w for w in words]
        text = " ".join(words)
        text += rng.choice(["", "", ".", "!", "!!", "?", "??", "???", "!!!!!", " ,"])
        texts.append(text)
    return texts


def shakespeare_texts(rng):
    corpus = (ROOT / "data" / "tinyshakespeare.txt").read_text(encoding="utf-8")
    lines = [line for line in corpus.split("\n") if line.strip()]
    texts = [lines[rng.randrange(len(lines))] for _ in range(300)]
    for _ in range(100):
        start = rng.randrange(len(corpus) - 400)
        texts.append(corpus[start:start + rng.randint(40, 400)])
    if GPT_SAMPLES.exists():
        samples = GPT_SAMPLES.read_text(encoding="utf-8").split("\n\x1e\n")
        texts += [sample for sample in samples if sample]
    return texts


def write_gpt_samples(run_output):
    """The continuations between the run's `<<<` and `>>>` lines, each without its prompt (five per prompt, in the
    notebook's order), separated by a line holding only U+001E."""
    notebook = (GPT_SAMPLES.parent / "gpt_samples.rlhf").read_text(encoding="utf-8")
    prompts = json.loads(notebook.split("prompts = ", 1)[1].split("\n", 1)[0])
    samples, current = [], None
    for line in pathlib.Path(run_output).read_text(encoding="utf-8").split("\n"):
        if line == "<<<" and current is None:
            current = []
        elif line == ">>>" and current is not None:
            samples.append("\n".join(current))
            current = None
        elif current is not None:
            current.append(line)
    assert len(samples) == 5 * len(prompts), f"{len(samples)} samples for {len(prompts)} prompts"
    continuations = []
    for index, sample in enumerate(samples):
        prompt = prompts[index // 5]
        assert sample.startswith(prompt) and "\x1e" not in sample, sample
        continuations.append(sample[len(prompt):])
    GPT_SAMPLES.write_text("".join(c + "\n\x1e\n" for c in continuations), encoding="utf-8")


def all_texts():
    rng = random.Random(15)
    return lexicon_texts() + rule_texts() + random_texts(rng) + shakespeare_texts(rng)


def score(analyzer, text):
    rounded = analyzer.polarity_scores(text)
    vader_module.round = lambda number, digits=None: number
    try:
        unrounded = analyzer.polarity_scores(text)
    finally:
        del vader_module.round
    keys = ["neg", "neu", "pos", "compound"]
    return {
        "text": text,
        "scores": [repr(rounded[key]) for key in keys],
        "unrounded": [repr(float(unrounded[key])) for key in keys],
    }


def main():
    analyzer = SentimentIntensityAnalyzer()
    if sys.argv[1:] == ["--check"]:
        rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").rstrip("\n").split("\n")]
        failures = 0
        if [row["text"] for row in rows] != all_texts():
            print("error: the fixture's texts differ from the ones this script builds", file=sys.stderr)
            failures += 1
        for row in rows:
            fresh = score(analyzer, row["text"])
            if fresh != row:
                print(f"error: {row['text']!r}: fixture {row['scores']} {row['unrounded']}, "
                      f"vaderSentiment {fresh['scores']} {fresh['unrounded']}", file=sys.stderr)
                failures += 1
        if failures:
            sys.exit(1)
        print(f"vader fixture: {len(rows)} texts agree with the installed vaderSentiment")
    elif len(sys.argv) == 3 and sys.argv[1] == "--gpt-samples":
        write_gpt_samples(sys.argv[2])
    elif not sys.argv[1:]:
        rows = [score(analyzer, text) for text in all_texts()]
        FIXTURE.parent.mkdir(parents=True, exist_ok=True)
        with FIXTURE.open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row) + "\n")
        print(f"wrote {len(rows)} texts to {FIXTURE.relative_to(ROOT)}")
    else:
        print("usage: scripts/vader_reference.py [--check | --gpt-samples OUT]", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
