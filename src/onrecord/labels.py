"""Labels: the grammar of transcript lines, shared by structure.py (is this a transcript?) and
turns.py (whose turn is this?).

A speaker label opens a line ("Kirby:", "MR. KIRBY:", "Secretary Blinken:", "Q."); `label_key`
spells one speaker's labels one way; a role label ("Q", "Interviewer") names a role, not a
person; a question is a line that ends by asking. Pure text analysis; every offset indexes the
text as given.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .identity import name_key
from .names import PARTICLES
from .record import Span

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width characters that pad lines like spaces
_LINE = re.compile(r"[^\n\r\u2028\u2029\x85]+")  # a line ends at any line or paragraph break

# -- speaker labels ---------------------------------------------------------------------------
# The shape only ("Kirby:", "MR. KIRBY:", "Secretary Blinken:", "Q."); `_is_name` then checks
# capitals with str methods, which know every script's capitals, unlike [A-Z].
LABEL_SHAPE = re.compile(
    r"[\"“]?(?:(?P<name>[^\W\d_][\w'’.\-]*(?:[ \t\xa0]+[^\W\d_][\w'’.\-]*){0,5})[ \t\xa0]*:(?=\s|$)"
    r"|(?P<qa>[QA])\.(?=\s|$)"
    r"|(?P<bare_q>Q)[ \t\xa0]+(?=[\"“‘(]?[^\W\d_]))"  # White House transcripts: "Q  Mr. President, …"
)
_MAX_NAME_WORDS = 4
# Line openings with a colon that name no speaker: notes, captions, event listings.
_NOT_SPEAKERS = frozenset(w.replace("_", " ") for w in """
note notes update updated correction corrections clarification warning related read more watch
listen photo photos image video source sources credit credits caption transcript tags topics
advertisement disclaimer breaking exclusive analysis opinion also background subscribe follow share published
posted by reporting editing writing contact email e-mail phone tel fax web website location date
time venue where when what why how who which pros cons summary highlights key_points the_latest
previously today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday
""".split())
_ROLE_LABELS = {
    "q": "interviewer", "question": "interviewer", "interviewer": "interviewer", "host": "interviewer",
    "moderator": "interviewer", "anchor": "interviewer", "presenter": "interviewer",
    "a": "interviewee", "answer": "interviewee", "interviewee": "interviewee", "guest": "interviewee",
}

# -- questions --------------------------------------------------------------------------------
CLOSERS = "\"'’”»)]}" + _INVISIBLE
_SENTENCE_END = re.compile(r"[.!?…][\"'’”»)\]]*\s+(?=[\"'“‘«(\[]?[^\W_])")
_ASKING = re.compile(
    r"(?:(?:what|why|how|when|where|who|whom|whose|which)\s+(?:\w+\s+)?)?"
    r"(?:do|does|did|is|are|was|were|have|has|had|can|could|will|would|should|shall|may|might|must)(?:n[’']t)?\s+"
    r"(?:you|we|they|he|she|it|i|the|there|this|that|these|those|your|anyone|anybody|any)\b",
    re.I,
)


@dataclass(frozen=True)
class Label:
    """A speaker label opening a line: `name` is "Kirby" of "Kirby: …", `body` where the words begin."""

    name: Span
    body: int

    @property
    def key(self) -> str:
        return label_key(self.name.text)


# -- lines, labels, questions ------------------------------------------------------
def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """`start, end` moved inwards past whitespace (NBSP included) and zero-width characters."""
    while start < end and (text[start].isspace() or text[start] in _INVISIBLE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _INVISIBLE):
        end -= 1
    return start, end


def lines(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """The trimmed (start, end) of each non-blank line of text[start:end]."""
    for m in _LINE.finditer(text, start, len(text) if end is None else end):
        s, e = trim(text, m.start(), m.end())
        if s < e:
            yield s, e


def label_key(name: str) -> str:
    """One spelling for one speaker's labels: "MR. KIRBY", "Mr Kirby" -> "mr kirby" (the name key)."""
    return name_key(name)


def group_keys(keys: Iterable[str]) -> dict[str, str]:
    """Each label key mapped to the one speaker it names: "kirby" to "mr kirby" when that is the
    only longer label ending in it; left alone when none or several ("bill clinton", "hillary clinton")."""
    keys = set(keys)
    longer: dict[str, set[str]] = {}
    for k in keys:
        words = k.split()
        for i in range(1, len(words)):
            longer.setdefault(" ".join(words[i:]), set()).add(k)
    out = {}
    for k in keys:
        found = longer.get(k, set())
        out[k] = next(iter(found)) if len(found) == 1 else k
    return out


def label_role(key: str) -> str | None:
    """The role a label states by itself ("Q", "Interviewer", "A"), else None."""
    return _ROLE_LABELS.get(key)


def find_label(text: str, start: int, end: int) -> Label | None:
    """The speaker label opening the line text[start:end], if it is one.

    A label is 1-4 capitalised words (particles like "van" aside) or ALL CAPS before a colon,
    or "Q."/"A.", or a bare "Q" before a capital (as the White House prints questions);
    "My last question:" is prose, "Note:" is not a speaker.
    """
    m = LABEL_SHAPE.match(text, start, end)
    if m is None:
        return None
    group = "qa" if m.group("qa") else "bare_q" if m.group("bare_q") else "name"
    name_start, name_end = m.span(group)
    if group == "name" and not _is_name(m.group("name")):
        return None
    body, _ = trim(text, m.end(), end)
    if group == "bare_q" and not text[body:end].lstrip("\"“‘(")[:1].isupper():
        return None  # "Q and A sessions …" is prose; "Q  Mr. President, …" asks
    return Label(Span.of(text, name_start, name_end), body)


def is_question(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends by asking: a final "?", or a last sentence shaped like a question."""
    start, end = trim(text, start, end)
    while end > start and text[end - 1] in CLOSERS:
        end -= 1
    if end == start:
        return False
    if text[end - 1] == "?":
        return True
    if text[end - 1] == "!":
        return False
    last = start
    for m in _SENTENCE_END.finditer(text, start, end):
        last = m.end()
    return _ASKING.match(text, last, end) is not None


def _is_name(name: str) -> bool:
    words = name.split()
    capitalised = [w for w in words if w[0].isupper()]
    if not 1 <= len(capitalised) <= _MAX_NAME_WORDS or not words[-1][0].isupper():
        return False
    if any(not w[0].isupper() and w.casefold() not in PARTICLES for w in words):
        return False
    key = label_key(name)
    return key not in _NOT_SPEAKERS and key.rsplit(" ", 1)[-1] not in _NOT_SPEAKERS  # "Video Transcript"
