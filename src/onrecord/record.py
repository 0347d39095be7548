"""The record: typed, frozen dataclasses for what onrecord says about one document.

Every span indexes `Record.text` (Python str code points, end exclusive), so that
``text[start:end] == span.text`` always holds. ``to_dict`` gives the onrecord/1 JSON
contract (shared/spec/document.schema.json); ``from_dict`` reads it back, so the store,
the web view and the scale-out run all speak the same record.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

SCHEMA = "onrecord/1"
"""The contract a record's JSON follows (`to_dict()["schema"]`)."""

QUOTE_TYPES = ("direct", "mixed", "indirect")
"""`Quote.type`: the words in quote marks, a report holding quoted words, a report in other words."""
SPEAKER_KINDS = ("person", "organization", "group", "anonymous", "unknown")
"""`Speaker.kind`."""
GENDERS = ("female", "male", "unknown")
"""`Speaker.gender`: from the text's evidence (pronouns, honorifics), never from a name alone."""
ROLES = ("interviewer", "interviewee", "other")
"""`Turn.role` in a transcript."""
FIDELITY_STATUSES = ("verbatim", "minor", "altered", "paraphrase", "unsupported", "no_source")
"""`Fidelity.status`, from faithful to unchecked (README, "Fidelity")."""

CONFIDENCE_DECIMALS = 3
"""`Quote.confidence` is rounded to this many decimals when the quote is made: the scores are
products of a few hand-set factors (0.7 x 0.8), and float noise (0.5599999999999999) must not
reach the JSON, the database or an export."""


@dataclass(frozen=True)
class Span:
    """A stretch of `Record.text`: `text == record.text[start:end]` (code points, end exclusive)."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """The span of ``text[start:end]``; the one way spans are made, so they cannot drift."""
        return cls(start, end, text[start:end])

    def to_dict(self) -> dict[str, Any]:
        """The span as onrecord/1 JSON: start, end, text."""
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict | None) -> Span | None:
        """The span of `to_dict`'s JSON; None for None (an absent optional span)."""
        return None if d is None else cls(d["start"], d["end"], d["text"])


@dataclass(frozen=True)
class Section:
    """A part of the document: "article" prose or a "transcript" of turns, by character range."""

    kind: str  # "article" | "transcript"
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """The section as onrecord/1 JSON."""
        return {"kind": self.kind, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: dict) -> Section:
        """The section of `to_dict`'s JSON."""
        return cls(d["kind"], d["start"], d["end"])


@dataclass(frozen=True)
class Speaker:
    """One person or organisation of the document (resolved within it): its canonical `name`,
    `kind` (one of `SPEAKER_KINDS`), every mention that names it and the titles it holds."""

    id: str
    name: str
    kind: str
    mentions: tuple[Span, ...] = ()
    titles: tuple[str, ...] = ()
    # From evidence in the text only (pronouns bound to the speaker, honorifics), never a name alone;
    # one of `GENDERS`, "unknown" when the text says nothing or its evidence conflicts.
    gender: str = "unknown"
    gender_evidence: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The speaker as onrecord/1 JSON."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "titles": list(self.titles),
            "mentions": [m.to_dict() for m in self.mentions],
            "gender": self.gender,
            "gender_evidence": [g.to_dict() for g in self.gender_evidence],
        }

    @classmethod
    def from_dict(cls, d: dict) -> Speaker:
        """The speaker of `to_dict`'s JSON."""
        return cls(
            id=d["id"],
            name=d["name"],
            kind=d["kind"],
            mentions=tuple(_span(m) for m in d.get("mentions", [])),
            titles=tuple(d.get("titles", [])),
            gender=d.get("gender", "unknown"),
            gender_evidence=tuple(_span(g) for g in d.get("gender_evidence", [])),
        )


@dataclass(frozen=True)
class Change:
    """One word-level difference between a quote and its source."""

    op: str  # "insert" | "delete" | "replace"
    quote: str
    source: str
    kind: str | None = None  # e.g. "ellipsis", "bracket", "contraction", "spelling"

    def to_dict(self) -> dict[str, Any]:
        """The change as onrecord/1 JSON (`kind` only when there is one)."""
        d = {"op": self.op, "quote": self.quote, "source": self.source}
        if self.kind:
            d["kind"] = self.kind
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Change:
        """The change of `to_dict`'s JSON."""
        return cls(d["op"], d.get("quote", ""), d.get("source", ""), d.get("kind"))


