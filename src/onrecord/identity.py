"""Identity: when two speaker names mean one speaker. The package's one rule, asked by
`speakers.py` (within a document), `verify.py` (a speaker's turns in another document),
`store/speakers.py` (corpus keys) and `store/clusters.py` (misattributed reprints).

- Names compare by `name_key`: case, accents, Unicode composition (NFC or NFD), curly
  apostrophes and punctuation aside.
- Titles and honorifics are not part of a person's name: "NSC spokesperson John Kirby" and
  "Mr. Kirby" are "John Kirby" and "Kirby".
- A surname alone is the person with a full name of that surname when no first name conflicts
  ("Kirby" and "John Kirby"); two different first names are two people ("Sarah Austin" and
  "Lloyd Austin"), unless one is a nickname or spelling of the other in the maintained table of
  the `nicknames` package ("Bill"/"William", "Hilary"/"Hillary") and gender-guesser's name
  dictionary does not give the two names opposite genders (the table's "Aaron"/"Erin").
- Words before a given name in a longer name describe the person ("Billionaire Donald Trump"
  is "Donald Trump"; `names.parse_person`).
- A suffix tells people apart: "Donald Trump Jr." is not "Donald Trump"; a generation numeral
  does not ("Lloyd J. Austin III" is "Lloyd Austin", the name he is known by).
- An organisation or a group is never a person; anonymous and unknown sources are no one's
  namesake (two "senior officials" are not one); organisations and groups are one when their
  keys are equal. A surname or full name typed as an organisation may be a person mistyped
  (`mistyped_person`), for callers that hold evidence it is one.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from nicknames import NickNamer

from .names import PARTICLES, ROLE_WORDS, SUFFIXES, PersonName, fold, is_given_name, name_gender, parse_person

# Speakers that stand apart: their "name" is a description, never evidence of identity.
PER_DOCUMENT_KINDS = frozenset({"anonymous", "unknown"})


def described_only(name: str, kind: str) -> bool:
    """Whether an organisation or group is only described, never named: no capital letter in its
    words ("critics", "the government", "their allies"). "Critics" in one story and "critics" in
    another are not one group, nor is every "the company" one company: such a speaker stands
    apart as the kinds above do."""
    return kind != "person" and not any(ch.isupper() for ch in name)


def name_key(name: str) -> str:
    """The one key of a name (or any label) that spellings of it share: "MR. KIRBY", "Mr Kirby",
    "mr. kirby" -> "mr kirby"; NFC and NFD "Béll" -> "bell"."""
    return fold(name)


@dataclass(frozen=True)
class PersonKey:
    """A person's name as identity sees it: folded first name (None for a surname alone),
    surname (particles included: "von der leyen") and suffix ("jr")."""

    first: str | None
    surname: str
    suffix: str | None = None

    @property
    def family(self) -> str:
        """What a surname alone is matched on: the surname with any suffix ("trump jr")."""
        return f"{self.surname} {self.suffix}" if self.suffix else self.surname

    @property
    def text(self) -> str:
        """The key as one string ("donald trump jr", "kirby"); `from_text` reads it back."""
        return f"{self.first} {self.family}" if self.first else self.family

    def to_dict(self) -> dict:
        """Plain data (JSON, Parquet, Ray's object store); `from_dict` reads it back."""
        return {"first": self.first, "surname": self.surname, "suffix": self.suffix}

    @classmethod
    def from_dict(cls, data: dict) -> PersonKey:
        return cls(data["first"], data["surname"], data.get("suffix"))

    @classmethod
    def from_text(cls, text: str, *, lone: bool) -> PersonKey:
        """A key written by `text` read back; `lone` when it is a surname alone (no first name)."""
        words = text.split()
        suffix = words.pop() if len(words) > 1 and words[-1] in SUFFIXES else None
        if lone or len(words) < 2:
            return cls(None, " ".join(words), suffix)
        return cls(words[0], " ".join(words[1:]), suffix)


def person_key(name: str) -> PersonKey | None:
    """The identity of a person's name, titles and honorifics aside; None when `name` holds no
    name (a description such as "the spokesperson")."""
    person = parse_person(name)
    return None if person is None else key_of(person)


def key_of(person: PersonName) -> PersonKey:
    """The identity key of a parsed name (store/speakers.py keeps `parse_person`'s title too)."""
    return PersonKey(person.first, person.surname, person.suffix)


@cache
def _nicknamer() -> NickNamer:
    return NickNamer()


@cache
def first_name_variants(first: str) -> frozenset[str]:
    """The folded first names that may be the same given name as `first`: itself, and its
    nicknames, full forms and spellings one step away in the `nicknames` table, less those
    gender-guesser's dictionary gives the opposite gender ("erin" is not "aaron")."""
    table = _nicknamer()
    found = {first} | table.nicknames_of(first) | table.canonicals_of(first)
    gender = name_gender(first)
    if gender is not None:
        found = {n for n in found if name_gender(n) in (gender, None)}
    return frozenset(found)


def first_rank(first: str) -> tuple[int, str]:
    """Which of several variants of one first name keys the person: a full form the table gives
    nicknames for ("hillary", "william") before a spelling or nickname, then alphabetical order."""
    return (0 if _nicknamer().nicknames_of(first) else 1, first)


# A full name has at most this many words besides particles (first, middle, surname): a longer
# capitalised run is a headline or a title the parser could not split ("Hillary Clinton Slams
# Donald Trump"), no evidence of whose surname it is.
MAX_NAME_WORDS = 3


def plausible_full_name(person: PersonName, *, known_first: bool = True) -> bool:
    """Whether a parsed name is good evidence of a full name: at most `MAX_NAME_WORDS` words and,
    with `known_first`, a first name that is a given name (gender-guesser's dictionary or the
    nickname table)."""
    if person.first is None:
        return False
    words = [w for w in person.clean.split() if fold(w) not in PARTICLES and fold(w) not in SUFFIXES]
    if len(words) > MAX_NAME_WORDS:
        return False
    return not known_first or is_given_name(person.first) or bool(first_name_variants(person.first) - {person.first})


def same_first(a: str, b: str) -> bool:
    """Two folded first names of one person: equal, or nickname/spelling variants of each other."""
    return a == b or b in first_name_variants(a)


def same_person(a: PersonKey, b: PersonKey) -> bool:
    """One person: the same surname and suffix, and first names that do not conflict (equal,
    variants of one given name, or one of them absent)."""
    return a.family == b.family and (a.first is None or b.first is None or same_first(a.first, b.first))


def same_speaker(a_name: str | None, a_kind: str | None, b_name: str | None, b_kind: str | None) -> bool:
    """Whether two speakers, each a name and a kind ("person", "organization", "group",
    "anonymous", "unknown"), are one (the rule in the module docstring)."""
    if not a_name or not b_name or a_kind in PER_DOCUMENT_KINDS or b_kind in PER_DOCUMENT_KINDS:
        return False
    if (a_kind == "person") != (b_kind == "person"):
        return False
    if a_kind == "person":
        a, b = person_key(a_name), person_key(b_name)
        if a is not None and b is not None:
            return same_person(a, b)
        if a is not None or b is not None:
            return False
    return name_key(a_name) == name_key(b_name)


def mistyped_person(name: str, kind: str | None) -> PersonKey | None:
    """The person an organisation's or group's name may be, typed wrongly by the entity tagger
    ("Pence said", "spokeswoman Morgan Ortagus"): one capitalised word that is no acronym
    ("NATO"), or a plausible full name with a given first name; None for any other name or kind.
    Only evidence that the name is a person's (a transcript's label for them) may use it."""
    if kind not in ("organization", "group"):
        return None
    words = name.split()
    if not words or not words[0][:1].isupper() or (len(words) == 1 and len(name) > 1 and name.isupper()):
        return None
    person = parse_person(name)
    if person is None or (len(words) > 1 and not plausible_full_name(person)):
        return None
    return key_of(person)


def same_name(a: str, b: str) -> bool:
    """Two person names as written that may be one person (see `same_person`); a name that parses
    as no person's ("Major", a title word standing alone) counts as a surname alone."""
    return same_person(_loose_key(a), _loose_key(b))


def one_person(names: Iterable[str]) -> bool:
    """Whether all these names (of one surname) may be one person: no two first names conflict."""
    keys = [_loose_key(n) for n in names]
    firsts = sorted({k.first for k in keys if k.first})
    return len({k.family for k in keys}) <= 1 and all(same_first(a, b) for a in firsts for b in firsts)


def _loose_key(name: str) -> PersonKey:
    return person_key(name) or PersonKey(None, name_key(name))


_ARTICLE = re.compile(r"^(?:the|a|an)\s+")


def role_key(title: str) -> str:
    """A title's normalised role, for comparing roles across documents: "THE PRESIDENT",
    "President", "Pres." -> "president"; "a White House spokeswoman" -> "white house
    spokesperson"; "Vice President" stays "vice president" (a different role)."""
    words = _ARTICLE.sub("", fold(title).replace("-", " ")).split()
    return " ".join(ROLE_WORDS.get(w, w) for w in words)
