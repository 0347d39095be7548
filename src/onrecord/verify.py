"""Verify: was it said so? How faithfully each quote of a record reproduces its speaker's words.

The policy around the alignment engine (`align.py`, which says what each verdict means): which
primary sources a quote is judged against, and how each kind of quote is judged. Sources in
order: the document's own transcript turns, then other documents; within each, the quote's
speaker's own turns (by id in the quote's record; in another, the turns of the same speaker by
`identity.same_speaker`, so Sarah Austin's quote is never checked against Lloyd Austin's turns),
else for an unknown speaker all turns but the interviewer's.

Mixed quotes: each quoted fragment is checked as a direct quote and the quote gets the worst
fragment's verdict; the words around the fragments are the reporter's. Quotes inside a
transcript are not checked against that same transcript (they are the speaker's words, or
someone quoted by them), only against other sources. An attributed headline ("claim: Name")
is a quote of the record like any other (extraction marks it `headline`).
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from .align import Source, check
from .identity import same_speaker
from .marks import find_quoted
from .record import Fidelity, Quote, Record, Speaker, Turn

log = logging.getLogger(__name__)

# Verdicts, best first: a mixed quote gets its worst fragment's, a quote its best source's.
RANK = {"verbatim": 0, "minor": 1, "altered": 2, "paraphrase": 3, "unsupported": 4, "no_source": 5}


class _Sources:
    """The sources of one record for each speaker; each distinct stretch of a document is
    tokenised and indexed once and shared by every quote and speaker that reads it."""

    def __init__(self, record: Record, others: Sequence[Record], use_transcript: bool):
        self.record, self.docs, self.use_transcript = record, (record, *others), use_transcript
        self._built: dict[tuple[int, tuple[tuple[int, int], ...] | None, bool], Source | None] = {}

    def for_speaker(self, speaker_id: str | None, *, inside_transcript: bool = False) -> list[Source]:
        speaker = self.record.speaker(speaker_id)
        found = []
        for n, doc in enumerate(self.docs):
            own_record = n == 0
            if own_record and (inside_transcript or not self.use_transcript):
                continue
            regions, own = _regions_of(doc, speaker_id, speaker, own_record=own_record)
            if regions == ():
                continue
            key = (n, regions, own)
            if key not in self._built:
                self._built[key] = _usable(Source(doc.text, regions, doc=doc.doc_id, own=own), doc, own_record)
            built = self._built[key]
            if built is not None:
                found.append(built)
        return found


def _regions_of(doc: Record, speaker_id: str | None, speaker: Speaker | None, *,
                own_record: bool) -> tuple[tuple[tuple[int, int], ...] | None, bool]:
    """Which stretches of a record are a source for one speaker, and whether they are that
    speaker's own words: (regions, own); regions None for the whole text, () for nothing.

    Their turns when it has any (matched by id in the quote's own record, by name in another);
    for a known speaker without turns, only the turns whose speaker is unknown (a labelled
    transcript of someone else says nothing about them); for an unknown speaker, every turn but
    the interviewer's. Another document without turns is used whole. "Same speaker" across
    documents is `identity.same_speaker`.
    """
    turns: list[Turn] = list(doc.turns)
    if own_record:
        own = [t for t in turns if speaker_id is not None and t.speaker == speaker_id]
    else:
        own = [t for t in turns if speaker is not None and _same_as(doc.speaker(t.speaker), speaker)]
    if own:
        chosen = own
    elif speaker_id is not None:
        chosen = [t for t in turns if t.speaker is None and t.role != "interviewer"]
    else:
        chosen = [t for t in turns if t.role != "interviewer"]
    if chosen:
        return tuple((t.start, t.end) for t in chosen), bool(own)
    return (() if turns or own_record else None), False


def _same_as(turn_speaker: Speaker | None, speaker: Speaker) -> bool:
    return turn_speaker is not None and same_speaker(turn_speaker.name, turn_speaker.kind, speaker.name, speaker.kind)


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
    """A quote by its type. A mixed quote by its quoted fragments, each as direct speech: the
    quote gets the worst fragment's verdict and all their changes. The words around the
    fragments are the reporter's framing ("the new terminal", "he was"), not held to the source."""
    if quote.type != "mixed":
        return check(quote.text, quote.type, sources)
    fragments = [(f.start - quote.start, f.end - quote.start) for f in quote.fragments] or [
        (m.start, m.end) for m in find_quoted(quote.text, [(0, len(quote.text))])] or [(0, len(quote.text))]
    verdicts = [check(quote.text[a:b], "direct", sources) for a, b in fragments]
    worst = max(verdicts, key=lambda f: RANK[f.status])
    if len(verdicts) > 1:
        worst = replace(worst, changes=tuple(c for f in verdicts for c in f.changes))
    return worst


def verify(record: Record, sources: Sequence[Record] = (), *, use_transcript: bool = True) -> Record:
    """The record with `fidelity` set on every quote (an attributed headline's claim among
    them, as extraction records it). Sources in order of preference: the record's own transcript turns, then
    each of `sources`; within each, the quote's speaker's turns (by id here, by name in another
    document), else for an unknown speaker all turns but the interviewer's, else (another
    document without turns) the whole text. Each source gives a verdict; the least severe wins,
    then the closer match, then the earlier source. Sources with no English words are logged
    and skipped."""
    prepared = _Sources(record, sources, use_transcript)
    quotes = []
    for quote in record.quotes:
        found = prepared.for_speaker(quote.speaker, inside_transcript=_inside_transcript(record, quote))
        best = min(
            (_check_quote(quote, [src]) for src in found),
            key=lambda f: (RANK[f.status], -(f.similarity or 0.0)),
            default=Fidelity("no_source"),
        )
        quotes.append(replace(quote, fidelity=best))
    return record.evolve(quotes=tuple(quotes))


__all__ = ["RANK", "verify"]
