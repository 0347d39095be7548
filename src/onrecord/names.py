"""Names of people: the vocabulary and parsing shared by in-document and corpus speakers.

One place decides what is a title, an honorific, a name particle or a suffix, so that "NSC
spokesperson John Kirby" splits the same way when a document is read and when the corpus merges it.
The name found is split into first name, surname (particles included) and suffix by `nameparser`;
which words are given names is `gender-guesser`'s name dictionary (used as a list of given names
only: it never gives anyone a gender).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from gender_guesser.detector import Detector  # type: ignore[import-untyped]  # ships no types
from nameparser import HumanName
from nameparser.config import CONSTANTS

# Words that name a role or an honorific, not a person, when they stand before a name.
TITLE_WORDS = frozenset("""
mr mrs ms miss mx dr prof sir dame lord lady rev fr sen rep gov gen lt col capt maj sgt adm cmdr
president vice prime minister secretary senator representative congressman congresswoman
governor mayor ambassador chancellor director spokesperson spokesman spokeswoman chief judge
justice king queen prince princess pope chairman chairwoman chair deputy general admiral colonel
captain major sergeant commissioner attorney foreign defense defence state national security
council press white house homeland interior finance treasury health economy trade former acting
premier leader speaker treasurer sheikh ayatollah emir commander officer professor doctor coach ceo cfo
founder executive analyst reporter correspondent editor anchor host moderator
councillor councilor councilman councilwoman alderman
""".split())
# Short forms of role words: "Pres. Trump", "Sec. Blinken", "spokesman" -> one role; "Gov. John Kasich"
# is the governor a later "the governor" names, "Sgt. Ann Lee" the sergeant.
ROLE_WORDS = {
    "pres": "president", "vp": "vice president", "sec": "secretary", "secy": "secretary",
    "sen": "senator", "rep": "representative", "gov": "governor", "lt": "lieutenant",
    "amb": "ambassador", "atty": "attorney", "gen": "general", "dept": "department",
    "spokesman": "spokesperson", "spokeswoman": "spokesperson",
    "sgt": "sergeant", "cpl": "corporal", "const": "constable", "det": "detective", "insp": "inspector",
    "supt": "superintendent", "capt": "captain", "maj": "major", "col": "colonel", "adm": "admiral",
    "cmdr": "commander", "prof": "professor",
}
HONORIFICS = frozenset("mr mrs ms miss mx dr prof sir dame rev fr sen rep gov gen lt col sgt capt".split())
# Last words that make a name an organisation's, whatever the entity tagger read ("Adam Smith
# International", "the Carter Center", "Clinton Foundation"): institution words that are hardly
# anyone's surname (so not "House", "Bank" or "Major").
ORGANIZATION_NAME_WORDS = frozenset("""
international inc corp corporation ltd llc plc gmbh foundation fund institute association agency authority
commission committee council university college ministry department embassy hospital network organisation
organization alliance coalition society federation consortium group partners holdings industries enterprises
technologies systems centre center team times news magazine media radio television
""".split())
# Last words of a place's name that no person's name ends with ("Ho Chi Minh City", "Orange County",
# "Pennsylvania Avenue"), though the entity tagger reads a person's name in their first words.
PLACE_NAME_WORDS = frozenset("city county avenue boulevard street airport square province township".split())
PARTICLES = frozenset("von van der den de da di del della la le bin ibn al el dos das du st ter y".split())
# Generational suffixes ("Jr.", "Sr.", "III"): nameparser's, in Latin letters, less "i" (a pronoun
# in running text) and the statuses that are no generation (Esq., ret.).
SUFFIXES = frozenset(s for s in CONSTANTS.suffix_not_acronyms
                     if s.isascii() and s.isalpha() and len(s) > 1 and s not in ("esq", "esquire", "ret", "vet"))
# Generation numerals ("Lloyd J. Austin III") are shown but tell no one apart: the person is
# known by the name without it, where "Jr." marks a son beside a father of that name.
_NUMERALS = frozenset({"ii", "iii", "iv"})
_INITIALS = re.compile(r"(?:\w\.)+")  # "R.", "G.K.": part of a name, unlike "D-Conn." or "Sens."
_PRONOUNS = frozenset("i he she it we you they me him her us them".split())  # closed class: never given names
ARTICLES = frozenset({"the", "a", "an"})  # "The New York Post": an article is never a name
_TOKEN = re.compile(r"[^\s]+")
_POSSESSIVE = re.compile(r"[’']s$")


@dataclass(frozen=True)
class PersonName:
    """A person's name read from a speaker name; `prefix` holds the title words before it."""

    clean: str  # "John Kirby", "Donald Trump Jr."
    first: str | None  # "john"; None for a surname alone
    surname: str  # "kirby"
    prefix: str  # "NSC spokesperson"
    suffix: str | None = None  # "jr" of "Donald Trump Jr.": it tells father and son apart (a numeral, "III", does not)


