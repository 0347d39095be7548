"""Names of people: the vocabulary and parsing shared by in-document and corpus speakers.

One place decides what is a title, an honorific, a name particle or a suffix, so that "NSC
spokesperson John Kirby" splits the same way when a document is read and when the corpus merges it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Words that name a role or an honorific, not a person, when they stand before a name.
TITLE_WORDS = frozenset("""
mr mrs ms miss mx dr prof sir dame lord lady rev fr sen rep gov gen lt col capt maj sgt adm cmdr
president vice prime minister secretary senator representative congressman congresswoman
governor mayor ambassador chancellor director spokesperson spokesman spokeswoman chief judge
justice king queen prince princess pope chairman chairwoman chair deputy general admiral colonel
captain major sergeant commissioner attorney foreign defense defence state national security
council press white house homeland interior finance treasury health economy trade former acting
premier leader speaker treasurer sheikh ayatollah emir commander officer professor doctor coach ceo cfo
founder executive analyst reporter correspondent editor anchor host
""".split())
HONORIFICS = frozenset("mr mrs ms miss mx dr prof sir dame rev fr sen rep gov gen lt col sgt capt".split())
PARTICLES = frozenset("von van der den de da di del della la le bin ibn al el dos das du st ter y".split())
SUFFIXES = frozenset("jr sr ii iii iv".split())
_TOKEN = re.compile(r"[^\s]+")
_POSSESSIVE = re.compile(r"[’']s$")


@dataclass(frozen=True)
class PersonName:
    """A person's name read from a speaker name; `prefix` holds the title words before it."""

    clean: str  # "John Kirby"
    first: str | None  # "john"; None for a surname alone
    surname: str  # "kirby"
    prefix: str  # "NSC spokesperson"
    suffix: str | None = None  # "jr" of "Donald Trump Jr.": it tells father and son apart


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


def parse_person(name: str) -> PersonName | None:
    """The person's name at the end of `name`, with any titles in front split off."""
    name = unicodedata.normalize("NFC", name)  # a decomposed accent must not split a word
    if name.isupper():  # transcript labels print names in capitals
        name = name.title()
    words = [w.strip(",;:") for w in _TOKEN.findall(name)]
    words = [w for w in words if w]
    suffixes: list[str] = []
    while words and fold(words[-1]) in SUFFIXES:
        suffixes.insert(0, fold(words.pop()))
    suffix = " ".join(suffixes) or None
    # The trailing run of capitalised words (particles allowed inside) is the name.
    start = len(words)
    while start > 0:
        word = words[start - 1]
        if _is_name_word(word) or (fold(word) in PARTICLES and start < len(words)):
            start -= 1
        else:
            break
    while start < len(words) and (fold(words[start]) in TITLE_WORDS or fold(words[start]) in PARTICLES):
        start += 1
    run = words[start:]
    if not run:
        return None
    prefix = " ".join(words[:start])
    parts = [w for w in run if not (len(w.rstrip(".")) == 1 and w[:1].isupper())] or run  # middle initials
    if len(parts) == 1:
        return PersonName(parts[0], None, fold(parts[0]), prefix, suffix)
    surname_start = len(parts) - 1
    while surname_start > 1 and fold(parts[surname_start - 1]) in PARTICLES:
        surname_start -= 1
    surname = fold(" ".join(parts[surname_start:]))
    return PersonName(" ".join(run), fold(parts[0]), surname, prefix, suffix)


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
