"""The search index's row of a quote: its words and its speaker's names, NFC-normalised.

`quote_fts` is contentless (it keeps no copy of the text), so a row is removed by giving FTS5
exactly the values it was added with: both go through `row_values`, the one place they are made.
"""
from __future__ import annotations

import unicodedata

from ..record import Speaker
from .db import Database


def nfc(text: str | None) -> str:
    """The form text is indexed and looked up in (NFC): composed and decomposed accents match."""
    return unicodedata.normalize("NFC", text or "")


def speaker_text(speaker: Speaker | None) -> str:
    """What a quote's `speaker` column is searched by: its speaker's name and titles."""
    return "" if speaker is None else " ".join(dict.fromkeys((speaker.name, *speaker.titles)))


def row_values(text: str, speaker: Speaker | None) -> tuple[str, str]:
    return nfc(text), nfc(speaker_text(speaker))


def add(db: Database, row: int, text: str, speaker: Speaker | None) -> None:
    """Index quote row `row` with its words and its speaker's names."""
    db.execute("INSERT INTO quote_fts (rowid, text, speaker) VALUES (?, ?, ?)", (row, *row_values(text, speaker)))


def remove(db: Database, row: int, text: str, speaker: Speaker | None) -> None:
    """Take quote row `row` out of the index: `text` and `speaker` as it was added with."""
    db.execute("INSERT INTO quote_fts (quote_fts, rowid, text, speaker) VALUES ('delete', ?, ?, ?)",
               (row, *row_values(text, speaker)))