def names_an_organization(words: str) -> bool:
    """Is this name an organisation's by its last word (`ORGANIZATION_NAME_WORDS`)? One word alone
    ("Group") is no name at all, so it says no."""
    parts = words.split()
    return len(parts) > 1 and parts[-1].lower().rstrip(".") in ORGANIZATION_NAME_WORDS


# Title Case, as headlines, book titles and programmes are written and sentences are not: most of
# the longer words capitalised ("to", "a", "the" stay lowercase in it).
_TITLE_CASE_MIN_LEN, _TITLE_CASE_MIN_WORDS, _TITLE_CASE_SHARE = 4, 3, 0.8
_EDGE_PUNCT = "\"'‘’“”«»()[]{}.,;:!?…-–—"


def title_case(text: str) -> bool:
    """Whether `text` is written in Title Case ("Oil Pays Him a Lot of Money"), not as a sentence."""
    words = [w for w in (w.strip(_EDGE_PUNCT) for w in text.split()) if len(w) >= _TITLE_CASE_MIN_LEN]
    return len(words) >= _TITLE_CASE_MIN_WORDS and sum(w[0].isupper() for w in words) >= _TITLE_CASE_SHARE * len(words)


def names_a_place(words: str) -> bool:
    """Is this name a place's by its last word (`PLACE_NAME_WORDS`)? One word alone ("City") is no
    name at all, so it says no."""
    parts = words.split()
    return len(parts) > 1 and parts[-1].lower().rstrip(".") in PLACE_NAME_WORDS


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name or quote, for keys and comparisons:
    the one fold of the package (`identity.name_key` is this). NFC and NFD spellings fold alike."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w\s'-]", " ", text.casefold())
    return " ".join(text.split())


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and not (len(word) > 1 and word.isupper() and word.isalpha())


# Names repeat within a document and across a corpus, and nameparser is slow: parse each once.
_PARSED_NAMES_KEPT = 8192


@lru_cache(maxsize=_PARSED_NAMES_KEPT)
def uncapitalized(words: str) -> str:
    """ALL CAPS words of a transcript label in the case prose gives them, by nameparser's rules for
    names: "MS. ALVAREZ" -> "Ms. Alvarez", "MCDONALD" -> "McDonald", "VICE PRESIDENT" -> "Vice
    President". Words in any other case, and a one-letter label ("Q"), are left as written."""
    if not words.isupper() or len(words) < 2:
        return words
    name = HumanName(words)
    name.capitalize(force=True)
    cased = str(name) or words.title()
    if cased.split() != [w.strip() for w in cased.split()] or len(cased.split()) != len(words.split()):
        cased = words.title()  # nameparser dropped or moved a word: the plain title case keeps them all
    return cased[:1].upper() + cased[1:]  # "the Governor" opens a label: "The Governor"


