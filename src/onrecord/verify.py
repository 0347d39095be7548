"""Verify: was it said so? How faithfully each quote of a record reproduces its speaker's words.

The policy around the alignment engine (`align.py`, which says what each verdict means): which
primary sources a quote is judged against, whose words it is found to be, and how each kind of
quote is judged. Sources in order: the document's own transcript turns, then other documents.

Within a source with turns, a quote is checked first against its speaker's own turns: by id in
the quote's record; in another document, the turns whose speaker is the credited one - the same
name by `identity.same_speaker` (so Sarah Austin's quote is never checked against Lloyd Austin's
turns), or, when the turn names a role and no one else ("THE PRESIDENT:"), a role the article
gives the speaker ("President Donald Trump"; "Vice President" never matches "President"; a
place before the role, "US President", is allowed) unless both documents are dated and more than
`ROLE_DATE_WINDOW_DAYS` apart; a name the source ties to the role (its speaker's name, or its
title's "Remarks by President Trump") settles it either way. A speaker with no such turn may be a voice the source
does not name (a reporter's "Q", an unlabelled turn): those turns are theirs to be checked
against, so a named reporter's "that is not true" is no one else's (in a "Q:" / "A:" interview,
the answers for the interviewee, the questions for someone the article calls a reporter). When the words are not in
those turns, the whole source is searched: words found under another speaker are reported as
theirs (`Fidelity.speaker_match` with `same=False`, a misattribution such as a reporter's
question credited to the President); words found nowhere are `unsupported`. `no_source` means
that nothing was given to check against, or (align's minimum evidence) a quote of a word or two
of a named speaker with no turns in the source, too little to tell whose words they are.

Mixed quotes: each quoted fragment is checked as a direct quote and the quote gets the worst
fragment's verdict; the words around the fragments are the reporter's. Quotes inside a
transcript are not checked against that same transcript (they are the speaker's words, or
someone quoted by them), only against other sources. An attributed headline ("claim: Name")
is a quote of the record like any other (extraction marks it `headline`); without quote marks
it is a summary, judged as indirect speech.
"""
from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import pairwise

from spacy.lang.en.stop_words import STOP_WORDS

from .align import Source, check
from .identity import PER_DOCUMENT_KINDS, mistyped_person, person_key, role_key, same_person, same_speaker
from .labels import label_key
from .marks import find_quoted
from .names import HONORIFICS, TITLE_WORDS, fold
from .record import Fidelity, Quote, Record, Speaker, SpeakerMatch, Turn

log = logging.getLogger(__name__)

# Verdicts, best first: a mixed quote gets its worst fragment's, a quote its best source's.
RANK = {"verbatim": 0, "minor": 1, "altered": 2, "paraphrase": 3, "unsupported": 4, "no_source": 5}
# A role names its holder at the time of writing: an article's "President" is the transcript's
# "THE PRESIDENT" only when the two were written within this many days (roles change hands at
# elections and appointments; an article half a year later may name a successor).
ROLE_DATE_WINDOW_DAYS = 180
# Words that change which role a title names, beyond `names.TITLE_WORDS` ("Under Secretary" is
# not "Secretary"): a title with one of them in front of a role is another role.
_ROLE_RANKS = frozenset("under assistant associate interim lieutenant senior principal".split())
# At most this many words before a role may be its place ("US President", "New York Governor").
_MAX_PLACE_WORDS = 3
# Another speaker's turns are taken as the quote's source only when they hold its words (altered
# or better): shared content words alone (paraphrase) are too weak to credit someone else.
_WORDS_FOUND = RANK["altered"]
# The credited speaker's turns need no look elsewhere when they hold the words (altered or better):
# a reporter repeating the words back ("your authority is total?") does not make them the reporter's.
_SETTLED = RANK["altered"]
# In a corpus, a quote is checked against the sources sharing most of its word pairs, this many:
# a statement is published in one transcript, and a few more cover a repeat or a second copy.
SOURCES_PER_QUOTE = 3
# ... among those holding at least this many of its content word pairs (one pair, "the White
# House", is chance) and this share of them: half of a quote's pairs means its words are there
# (an altered quote keeps half its words in runs), a quarter of an article's quotes' pairs
# together means the source is the event the article reports.
MIN_SHARED_PAIRS = 2
QUOTE_PAIR_SHARE = 0.5
RECORD_PAIR_SHARE = 0.25
_TITLE_TOKEN = re.compile(r"[\w’'.-]+|[^\w\s]")
# Labels that name a side of the exchange, no one in particular: State's "QUESTION:", the White
# House's "Q", an interview's "A".
_UNNAMED_LABELS = frozenset({"q", "question", "a", "answer"})
# Titles of the people who ask: an article's "reporter Lena Park" asked the unnamed questions.
_PRESS_WORDS = frozenset("reporter correspondent journalist host anchor interviewer moderator editor".split())


