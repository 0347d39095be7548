"""Gender of a document's speakers: what the text says, and what a first name suggests.

Two uses, kept apart on purpose:
- `Votes` collects the text's own evidence for one speaker (a pronoun bound to them, an
  honorific before their name, a title that is gendered in the word itself: "spokeswoman", a
  kinship noun that names them: "Her husband, Jim"),
  and gives the speaker's `gender` only from it: media researchers count the gender of quoted
  sources, and a name alone is no evidence a reader can check. Evidence that conflicts gives
  "unknown".
- `first_name_gender` reads a first name in `gender-guesser`'s offline dictionary: it only helps
  choose a pronoun's antecedent ("he adds" after Chloe and Kody is Kody's), never the output.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from gender_guesser.detector import Detector  # type: ignore[import-untyped]  # ships no types

FEMALE, MALE, UNKNOWN = "female", "male", "unknown"

PRONOUN_GENDER = {"he": MALE, "him": MALE, "his": MALE, "himself": MALE,
                  "she": FEMALE, "her": FEMALE, "hers": FEMALE, "herself": FEMALE}
"""Third-person singular pronouns that carry a gender."""

HONORIFIC_GENDER = {"mr": MALE, "mrs": FEMALE, "ms": FEMALE, "miss": FEMALE, "sir": MALE, "dame": FEMALE,
                    "lord": MALE, "lady": FEMALE, "messrs": MALE}
"""Honorifics that say a person's gender (before a name: "Mr. Reyes", "Ms Whitfield")."""

HONORIFIC = re.compile(r"\b(?P<hon>(?i:" + "|".join(sorted(HONORIFIC_GENDER, key=len, reverse=True))
                       + r"))\b\.?[ \t]+(?P<name>[A-Z][\w’'-]*(?:[ \t]+[A-Z][\w’'.-]*){0,2})")
"""An honorific (case-blind: "MR.") before a capitalised name of one to three words ("Mr. Reyes", "Mrs Dana
Whitfield"); `hon` and `name` are its groups."""

# A title gendered in the word itself: "spokeswoman", "congresswoman", "chairwoman". Words in "-man"
# are not the mirror evidence: "chairman" is used of women too.
_FEMALE_TITLE = re.compile(r"\b\w+woman\b", re.IGNORECASE)

# Nouns for kin that say the gender in the word itself: "Her husband, Jim, said", "Dana Whitfield, the
# mother of two". Evidence as a gendered title is ("spokeswoman"); "partner", "parent", "spouse" say none.
KIN_GENDER = {
    **dict.fromkeys("husband father son brother grandfather grandson uncle nephew boyfriend widower stepfather "
                    "stepson".split(), MALE),
    **dict.fromkeys("wife mother daughter sister grandmother granddaughter aunt niece girlfriend widow "
                    "stepmother stepdaughter".split(), FEMALE),
}

# Only names the dictionary gives one gender: its "mostly_" names are used for both ("Bernie", "Robin", "Kim").
_GUESSES = {"male": MALE, "female": FEMALE}
# A pronoun's antecedent may lean on a name given mostly to one gender ("Stacy", "Jayme"): skipping
# such a person for "he" errs far less often than binding him to her. Never a record's gender.
_LEANINGS = {**_GUESSES, "mostly_male": MALE, "mostly_female": FEMALE}


@cache
def _detector() -> Detector:
    return Detector(case_sensitive=False)


@cache
def first_name_gender(first: str, *, leaning: bool = False) -> str:
    """"male", "female" or "unknown" for a first name in gender-guesser's dictionary (a name used for both,
    an initial or a word it does not hold: unknown; one used mostly one way: unknown, or with `leaning`
    that way). Only for choosing antecedents, never for a record."""
    first = first.strip(".")
    if len(first) < 2 or not first.isalpha():
        return UNKNOWN
    return (_LEANINGS if leaning else _GUESSES).get(_detector().get_gender(first), UNKNOWN)


def honorific_gender(word: str) -> str:
    """The gender an honorific says ("Mrs." -> female), else unknown."""
    return HONORIFIC_GENDER.get(word.lower().rstrip("."), UNKNOWN)


def title_gender(title: str) -> tuple[str, tuple[int, int] | None]:
    """A title gendered in its own words ("spokeswoman"): the gender and where in `title` it says so."""
    m = _FEMALE_TITLE.search(title)
    return (FEMALE, m.span()) if m else (UNKNOWN, None)


@dataclass
class Votes:
    """One speaker's gender evidence in the text: (gender, character span) pairs, each span once."""

    items: dict[tuple[int, int], str] = field(default_factory=dict)

    def add(self, gender: str, span: tuple[int, int]) -> None:
        if gender != UNKNOWN:
            self.items.setdefault(span, gender)

    def gender(self) -> str:
        """The gender all the evidence agrees on; unknown when there is none or it conflicts."""
        said = set(self.items.values())
        return said.pop() if len(said) == 1 else UNKNOWN

    def spans(self) -> list[tuple[int, int]]:
        """The evidence's spans in document order."""
        return sorted(self.items)


def compatible(want: str, have: str) -> bool:
    """Whether a pronoun of gender `want` may refer to someone of gender `have` (unknown fits either)."""
    return want == UNKNOWN or have == UNKNOWN or want == have
