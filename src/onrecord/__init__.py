"""onrecord: who said what, to whom, when, and how faithfully it was quoted.

    import onrecord
    record = onrecord.extract(text, doc_id="a1", title="…")      # quotes, speakers, turns
    record = onrecord.verify(record, [source_record])            # fidelity against sources
    corpus = onrecord.Corpus("onrecord.db")                       # the searchable store
"""
from __future__ import annotations

from .errors import ConfigError, InputError, OnrecordError, StoreError
from .pipeline import extract, extract_files
from .record import Change, Fidelity, Quote, Record, Section, Span, Speaker, Turn

__all__ = [
    "extract", "extract_files", "verify", "Corpus",
    "Record", "Quote", "Speaker", "Turn", "Span", "Section", "Fidelity", "Change",
    "OnrecordError", "InputError", "ConfigError", "StoreError",
]


def __getattr__(name: str):
    """verify and Corpus load on first use: extracting needs neither."""
    if name == "verify":
        from .verify import verify

        return verify
    if name == "Corpus":
        from .store import Corpus

        return Corpus
    raise AttributeError(f"module 'onrecord' has no attribute {name!r}")
