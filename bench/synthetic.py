"""Synthetic corpora for the store benchmarks: records with realistic words, names and reprints.

Words are drawn from the word frequencies of the real articles in ../shared/eval (read at run
time, never copied), so term frequencies in the search index follow real news. A share of the
quotes are reprints of earlier ones, as the press prints them: verbatim, with a word changed,
or cut short, sometimes credited to someone else. Nothing here is written to the repository.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from onrecord.record import Quote, Record, Span, Speaker

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
FIRST = ("John Maria Daniel Sarah Ahmed Mei Olga Pedro Fatima Lars Aisha Tom Ingrid Kenji Nadia Omar Lucy "
         "Ivan Grace Rahul Elena Samuel Hana Victor Amara Jonas Leila Marco Chloe Tariq").split()
LAST = ("Kirby Austin Okafor Ferreira Novak Tanaka Haddad Larsen Mendez Kowalski Chen Dubois Rossi Nguyen "
        "Schmidt Petrov Ali Jensen Costa Moreau Silva Ibrahim Walsh Murphy Sato Byrne Lopez Varga Keller Hughes "
        "Fischer Ortiz Khan Suzuki Berg Patel Romano Adeyemi Lindqvist Park").split()
TITLES = ("spokesperson", "minister", "senator", "mayor", "analyst", "governor", "chief executive", "professor")
OUTLETS = tuple(f"Outlet {i}" for i in range(50))


def eval_texts(limit: int | None = None) -> Iterator[dict]:
    """The eval sets' documents ({doc_id, text}), read from ../shared/eval."""
    files = sorted(EVAL.glob("*.jsonl"))
    if not files:
        raise SystemExit(f"{EVAL}: no eval sets here; the store benchmarks read their words from them")
    n = 0
    for path in files:
        for line in path.open(encoding="utf-8"):
            if line.strip():
                d = json.loads(line)
                yield {"doc_id": d["doc_id"], "text": d["text"]}
                n += 1
                if limit is not None and n >= limit:
                    return


class Generator:
    """Reproducible synthetic records: `records(n_quotes)` yields documents of ~10 quotes each."""

    def __init__(self, seed: int = 7, reprint_share: float = 0.2, people: int = 5000):
        counts = Counter(w for d in eval_texts() for w in re.findall(r"[A-Za-z][a-z']+|[a-z]+", d["text"]))
        self.words = np.array(list(counts))
        freq = np.array([counts[w] for w in self.words], dtype=float)
        self.p = freq / freq.sum()
        self.rng = np.random.default_rng(seed)
        self.reprint_share = reprint_share
        self.people = [(FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)] + ("" if i < 1200 else f"{i}"))
                       for i in range(people)]
        self.planted: list[tuple[str, str]] = []  # (original quote key, reprint quote key)

    def sentence(self, n: int) -> str:
        return " ".join(self.rng.choice(self.words, size=n, p=self.p))

    def _reprint(self, text: str) -> str:
        words = text.split()
        how = self.rng.integers(3)
        if how == 1:  # one word changed
            words[self.rng.integers(len(words))] = str(self.rng.choice(self.words, p=self.p))
        elif how == 2:  # cut short, keeping most of it
            words = words[: max(8, int(len(words) * 0.7))]
        return " ".join(words)

    def records(self, n_quotes: int, per_doc: int = 10) -> Iterator[Record]:
        pool: list[tuple[str, str, int]] = []  # (key, text, person) of quotes that may be reprinted
        made = 0
        doc = 0
        while made < n_quotes:
            k = min(per_doc, n_quotes - made)
            people = [int(i) for i in self.rng.integers(len(self.people), size=3)]
            text, quotes, speakers = "", [], []
            for j, person in enumerate(people):
                first, last = self.people[person]
                name = f"{first} {last}" if j != 2 else last
                title = TITLES[person % len(TITLES)]
                start = len(text)
                text += f"{title} {name} spoke. "
                speakers.append(Speaker(f"s{j}", name, "person", (Span.of(text, start + len(title) + 1,
                                                                             start + len(title) + 1 + len(name)),),
                                        (title,)))
            for q in range(k):
                sid = int(self.rng.integers(len(people)))
                key = f"d{doc}:q{q}"
                if pool and self.rng.random() < self.reprint_share:
                    orig_key, orig, _orig_person = pool[int(self.rng.integers(len(pool)))]
                    words = self._reprint(orig)
                    self.planted.append((orig_key, key))
                else:
                    words = self.sentence(int(self.rng.integers(10, 30)))
                    pool.append((key, words, people[sid]))
                    if len(pool) > 20000:
                        pool.pop(0)
                start = len(text) + 1
                text += f'"{words}," said {speakers[sid].name}. '
                quotes.append(Quote(f"q{q}", "direct", start, start + len(words), words, f"s{sid}"))
            yield Record(
                doc_id=f"d{doc}", text=text, published=f"202{doc % 3 + 3}-{doc % 12 + 1:02d}-{doc % 28 + 1:02d}",
                outlet=OUTLETS[doc % len(OUTLETS)], speakers=tuple(speakers), quotes=tuple(quotes),
            )
            made += k
            doc += 1
