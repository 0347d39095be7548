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
from .names import HONORIFICS, PARTICLES, TITLE_WORDS, uncapitalized
from .record import Span

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width characters that pad lines like spaces
_LINE = re.compile(r"[^\n\r\u2028\u2029\x85]+")  # a line ends at any line or paragraph break

# -- speaker labels ---------------------------------------------------------------------------
# The shape only ("Kirby:", "MR. KIRBY:", "Secretary Blinken:", "Q."); `_is_name` then checks
# capitals with str methods, which know every script's capitals, unlike [A-Z].
_STAMP = r"\(\d{1,2}(?::\d\d){1,2}\)"  # Rev's "(00:12)", "(01:02:03)": where in the recording a turn begins
LABEL_SHAPE = re.compile(
    r"[\"“]?(?:(?P<name>[^\W\d_][\w'’.\-]*(?:[ \t\xa0]+[^\W\d_][\w'’.\-]*){0,8})"
    r"(?:,[ \t\xa0]+(?P<desc>[^\W\d_][\w'’.\-]*(?:[ \t\xa0]+[^\W\d_][\w'’.\-]*){0,4}))?"
    rf"(?:[ \t\xa0]+(?P<number>\d{{1,2}}))?(?:[ \t\xa0]*(?P<stamp>{_STAMP}))?[ \t\xa0]*:(?=\s|$)"
    r"|(?P<qa>[QA])\.(?=\s|$))"
)
# White House transcripts print a reporter's turn as "Q" and spaces, no colon: "Q    Mr. President, …".
_BARE_Q = re.compile(r"Q(?P<gap>[ \t\xa0]+)(?=\S)")
_BARE_Q_OPENINGS = "\"“‘([—–-…"  # "Q  — or the Vice President?" takes up an interrupted question
# A line that is only stage notes, timestamps or editors' brackets: "(Laughter.)", "[crosstalk]", "(00:12)".
_NOTE = r"(?:\([^()\n]*\)|\[[^\[\]\n]*\])"
_NOTE_LINE = re.compile(rf"{_NOTE}(?:[ \t\xa0]*{_NOTE})*")
_NOTE_AT = re.compile(_NOTE)
NOTE = _NOTE_AT  # a stage note or timestamp anywhere in a turn: "(Laughter.)", "[crosstalk 00:00:55]"
_STAMP_AT = re.compile(_STAMP)
_MAX_NAME_WORDS = 4  # a name's words in a label; the titles before it ("PRESS SECRETARY JOHN F. KIRBY") aside
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
    "moderator": "interviewer", "anchor": "interviewer", "presenter": "interviewer", "byline": "interviewer",
    "reporter": "interviewer", "questioner": "interviewer", "journalist": "interviewer",
    "a": "interviewee", "answer": "interviewee", "interviewee": "interviewee", "guest": "interviewee",
}

# Words of a label's description that name no title but say who speaks ("BARACK OBAMA, FORMER PRESIDENT"
# has a title; "JOHN SMITH, RESIDENT" and "SOUNDBITE OF ARCHIVED RECORDING" do not).
_DESCRIBING = frozenset("correspondent contributor byline guest resident voter candidate nominee".split())

