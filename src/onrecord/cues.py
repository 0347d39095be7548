"""The cue lexicon: which words introduce reported speech, and which take a hearer.

Shipped as data (data/cues.json) so that a newsroom can widen or narrow it without code;
`Cues.from_disk` reads a replacement, `to_disk` writes one (as spaCy components do).
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError

DEFAULT_SETS = ("speech", "claim")
# What counts as attribution: "speech" is what was said or claimed (quotation in the GGT sense);
# "broad" adds beliefs, stances and topics (PolNeAR's sense), where a cue's object is content too.
PRESETS = {"speech": DEFAULT_SETS, "broad": ("speech", "claim", "belief", "evaluation")}
# Lists a user's lexicon may leave out and still get the shipped words: they came to the data
# from code, so a lexicon written before they did must keep behaving as it did.
INHERITED_LISTS = ("xcomp", "naming", "anonymity_markers", "record_nouns", "beside")


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
    record_nouns: frozenset[str] = frozenset()  # things that carry information, no agents ("data", "results", "poll")
    sets: tuple[str, ...] = DEFAULT_SETS
    xcomp: frozenset[str] = frozenset()  # cues whose infinitive complement is the report ("urged them to stay")
    naming: frozenset[str] = frozenset()  # verbs that hold a quoted name as their subject's words ("called it “reckless”")
    anonymity_markers: tuple[str, ...] = ()  # "not authorized", "familiar with": the source is anonymous
    beside: frozenset[str] = frozenset()  # verbs that report only a quote beside them ("“…,” she went on")
    lexicon: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)  # the lists as read

    def reports(self, tok) -> bool:
        """Is this token a cue verb of the lexicon: its lemma ("said"), or its lemma and particle for
        the lexicon's two-word entries ("shot back", "pointed out", "weighed in")?"""
        return tok.lemma_ in self.verbs or self.particle(tok) is not None

    def reports_beside(self, tok) -> bool:
        """Does this token report a quote standing beside it: a cue verb, or one that reports nothing
        else ("“…,” he continued", "she went on", "he sighed")?"""
        return self.reports(tok) or tok.lemma_ in self.beside or self.particle(tok, self.beside) is not None

    def particle(self, tok, words: frozenset[str] | None = None):
        """The particle that makes this verb a two-word cue of the lexicon ("back" of "shot back"; of
        `words` when given), or None."""
        words = self.verbs if words is None else words
        lemma = tok.lemma_
        if lemma not in _heads(words):
            return None
        return next((c for c in tok.children if c.dep_ in ("prt", "advmod") and c.i > tok.i  # "back": often advmod
                     and f"{lemma} {c.lower_}" in words), None)

    @property
    def objects_are_content(self) -> bool:
        """In broad attribution "Trump criticized the deal" attributes "the deal" to Trump."""
        return "evaluation" in self.sets

    @property
    def anonymity(self) -> re.Pattern[str]:
        """One case-blind pattern for every anonymity marker, as whole words."""
        return _phrases_pattern(self.anonymity_markers)

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
    def from_data(cls, data: Mapping[str, Any], sets: tuple[str, ...] = DEFAULT_SETS) -> Cues:
        """The cues of a lexicon in the shape of data/cues.json, with the verbs of `sets`."""
        shipped = _shipped_data()
        lexicon = {**{k: shipped[k] for k in INHERITED_LISTS if k not in data}, **data}
        try:
            # speech and claim must be there; a user's file may leave out the broad sets
            verbs = frozenset(w for s in sets for w in (lexicon[s] if s in DEFAULT_SETS else lexicon.get(s, ())))
            nouns = {k: frozenset(lexicon.get(k, ()))
                     for k in ("person_nouns", "organization_nouns", "anonymous_nouns", "group_nouns")}
            return cls(verbs, frozenset(lexicon.get("plain", ())) & verbs, frozenset(lexicon["addressee"]),
                       frozenset(lexicon["nominal"]), sets=tuple(sets), xcomp=frozenset(lexicon["xcomp"]),
                       naming=frozenset(lexicon["naming"]), anonymity_markers=tuple(lexicon["anonymity_markers"]),
                       record_nouns=frozenset(lexicon["record_nouns"]), beside=frozenset(lexicon["beside"]),
                       lexicon=lexicon, **nouns)
        except KeyError as exc:
            raise ConfigError(f"cue lexicon has no list {exc.args[0]!r}") from None
        except TypeError as exc:
            raise ConfigError(f"cue lexicon: every entry must be a list of words ({exc})") from None

    @classmethod
    def from_disk(cls, path: str | Path, sets: tuple[str, ...] = DEFAULT_SETS) -> Cues:
        """The cues of a lexicon file; a ConfigError naming the file when it cannot be read."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: cannot read cue lexicon ({exc})") from None
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: a cue lexicon is a JSON object of word lists")
        try:
            return cls.from_data(data, sets)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None

    def to_disk(self, path: str | Path) -> None:
        """Write the lexicon as read, every set in its place, so that `from_disk(path, self.sets)`
        gives these cues back (a broad lexicon stays broad)."""
        Path(path).write_text(json.dumps(self.to_data(), indent=1, ensure_ascii=False), encoding="utf-8")

    def to_data(self) -> dict[str, Any]:
        """The lexicon as a JSON-ready dict: the lists as read, or, for cues built in code, their words."""
        if self.lexicon:
            return {k: v if isinstance(v, str) else list(v) for k, v in self.lexicon.items()}
        return {"speech": sorted(self.verbs), "claim": [], "plain": sorted(self.plain),
                "addressee": sorted(self.addressee), "nominal": sorted(self.nominal),
                "person_nouns": sorted(self.person_nouns), "organization_nouns": sorted(self.organization_nouns),
                "anonymous_nouns": sorted(self.anonymous_nouns), "group_nouns": sorted(self.group_nouns),
                "xcomp": sorted(self.xcomp), "naming": sorted(self.naming), "record_nouns": sorted(self.record_nouns),
                "anonymity_markers": list(self.anonymity_markers), "beside": sorted(self.beside)}


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
    """The shipped lexicon with the verbs of `sets`."""
    return Cues.from_data(_shipped_data(), sets)


@lru_cache(maxsize=1)
def _shipped_data() -> dict[str, Any]:
    return json.loads(resources.files("onrecord").joinpath("data/cues.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def _phrases_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    if not phrases:
        return re.compile(r"(?!)")  # matches nothing
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in phrases) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=16)
def _heads(verbs: frozenset[str]) -> frozenset[str]:
    """The verbs of the two-word cues ("shoot" of "shoot back"): few, so one set per lexicon."""
    return frozenset(v.split()[0] for v in verbs if " " in v)
