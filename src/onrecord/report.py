"""Report: a verified record as a person reads it - per quote the verdict, the source turn it
rests on, whose words they are in the source, and an inline diff.

The diff reads as an edit of the source into the quote (a legend heads the report): source words
the quote left out are struck out (plain text: [-left out-]), words the quote added are
underlined (plain text: {+added+}). Colour is for terminals that want it: piped output, or a
`NO_COLOR` environment variable (https://no-color.org), gets the plain markers, so it stays
greppable. Wording describes, never accuses: a quote whose words are not in the source is "not
found in the source" (naming the source), and words of another source speaker are "in the source
from X; the article credits Y".
"""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from typing import IO

import click

from .align import word_diff
from .record import Change, Fidelity, Quote, Record
from .verify import RANK

STATUS_COLORS = {
    "verbatim": "green", "minor": "cyan", "altered": "yellow",
    "paraphrase": "magenta", "unsupported": "red", "no_source": None,
}
# How each verdict reads in the report: what was found, not a judgement of the writer.
STATUS_WORDS = {"unsupported": "not found in the source", "no_source": "no source"}
_DIFFED = frozenset({"verbatim", "minor", "altered"})
_CONTEXT_WORDS = 40  # of the closest source words shown for a quote not found: context, not evidence


def wants_color(stream: IO) -> bool:
    """Colour for a terminal, unless the user set `NO_COLOR` to anything non-empty (no-color.org)."""
    return not os.environ.get("NO_COLOR") and bool(getattr(stream, "isatty", lambda: False)())


def format_report(record: Record, *, color: bool, sources: Sequence[str] = ()) -> str:
    """The report for one record: a header with counts by verdict and the legend, then every
    quote (an attributed headline first, as extraction orders it), each with its verdict,
    similarity, inline word diff, the source turn, whose words they are and the listed changes.
    `sources` names what the quotes were checked against (files, doc ids), for the quotes whose
    words were not found."""
    counts = Counter(q.fidelity.status for q in record.quotes if q.fidelity)
    summary = ", ".join(f"{counts[s]} {STATUS_WORDS.get(s, s)}" for s in sorted(counts, key=lambda s: RANK[s]))
    lines = [_style(f"{record.doc_id}: {record.title or '(untitled)'}", color, bold=True),
             f"{len(record.quotes)} quotes" + (f": {summary}" if summary else ""),
             _legend(color)]
    checked_against = ", ".join(sources) or ("its own transcript" if record.turns else "")
    for quote in record.quotes:
        lines += _block(quote, _speaker_name(record, quote.speaker), checked_against, color)
    return "\n".join(lines) + "\n"


def _legend(color: bool) -> str:
    return (f"legend: quote = the article's words, as an edit of the source's; "
            f"{_dropped('left out', color)} = source words the quote does not have, "
            f"{_added('added', color)} = words the quote has that the source does not; "
            "source = the transcript turn (its label as published) the quote was checked against")


def _quoted_words(quote: Quote) -> str:
    """What the verdict is about: a mixed quote's fragment that was matched to the source (the
    words outside quote marks are the reporter's), else the quote's text."""
    source = quote.fidelity.source_text if quote.fidelity else None
    if quote.type != "mixed" or not quote.fragments or not source:
        return quote.text

    def shared(fragment: str) -> int:
        return sum(len(q.split()) for tag, q, _, _ in word_diff(fragment, source) if tag == "equal")

    return max((f.text for f in quote.fragments), key=shared)


def _speaker_name(record: Record, speaker_id: str | None) -> str:
    speaker = record.speaker(speaker_id)
    return speaker.name if speaker else "unknown speaker"


