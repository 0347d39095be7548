"""Report: a verified record as a person reads it - per quote the verdict and an inline diff.

The diff reads as an edit of the source into the quote: dropped source words are struck out
(plain text: [-dropped-]), words the quote added are underlined (plain text: {+added+}).
Colour is for terminals; piped output gets the plain markers, so it stays greppable.
"""
from __future__ import annotations

from collections import Counter

import click

from .align import word_diff
from .record import Change, Fidelity, Quote, Record
from .verify import RANK

STATUS_COLORS = {
    "verbatim": "green", "minor": "cyan", "altered": "yellow",
    "paraphrase": "magenta", "unsupported": "red", "no_source": None,
}
_DIFFED = frozenset({"verbatim", "minor", "altered"})


def format_report(record: Record, *, color: bool) -> str:
    """The report for one record: a header with counts by verdict, then every quote (an
    attributed headline first, as extraction orders it), each with its verdict, similarity, source span,
    inline word diff and listed changes."""
    counts = Counter(q.fidelity.status for q in record.quotes if q.fidelity)
    summary = ", ".join(f"{counts[s]} {s}" for s in sorted(counts, key=lambda s: RANK[s]))
    lines = [_style(f"{record.doc_id}: {record.title or '(untitled)'}", color, bold=True),
             f"{len(record.quotes)} quotes" + (f": {summary}" if summary else "")]
    for quote in record.quotes:
        lines += _block("headline" if quote.headline else quote.id, _speaker_name(record, quote.speaker),
                        quote.type, _quoted_words(quote), quote.fidelity, color)
    return "\n".join(lines) + "\n"


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


def _block(label: str, speaker: str, kind: str, text: str, fidelity: Fidelity | None, color: bool) -> list[str]:
    fidelity = fidelity or Fidelity("no_source")
    status = _style(fidelity.status.upper(), color, fg=STATUS_COLORS[fidelity.status], bold=True)
    similarity = "" if fidelity.similarity is None else f" · similarity {fidelity.similarity:.2f}"
    lines = ["", f"{label}  {speaker} · {kind} · {status}{similarity}"]
    if fidelity.status in _DIFFED and fidelity.source_text is not None:
        source = " … ".join(s.text for s in fidelity.stitched) if fidelity.stitched else fidelity.source_text
        lines.append(f"    quote:  {_diff(text, source, color)}")
    else:
        lines.append(f"    quote:  {_flat(text)}")
        if fidelity.source_text:
            lines.append(f"    closest source words:  {_flat(fidelity.source_text)}")
    if fidelity.source_start is not None:
        where = f"{fidelity.source_doc} [{fidelity.source_start}:{fidelity.source_end}]"
        if fidelity.stitched:
            where += "  stitched from " + ", ".join(f"[{s.start}:{s.end}]" for s in fidelity.stitched)
        lines.append(f"    source: {where}")
    lines += [f"    - {_change(c)}" for c in fidelity.changes]
    return lines


def _diff(quote: str, source: str, color: bool) -> str:
    out = ""
    for tag, q, s, after in word_diff(quote, source):
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


def _flat(text: str) -> str:
    return " ".join(text.split())


def _style(text: str, color: bool, **style) -> str:
    return click.style(text, **style) if color else text
