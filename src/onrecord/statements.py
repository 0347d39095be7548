"""Statements: what extraction finds before speakers are resolved, the one type the stages pass on.

quotes.py finds them by rule, contents.py scores candidates for them (broad attribution) and
attribute.py names their cue and source; living here, none of those imports another for the type.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from .marks import Quoted


@dataclass
class Statement:
    """A statement found in the text, before its speaker is resolved."""

    type: str  # direct | mixed | indirect
    start: int
    end: int
    cue: Token | None = None
    cue_end: int | None = None  # end char of a multi-word cue ("according to")
    source: Token | None = None  # head of the source phrase when the cue names it (pobj of "according to")
    fragments: list[tuple[int, int]] = field(default_factory=list)
    quoted: Quoted | None = None  # the marks of a direct quote
    closed: bool = True