def _block(quote: Quote, speaker: str, checked_against: str, color: bool) -> list[str]:
    fidelity = quote.fidelity or Fidelity("no_source")
    label = "headline" if quote.headline else quote.id
    word = "NOT FOUND IN THE SOURCE" if fidelity.status == "unsupported" else fidelity.status.upper()
    status = _style(word, color, fg=STATUS_COLORS[fidelity.status], bold=True)
    similarity = "" if fidelity.similarity is None else f" · similarity {fidelity.similarity:.2f}"
    lines = ["", f"{label}  {speaker} · {quote.type} · {status}{similarity}"]
    text = _quoted_words(quote)
    turn = f"{fidelity.speaker_match.label}: " if fidelity.speaker_match and fidelity.speaker_match.label else ""
    if fidelity.status in _DIFFED and fidelity.source_text is not None:
        source = " … ".join(s.text for s in fidelity.stitched) if fidelity.stitched else fidelity.source_text
        lines.append(f"    quote:  {_diff(text, source, color, notes=fidelity.speaker_match is not None)}")
        lines.append(f"    source: {turn}{_flat(source)}")
    else:
        lines.append(f"    quote:  {_flat(text)}")
        if fidelity.status == "unsupported":
            where = fidelity.source_doc or checked_against
            lines.append("    not found in the source" + (f" ({where})" if where else ""))
            if fidelity.source_text:
                lines.append(f"    closest source words: {turn}{_clip(fidelity.source_text)}")
        elif fidelity.status == "no_source":
            lines.append("    no source to check against" if not checked_against else
                         f"    too short to tell from {checked_against}")
        elif fidelity.source_text:
            lines.append(f"    source: {turn}{_flat(fidelity.source_text)}")
    if fidelity.source_start is not None:
        where = f"{fidelity.source_doc} [{fidelity.source_start}:{fidelity.source_end}]"
        if fidelity.stitched:
            where += "  stitched from " + ", ".join(f"[{s.start}:{s.end}]" for s in fidelity.stitched)
        if fidelity.speaker_match and fidelity.speaker_match.turn:
            where += f", turn {fidelity.speaker_match.turn}"
        lines.append(f"    in: {where}")
    match = fidelity.speaker_match
    if match is not None and not match.same and fidelity.status != "unsupported":
        who = match.label + (f" ({match.speaker})" if match.speaker and match.speaker != match.label else "")
        credited = f"; the article credits {speaker}" if speaker != "unknown speaker" else ""
        lines.append(_style(f"    speaker: in the source these words are spoken by {who}{credited}", color,
                            fg="yellow" if credited else None))
    lines += [f"    - {_change(c)}" for c in fidelity.changes]
    return lines


def _diff(quote: str, source: str, color: bool, *, notes: bool = False) -> str:
    """The inline diff; `notes` when the source is a transcript turn (its stage notes are no words)."""
    out = ""
    for tag, q, s, after in word_diff(quote, source, notes=notes):
        if tag == "delete":
            gap = "" if not out or out.endswith(" ") else " "
            out += gap + _dropped(s, color) + " "
            continue
        if tag == "equal":
            out += q
        elif tag == "insert":
            out += _added(q, color)
        else:
            out += _dropped(s, color) + _added(q, color)
        out += after
    return _flat(out).strip()


def _dropped(text: str, color: bool) -> str:
    return click.style(text, fg="red", strikethrough=True) if color else f"[-{text}-]"


def _added(text: str, color: bool) -> str:
    return click.style(text, fg="green", underline=True) if color else f"{{+{text}+}}"


def _change(change: Change) -> str:
    """One change in words: what the quote dropped, added or replaced, and of what kind."""
    kind = f" ({change.kind.replace('_', ' ')})" if change.kind else ""
    marker = f" at {_quoted(change.quote)}" if change.op == "delete" and change.quote else ""
    if change.kind == "stitch":
        return f"joins source sentences that are not adjacent{marker}{kind}"
    if change.op == "delete":
        return f"dropped {_quoted(change.source)}{marker}{kind}"
    if change.op == "insert":
        return f"added {_quoted(change.quote)}{kind}"
    return f"{_quoted(change.source)} -> {_quoted(change.quote)}{kind}"


def _quoted(text: str) -> str:
    return f'"{_flat(text)}"'


def _clip(text: str) -> str:
    """Passage shown for context only, cut to `_CONTEXT_WORDS` words."""
    words = text.split()
    return " ".join(words[:_CONTEXT_WORDS]) + (" …" if len(words) > _CONTEXT_WORDS else "")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _style(text: str, color: bool, **style) -> str:
    return click.style(text, **style) if color else text


def quoted_words(quote: Quote) -> str:
    """The words a quote's verdict is about (a mixed quote's matched fragment, else its text): what
    the report diffs, and what the web's quote panel diffs, so both show the same diff."""
    return _quoted_words(quote)
