"""Quote marks: find the spans that real-world news text puts between quotation marks.

Pure text, no parse, linear in the text. Handles what newsrooms actually print: straight and
curly marks, a curly opener closed by two apostrophes (’’ or ''), ``TeX-style'' pairs,
guillemets, German „…“, a quote running over several paragraphs (the opening mark repeated at
each paragraph, one closing mark), and apostrophes that are not marks (don't, the '90s,
Iran’s). An unclosed quote runs to the end of its paragraph and is flagged, so that a
document with thousands of stray marks still costs one pass and yields no span longer than a
paragraph.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# Two-character marks first so that ’’ is one closing mark, not two apostrophes.
_MARK = re.compile(r"``|''|’’|‘‘|,,|[“”„«»\"‘’']")
OPENERS = frozenset({"“", "„", "«", "``", "‘‘", ",,"})
CLOSERS = frozenset({"”", "»", "''", "’’"})
# Marks that open or close by their place: straight quotes, and doubled apostrophes, which some
# newsrooms print on both sides (''like this,'') and the founding document prints to close “…’’.
EITHER = frozenset({'"', "''", "’’"})
SINGLE = frozenset({"‘", "’", "'"})
_BREAKS = "\n\r\u2028\u2029\x85"  # line and paragraph breaks
_BLANK = frozenset(" \t" + _BREAKS) | {""}  # no word beside a mark: it neither opens nor closes there
_OPEN_BEFORE = set(" \t\u00a0([{—–-/:;" + _BREAKS) | {""}
_CLOSE_AFTER = set(" \t\u00a0)]}—–-/,.;:!?…" + _BREAKS) | {""}
_MIN_SINGLE_QUOTED_WORDS = 3  # ‘like this’: fewer words between single marks are more likely apostrophes


@dataclass(frozen=True)
class Quoted:
    """Text between a pair of quote marks: content [start, end), marks at [open_start, start) and [end, close_end)."""

    open_start: int
    start: int
    end: int
    close_end: int
    closed: bool = True  # False: no closing mark before the paragraph ended, and no continuation
    group: int = -1  # pieces of one quote continued over paragraphs share a group

    def word_count(self, text: str) -> int:
        return len(text[self.start : self.end].split())


def _before(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else ""


def _after(text: str, i: int) -> str:
    return text[i] if i < len(text) else ""


def _can_open(text: str, m: re.Match) -> bool:
    return _before(text, m.start()) in _OPEN_BEFORE and _after(text, m.end()) not in _BLANK


def _can_close(text: str, m: re.Match) -> bool:
    return _before(text, m.start()) not in _BLANK and _after(text, m.end()) in _CLOSE_AFTER | set("\"”’'“")


def _is_single_open(text: str, m: re.Match) -> bool:
    """‘word or 'word after a space: an opening single mark, unless it elides ('90s, 'em, 'til)."""
    nxt = text[m.end() : m.end() + 3].lower()
    if nxt[:1].isdigit() or nxt.startswith(("em ", "til", "n ", "cause")):
        return False
    return _can_open(text, m)


def _is_single_close(text: str, m: re.Match) -> bool:
    """A single mark after a word and before a space or punctuation (not it’s, not Iran’s)."""
    return _before(text, m.start()) not in _BLANK and _after(text, m.end()) in _CLOSE_AFTER - {"-"}


def find_quoted(text: str, paragraphs: list[tuple[int, int]]) -> list[Quoted]:
    """Every quoted span, in order. `paragraphs` are (start, end) blocks.

    A quote continued over paragraphs (no closing mark, the next paragraph opening with a mark)
    gives one span per paragraph, as newsrooms and annotators count them, linked by `group`."""
    found: list[Quoted] = []
    group: int | None = None  # the group of a quote continuing from the previous paragraph
    for pi, (p_start, p_end) in enumerate(paragraphs):
        open_m: re.Match | None = None
        for m in _MARK.finditer(text, p_start, p_end):
            g = m.group()
            if g in SINGLE:
                continue
            if open_m is None:
                if g in OPENERS or (g in EITHER and _can_open(text, m)):
                    open_m = m
                continue
            if g in CLOSERS or (g in EITHER | {"“"} and _can_close(text, m)):
                if m.start() > open_m.end():
                    found.append(Quoted(open_m.start(), open_m.end(), m.start(), m.end(),
                                        group=len(found) if group is None else group))
                open_m, group = None, None
            elif g in OPENERS or g in EITHER:
                open_m, group = m, None  # the previous opener was never closed: drop it
        if open_m is None:
            group = None
            continue
        end = _trim_end(text, p_end)
        nxt = paragraphs[pi + 1] if pi + 1 < len(paragraphs) else None
        opener = _MARK.match(text, _first_char(text, *nxt)) if nxt is not None else None
        continues = opener is not None and opener.group() in OPENERS | EITHER
        if end > open_m.end():
            found.append(Quoted(open_m.start(), open_m.end(), end, end, closed=continues,
                                group=len(found) if group is None else group))
            group = found[-1].group if continues else None
    found.extend(_single_quoted(text, paragraphs, found))
    found.sort(key=lambda q: q.start)
    return found


def _single_quoted(text: str, paragraphs: list[tuple[int, int]], doubles: list[Quoted]) -> list[Quoted]:
    """‘British-style’ quotes, in paragraphs that have no double-quoted span of their own."""
    out: list[Quoted] = []
    doubles = sorted(doubles, key=lambda q: q.open_start)
    opens = [q.open_start for q in doubles]
    for p_start, p_end in paragraphs:
        if bisect_left(opens, p_start) < bisect_left(opens, p_end):
            continue  # the paragraph has double-quoted spans of its own, so none is taken here
        open_m = None
        for m in _MARK.finditer(text, p_start, p_end):
            if m.group() not in SINGLE or _inside(doubles, opens, m.start()):
                continue
            if open_m is None:
                if _is_single_open(text, m) and m.group() != "’":
                    open_m = m
            elif _is_single_close(text, m) and m.group() != "‘":
                if len(text[open_m.end() : m.start()].split()) >= _MIN_SINGLE_QUOTED_WORDS:
                    out.append(Quoted(open_m.start(), open_m.end(), m.start(), m.end()))
                open_m = None
    return out


def _inside(doubles: list[Quoted], opens: list[int], char: int) -> bool:
    """Whether `char` lies within a double-quoted span (marks included) opened in an earlier paragraph."""
    i = bisect_right(opens, char) - 1
    return i >= 0 and char < doubles[i].close_end


def _first_char(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _trim_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


class QuotedSpans:
    """Where quote marks hold words, for "is this character quoted, apart from where `at` is?" in
    O(log n): the spans merged, so the one starting last before a character is the only one that can
    hold it. A cue's subject, or a pronoun's antecedent, inside quote marks that do not also hold the
    cue or the pronoun is the quoted words', never the source."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        self.spans: list[tuple[int, int]] = []
        for lo, hi in sorted(spans):
            if self.spans and lo <= self.spans[-1][1]:
                self.spans[-1] = (self.spans[-1][0], max(hi, self.spans[-1][1]))
            else:
                self.spans.append((lo, hi))
        self.starts = [lo for lo, _ in self.spans]

    def holding(self, char: int) -> tuple[int, int] | None:
        """The quoted span holding `char`, or None."""
        i = bisect_right(self.starts, char) - 1
        return self.spans[i] if i >= 0 and char < self.spans[i][1] else None

    def apart_from(self, at: int) -> Callable[[int], bool]:
        """The test "inside quote marks that do not hold `at`", for one cue or pronoun at `at`."""
        own = self.holding(at)
        return lambda char: (held := self.holding(char)) is not None and held != own
