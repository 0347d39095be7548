"""What the pages draw, as plain data: a text cut into highlighted pieces, a word diff, chart bars,
and JSON safe to embed in a page. No HTML is written here: the templates write it, autoescaped."""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..align import word_diff
from ..record import Quote, Record

SPEAKER_COLOURS = 12
"""Colour classes in style.css (spk-0 … spk-11): beyond that many speakers colours repeat, and the
speaker's name beside each quote still tells them apart (colour is never the only cue)."""

_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                   0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(value: Any) -> str:
    """`value` as JSON that can sit inside a <script> element: no "<", ">" or "&" (so no "</script>"
    or "<!--" can end or change it) and no U+2028/U+2029; still the same JSON to a parser."""
    return json.dumps(value, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def speaker_classes(record: Record) -> dict[str | None, int]:
    """Speaker id -> colour index, in the order the speakers are listed (no speaker: no colour)."""
    return {s.id: i % SPEAKER_COLOURS for i, s in enumerate(record.speakers)}


def pieces(text: str, quotes: Sequence[Quote]) -> list[dict[str, Any]]:
    """The text as a flat list the template walks: {"text": …}, {"open": quote id, "first": bool}
    and {"close": quote id, "final": bool}. Quotes nest properly: a quote that crosses another is closed and
    opened again around it (the piece after is not "first", so it is not a second focus stop).
    Empty spans and spans outside the text are left out."""
    spans = sorted((q for q in quotes if 0 <= q.start < q.end <= len(text)), key=lambda q: (q.start, -q.end))
    starts: dict[int, list[Quote]] = {}
    for q in spans:
        starts.setdefault(q.start, []).append(q)
    bounds = sorted({0, len(text), *(q.start for q in spans), *(q.end for q in spans)})
    out: list[dict[str, Any]] = []
    stack: list[Quote] = []
    for k, at in enumerate(bounds):
        ending = [i for i, q in enumerate(stack) if q.end == at]
        if ending:
            closed = stack[ending[0]:]
            out += [{"close": q.id, "final": q.end == at} for q in reversed(closed)]
            stack = stack[:ending[0]]
            for q in closed:
                if q.end != at:
                    out.append({"open": q.id, "first": False})
                    stack.append(q)
        for q in starts.get(at, []):
            out.append({"open": q.id, "first": True})
            stack.append(q)
        if k + 1 < len(bounds):
            out.append({"text": text[at:bounds[k + 1]]})
    return out


def diff_parts(quote_text: str, source_text: str) -> list[dict[str, str]]:
    """The quote as an edit of its source, word by word, in reading order: {"op": "equal" | "delete"
    (source words the quote left out) | "insert" (words the quote added), "text": …}."""
    out: list[dict[str, str]] = []
    for tag, quoted, source, after in word_diff(quote_text, source_text):
        if tag in ("delete", "replace"):
            out.append({"op": "delete", "text": source})
        if tag in ("insert", "replace"):
            out.append({"op": "insert", "text": quoted})
        elif tag == "equal":
            out.append({"op": "equal", "text": quoted})
        if after and tag != "delete":
            out.append({"op": "equal", "text": after})
        elif tag == "delete":
            out.append({"op": "equal", "text": " "})
    return out


def bars(rows: Sequence[tuple[str, int]], *, limit: int | None = None) -> list[dict[str, Any]]:
    """Chart rows: label, value and the bar's length in percent of the largest value."""
    rows = list(rows)[:limit] if limit else list(rows)
    top = max((v for _, v in rows), default=0) or 1
    return [{"label": label, "value": value, "percent": round(100 * value / top, 1)} for label, value in rows]


def every_month(rows: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """(YYYY-MM, count) rows with the months between the first and the last that have none put in as
    0, so a timeline's gaps show as gaps."""
    if not rows:
        return []
    have = dict(rows)
    year, month = map(int, rows[0][0].split("-"))
    out = []
    while True:
        key = f"{year:04d}-{month:02d}"
        out.append((key, have.get(key, 0)))
        if key >= rows[-1][0]:
            return out
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
