"""Load: turn files, bytes and JSON lines into `Document`s (text plus what is known about it).

TODO(load helper): encoding detection, HTML, JSONL, bad-input errors.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """One input document as loaded: the exact text that every offset indexes."""

    doc_id: str
    text: str
    title: str | None = None
    source: str | None = None  # path or URL
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
