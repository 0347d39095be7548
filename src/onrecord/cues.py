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
# What counts as attribution: "speech" is what was said or claimed (quotation in the GGT sense);
# "broad" adds beliefs, stances and topics (PolNeAR's sense), where a cue's object is content too.
PRESETS = {"speech": DEFAULT_SETS, "broad": ("speech", "claim", "belief", "evaluation")}


@dataclass(frozen=True)
class Cues:
    verbs: frozenset[str]  # lemmas of verbs that report speech or a claim
    plain: frozenset[str]  # the plainest of them ("say", "tell"): any subject may use them
    addressee: frozenset[str]  # lemmas whose object is the hearer ("told Rudaw")
    nominal: frozenset[str]  # nouns that stand for a statement ("a report by ...")
    person_nouns: frozenset[str] = frozenset()  # heads that name a person ("spokesperson")
    organization_nouns: frozenset[str] = frozenset()
    anonymous_nouns: frozenset[str] = frozenset()  # "a senior official", "sources"
    group_nouns: frozenset[str] = frozenset()  # people in the plural ("critics", "residents")
    sets: tuple[str, ...] = DEFAULT_SETS

    @property
    def objects_are_content(self) -> bool:
        """In broad attribution "Trump criticized the deal" attributes "the deal" to Trump."""
        return "evaluation" in self.sets

    def is_agent(self, tok, cue=None) -> bool:
        """Can this subject say something? A name, a pronoun, or a noun for people, an organisation or a
        document; any noun at all with a plain speech verb ("the school's defenders said")."""
        if tok is None:
            return False
        if tok.pos_ in ("PRON", "PROPN") or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
            return True
        if cue is not None and cue.lemma_ in self.plain and tok.pos_ == "NOUN":
            return True
        lemma = tok.lemma_.lower()
        return any(lemma in words for words in (self.person_nouns, self.organization_nouns, self.anonymous_nouns,
                                                self.group_nouns, self.nominal))

    @classmethod
    def from_data(cls, data: dict, sets: tuple[str, ...] = DEFAULT_SETS) -> "Cues":
        try:
            # speech and claim must be there; a user's file may leave out the broad sets
            verbs = frozenset(w for s in sets for w in (data[s] if s in DEFAULT_SETS else data.get(s, ())))
            nouns = {k: frozenset(data.get(k, ())) for k in ("person_nouns", "organization_nouns", "anonymous_nouns", "group_nouns")}
            return cls(verbs, frozenset(data.get("plain", ())) & verbs, frozenset(data["addressee"]), frozenset(data["nominal"]),
                       sets=tuple(sets), **nouns)
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
        data = {"speech": sorted(self.verbs), "claim": [], "belief": [], "plain": sorted(self.plain),
                "addressee": sorted(self.addressee), "nominal": sorted(self.nominal),
                "person_nouns": sorted(self.person_nouns), "organization_nouns": sorted(self.organization_nouns),
                "anonymous_nouns": sorted(self.anonymous_nouns), "group_nouns": sorted(self.group_nouns)}
        Path(path).write_text(json.dumps(data, indent=1), encoding="utf-8")


def cues_for(attribution: str, path: str | None = None) -> Cues:
    """The lexicon for an attribution preset ("speech" or "broad"): the shipped one, or a user's file."""
    if attribution not in PRESETS:
        raise ConfigError(f"attribution must be one of {', '.join(PRESETS)}, not {attribution!r}")
    return _user_cues(path, PRESETS[attribution]) if path else default_cues(PRESETS[attribution])


@lru_cache(maxsize=8)
def _user_cues(path: str, sets: tuple[str, ...]) -> Cues:
    return Cues.from_disk(path, sets)


@lru_cache(maxsize=8)
def default_cues(sets: tuple[str, ...] = DEFAULT_SETS) -> Cues:
    data = json.loads(resources.files("onrecord").joinpath("data/cues.json").read_text(encoding="utf-8"))
    return Cues.from_data(data, sets)
