"""Cross-document speakers as a pure function of the stored names, settled surname by surname.

Every corpus speaker that a surname can join lies in that surname's group (its *family*: the
surname with any suffix, "trump", "trump jr"): the full names of that surname, runs too long to
be a name that share a full name's key, the surnames alone and the one-word organisations that may
be the surname mistyped. A group is a set of name classes (`NameClass`: one identity key of one
form, with how many document speakers carry it), and `settle` places every class of one group
from that group alone, in a canonical order (the classes sorted), never the order of ingest:

- full names are one person when their first names are connected by the identity rule's
  `same_first` (a nickname or spelling: "Bill", "William"), keyed by the preferred variant
  (`identity.first_rank`); a suffix is part of the family, so "Trump Jr." is another group;
- a run too long to be a name ("John Paul George Smith") joins the person whose key it shares,
  else stays its own speaker (no surname alone joins it);
- a surname alone is the one person of the family; of several (at most `GENDERED_CANDIDATES`),
  the one whose first names fit the gender its own text gives it; else ``surname:<family>``;
- a one-word organisation or group is the family's one person when the corpus names that person
  (full names) at least `MISTYPED_PERSON_RATIO` times as often as it types the word so, else its
  own speaker.

So the speakers are the same whatever order the documents came in and whichever process settled a
group: the local writer settles the groups a new document touches (`store.speakers`), a bulk run
the groups a batch touched, on Ray as Ray Data tasks (`scale.corpus_steps.settle_on_ray`).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..gender import UNKNOWN, first_name_gender
from ..identity import PersonKey, first_name_variants, first_rank

FULL, RUN, LONE, TYPED = "full", "run", "lone", "typed"
"""The forms of a name in a group: a full name, a run too long to be one, a surname alone, and an
organisation's or group's one-word name."""
FORMS = (FULL, RUN, LONE, TYPED)
GENDERS = ("female", "male")
# People of one surname among whom a surname alone with a gender is placed by their first names'
# gender: more than this is a common surname, and a gender alone tells too few of them apart.
GENDERED_CANDIDATES = 8
# A one-word organisation that is a person's surname joins that person only when the corpus
# names the person at least this many times as often as it types the word as an organisation:
# "Trump [organization]" in a few documents beside hundreds of Donald Trumps is a mistyping,
# while "Ford" the company beside Doug Ford, about as often, stays apart.
MISTYPED_PERSON_RATIO = 2


@dataclass(frozen=True, order=True)
class NameClass:
    """The document speakers of one group that carry one identity `key` ("person:john smith",
    "surname:smith", "organization:trump") in one `form`; a surname alone also by the `gender` its
    own text gives it (else "unknown"). `n`: how many they are (no part of the class)."""

    form: str
    key: str
    gender: str = UNKNOWN
    n: int = field(default=1, compare=False)

    def to_dict(self) -> dict:
        return {"form": self.form, "key": self.key, "gender": self.gender, "n": self.n}

    @classmethod
    def from_dict(cls, data: Mapping) -> NameClass:
        return cls(data["form"], data["key"], data["gender"], int(data["n"]))


Placement = dict[NameClass, str]
"""Each class's corpus speaker, by key."""


@dataclass(frozen=True)
class _Person:
    key: str  # the preferred variant's key
    firsts: frozenset[str]
    named: int  # document speakers naming them by a full name (runs included)
    gender: str  # their first names' gender when they agree, else unknown


def _first(key: str) -> str:
    return PersonKey.from_text(key.removeprefix("person:"), lone=False).first or ""


def key_rank(key: str) -> tuple[tuple[int, str], str]:
    """The order in which the keys of one person's name variants are preferred (`identity.first_rank`)."""
    return first_rank(_first(key)), key


def _people(full: Sequence[NameClass], runs: Sequence[NameClass]) -> tuple[list[_Person], dict[str, int]]:
    """The family's persons (connected components of its full names under `same_first`) and the
    person of each full-name key."""
    keys = sorted({c.key for c in full})
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    firsts = [_first(k) for k in keys]
    by_first: dict[str, list[int]] = {}
    for i, first in enumerate(firsts):
        by_first.setdefault(first, []).append(i)

    def join(i: int, j: int) -> None:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    # `same_first` either way round, by looking each first name's variants up (linear in the family's
    # names, where comparing every pair was quadratic: a common surname has thousands)
    for i, first in enumerate(firsts):
        for j in by_first[first]:
            join(i, j)
        for variant in first_name_variants(first):
            for j in by_first.get(variant, ()):
                join(i, j)
    members: dict[int, list[int]] = {}
    for i in range(len(keys)):
        members.setdefault(root(i), []).append(i)
    counts: dict[str, int] = {}
    for c in (*full, *runs):
        counts[c.key] = counts.get(c.key, 0) + c.n
    people: list[_Person] = []
    person_of: dict[str, int] = {}
    for group in sorted(members.values()):
        names = {firsts[i] for i in group}
        genders = {first_name_gender(f) for f in names}
        people.append(_Person(min((keys[i] for i in group), key=key_rank), frozenset(names),
                              sum(counts.get(keys[i], 0) for i in group), genders.pop() if len(genders) == 1 else UNKNOWN))
        for i in group:
            person_of[keys[i]] = len(people) - 1
    return people, person_of


def settle(family: str, classes: Iterable[NameClass]) -> Placement:
    """Every class of one family's group placed (module docstring): a pure function of the classes."""
    by_form: dict[str, list[NameClass]] = {form: [] for form in FORMS}
    for c in sorted(set(classes)):
        by_form[c.form].append(c)
    people, person_of = _people(by_form[FULL], by_form[RUN])
    placed: Placement = {}
    for c in by_form[FULL]:
        placed[c] = people[person_of[c.key]].key
    for c in by_form[RUN]:
        placed[c] = people[person_of[c.key]].key if c.key in person_of else c.key
    for c in by_form[LONE]:
        placed[c] = _lone_target(family, people, c.gender)
    typed = sum(c.n for c in by_form[TYPED])
    for c in by_form[TYPED]:
        mistyped = len(people) == 1 and people[0].named >= MISTYPED_PERSON_RATIO * typed
        placed[c] = people[0].key if mistyped else c.key
    return placed


def _lone_target(family: str, people: Sequence[_Person], gender: str) -> str:
    """A surname alone's person: the family's one, or of a few the one whose first names fit `gender`
    (a first name of either or unknown gender fits both); else the ambiguous surname."""
    if len(people) == 1:
        return people[0].key
    if gender in GENDERS and len(people) <= GENDERED_CANDIDATES:
        fitting = [p for p in people if p.gender in (gender, UNKNOWN)]
        if len(fitting) == 1:
            return fitting[0].key
    return f"surname:{family}"


def settle_all(groups: Mapping[str, Sequence[NameClass]]) -> dict[str, Placement]:
    """Every group settled (`settle`), family by family: what a bulk pass hands a grouper."""
    return {family: settle(family, groups[family]) for family in sorted(groups)}