# -- roles --------------------------------------------------------------------------------
# Title words that only qualify an office ("Press Secretary", "Secretary of State"): a title needs an office too.
_QUALIFIERS = frozenset("""
vice prime foreign defense defence state national security council press white house homeland interior
finance treasury health economy trade former acting
""".split())
_OFFICES = TITLE_WORDS - HONORIFICS - _QUALIFIERS
_IN_TITLES = TITLE_WORDS | {"under", "assistant", "associate", "interim", "of"}  # "Acting Under Secretary of State"
# Capitalised words of a Title Case heading that end a name: "President Biden Before Marine One Departure".
_NAME_STOPS = frozenset("and or of on in at for to from with before after during upon about by as amid over says said".split())
_WORD = re.compile(r"[^\W\d_][\w'’.\-]*")
_NAME_GAP = re.compile(r"[ \t\xa0]+")  # what may part the words of one name or title: spaces, no comma
_ROLE_NAME_WORDS = 3  # words of a name after a title: "President Donald J. Trump"
_ABBREVIATION = 4  # a title word this short before a full stop is abbreviated ("Gov.", "Capt."), not a sentence's end

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
    stamped: bool = False  # Rev's "Name (00:12):": such transcripts label every turn
    role: str | None = None  # the role a description after the name states: "STEVE INSKEEP, HOST:"

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

    A label is 1-4 capitalised words (particles like "van" aside, titles before them too: "PRESS
    SECRETARY JOHN F. KIRBY") or ALL CAPS before a colon, maybe with a description after a comma
    (NPR's and CNN's "STEVE INSKEEP, HOST:", "ANTONY BLINKEN, U.S. SECRETARY OF STATE:"),
    maybe with Rev's timestamp ("Matthew Miller (00:00):", "Speaker 1 (01:02:03):"), or
    "Q."/"A.", or a bare "Q" before the question (as the White House prints questions);
    "My last question:" is prose, "Note:" is not a speaker.
    """
    m = LABEL_SHAPE.match(text, start, end)
    if m is not None and m.group("qa"):
        return Label(Span.of(text, *m.span("qa")), trim(text, m.end(), end)[0])
    if m is not None and _is_name(m.group("name")) and (m.group("desc") is None or _is_description(m.group("desc"))):
        body = trim(text, m.end(), end)[0]
        stamp = _STAMP_AT.match(text, body, end)  # "Chris Wallace: (00:01)", the other Rev layout
        if stamp is not None:
            body = trim(text, stamp.end(), end)[0]
        if stamp is not None or m.group("stamp") or not m.group("number"):
            name_end = m.end("number") if m.group("number") else m.end("name")
            role = next((r for w in label_key(m.group("desc") or "").split() if (r := label_role(w))), None)
            return Label(Span.of(text, m.start("name"), name_end), body, bool(stamp or m.group("stamp")), role)
    return _bare_q(text, start, end)


def after_notes(text: str, start: int, end: int) -> int:
    """`start` moved past the stage notes and timestamps opening text[start:end] ("(00:12) The …")."""
    while (m := _NOTE_AT.match(text, start, end)) is not None:
        start = trim(text, m.end(), end)[0]
    return start


def _bare_q(text: str, start: int, end: int) -> Label | None:
    """A "Q" opening the line before the words of a question, without a colon.

    "Q and A sessions …" is prose: after a single ordinary space the question must open with a
    capital or take up an interrupted one ("— or"); the White House's run of non-breaking spaces
    (or several spaces) is layout, and marks the label whatever follows.
    """
    m = _BARE_Q.match(text, start, end)
    if m is None:
        return None
    body, _ = trim(text, m.end(), end)
    layout_gap = "\xa0" in m.group("gap") or len(m.group("gap")) > 1
    first = text[body:end].lstrip("\"“‘(")[:1]
    if not (layout_gap or first.isupper() or text[body] in _BARE_Q_OPENINGS):
        return None
    return Label(Span.of(text, start, start + 1), body)


def is_note(text: str, start: int, end: int) -> bool:
    """Whether the line text[start:end] is only stage notes or timestamps: "(Laughter.)", "[crosstalk]",
    "(00:12)", "(A video is played.)"; they are nobody's words."""
    return _NOTE_LINE.fullmatch(text, start, end) is not None


@dataclass(frozen=True)
class Role:
    """What a label says of its speaker's office: "THE PRESIDENT" is the title "President" and no
    name; "SECRETARY POMPEO" the title "Secretary" and the name "Pompeo"."""

    title: str
    name: str | None

    @property
    def key(self) -> str:
        return role_key(self.title)


def role_key(title: str) -> str:
    """One spelling of an office: "THE PRESIDENT", "President" -> "president"."""
    words = label_key(title).split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


# A transcriber's label for a voice it could not name (Rev: "Speaker 1", "Unknown Speaker",
# "Audience Member"): an unknown source of its document, no office ("Speaker" is also a title).
_UNNAMED_VOICE = re.compile(r"(?i)(?:(?:unknown|unidentified|male|female|other)\s+)?(?:speaker|voice|audience(?:\s+member)?|"
                            r"participant|caller|aide|staff(?:er)?|announcer|narrator|crowd|protester)(?:\s*#?\d+)?")


def unnamed_voice(label: str) -> bool:
    """Whether a label names no one: "Speaker 2", "Unknown Speaker", "Audience Member", "AIDE"."""
    return _UNNAMED_VOICE.fullmatch(label.strip()) is not None


def label_title(label: str) -> Role | None:
    """The office a label names, if it names one: "THE VICE PRESIDENT", "SECRETARY POMPEO",
    "ACTING UNDER SECRETARY BRYAN"; "DR. FAUCI", "Matthew Miller" and "Speaker 2" name no office
    (an honorific is not one, nor a transcriber's number)."""
    if unnamed_voice(label):
        return None
    words = label.split()
    if len(words) > 1 and words[0].casefold() == "the":
        return Role(uncapitalized(" ".join(words[1:])), None)  # "the" goes before an office, never a name
    folded = [_fold(w) for w in words]
    last = max((i for i, w in enumerate(folded) if w in TITLE_WORDS), default=-1)  # "REAR ADMIRAL POLOWCZYK"
    if last < 0 or not _OFFICES.intersection(folded[:last + 1]):
        return None
    return Role(uncapitalized(" ".join(words[:last + 1])), uncapitalized(" ".join(words[last + 1:])) or None)


def role_names(text: str, spans: Iterable[tuple[int, int]]) -> dict[str, set[str]]:
    """Office key -> the names the given stretches of `text` give its holders ("President Trump",
    "Vice President Pence", "Secretary of State Mike Pompeo"); an office named without a name
    ("the President") adds none."""
    found: dict[str, set[str]] = {}
    for start, end in spans:
        run: list[str] = []
        last = start
        for m in _WORD.finditer(text, start, end):
            word = m.group()
            joined = bool(run) and _NAME_GAP.fullmatch(text, last, m.start()) is not None and not _ends_sentence(run[-1])
            if joined and (word[0].isupper() or (word == "of" and _fold(run[-1]) in TITLE_WORDS)):
                run.append(word)  # "of" joins "Secretary of State"
            else:
                _add_names(run, found)
                run = [word] if word[0].isupper() else []
            last = m.end()
        _add_names(run, found)
    return found


def _add_names(run: list[str], found: dict[str, set[str]]) -> None:
    for role in _titled(run):
        if role.name is not None:
            found.setdefault(role.key, set()).add(role.name)


def _fold(word: str) -> str:
    return word.casefold().rstrip(".")


def _ends_sentence(word: str) -> bool:
    """A full stop after a word that is no initial or abbreviation ("Pompeo." but not "J." or "Gov.")."""
    stem = _fold(word)
    abbreviated = (len(stem) <= _ABBREVIATION and stem in TITLE_WORDS) or stem in PARTICLES
    return word.endswith(".") and len(stem) > 1 and not abbreviated


def _titled(words: list[str]) -> list[Role]:
    """Each title in a run of capitalised words and the name after it: "Vice President Mike Pence"
    -> ("Vice President", "Mike Pence"); a title of honorifics or qualifiers alone is none."""
    out: list[Role] = []
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and _fold(words[j]) in _IN_TITLES:
            j += 1
        while j > i and words[j - 1] == "of":
            j -= 1
        k = j
        while k < len(words) and _fold(words[k]) not in _IN_TITLES and _fold(words[k]) not in _NAME_STOPS:
            k += 1
        title = words[i:j]
        if title and _OFFICES.intersection(map(_fold, title)):
            name = " ".join(words[j:k]).rstrip(".") if k - j <= _ROLE_NAME_WORDS else None
            if name and words[k - 1].endswith(".") and len(words[k - 1]) <= 2:
                name += "."  # an initial keeps its stop
            out.append(Role(uncapitalized(" ".join(title)), uncapitalized(name) if name else None))
        i = max(k, i + 1)
        while i < len(words) and _fold(words[i]) in _NAME_STOPS:
            i += 1
    return out


def is_question(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends by asking: a final "?", or a last sentence shaped like a question."""
    start, end = trim(text, start, end)
    end = _before_notes(text, start, end)
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


def _before_notes(text: str, start: int, end: int) -> int:
    """`end` moved back past stage notes closing text[start:end]: "When? [crosstalk]" asks."""
    while end > start and text[end - 1] in ")]":
        opener = text.rfind("(" if text[end - 1] == ")" else "[", start, end)
        if opener < 0 or not is_note(text, opener, end):
            break
        end = trim(text, start, opener)[1]
    return end


def _is_description(words: str) -> bool:
    """Whether the words after a label's comma describe the speaker ("HOST", "BYLINE", "U.S.
    SECRETARY OF STATE", "CNN CHIEF WHITE HOUSE CORRESPONDENT"): capitalised, with a role or a
    title among them; "However, Trump said:" is prose."""
    folded = [_fold(w) for w in words.split()]
    if not all(w[0].isupper() or f in ("of", "for", "and") for w, f in zip(words.split(), folded, strict=True)):
        return False
    return any(f in _ROLE_LABELS or f in TITLE_WORDS or f in _DESCRIBING for f in folded)


def _is_name(name: str) -> bool:
    words = name.split()
    titles = 0
    while titles < len(words) - 1 and _fold(words[titles]) in _IN_TITLES:
        titles += 1
    capitalised = [w for w in words[titles:] if w[0].isupper()]
    if not 1 <= len(capitalised) <= _MAX_NAME_WORDS or not words[-1][0].isupper():
        return False
    if any(not w[0].isupper() and w.casefold() not in PARTICLES for w in words):
        return False
    key = label_key(name)
    return key not in _NOT_SPEAKERS and key.rsplit(" ", 1)[-1] not in _NOT_SPEAKERS  # "Video Transcript"