@dataclass(frozen=True)
class _Voice:
    """Who speaks one turn, as far as the source says: the label as published (or the speaker's
    name), a name (None when the turn names only a role, "THE PRESIDENT") and the roles."""

    label: str
    name: str | None
    kind: str | None
    roles: frozenset[str]


def _label_parts(label: str) -> tuple[str, str | None]:
    """A turn label split into its role and the name after it: "ACTING UNDER SECRETARY BRYAN"
    -> ("acting under secretary", "BRYAN"); "THE PRESIDENT" -> ("president", None); "DR. FAUCI"
    -> ("", "FAUCI"); "Matthew Miller" -> ("", "Matthew Miller")."""
    words = label.split()
    k = 0
    while k < len(words) and (fold(words[k]) in ("the", *HONORIFICS) or fold(words[k]) in TITLE_WORDS
                              or fold(words[k]) in _ROLE_RANKS):
        k += 1
    role = role_key(" ".join(w for w in words[:k] if fold(w) not in HONORIFICS))
    return role, (" ".join(words[k:]) or None)


def _named_in_title(title: str | None, role: str) -> str | None:
    """The name a document's title ties a role to: "Remarks by President Trump, Vice President
    Pence, …" ties "president" to "Trump" (and "vice president" to "Pence"); None when it does not."""
    if not title or not role:
        return None
    words = _TITLE_TOKEN.findall(title)
    role_words = role.split()
    n = len(role_words)
    for i in range(len(words) - n):
        before = fold(words[i - 1]) if i else ""
        if [role_key(w) for w in words[i:i + n]] != role_words or before in TITLE_WORDS or before in _ROLE_RANKS:
            continue
        name = []
        for w in words[i + n:i + n + 2]:
            if not w[0].isupper() or fold(w) in TITLE_WORDS or fold(w) in _ROLE_RANKS:
                break
            name.append(w)
        if name:
            return " ".join(name)
    return None


def _voice(doc: Record, turn: Turn) -> _Voice | None:
    """The voice of a turn: its label's role and name, with the turn's speaker when the speaker
    agrees with the label (a record's speaker that contradicts its label is not trusted)."""
    speaker = doc.speaker(turn.speaker)
    label = turn.label.text.strip().rstrip(":").strip() if turn.label else None
    if not label:
        if speaker is None:
            return None
        return _Voice(speaker.name, speaker.name, speaker.kind, _roles_of(speaker))
    role, name = _label_parts(label)
    if label_key(label.rstrip(".")) in _UNNAMED_LABELS:  # "Q", "QUESTION": from the floor, the asker not named
        return _Voice(label, None, None, frozenset())
    roles = frozenset({role} - {""})
    kind: str | None = "person"
    if speaker is not None and _agrees(speaker, role, name):
        roles |= _roles_of(speaker)
        if person_key(speaker.name) is not None and not _is_role_name(speaker.name):
            name, kind = speaker.name, speaker.kind
    if name is None:
        name = _named_in_title(doc.title, role)
    return _Voice(label, name, kind, roles)


def _unnamed(voice: _Voice | None) -> bool:
    """A voice the source gives neither a name nor a role ("Q", an unlabelled turn of no one):
    it may be anyone without turns of their own, such as the reporter an article names."""
    return voice is None or (voice.name is None and not voice.roles) or voice.kind in PER_DOCUMENT_KINDS


def _is_role_name(name: str) -> bool:
    """A speaker "name" that is a role only ("The President")."""
    return _label_parts(name)[1] is None


def _agrees(speaker: Speaker, role: str, name: str | None) -> bool:
    if name is not None:
        return same_speaker(speaker.name, speaker.kind, name, "person")
    return bool(role) and (role in _roles_of(speaker) or _label_parts(speaker.name)[0] == role)


def _roles_of(speaker: Speaker) -> frozenset[str]:
    return frozenset(r for r in (_label_parts(t)[0] or role_key(t) for t in speaker.titles) if r)


def _same_role(credited: str, turn: str) -> bool:
    """The article's role is the turn's: equal, or the turn's role with a place in front ("us
    president" / "president"), never with a rank word ("vice president", "former president")."""
    if credited == turn:
        return True
    if not credited.endswith(" " + turn):
        return False
    extra = credited[:-len(turn)].split()
    return len(extra) <= _MAX_PLACE_WORDS and not any(w in TITLE_WORDS or w in _ROLE_RANKS for w in extra)


