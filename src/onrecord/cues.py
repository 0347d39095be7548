"""The cue lexicon: which words introduce reported speech, and which take a hearer.

Shipped as data (data/cues.json) so that a newsroom can widen or narrow it without code;
`Cues.from_disk` reads a replacement, `to_disk` writes one (as spaCy components do).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import ConfigError

DEFAULT_SETS = ("speech", "claim")


@dataclass(frozen=True)
class Cues:
    verbs: frozenset[str]  # lemmas of verbs that report speech or a claim
    addressee: frozenset[str]  # lemmas whose object is the hearer ("told Rudaw")
    nominal: frozenset[str]  # nouns that stand for a statement ("a report by ...")
    sets: tuple[str, ...] = DEFAULT_SETS

    @classmethod
    def from_data(cls, data: dict, sets: tuple[str, ...] = DEFAULT_SETS) -> "Cues":
        try:
            verbs = frozenset(w for s in sets for w in data[s])
            return cls(verbs, frozenset(data["addressee"]), frozenset(data["nominal"]), tuple(sets))
        except KeyError as exc:
            raise ConfigError(f"cue lexicon has no list {exc.args[0]!r}") from None

    @classmethod
    def from_disk(cls, path: str | Path, sets: tuple[str, ...] = DEFAULT_SETS) -> "Cues":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: cannot read cue lexicon ({exc})") from None
        return cls.from_data(data, sets)

    def to_disk(self, path: str | Path) -> None:
        """Write a lexicon that `from_disk` reads back to the same cues (all verbs under "speech")."""
        data = {"speech": sorted(self.verbs), "claim": [], "belief": [],
                "addressee": sorted(self.addressee), "nominal": sorted(self.nominal)}
        Path(path).write_text(json.dumps(data, indent=1), encoding="utf-8")


@lru_cache(maxsize=8)
def default_cues(sets: tuple[str, ...] = DEFAULT_SETS) -> Cues:
    data = json.loads(resources.files("onrecord").joinpath("data/cues.json").read_text(encoding="utf-8"))
    return Cues.from_data(data, sets)