def parse_person(name: str) -> PersonName | None:
    """The person's name at the end of `name`, with any titles in front split off (a frozen value,
    kept for the next time the same text is asked)."""
    name = unicodedata.normalize("NFC", name)  # a decomposed accent must not split a word
    name = uncapitalized(name)  # transcript labels print names in capitals
    words = [w.strip(",;:") for w in _TOKEN.findall(name)]
    words = [w for w in words if w]
    suffixes: list[str] = []
    while words and fold(words[-1]) in SUFFIXES:
        suffixes.insert(0, words.pop())
    suffix = " ".join(fold(w) for w in suffixes if fold(w) not in _NUMERALS) or None
    # The trailing run of capitalised words (particles allowed inside) is the name.
    start = len(words)
    while start > 0:
        word = words[start - 1]
        if _is_name_word(word) or (fold(word) in PARTICLES and start < len(words)):
            start -= 1
        else:
            break
    while start < len(words) and (fold(words[start]) in TITLE_WORDS | PARTICLES | ARTICLES):
        start += 1
    # An abbreviation opening the run ("D-Conn." of "D-Conn. Schumer") is a title, not a first name.
    while start < len(words) - 1 and words[start].endswith(".") and not _INITIALS.fullmatch(words[start]):
        start += 1
    run = words[start:]
    if not run:
        return None
    run, start = _from_given_name(run, start)
    prefix = " ".join(words[:start])
    parts = [w for w in run if not (len(w.rstrip(".")) == 1 and w[:1].isupper())] or run  # middle initials
    clean = " ".join(run + suffixes)  # "Donald Trump Jr.": the suffix is part of the name shown
    if len(parts) == 1:
        return PersonName(" ".join(parts + suffixes), None, fold(parts[0]), prefix, suffix)
    parsed = HumanName(" ".join(parts))
    last = fold(parsed.last)
    if not parsed.first or not last or parsed.suffix or parsed.title:  # not a first-last split: last word is the surname
        return PersonName(clean, fold(parts[0]), fold(parts[-1]), prefix, suffix)
    return PersonName(clean, fold(parts[0]), last, prefix, suffix)


@cache
def _given_names() -> Detector:
    return Detector(case_sensitive=False)


def name_gender(first: str) -> str | None:
    """"female" or "male" when gender-guesser's dictionary gives the given name (mostly) that
    gender, else None. For telling nickname-table entries apart only: a person's gender comes
    from the text (record.Speaker.gender), never from this."""
    found = _given_names().get_gender(first.capitalize())
    return found.removeprefix("mostly_") if found in ("female", "male", "mostly_female", "mostly_male") else None


def is_given_name(word: str) -> bool:
    """Whether `word` is a given name in gender-guesser's name dictionary ("Donald", "Rod"; not
    "Billionaire", "Mayor")."""
    word = word.strip(".")
    return word.casefold() not in _PRONOUNS and _given_names().get_gender(word) != "unknown"


def _from_given_name(run: list[str], start: int) -> tuple[list[str], int]:
    """A run of three or more capitalised words that only reaches a given name after some other
    words ("Billionaire Donald Trump", "Lake Cowichan Mayor Rod Peters"): those words describe the
    person and go to the title. A run whose first word is a given name, or with none, is kept."""
    if len(run) < 3 or is_given_name(run[0]):
        return run, start
    for i in range(1, len(run) - 1):
        if _INITIALS.fullmatch(run[i - 1]):  # "R. Gil Kerlikowske": an initial belongs to the name
            break
        if is_given_name(run[i]):
            return run[i:], start + i
    return run, start


def split_title(text: str) -> tuple[str, list[str]]:
    """A name as NER found it, split into the title in front and the name's words, honorifics and
    a possessive ending dropped: "Treasurer Lena Moss's" -> ("Treasurer", ["Lena", "Moss"])."""
    words = [w for w in (_POSSESSIVE.sub("", w) for w in re.findall(r"[\w’'.-]+", text))
             if w and w.lower().rstrip(".") not in HONORIFICS]
    person = parse_person(" ".join(words)) if words else None
    if person is None or not person.prefix:
        return "", words
    return person.prefix, words[len(person.prefix.split()):]


def name_words(text: str) -> list[str]:
    """The words of a person's name without title, honorifics or possessive: "Mr. Kirby's" -> ["Kirby"]."""
    return split_title(text)[1]