def _day(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def _dates_agree(a: str | None, b: str | None) -> bool:
    da, db = _day(a), _day(b)
    return da is None or db is None or abs((da - db).days) <= ROLE_DATE_WINDOW_DAYS


def _credits(speaker: Speaker, speaker_doc: Record, voice: _Voice | None, doc: Record) -> bool:
    """Whether a turn's voice is the credited speaker: the same name, or (when the turn names no
    one but a role, or a name the credited one cannot be told apart from) a shared role at dates
    that agree. Names that differ settle it: THE PRESIDENT tied to "Donald Trump" is never "Joe
    Biden", whatever the title. A person's name the article's tagger typed as an organisation
    ("Pence said") is the person the turn names so (`identity.mistyped_person`)."""
    if voice is None:
        return False
    if voice.name is not None and same_speaker(speaker.name, speaker.kind, voice.name, voice.kind):
        return True
    if voice.name is not None and voice.kind == "person" and (mistyped := mistyped_person(speaker.name, speaker.kind)):
        # the source labels a person of that name: the article's "organisation" is the tagger's slip
        voiced = person_key(voice.name)
        return voiced is not None and same_person(mistyped, voiced)
    if voice.name is not None and person_key(speaker.name) is not None:
        return False
    roles = _roles_of(speaker)
    return any(_same_role(r, t) for r in roles for t in voice.roles) and _dates_agree(
        speaker_doc.published, doc.published)


class _Doc:
    """One source document prepared once: its turns' voices, and a Source per set of turns,
    tokenised and indexed once and shared by every quote that reads it."""

    def __init__(self, doc: Record, own_record: bool):
        self.doc, self.own_record = doc, own_record
        self.turns = sorted(doc.turns, key=lambda t: t.start)
        self.starts = [t.start for t in self.turns]
        self._voices: dict[str, _Voice | None] = {}
        self._built: dict[tuple[tuple[str, ...] | None, bool], Source | None] = {}
        self._own: dict[tuple[Speaker, str | None], list[Turn]] = {}

    def voice(self, turn: Turn) -> _Voice | None:
        if turn.id not in self._voices:
            self._voices[turn.id] = _voice(self.doc, turn)
        return self._voices[turn.id]

    def source(self, turns: Sequence[Turn] | None, own: bool) -> Source | None:
        """The Source of these turns (None: the whole text); None when it has no words to use."""
        key = (None if turns is None else tuple(t.id for t in turns), own)
        if key not in self._built:
            regions = None if turns is None else [(t.start, t.end) for t in turns]
            src = Source(self.doc.text, regions, doc=self.doc.doc_id, own=own, notes=turns is not None)
            self._built[key] = _usable(src, self.doc, self.own_record)
        return self._built[key]

    def turn_at(self, offset: int | None) -> Turn | None:
        if offset is None:
            return None
        i = bisect_right(self.starts, offset) - 1
        return self.turns[i] if i >= 0 and offset < self.turns[i].end else None

    def own_turns(self, record: Record, speaker_id: str | None) -> list[Turn]:
        """The credited speaker's turns: by id in the quote's own record, by `_credits` in another."""
        if speaker_id is None:
            return []
        if self.own_record:
            return [t for t in self.turns if t.speaker == speaker_id]
        speaker = record.speaker(speaker_id)
        if speaker is None:
            return []
        key = (speaker, record.published)
        if key not in self._own:
            verdicts: dict[_Voice | None, bool] = {}  # turns share few voices: each is asked once
            for t in self.turns:
                voice = self.voice(t)
                if voice not in verdicts:
                    verdicts[voice] = _credits(speaker, record, voice, self.doc)
            own = [t for t in self.turns if verdicts[self.voice(t)]]
            self._own[key] = own or _side(speaker, [t for t in self.turns if _unnamed(self.voice(t))])
        return self._own[key]


def _side(speaker: Speaker, unnamed: list[Turn]) -> list[Turn]:
    """The unnamed turns a speaker may have spoken: when both sides of the exchange are unnamed
    ("Q:" and "A:"), the questions for one the article calls a reporter, host or the like, the
    answers for anyone else (the interviewee is who an article quotes); else all of them."""
    asking = [t for t in unnamed if t.role == "interviewer"]
    answering = [t for t in unnamed if t.role == "interviewee"]
    if not asking or not answering:
        return unnamed
    press = any(w in _PRESS_WORDS for title in speaker.titles for w in fold(title).split())
    return asking if press else answering


def _usable(src: Source, doc: Record, own_record: bool) -> Source | None:
    """The source, or None (logged, for another document) when it has no English words."""
    if not own_record and not src.looks_english():
        log.warning("%s: source has no English text to check quotes against; not used", doc.source or doc.doc_id)
        return None
    return src if len(src) else None


def _inside_transcript(record: Record, quote: Quote) -> bool:
    return any(s.kind == "transcript" and s.start <= quote.start < s.end for s in record.sections) or any(
        t.start <= quote.start < t.end for t in record.turns)


def _check_quote(quote: Quote, sources: Sequence[Source]) -> Fidelity:
    """A quote by its type; an attributed headline without quote marks ("No attempts to widen
    conflict: Kirby") is the headline writer's summary, judged as indirect speech (copied words
    or a paraphrase, never "altered"). A mixed quote by its quoted fragments, each as direct speech: the
    quote gets the worst fragment's verdict and all their changes. The words around the
    fragments are the reporter's framing ("the new terminal", "he was"), not held to the source."""
    if quote.type != "mixed":
        summary = quote.headline and not find_quoted(quote.text, [(0, len(quote.text))])
        return check(quote.text, "indirect" if summary else quote.type, sources)
    fragments = [(f.start - quote.start, f.end - quote.start) for f in quote.fragments] or [
        (m.start, m.end) for m in find_quoted(quote.text, [(0, len(quote.text))])] or [(0, len(quote.text))]
    verdicts = [check(quote.text[a:b], "direct", sources) for a, b in fragments]
    worst = max(verdicts, key=lambda f: RANK[f.status])
    if len(verdicts) > 1:
        worst = replace(worst, changes=tuple(c for f in verdicts for c in f.changes))
    return worst


def _matched(fidelity: Fidelity, doc: _Doc, same: bool) -> Fidelity:
    """The verdict with whose words it found (`speaker_match`), when it found words in a turn."""
    if RANK[fidelity.status] > RANK["paraphrase"]:
        return fidelity
    turn = doc.turn_at(fidelity.source_start)
    if turn is None:
        return fidelity
    voice = doc.voice(turn)
    speaker = doc.doc.speaker(turn.speaker)
    label = voice.label if voice else (speaker.name if speaker else "")
    name = voice.name if voice and voice.name else (speaker.name if speaker else None)
    return replace(fidelity, speaker_match=SpeakerMatch(label, name, turn.id, same))


def _check_in(record: Record, quote: Quote, doc: _Doc) -> Fidelity | None:
    """The quote against one document: its speaker's turns first, then the rest of the document
    (see the module docstring); None when the document offers nothing to check against."""
    if not doc.turns:
        whole = doc.source(None, False) if not doc.own_record else None
        return _check_quote(quote, [whole]) if whole is not None else None
    own_turns = doc.own_turns(record, quote.speaker)
    own = doc.source(own_turns, True) if own_turns else None
    ids = {t.id for t in own_turns}
    rest_turns = [t for t in doc.turns if t.id not in ids]
    if own is not None:
        verdict = _check_quote(quote, [own])
        if RANK[verdict.status] <= _SETTLED:
            return _matched(verdict, doc, True)
        rest = doc.source(rest_turns, False) if rest_turns else None
        other = _check_quote(quote, [rest]) if rest is not None else None
        if other is not None and RANK[other.status] <= _WORDS_FOUND and RANK[other.status] < RANK[verdict.status]:
            return _matched(other, doc, False)
        return _matched(verdict, doc, True)
    everything = doc.source(doc.turns, False)
    if everything is None:
        return None
    verdict = _check_quote(quote, [everything])
    if verdict.status == "no_source":  # too short to judge from anywhere in the document
        return _too_short(record, quote, doc)
    turn = doc.turn_at(verdict.source_start)
    if verdict.status == "paraphrase" and turn is not None and turn.role == "interviewer":
        return Fidelity("unsupported", similarity=verdict.similarity)  # a question is no one's statement
    return _matched(verdict, doc, False)


def _too_short(record: Record, quote: Quote, doc: _Doc) -> Fidelity:
    """A quote of a word or two, of a speaker with no turns here: a random occurrence proves
    nothing against a named person (no_source: too little to tell whose), but shows an unnamed
    one's words ("a reporter said it was 'not true'"); words found nowhere are unsupported."""
    exact = _check_quote(quote, [src]) if (src := doc.source(doc.turns, True)) is not None else Fidelity("no_source")
    if exact.status != "verbatim":
        return Fidelity("unsupported")
    speaker = record.speaker(quote.speaker)
    if speaker is not None and speaker.kind not in PER_DOCUMENT_KINDS:
        return Fidelity("no_source")
    return _matched(exact, doc, False)


def verify(record: Record, sources: Sequence[Record] = (), *, use_transcript: bool = True) -> Record:
    """The record with `fidelity` set on every quote (an attributed headline's claim among
    them, as extraction records it). Sources in order of preference: the record's own transcript
    turns, then each of `sources`; within each, the quote's speaker's turns, then the rest of the
    document (module docstring). Each source gives a verdict; the least severe wins, then the
    credited speaker's words, then the closer match, then the earlier source. `unsupported` when
    a source was there to check against and holds no such words; `no_source` only when there
    was none. Sources with no English words are logged and skipped."""
    docs = ([_Doc(record, True)] if use_transcript and record.turns else []) + [_Doc(s, False) for s in sources]
    quotes = []
    for quote in record.quotes:
        inside = _inside_transcript(record, quote)
        found = [f for d in docs if not (d.own_record and inside) for f in [_check_in(record, quote, d)] if f]
        best = min(found, key=lambda f: (RANK[f.status], bool(f.speaker_match and not f.speaker_match.same),
                                         -(f.similarity or 0.0)), default=Fidelity("no_source"))
        quotes.append(replace(quote, fidelity=best))
    return record.evolve(quotes=tuple(quotes))


class _SourceIndex:
    """Which of many sources may hold a record's quotes: each source's content word pairs (pairs
    with a word that is not a stop word) indexed once. A quote's candidates are the sources
    holding at least `QUOTE_PAIR_SHARE` of its pairs (its words are there); an article's (a
    record without turns) also the sources holding `RECORD_PAIR_SHARE` of its quotes' pairs
    together (the event it reports, where its indirect quotes are judged too). Linear in the
    text indexed."""

    def __init__(self, sources: Sequence[Record]):
        self.sources = list(sources)
        self.pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
        for n, doc in enumerate(self.sources):
            spans = [(t.start, t.end) for t in doc.turns] or [(0, len(doc.text))]
            for pair in {p for a, b in spans for p in _pairs(doc.text[a:b])}:
                self.pairs[pair].append(n)

    def _holding(self, pairs: set[tuple[str, str]], share: float, record: Record, limit: int) -> list[int]:
        votes = Counter(n for pair in pairs for n in self.pairs.get(pair, ()))
        return [n for n, k in votes.most_common() if k >= max(MIN_SHARED_PAIRS, share * len(pairs))
                and self.sources[n].text != record.text][:limit]

    def for_quotes(self, record: Record, per_quote: int) -> list[tuple[int, ...]]:
        """Per quote of the record, the indexes of its candidate sources."""
        quote_pairs = [set(_pairs(q.text)) for q in record.quotes]
        shared: list[int] = []
        if not record.turns and quote_pairs:
            shared = self._holding(set().union(*quote_pairs), RECORD_PAIR_SHARE, record, per_quote)
        return [tuple(sorted({*self._holding(p, QUOTE_PAIR_SHARE, record, per_quote), *shared}))
                for p in quote_pairs]


def _pairs(text: str) -> list[tuple[str, str]]:
    words = fold(text).split()
    return [(a, b) for a, b in pairwise(words) if a not in STOP_WORDS or b not in STOP_WORDS]


def verify_corpus(records: Iterable[Record], sources: Sequence[Record], *,
                  per_quote: int = SOURCES_PER_QUOTE) -> Iterator[Record]:
    """Each record with its quotes verified (`verify`), each against the few of `sources` (a
    corpus's transcripts and briefings) that hold its words (`_SourceIndex`); a source is never
    checked against itself, and a quote with no such source is checked against none (its own
    transcript aside)."""
    index = _SourceIndex(sources)
    for record in records:
        chosen = index.for_quotes(record, per_quote)
        checked: dict[str, Quote] = {}
        for group in dict.fromkeys(chosen):
            quotes = tuple(q for q, c in zip(record.quotes, chosen, strict=True) if c == group)
            part = verify(record.evolve(quotes=quotes), [index.sources[n] for n in group])
            checked.update((q.id, q) for q in part.quotes)
        yield record.evolve(quotes=tuple(checked[q.id] for q in record.quotes))


__all__ = ["MIN_SHARED_PAIRS", "QUOTE_PAIR_SHARE", "RANK", "RECORD_PAIR_SHARE", "ROLE_DATE_WINDOW_DAYS",
           "SOURCES_PER_QUOTE", "verify", "verify_corpus"]