@dataclass(frozen=True)
class SourceSpan:
    """A stretch of a source document (`doc` is its doc id; None for the record's own text)."""

    doc: str | None
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        """The source span as onrecord/1 JSON (the doc id under "source_doc")."""
        return {"source_doc": self.doc, "start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict) -> SourceSpan:
        """The source span of `to_dict`'s JSON."""
        return cls(d.get("source_doc"), d["start"], d["end"], d["text"])


@dataclass(frozen=True)
class SpeakerMatch:
    """Whose words a checked quote's are in its source: the source turn's `label` as published
    ("THE PRESIDENT"; the speaker's name when the turn has no label), that speaker's `speaker` name,
    the `turn` id, and whether they are the speaker the article credits (`same`: False is a
    misattribution; a quote credited to no one is never `same`)."""

    label: str
    speaker: str | None
    turn: str | None
    same: bool

    def to_dict(self) -> dict[str, Any]:
        """The match as onrecord/1 JSON."""
        return {"label": self.label, "speaker": self.speaker, "turn": self.turn, "same": self.same}

    @classmethod
    def from_dict(cls, d: dict | None) -> SpeakerMatch | None:
        """The match of `to_dict`'s JSON; None for None."""
        if d is None:
            return None
        return cls(d["label"], d.get("speaker"), d.get("turn"), bool(d.get("same")))


@dataclass(frozen=True)
class Fidelity:
    """How faithfully a quote renders its source: the verdict (one of `FIDELITY_STATUSES`), the
    source passage it was checked against, the word similarity and each word-level change."""

    status: str
    source_doc: str | None = None
    source_start: int | None = None
    source_end: int | None = None
    source_text: str | None = None
    similarity: float | None = None
    changes: tuple[Change, ...] = ()
    stitched: tuple[SourceSpan, ...] = ()  # every source span when the quote joins several
    speaker_match: SpeakerMatch | None = None  # whose words these are in a source with turns

    def to_dict(self) -> dict[str, Any]:
        """The verdict as onrecord/1 JSON (similarity to 4 decimals; "stitched" and "speaker_match"
        only when set)."""
        d: dict[str, Any] = {
            "status": self.status,
            "source_doc": self.source_doc,
            "source_start": self.source_start,
            "source_end": self.source_end,
            "source_text": self.source_text,
            "similarity": None if self.similarity is None else round(self.similarity, 4),
            "changes": [c.to_dict() for c in self.changes],
        }
        if self.stitched:
            d["stitched"] = [s.to_dict() for s in self.stitched]
        if self.speaker_match is not None:
            d["speaker_match"] = self.speaker_match.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict | None) -> Fidelity | None:
        """The verdict of `to_dict`'s JSON; None for None (a quote not yet checked)."""
        if d is None:
            return None
        return cls(
            status=d["status"],
            source_doc=d.get("source_doc"),
            source_start=d.get("source_start"),
            source_end=d.get("source_end"),
            source_text=d.get("source_text"),
            similarity=d.get("similarity"),
            changes=tuple(Change.from_dict(c) for c in d.get("changes", [])),
            stitched=tuple(SourceSpan.from_dict(s) for s in d.get("stitched", [])),
            speaker_match=SpeakerMatch.from_dict(d.get("speaker_match")),
        )


@dataclass(frozen=True)
class Quote:
    """One statement: a direct, mixed or indirect quote (`QUOTE_TYPES`) at `start:end` of the
    record's text, with its speaker id, the mention, cue and addressee that license it, a
    `confidence` in [0, 1] (rounded to `CONFIDENCE_DECIMALS`) and, once checked, its fidelity."""

    id: str
    type: str  # "direct" | "mixed" | "indirect"
    start: int
    end: int
    text: str
    speaker: str | None = None
    speaker_mention: Span | None = None
    cue: Span | None = None
    addressee: Span | None = None
    confidence: float = 0.5
    fragments: tuple[Span, ...] = ()  # the quoted words of a mixed quote
    fidelity: Fidelity | None = None
    headline: bool = False  # the claim of an attributed headline ("No attempts to widen conflict: Kirby")

    def __post_init__(self) -> None:
        object.__setattr__(self, "confidence", round(self.confidence, CONFIDENCE_DECIMALS))

    def to_dict(self) -> dict[str, Any]:
        """The quote as onrecord/1 JSON ("fragments" and "headline" only when set)."""
        d = {
            "id": self.id,
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "speaker": self.speaker,
            "speaker_mention": _opt(self.speaker_mention),
            "cue": _opt(self.cue),
            "addressee": _opt(self.addressee),
            "confidence": self.confidence,
            "fidelity": None if self.fidelity is None else self.fidelity.to_dict(),
        }
        if self.fragments:
            d["fragments"] = [f.to_dict() for f in self.fragments]
        if self.headline:
            d["headline"] = True
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Quote:
        """The quote of `to_dict`'s JSON."""
        return cls(
            id=d["id"],
            type=d["type"],
            start=d["start"],
            end=d["end"],
            text=d["text"],
            speaker=d.get("speaker"),
            speaker_mention=Span.from_dict(d.get("speaker_mention")),
            cue=Span.from_dict(d.get("cue")),
            addressee=Span.from_dict(d.get("addressee")),
            confidence=d.get("confidence", 0.5),
            fragments=tuple(_span(f) for f in d.get("fragments", [])),
            fidelity=Fidelity.from_dict(d.get("fidelity")),
            headline=d.get("headline", False),
        )


@dataclass(frozen=True)
class Turn:
    """One speaker turn of a transcript section: its text, speaker id, `role` (one of `ROLES`) and
    the "NAME:" label that opens it, if any."""

    id: str
    start: int
    end: int
    text: str
    speaker: str | None = None
    role: str | None = None
    label: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        """The turn as onrecord/1 JSON."""
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "speaker": self.speaker,
            "role": self.role,
            "label": _opt(self.label),
        }

    @classmethod
    def from_dict(cls, d: dict) -> Turn:
        """The turn of `to_dict`'s JSON."""
        return cls(
            id=d["id"],
            start=d["start"],
            end=d["end"],
            text=d["text"],
            speaker=d.get("speaker"),
            role=d.get("role"),
            label=Span.from_dict(d.get("label")),
        )


@dataclass(frozen=True)
class Record:
    """What onrecord says about one document: its text and metadata, sections, speakers, quotes
    and transcript turns. Every span indexes `text`; `to_dict` is the onrecord/1 JSON."""

    doc_id: str
    text: str
    title: str | None = None
    source: str | None = None
    dateline: Span | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    sections: tuple[Section, ...] = ()
    speakers: tuple[Speaker, ...] = ()
    quotes: tuple[Quote, ...] = ()
    turns: tuple[Turn, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)  # model, version, timings

    def speaker(self, speaker_id: str | None) -> Speaker | None:
        """The speaker with this id (as in `Quote.speaker`, `Turn.speaker`); None if there is none."""
        return next((s for s in self.speakers if s.id == speaker_id), None)

    def evolve(self, **changes: Any) -> Record:
        """A copy with these fields replaced (records are frozen)."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """The record as onrecord/1 JSON (shared/spec/document.schema.json)."""
        return {
            "schema": SCHEMA,
            "doc_id": self.doc_id,
            "source": self.source,
            "title": self.title,
            "dateline": _opt(self.dateline),
            "published": self.published,
            "outlet": self.outlet,
            "url": self.url,
            "sections": [s.to_dict() for s in self.sections],
            "speakers": [s.to_dict() for s in self.speakers],
            "quotes": [q.to_dict() for q in self.quotes],
            "turns": [t.to_dict() for t in self.turns],
            "text": self.text,
            "meta": dict(self.meta),
        }

    @classmethod
    def from_dict(cls, d: dict) -> Record:
        """The record of `to_dict`'s JSON (as stored in the corpus); the inverse of `to_dict`."""
        return cls(
            doc_id=d["doc_id"],
            text=d.get("text", ""),
            title=d.get("title"),
            source=d.get("source"),
            dateline=Span.from_dict(d.get("dateline")),
            published=d.get("published"),
            outlet=d.get("outlet"),
            url=d.get("url"),
            sections=tuple(Section.from_dict(s) for s in d.get("sections", [])),
            speakers=tuple(Speaker.from_dict(s) for s in d.get("speakers", [])),
            quotes=tuple(Quote.from_dict(q) for q in d.get("quotes", [])),
            turns=tuple(Turn.from_dict(t) for t in d.get("turns", [])),
            meta=dict(d.get("meta", {})),
        )


def content_hash(text: str) -> str:
    """A document's identity: the same text is the same document, whatever its file name (the
    corpus's key, and the Parquet tables' `doc_hash`)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _span(d: dict) -> Span:
    return Span(d["start"], d["end"], d["text"])


def _opt(span: Span | None) -> dict | None:
    return None if span is None else span.to_dict()


__all__ = [
    "CONFIDENCE_DECIMALS",
    "FIDELITY_STATUSES",
    "QUOTE_TYPES",
    "ROLES",
    "SCHEMA",
    "SPEAKER_KINDS",
    "Change",
    "Fidelity",
    "Quote",
    "Record",
    "Section",
    "SourceSpan",
    "Span",
    "Speaker",
    "SpeakerMatch",
    "Turn",
    "content_hash",
]
