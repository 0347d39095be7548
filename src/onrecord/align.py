"""Align: how faithfully one text reproduces another, word by word (the alignment engine).

Text against text, nothing about records or speakers: `verify.py` chooses which sources a quote
is judged against, `store/clusters.py` compares reprints of one statement, `report.py` shows
the word diff. Comparison runs on normalised word tokens (`_tokens`), so what is not a change
never shows as one: case, curly vs straight quotes and apostrophes, whitespace and NBSP,
punctuation at the ends, hyphenation ("Iran-backed" = "Iran backed", "ceasefire" =
"cease-fire"), and in a transcript's turns (`Source(notes=True)`) its stage notes ("[crosstalk]",
"(Laughter.)"). A number is one token holding its value, written out or in digits ("Forty-seven"
= "47", "three million" = "3 million", "third" = "3rd", "one and a half million" = "1.5
million"; text2num parses them), with its currency ("$4 billion" = "four billion dollars"), and
a spelling variant its one form ("OK" = "okay"; British "colour" = "color" by spaCy's lexeme_norm table),
so a changed value ("47" / "45") is a changed word. A `Change` reads as an edit of the source
into the quote: "delete" = source words the quote dropped, "insert" = words the quote added,
"replace" = source words it changed.

Status rules (`Fidelity.status`):

- verbatim: the same words. Allowed: omissions marked by an ellipsis ("…", "...": change kind
  "ellipsis") and square-bracketed editorial words ("[Iran]": kind "bracket").
- minor: besides those, only punctuation inside the quote (kind "punctuation"), contractions
  ("haven't" / "have not", "gonna" / "going to": "contraction"), spelling slips (one word for
  one word within edit distance 1, or 2 for words of six letters or more, a transposition
  counting once, also inside a contraction, "sombody's" / "somebody is"; never a negation, a
  number or an inflection such as "raise" / "raised": "spelling"), a spelling variant ("okay"
  / "OK": "spelling"), a number written the other way ("47" / "forty-seven", a day "March 15" /
  "March 15th": "number"), the
  speaker's disfluencies dropped (fillers "uh", "um", and "you know", "I mean" set off by commas
  or dashes; a stutter "I — I think", "was, you know, was"; a false start of
  at most three words broken off by a dash, never holding a negation or a number:
  "disfluency"), and at most one function word added, dropped or swapped ("the" / "this":
  "function_word").
- altered: at least half of the quoted words align with the source in order (in runs of two
  or more, or as contractions and spelling variants), and words were added, dropped (without
  an ellipsis) or changed, or the quote joins non-adjacent source sentences or different
  turns without an ellipsis (kind "stitch"; with one, the stitch is flagged but tolerated; two
  of the speaker's own turns parted only by a short interruption are one run of speech).
- paraphrase: the source makes the statement in other words - under half the quoted words
  align, but at least half of the quote's content words (weighted by rarity in the source)
  occur within three consecutive source sentences, matched by lemma (lemminflect: "elected" /
  "elect"), five-letter stem ("passing" / "passage") or value ("four-year" / "four years"). The
  same claim, not only the same words: every number of the quote is in that passage, so is one
  of its words that can be a verb, and the source clause holding most of the quote's words (for
  a negation, the clause of the word it denies) agrees with it on negation (a dropped "not",
  "won't" against "will"; "few" denies) and on hedging ("may" against "will"); otherwise
  unsupported. Normal for indirect speech; a problem inside quote marks.
- unsupported: the source has no such statement.
- no_source: nothing to check against, or too little to check (minimum evidence, below).

Minimum evidence: a verdict of verbatim, minor or altered needs at least three aligned words,
one of them a content word (in the quoted speaker's own turns, function words alone do when
they are verbatim or minor there: "We're doing everything we can"). A quote of one or two words
is never checked against a document at large (a random occurrence proves nothing): it is
verbatim only when it occurs exactly in the quoted speaker's own turns, with a content word or
as a whole sentence of theirs ("stated “enough”": "THE PRESIDENT: Enough."), unsupported when
those turns lack it, and no_source otherwise. Paraphrase needs two content
words in common with the source.

Indirect quotes are matched word by word first (verbatim or minor when they copy the source),
then by content-word overlap (paraphrase or unsupported); they are never "altered".

Meaning is judged by words only: no sentence-embedding or NLI model runs (no PyPI wheel ships
WordNet; MiniLM's packaged weights need PyTorch or a hand-built runtime; the spaCy vector models
on PyPI are re-uploads needing Python 3.12), so a paraphrase in other words than the source's
(synonyms: "attempts" for "tried", "lab" for "laboratories") reads as unsupported.

Scale: each source is tokenised and indexed once (word bigrams and content words; lemmas of its
distinct words when a quote is first compared by overlap), candidate
regions are found by voting in the index, and alignment (difflib on word tokens) runs only
inside a few small windows, so a 100,000-word source costs a linear pass to index and
milliseconds per quote.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import pairwise, product

import spacy.util
from lemminflect import getAllLemmas  # type: ignore[import-untyped]  # ships no types
from rapidfuzz.distance import OSA
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.lookups import Lookups, Table
from text_to_num import alpha2digit, text2num  # type: ignore[import-untyped]  # ships no types

from .dates import MONTHS
from .labels import NOTE
from .record import Change, Fidelity, SourceSpan
from .settings import Options

# A word: digits with their grouping commas, decimals and a suffix ("1,000", "3.5", "3rd",
# "1990s"), or letters with inner apostrophes; "%" is read as the word "percent".
_WORD = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[^\W\d_]*|[^\W_]+(?:['’‘][^\W_]+)*|%")
_ELLIPSIS = re.compile(r"…|\.(?:\s?\.){2}")
_BRACKETED = re.compile(r"\[[^\[\]]*\]")
_SENTENCE_PUNCT = re.compile(r"[.?!…]")
_CLAUSE_PUNCT = re.compile(r"[,.;:?!…—–()]")
# Characters that are never a difference between a quote and its source: quote marks,
# brackets around editorial words, whitespace (NBSP too) and a hyphen joining two words.
_NOT_PUNCTUATION = str.maketrans("", "", "\"'“”‘’«»„‟‹›`´[]-‐‑ \t\n\r\u00a0\u2009\u202f")
_ABBREVIATIONS = frozenset("mr mrs ms dr st gen sen rep gov lt col sgt capt prof jr sr vs".split())
NEGATIONS = frozenset("not no never none nobody nothing neither nor cannot without".split())
# Words whose swap leaves the claim intact often enough to count as minor (once per quote).
FUNCTION_WORDS = frozenset(
    """a an the this that these those of in on at to for from by with as into onto about
    and or but so then than if is are was were be been being am has have had do does did
    it its they them their he him his she her we us our i me my you your there here just
    well also very really actually""".split()
)
_EXPANSIONS = {
    "n't": (("not",),), "'re": (("are",),), "'ve": (("have",),), "'ll": (("will",),),
    "'m": (("am",),), "'d": (("would",), ("had",)), "'s": (("is",), ("has",), ("us",)),
}
# Whole words that stand for two: irregular contractions, and the spoken forms transcripts keep.
_WHOLE_WORD_EXPANSIONS = {
    "won't": ("will", "not"), "can't": ("can", "not"), "cannot": ("can", "not"), "shan't": ("shall", "not"),
    "ain't": ("am", "not"), "gonna": ("going", "to"), "wanna": ("want", "to"), "gotta": ("got", "to"),
    "kinda": ("kind", "of"), "sorta": ("sort", "of"), "lotta": ("lot", "of"), "outta": ("out", "of"),
    "lemme": ("let", "me"), "gimme": ("give", "me"),
}

MIN_COVERAGE = 0.5  # share of quoted words aligned in runs of 2+ for verbatim/minor/altered
MIN_OVERLAP = 0.5  # weighted share of content words for paraphrase
_MAX_HITS = 400  # index entries more frequent than this are too common to locate anything
_WINDOWS = 3  # candidate regions aligned per quote and source
_STEM_LETTERS = 5  # a prefix this long joins involved/involvement, attack/attacks
# A source this short is judged whatever its words; a longer one is English when at least this
# share of its words are function words (a third in English running text, far fewer otherwise).
_SHORT_SOURCE_WORDS, _MIN_STOP_SHARE = 20, 0.1
# A candidate window reaches this far beyond the quote's length: an ellipsis may skip words.
_ELLIPSIS_REACH_FACTOR, _ELLIPSIS_REACH_WORDS = 2, 20
# An unaligned edge of k quote words is compared with up to this many times k source words next
# to the aligned part: a contraction or a number in words stands for more source words than it has.
_EDGE_REACH = 2
_WINDOW_MARGIN = 5  # source words kept either side of a window, for edges the index missed
_OVERLAP_SENTENCES = 3  # a paraphrase may spread over this many consecutive sentences
# An edge block of at most this many words, whose source gap exceeds the quote's by more than
# `_DETACHED_GAP` words, matched by chance ("the" twenty words away).
_DETACHED_WORDS, _DETACHED_GAP = 2, 8
_MAX_EXPANDED_WORDS = 6  # contraction expansion is exponential in the words: longer runs are compared as they are
# Edit distance a spelling slip may have: 1, or 2 for words this long (typos scale with length).
_LONG_WORD, _SLIP_SHORT, _SLIP_LONG = 6, 1, 2
MIN_EVIDENCE_WORDS = 3  # aligned words a verdict of verbatim, minor or altered needs (module docstring)
MIN_SHARED_CONTENT = 2  # content words a paraphrase needs in common with its source
_STITCH_SENTENCES = 2  # source words this many sentences apart (or in different turns) are not adjacent
# ... but two of a speaker's turns parted by no more than this many characters (a label and a
# few words cut in: "BIDEN: So the —", "[crosstalk]") are one run of speech, not a stitch.
_INTERRUPTION_CHARS = 200
# Words that hedge a claim: "may" against "will" is another claim, never a paraphrase. Not
# "could" or "would", which reported speech uses for "can" and "will".
HEDGES = frozenset("may might maybe perhaps possibly".split())
_WHOLE_WORD_NEGATIONS = frozenset({"won't", "can't", "cannot", "shan't", "ain't"})
# Words that deny a claim as "not" does, when comparing claims (not "a few"): "few", "hardly".
_DENYING_WORDS = frozenset({"few", "hardly", "barely"})
# Numbers that need not recur in a paraphrase: "one" and "first", "second" are as often a
# pronoun, an adverb or a unit of time as a count.
_LOOSE_NUMBERS = frozenset({"1", "1st", "2nd"})
_MINOR_KINDS = frozenset({"punctuation", "contraction", "spelling", "number", "disfluency", "function_word"})
# Hesitation sounds transcripts keep and newsrooms drop: never words of the claim.
FILLERS = frozenset("uh um uhm er erm ah eh hmm mm".split())
# Phrases that are fillers when set off by commas or dashes ("the virus was, you know, was gone").
_FILLER_PHRASES = (("you", "know"), ("i", "mean"))
_FALSE_START_WORDS = 3  # a false start is a few words broken off by a dash; a longer run is a dropped clause
# A changed run of at most this many source words is tried as a disfluency plus the quote's words,
# and a dropped run this short as any rotation of a repeat (quadratic in the run; stutters are short).
_MAX_CLEANED_WORDS = 8
_DASH = re.compile(r"—|–|--|-\s")
_CLAUSE_START = re.compile(r"[,.;:?!…]")
_INFLECTIONS = frozenset({"s", "es", "d", "ed", "ing", "er", "est", "ly"})
_SAME_WORDS = frozenset({"hyphenation", "contraction", "spelling"})  # count as aligned for coverage


def _word_form(word: str) -> str:
    if not word.isascii():
        word = unicodedata.normalize("NFKC", word).replace("’", "'").replace("‘", "'")
    return word.lower()


# Spoken or house-style forms of one word that the spelling table lacks ("OK" is AP's "okay").
_VARIANTS = {"ok": "okay", "%": "percent"}
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")
_SCALE_MIN = 100  # a number word this large multiplies what precedes it ("3 million", "two hundred")
_NUMBER_JOINERS = frozenset(" -‐‑\u00a0")  # what may stand between the words of one number ("forty-seven")
_MAX_NUMBER_WORDS = 8  # longer runs of number words are several numbers ("twenty twenty"), read one by one
# An amount's currency, as a sign before the number or a word after it ("pound" is also a weight).
_CURRENCY_SIGNS = frozenset("$€£")
_CURRENCY_WORDS = {"dollar": "$", "dollars": "$", "euro": "€", "euros": "€"}


@lru_cache(maxsize=1)
def _spelling_table() -> Table | None:
    """British to American spellings ("colour" -> "color") and a few spoken forms ("cuz" ->
    "because"): spaCy's maintained lexeme_norm table, shipped in the English model's vocabulary.
    None (spellings compared as written) when the model is not installed."""
    try:
        found = next(spacy.util.get_package_path(Options.model).glob("**/vocab/lookups.bin"), None)
    except ImportError:
        return None
    lookups = Lookups().from_disk(found.parent) if found is not None else Lookups()
    return lookups.get_table("lexeme_norm") if lookups.has_table("lexeme_norm") else None


@lru_cache(maxsize=1 << 16)
def _spelling(norm: str) -> str:
    """The word's one spelling: "OK" -> "okay", "colour" -> "color"; others as they are."""
    table = _spelling_table()
    variant = _VARIANTS.get(norm) or (table.get(norm) if table is not None else None)
    return variant.strip() if variant else norm


@lru_cache(maxsize=1 << 15)
def _number_word(norm: str) -> str | None:
    """A spelled-out number word's value in digits ("forty" -> "40", "third" -> "3rd"), else None."""
    if not (norm.isascii() and norm.isalpha()):
        return None
    try:
        return str(text2num(norm, "en"))
    except ValueError:
        ordinal = alpha2digit(norm, "en", threshold=0)
        return ordinal if _ORDINAL.fullmatch(ordinal) else None


def _decimal(digits: str) -> Decimal | None:
    try:
        return Decimal(digits.replace(",", ""))
    except InvalidOperation:  # digits with a suffix: "3rd", "1990s"
        return None


def _number_value(words: Sequence[str]) -> str | None:
    """The value in digits of words read as one number ("forty seven" -> "47", "3 million" and
    "three million" -> "3000000", "1,000" -> "1000", "twenty first" -> "21st"); None when they
    do not make one number. Parsing spelled numbers is text2num's."""
    if words[0][0].isdigit():
        value = _decimal(words[0])
        if value is None:
            return words[0] if len(words) == 1 else None
        for w in words[1:]:
            scale = _number_word(w)
            if scale is None or not scale.isdigit() or int(scale) < _SCALE_MIN:
                return None
            value *= int(scale)
        return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
    joined = " ".join(words)
    try:
        return str(text2num(joined, "en"))
    except ValueError:
        ordinal = alpha2digit(joined, "en", threshold=0)
        return ordinal if _ORDINAL.fullmatch(ordinal) else None


def _joins_number(text: str, found: Sequence[tuple[int, int, str]], k: int, run: int) -> bool:
    """Whether token `run` continues the number that starts at token k: a number word (a scale
    word only, after digits), or "and" between a scale word and a number word ("one hundred and
    five"), joined by spaces or a hyphen."""
    if run - k >= _MAX_NUMBER_WORDS or not set(text[found[run - 1][1]:found[run][0]]) <= _NUMBER_JOINERS:
        return False
    norm = found[run][2]
    value = _number_word(norm)
    if found[k][2][0].isdigit():
        return value is not None and value.isdigit() and int(value) >= _SCALE_MIN
    if value is not None:
        return True
    previous = _number_word(found[run - 1][2])
    return (norm == "and" and run + 1 < len(found) and previous is not None and previous.isdigit()
            and int(previous) >= _SCALE_MIN and _number_word(found[run + 1][2]) is not None)


def _is_number(norm: str) -> bool:
    """A token holding a number's value: "47", "3rd", "$4000000000"."""
    return norm[:1].isdigit() or (norm[:1] in _CURRENCY_SIGNS and norm[1:2].isdigit())


def _tokens(text: str, a: int = 0, b: int | None = None) -> list[tuple[str, int, int]]:
    """Normalised word tokens of text[a:b] as (norm, start, end): lower case, apostrophes
    straightened, a number as its value whether written out or in digits ("Forty-seven" and "47"
    are "47", one token; an amount of money with its currency, "$4 billion" and "four billion
    dollars" are "$4000000000"), a British or variant spelling as its American form ("colour" ->
    "color", "OK" -> "okay"), so that none of these reads as a change of words."""
    found = [(m.start(), m.end(), _word_form(m.group())) for m in _WORD.finditer(text, a, len(text) if b is None else b)]
    out: list[tuple[str, int, int]] = []
    k = 0
    while k < len(found):
        start, end, norm = found[k]
        a_scale = norm == "a" and k + 1 < len(found) and _scale(found[k + 1][2]) and text[end:found[k + 1][0]] == " "
        if norm[0].isdigit() or _number_word(norm) is not None or a_scale:
            run = k + 1
            while run < len(found) and _joins_number(text, found, k, run):
                run += 1
            words = ["one" if a_scale else norm] + [w for _, _, w in found[k + 1:run]]  # "a million" is one million
            while run > k + 1 and _number_value(words[:run - k]) is None:
                run -= 1
            value, end = _number_value(words[:run - k]) or norm, found[run - 1][1]
            value, end, run = _and_a_half(text, found, run, value, end)
            if start > 0 and text[start - 1] in _CURRENCY_SIGNS:  # "$4 billion"
                value, start = text[start - 1] + value, start - 1
            elif run < len(found) and found[run][2] in _CURRENCY_WORDS and text[end:found[run][0]] == " ":
                value, end = _CURRENCY_WORDS[found[run][2]] + value, found[run][1]  # "four billion dollars"
                run += 1
            out.append((value, start, end))
            k = run
            continue
        out.append((_spelling(norm), start, end))
        k += 1
    return out


def _scale(norm: str) -> int | None:
    """The value of a scale word ("hundred", "million"), else None."""
    value = _number_word(norm)
    return int(value) if value is not None and value.isdigit() and int(value) >= _SCALE_MIN else None


def _and_a_half(text: str, found: Sequence[tuple[int, int, str]], run: int, value: str, end: int) -> tuple[str, int, int]:
    """A number's value with "and a half" after it, and a scale word after that: "one and a half
    million" -> "1500000", "three and a half" -> "3.5" (value, end offset, next token)."""
    tail = [w for _, _, w in found[run:run + 3]]
    if tail != ["and", "a", "half"] or not value.isdigit() or any(
            text[found[i - 1][1]:found[i][0]] != " " for i in range(run, run + 3)):
        return value, end, run
    amount, end, run = Decimal(value) + Decimal("0.5"), found[run + 2][1], run + 3
    if run < len(found) and (scale := _scale(found[run][2])) and text[end:found[run][0]] == " ":
        amount, end, run = amount * scale, found[run][1], run + 1
    return (str(int(amount)) if amount == amount.to_integral_value() else format(amount.normalize(), "f")), end, run


def _tokens_between_notes(text: str, a: int, b: int) -> list[tuple[str, int, int]]:
    """`_tokens` of text[a:b] less the words of a transcript's stage notes and timestamps
    ("(Laughter.)", "[crosstalk 00:00:55]"): the transcriber's, never the speaker's, so a quote
    that leaves them out leaves out nothing."""
    out: list[tuple[str, int, int]] = []
    for note in NOTE.finditer(text, a, b):
        out += _tokens(text, a, note.start())
        a = note.end()
    return out + _tokens(text, a, b)


def _is_content(norm: str) -> bool:
    return not (norm in STOP_WORDS or norm.split("'")[0] in STOP_WORDS or norm.endswith("n't"))


def _stem(norm: str) -> str:
    """A five-letter prefix: crude, but it joins involved/involvement and attack/attacks."""
    return norm.split("'")[0][:_STEM_LETTERS]


@lru_cache(maxsize=1 << 16)
def _keys(norm: str) -> tuple[str, ...]:
    """What a content word matches in a paraphrase: the word without its clitic ("president's"),
    its lemmas for every part of speech it may be (lemminflect's dictionary: "elected" -> "elect",
    "laboratories" -> "laboratory", "tried" -> "try"), and its five-letter prefix for derivations
    ("passing" / "passage"). A number is its value alone."""
    base = norm.split("'")[0]
    if not base or _is_number(base):
        return (base,)
    lemmas = {lemma.lower() for forms in getAllLemmas(base).values() for lemma in forms}
    return tuple(sorted({base, _stem(base), *lemmas}))


def _negation_at(words: Sequence[str], i: int) -> bool:
    """Whether words[i] denies: a negation ("not", "won't"), or a word that denies as "not" does
    ("few people voted" is "there aren't a lot of people voting"; "a few" affirms)."""
    w = words[i]
    return (w in NEGATIONS or w.endswith("n't") or w in _WHOLE_WORD_NEGATIONS
            or (w in _DENYING_WORDS and (i == 0 or words[i - 1] != "a")))


@lru_cache(maxsize=1 << 15)
def _can_act(norm: str) -> bool:
    """Whether a word may be a verb (lemminflect's dictionary lists a verb reading of it)."""
    base = norm.split("'")[0]
    return bool(base) and not _is_number(base) and "VERB" in getAllLemmas(base)


def _negated(words: Sequence[str]) -> bool:
    return any(_negation_at(words, i) for i in range(len(words)))


def _hedged(words: Sequence[str]) -> bool:
    return any(w in HEDGES for w in words)


def _ends_sentence(gap: str, prev_norm: str, next_word: str) -> bool:
    return (
        _SENTENCE_PUNCT.search(gap) is not None
        and (next_word[0].isupper() or next_word[0].isdigit())
        and len(prev_norm) > 1
        and prev_norm not in _ABBREVIATIONS
    )


class Source:
    """One source prepared once: its word tokens with exact offsets, sentence and region
    (turn) ids, and the indexes that find candidate regions for a quote in linear time."""

    def __init__(self, text: str, regions: Sequence[tuple[int, int]] | None = None, *,
                 doc: str | None = None, own: bool = False, notes: bool = False):
        self.text, self.doc, self.own, self.notes = text, doc, own, notes
        self.norms: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.sents: list[int] = []
        self.regions: list[int] = []
        sent = -1
        for region, (a, b) in enumerate(regions if regions is not None else [(0, len(text))]):
            first = True
            for norm, start, end in _tokens_between_notes(text, a, b) if notes else _tokens(text, a, b):
                if first or _ends_sentence(text[self.ends[-1]:start], self.norms[-1], text[start:end]):
                    sent += 1
                first = False
                self.norms.append(norm)
                self.starts.append(start)
                self.ends.append(end)
                self.sents.append(sent)
                self.regions.append(region)
        self.bigrams: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.words: dict[str, list[int]] = defaultdict(list)  # content words
        self._key_sents: dict[str, set[int]] | None = None
        self.sent_first: list[int] = []  # first token of each sentence
        for p, norm in enumerate(self.norms):
            if p + 1 < len(self.norms):
                self.bigrams[norm, self.norms[p + 1]].append(p)
            if p == 0 or self.sents[p] != self.sents[p - 1]:
                self.sent_first.append(p)
            if _is_content(norm):
                self.words[norm].append(p)
        # sentences too short for the index above ("Enough.", "No way."): their words -> first token
        self.short_sentences: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for a, b in pairwise([*self.sent_first, len(self.norms)]):
            if b - a < MIN_EVIDENCE_WORDS:
                self.short_sentences[tuple(self.norms[a:b])].append(a)

    @property
    def key_sents(self) -> dict[str, set[int]]:
        """Content words' keys (`_keys`: lemmas, stem, value) -> the sentences holding them; built
        once, from the distinct words, when a quote is first compared by overlap."""
        if self._key_sents is None:
            self._key_sents = defaultdict(set)
            for norm, positions in self.words.items():
                sents = {self.sents[p] for p in positions}
                for key in _keys(norm):
                    self._key_sents[key] |= sents
        return self._key_sents

    def __len__(self) -> int:
        return len(self.norms)

    def looks_english(self) -> bool:
        """Function words make up a third of English running text; under a tenth means another
        language (or not prose at all), where no alignment could mean anything."""
        if not self.norms:
            return False
        return len(self.norms) < _SHORT_SOURCE_WORDS or (
            sum(n in STOP_WORDS for n in self.norms) >= _MIN_STOP_SHARE * len(self.norms))

    def span(self, j1: int, j2: int) -> SourceSpan:
        start, end = self.starts[j1], self.ends[j2 - 1]
        return SourceSpan(self.doc, start, end, self.text[start:end])

    def candidates(self, words: Sequence[str]) -> list[tuple[int, int]]:
        """Source token windows where the quote's bigrams and content words cluster, best first."""
        n = len(words)
        votes: list[tuple[int, int]] = []  # (where the quote would start, quote position)
        for i in range(n):
            keys = [self.words.get(words[i], ())] if _is_content(words[i]) else []
            if i + 1 < n:
                keys.append(self.bigrams.get((words[i], words[i + 1]), ()))
            for hits in keys:
                if len(hits) <= _MAX_HITS:
                    votes.extend((p - i, i) for p in hits)
        if not votes:
            return []
        votes.sort()
        reach = _ELLIPSIS_REACH_FACTOR * n + _ELLIPSIS_REACH_WORDS
        groups: list[tuple[int, int, int]] = []
        seen: Counter[int] = Counter()
        left = 0
        for anchor, i in votes:
            seen[i] += 1
            while anchor - votes[left][0] > reach:
                seen[votes[left][1]] -= 1
                if not seen[votes[left][1]]:
                    del seen[votes[left][1]]
                left += 1
            groups.append((len(seen), votes[left][0], anchor))
        groups.sort(key=lambda g: -g[0])
        windows: list[tuple[int, int]] = []
        for _, lo_anchor, hi_anchor in groups:
            lo, hi = max(0, lo_anchor - _WINDOW_MARGIN), min(len(self), hi_anchor + n + _WINDOW_MARGIN)
            if all(hi <= a or lo >= b for a, b in windows):
                windows.append((lo, hi))
                if len(windows) == _WINDOWS:
                    break
        return windows

    def overlap(self, words: Sequence[tuple[str, ...]], needed: frozenset[int] = frozenset()) -> tuple[float, int, int, int]:
        """Best run of up to three sentences of one region by the rarity-weighted share of the
        quote's content words (each given by its keys, `_keys`) found in it: (score, words in
        common, first token, end token). Runs holding all of `needed` (indexes into `words`: the
        quote's numbers, which a paraphrase must keep) come before any that do not."""
        if not words or not self.norms:
            return 0.0, 0, 0, 0
        total_sents = len(self.sent_first)
        found = [set().union(*(self.key_sents.get(k, ()) for k in keys)) for keys in words]
        weight = [math.log(1 + total_sents / max(1, len(sents))) for sents in found]
        whole = sum(weight)
        by_sent: dict[int, set[int]] = defaultdict(set)
        for w, sents in enumerate(found):
            for sent in sents:
                by_sent[sent].add(w)
        best = (0.0, 0, 0, 0)
        best_holds = False
        for sent in by_sent:
            for first in range(max(0, sent - _OVERLAP_SENTENCES + 1), sent + 1):
                last = min(first + _OVERLAP_SENTENCES - 1, total_sents - 1)
                while self.regions[self.sent_first[last]] != self.regions[self.sent_first[first]]:
                    last -= 1
                if last < sent:
                    continue
                common = set().union(*(by_sent.get(k, set()) for k in range(first, last + 1)))
                score = sum(weight[w] for w in common) / whole
                holds = needed <= common
                if (holds, score) > (best_holds, best[0]):
                    end = self.sent_first[last + 1] if last + 1 < total_sents else len(self)
                    best, best_holds = (score, len(common), self.sent_first[first], end), holds
        return best

    def core_clause(self, words: Sequence[tuple[str, ...]], j1: int, j2: int,
                    about: tuple[str, ...] | None = None) -> list[str]:
        """The words of the clause in tokens [j1, j2) that holds most of the quote's content words:
        where the source makes the statement, for comparing its negation and modality. With
        `about` (a word's keys), the clause holding that word, when one does."""
        keyed = {k: w for w, keys in enumerate(words) for k in keys}
        clauses = [0]  # clause of each token from j1: sentences cut at commas, colons, dashes
        for p in range(j1 + 1, j2):
            cut = self.sents[p] != self.sents[p - 1] or _CLAUSE_PUNCT.search(self.text[self.ends[p - 1]:self.starts[p]])
            clauses.append(clauses[-1] + bool(cut))
        held: dict[int, set[int]] = defaultdict(set)
        wanted = set(about or ())
        holding: set[int] = set()
        for p in range(j1, j2):
            if _is_content(self.norms[p]):
                keys = _keys(self.norms[p])
                held[clauses[p - j1]].update(keyed[k] for k in keys if k in keyed)
                if wanted.intersection(keys):
                    holding.add(clauses[p - j1])
        if not held:
            return []
        core = max(holding or held, key=lambda c: (len(held[c]), -c))
        return [self.norms[p] for p in range(j1, j2) if clauses[p - j1] == core]


@dataclass
class _QuoteWords:
    """A quote's word tokens, with which words are bracketed and where ellipses stand."""

    text: str
    norms: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    bracket: list[bool] = field(default_factory=list)
    ellipses: dict[int, str] = field(default_factory=dict)  # word position -> ellipsis before it

    @classmethod
    def of(cls, text: str) -> _QuoteWords:
        q = cls(text)
        brackets = [m.span() for m in _BRACKETED.finditer(text)]
        marks = sorted([(m.start(), m.group()) for m in _ELLIPSIS.finditer(text)])
        for norm, start, end in _tokens(text):
            bracket = any(a <= start < b for a, b in brackets)
            # letters added in brackets inside a word ("writ[ing]", "[T]hey") make one editorial word
            if q.norms and (bracket or q.bracket[-1]) and text[q.ends[-1]:start] in ("[", "]") and any(
                    a - 1 <= q.ends[-1] and start <= b for a, b in brackets):
                q.norms[-1] += norm
                q.ends[-1] = end
                q.bracket[-1] = True
                continue
            q.norms.append(norm)
            q.starts.append(start)
            q.ends.append(end)
            q.bracket.append(bracket)
        for pos, mark in marks:
            q.ellipses[sum(1 for s in q.starts if s < pos)] = mark
        return q

    def __len__(self) -> int:
        return len(self.norms)

    def cut(self, i1: int, i2: int) -> str:
        return self.text[self.starts[i1]:self.ends[i2 - 1]] if i2 > i1 else ""

    def segments(self) -> list[tuple[int, int]]:
        """Quote word ranges split at sentence ends and ellipses: the parts a stitch joins."""
        cuts = [0]
        for i in range(1, len(self)):
            gap = self.text[self.ends[i - 1]:self.starts[i]]
            if i in self.ellipses or _ends_sentence(gap, self.norms[i - 1], self.text[self.starts[i]:self.ends[i]]):
                cuts.append(i)
        cuts.append(len(self))
        return [(a, b) for a, b in pairwise(cuts) if b > a]


# An alignment op: (tag, i1, i2, j1, j2) over quote and source token positions.
Op = tuple[str, int, int, int, int]


@dataclass(frozen=True)
class _Piece:
    """A run of the quote aligned to one contiguous stretch of one source."""

    src: Source
    ops: tuple[Op, ...]

    @property
    def matched(self) -> int:
        return sum(i2 - i1 for tag, i1, i2, _, _ in self.ops if tag == "equal")

    @property
    def i1(self) -> int:
        return self.ops[0][1]

    @property
    def i2(self) -> int:
        return self.ops[-1][2]

    @property
    def j1(self) -> int:
        return min(j1 for _, _, _, j1, j2 in self.ops if j2 > j1)

    @property
    def j2(self) -> int:
        return max(j2 for _, _, _, j1, j2 in self.ops if j2 > j1)


def _align_window(q: _QuoteWords, a: int, b: int, src: Source, lo: int, hi: int) -> _Piece | None:
    """Align quote words [a, b) inside source tokens [lo, hi); None when nothing matches."""
    matcher = SequenceMatcher(None, q.norms[a:b], src.norms[lo:hi], autojunk=False)
    blocks = [(a + m.a, lo + m.b, m.size) for m in matcher.get_matching_blocks() if m.size]
    # A stray short match far from the rest (a "the" twenty words away) is not evidence.
    while len(blocks) > 1 and _detached(blocks[0], blocks[1], q, src):
        blocks.pop(0)
    while len(blocks) > 1 and _detached(blocks[-2], blocks[-1], q, src, last=True):
        blocks.pop()
    if not blocks:
        return None
    ops: list[Op] = []
    i, j = blocks[0][0], blocks[0][1]
    if i > a:
        ops.extend(_edge_ops(q, src, a, i, j, back=True))
    for bi, bj, size in blocks:
        if (bi, bj) != (i, j):
            ops.append((_tag(bi - i, bj - j), i, bi, j, bj))
        ops.append(("equal", bi, bi + size, bj, bj + size))
        i, j = bi + size, bj + size
    if i < b:
        ops.extend(_edge_ops(q, src, i, b, j, back=False))
    return _Piece(src, tuple(ops))


def _opcodes(a: Sequence[str], b: Sequence[str], i1: int, i2: int, j1: int, j2: int) -> list[Op]:
    """Ops turning source words b[j1:j2] into quote words a[i1:i2], in absolute positions."""
    flip = {"delete": "insert", "insert": "delete"}  # difflib edits the first sequence into the second
    matcher = SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False)
    return [(flip.get(tag, tag), i1 + x1, i1 + x2, j1 + y1, j1 + y2) for tag, x1, x2, y1, y2 in matcher.get_opcodes()]


def _detached(first: tuple[int, int, int], second: tuple[int, int, int], q: _QuoteWords, src: Source,
              last: bool = False) -> bool:
    """An edge block that is no evidence: one or two words apart from the rest, either in
    another turn, far off, or only stop words or editorial brackets out of step with the rest
    ("and" matched after an added "between Hamas")."""
    edge = second if last else first
    if edge[2] > _DETACHED_WORDS or second[0] in q.ellipses:
        return False
    quote_gap = second[0] - (first[0] + first[2])
    source_gap = second[1] - (first[1] + first[2])
    weak = all(q.norms[i] in STOP_WORDS or q.bracket[i] for i in range(edge[0], edge[0] + edge[2]))
    other_turn = _other_turn(src, first[1] + first[2] - 1, second[1])
    if other_turn or source_gap - quote_gap > _DETACHED_GAP:
        return True
    # the gap holds the same words in another form ("gonna" for "going to"), or only a stutter
    # or filler the quote cleaned up ("Well, uh, the"): the edge is in step
    between = (q.norms[first[0] + first[2]:second[0]], src.norms[first[1] + first[2]:second[1]])
    in_step = _same_words(*between) if all(between) else (
        not between[0] and _disfluency(src, first[1] + first[2], second[1]))
    return weak and quote_gap != source_gap and not in_step


def _tag(quote_words: int, source_words: int) -> str:
    return "replace" if quote_words and source_words else "insert" if quote_words else "delete"


def _edge_words(q: _QuoteWords, i1: int, i2: int) -> int:
    """How many source words an unaligned edge run of the quote may stand for: as many as it
    has, but one for an editorial bracket ("[the crews]" stands for "they")."""
    return min(i2 - i1, 1) if all(q.bracket[i1:i2]) else i2 - i1


def _edge_ops(q: _QuoteWords, src: Source, i1: int, i2: int, j: int, *, back: bool) -> list[Op]:
    """Ops for quote words [i1, i2) unaligned at an edge, against the source words next to source
    position j (before it when `back`): as many as the quote has, or up to `_EDGE_REACH` times as
    many when those hold the same words in a longer form ("when sombody's" / "when somebody
    is"); source words beyond the quote's edge are not among them."""
    def ops_within(k: int) -> list[Op]:
        other = _widen_edge(src, j, k, back=back)
        ops = _opcodes(q.norms, src.norms, i1, i2, other, j) if back else _opcodes(q.norms, src.norms, i1, i2, j, other)
        while ops and ops[0 if back else -1][0] == "delete":
            ops.pop(0 if back else -1)
        return ops

    k = _edge_words(q, i1, i2)
    near = ops_within(k)
    if all(q.bracket[i1:i2]):
        return near
    wide = ops_within(_EDGE_REACH * k)
    real = [op for op in wide if op[0] != "equal" and not _same_words(q.norms[op[1]:op[2]], src.norms[op[3]:op[4]])]
    changed = sum(op[0] != "equal" for op in near)
    # as few changes, and more of the quote's own words found ("made clear" / "made it clear": "it"
    # dropped, not "made" changed into "it")
    return wide if len(real) < len(wide) and (len(real) < changed or (
        len(real) == changed and _equal_words(wide) > _equal_words(near))) else near


def _equal_words(ops: Sequence[Op]) -> int:
    return sum(op[2] - op[1] for op in ops if op[0] == "equal")


def _widen_edge(src: Source, j: int, k: int, *, back: bool) -> int:
    """Source words next to an aligned edge that the quote's unaligned edge words stand for:
    up to k of them, within the same clause, so "been taking" pairs with "have taken"."""
    if back:
        while k and j > 0 and src.regions[j - 1] == src.regions[j] and not _CLAUSE_PUNCT.search(
                src.text[src.ends[j - 1]:src.starts[j]]):
            j, k = j - 1, k - 1
    else:
        while k and j < len(src) and src.regions[j] == src.regions[j - 1] and not _CLAUSE_PUNCT.search(
                src.text[src.ends[j - 1]:src.starts[j]]):
            j, k = j + 1, k - 1
    return j


def _best_piece(q: _QuoteWords, a: int, b: int, sources: Sequence[Source]) -> _Piece | None:
    best: _Piece | None = None
    for src in sources:
        for lo, hi in src.candidates(q.norms[a:b]):
            piece = _align_window(q, a, b, src, lo, hi)
            if piece and (best is None or (piece.matched, -(piece.j2 - piece.j1)) > (best.matched, -(best.j2 - best.j1))):
                best = piece
    return best


def _locate(q: _QuoteWords, sources: Sequence[Source]) -> list[_Piece]:
    """The quote as one aligned piece, or as several when its sentences (or ellipsis-joined
    parts) align better separately: the pieces of a stitched quote, in quote order."""
    whole = _best_piece(q, 0, len(q), sources)
    segments = q.segments()
    if len(segments) < 2 or (whole and whole.matched == len(q)):
        return [whole] if whole else []
    parts = [p for a, b in segments if (p := _best_piece(q, a, b, sources)) and p.matched >= min(MIN_EVIDENCE_WORDS, b - a)]
    if sum(p.matched for p in parts) > (whole.matched if whole else 0):
        return parts
    return [whole] if whole else []


def _expansions(words: Sequence[str]) -> set[tuple[str, ...]]:
    options: list[tuple[tuple[str, ...], ...]] = []
    for w in words:
        if w in _WHOLE_WORD_EXPANSIONS:
            options.append((_WHOLE_WORD_EXPANSIONS[w],))
            continue
        suffix = next((s for s in _EXPANSIONS if w.endswith(s) and len(w) > len(s)), None)
        if suffix is None:
            options.append(((w,),))
        else:
            options.append(tuple((w[: -len(suffix)], *e) for e in _EXPANSIONS[suffix]))
    if len(options) > _MAX_EXPANDED_WORDS:
        return {tuple(words)}
    return {sum(combo, ()) for combo in product(*options)}


def _spelling_slip(a: str, b: str) -> bool:
    """A typo-sized difference (transpositions count once) that is not a negation, a number or
    an inflection ("raise" / "raised" changes the tense, not the spelling)."""
    if a in NEGATIONS or b in NEGATIONS or a.endswith("n't") or b.endswith("n't"):
        return False
    if any(c.isdigit() for c in a + b):
        return False
    short, long_ = sorted((a, b), key=len)
    if long_.startswith(short) and long_[len(short):] in _INFLECTIONS:
        return False
    return OSA.distance(a, b) <= (_SLIP_LONG if len(short) >= _LONG_WORD else _SLIP_SHORT)


def _same_words(qw: Sequence[str], sw: Sequence[str]) -> str | None:
    """Whether two word runs are the same words in another form: "contraction" ("we're" / "we
    are", "gonna" / "going to"), "spelling" (slips word for word, after expanding contractions:
    "sombody's" / "somebody is"), else None."""
    qe, se = _expansions(qw), _expansions(sw)
    if qe & se:
        return "contraction"
    if any(len(x) == len(y) and all(a == b or _spelling_slip(a, b) for a, b in zip(x, y, strict=True))
           for x, y in product(qe, se)):
        return "spelling"
    return None


def _same_day(q: _QuoteWords, i1: int, i2: int, sw: Sequence[str]) -> bool:
    """"March 15" for "March 15th": a day of the month written as a cardinal or an ordinal is the
    same number (elsewhere "15" and "15th" differ: "15 amendments", "the 15th amendment")."""
    if i2 - i1 != 1 or len(sw) != 1 or i1 == 0 or q.norms[i1 - 1] not in MONTHS:
        return False
    a, b = sorted((q.norms[i1], sw[0]), key=len)
    return a.isdigit() and _ORDINAL.fullmatch(b) is not None and b[:len(a)] == a and b[len(a):].isalpha()


def _disfluency(src: Source, j1: int, j2: int) -> bool:
    """Source words a newsroom cleans up when quoting speech: fillers ("uh", "um"), a stutter
    (the words repeated right after or before: "I — I think", "you don't know — you don't
    know"), or a false start of a few words broken off by a dash ("We have — we've got"), never
    one holding a negation or a number."""
    words = src.norms[j1:j2]
    if all(w in FILLERS for w in words):
        return True
    n = j2 - j1
    if _stutter(src.norms, j1, j2):  # one copy of a repeat, a negation or number in it too: the other says it
        return True
    a, b = _without_fillers(src, j1, j2)
    if (a, b) != (j1, j2):  # "was, you know, was": a repeat with a filler between; "— I mean, it's"
        k = b - a
        if a == b or src.norms[j2:j2 + k] == src.norms[a:b] or (j1 >= k and src.norms[j1 - k:j1] == src.norms[a:b]):
            return True
    if any(w in NEGATIONS or w.endswith("n't") or _is_number(w) for w in words):
        return False
    # a false start opens its clause; words between two dashes are an aside, not a false start
    opens = j1 == 0 or src.sents[j1] != src.sents[j1 - 1] or _CLAUSE_START.search(src.text[src.ends[j1 - 1]:src.starts[j1]])
    return (n <= _FALSE_START_WORDS and bool(opens) and j2 < len(src) and src.regions[j2] == src.regions[j2 - 1]
            and _DASH.search(src.text[src.ends[j2 - 1]:src.starts[j2]]) is not None)


def _without_fillers(src: Source, j1: int, j2: int) -> tuple[int, int]:
    """Source words [j1, j2) less the fillers at either end ("uh"), and the filler phrases set off
    by commas or dashes ("was, you know, was"; "it's — I mean, it's"): unset, "you know what we're
    gonna do?" means what it says."""
    def set_off(a: int, b: int) -> bool:
        before = a == 0 or _CLAUSE_PUNCT.search(src.text[src.ends[a - 1]:src.starts[a]]) is not None
        after = b >= len(src) or _CLAUSE_PUNCT.search(src.text[src.ends[b - 1]:src.starts[b]]) is not None
        return before and after

    moved = True
    while moved and j1 < j2:
        moved = False
        if src.norms[j1] in FILLERS:
            j1, moved = j1 + 1, True
        elif src.norms[j2 - 1] in FILLERS:
            j2, moved = j2 - 1, True
        else:
            for phrase in _FILLER_PHRASES:
                k = len(phrase)
                if tuple(src.norms[j1:j1 + k]) == phrase and j1 + k <= j2 and set_off(j1, j1 + k):
                    j1, moved = j1 + k, True
                    break
                if tuple(src.norms[j2 - k:j2]) == phrase and j2 - k >= j1 and set_off(j2 - k, j2):
                    j2, moved = j2 - k, True
                    break
    return j1, j2


def _stutter(norms: Sequence[str], j1: int, j2: int) -> bool:
    """Whether dropping words [j1, j2) undoes a repetition: they lie in a run of n words said
    twice in a row, "I — I think", "they're gonna — they're gonna" (dropping either copy, or
    the end of one and the start of the other, leaves the words once)."""
    n = j2 - j1
    # the doubled run [start, start + 2n) covers [j1, j2); a long run is only tried as either copy
    starts = range(max(0, j1 - n), j1 + 1) if n <= _MAX_CLEANED_WORDS else (j1 - n, j1)
    for start in starts:
        if start < 0:
            continue
        if start + 2 * n <= len(norms) and norms[start:start + n] == norms[start + n:start + 2 * n]:
            return True
    return False


def _cleaned_up(q: _QuoteWords, src: Source, i1: int, i2: int, j1: int, j2: int) -> bool:
    """Quote words [i1, i2) are source words [j1, j2) with a disfluency dropped at either end of
    them, the rest the same words or in another form ("going to" for "gonna — they're gonna")."""
    qw = q.norms[i1:i2]
    for k in range(j1 + 1, j2):
        for kept, dropped in (((k, j2), (j1, k)), ((j1, k), (k, j2))):
            sw = src.norms[kept[0]:kept[1]]
            if (sw == qw or _same_words(qw, sw)) and _disfluency(src, *dropped):
                return True
    return False


def _change_kind(q: _QuoteWords, src: Source, tag: str, i1: int, i2: int, j1: int, j2: int) -> str | None:
    """Why a quote and source differ here: a tolerated or minor kind, or None (a real change)."""
    qw, sw = q.norms[i1:i2], src.norms[j1:j2]
    if tag == "delete" and i1 in q.ellipses:
        return "ellipsis"
    if qw and all(q.bracket[i1:i2]):
        return "bracket"
    if tag == "delete" and _disfluency(src, j1, j2):
        return "disfluency"
    if tag == "replace":
        if "".join(qw) == "".join(sw):
            return "hyphenation"
        if kind := _same_words(qw, sw):
            return kind
        if _same_day(q, i1, i2, sw):
            return "number"
        if len(sw) <= _MAX_CLEANED_WORDS and _cleaned_up(q, src, i1, i2, j1, j2):
            return "disfluency"
    if len(qw) + len(sw) - (tag == "replace") == 1 and all(w in FUNCTION_WORDS for w in qw + sw):
        return "function_word"
    return None


def _written(q: _QuoteWords, src: Source, i: int, j: int) -> Change | None:
    """Quote word i and source word j are one word written two ways: a number in words and in
    digits ("forty-seven" / "47": kind "number"), a variant spelling ("OK" / "okay", "colour" /
    "color": "spelling"); None when they are written alike (case and hyphens aside)."""
    qs, ss = q.text[q.starts[i]:q.ends[i]], src.text[src.starts[j]:src.ends[j]]
    if _plain(qs) == _plain(ss):
        return None
    return Change("replace", qs, ss, "number" if _is_number(q.norms[i]) else "spelling")


def _plain(word: str) -> str:
    return "".join(c for c in _word_form(word) if c.isalnum())


def _punctuation(q: _QuoteWords, src: Source, i: int, j: int) -> Change | None:
    """The marks between quote words i, i+1 against those between source words j, j+1; none
    between two turns (what lies there is someone else's interruption, not punctuation)."""
    if src.regions[j] != src.regions[j + 1]:
        return None
    qgap = q.text[q.ends[i]:q.starts[i + 1]]
    sgap = src.text[src.ends[j]:src.starts[j + 1]]
    if src.notes:
        sgap = NOTE.sub(" ", sgap)
    qp = _word_form(_ELLIPSIS.sub("…", qgap)).translate(_NOT_PUNCTUATION)
    sp = _word_form(_ELLIPSIS.sub("…", sgap)).translate(_NOT_PUNCTUATION)
    if qp == sp:
        return None
    return Change(_tag(len(qp), len(sp)), qgap.strip(), sgap.strip(), "punctuation")


@dataclass(frozen=True)
class _Verdict:
    fidelity: Fidelity
    coverage: float  # share of quote words aligned in runs of two or more (single words align by chance)


def _judge(q: _QuoteWords, pieces: list[_Piece]) -> _Verdict:
    """Changes, stitches and status of a direct quote from its aligned pieces (in quote order)."""
    changes: list[Change] = []
    spans: list[SourceSpan] = []
    matched = aligned_source = 0
    explained = 0  # quote words that are the source's words in another form
    done = 0  # quote words accounted for
    prev: _Piece | None = None
    for piece in pieces:
        src = piece.src
        if piece.i1 > done:  # a quote part found nowhere
            changes.append(Change("insert", q.cut(done, piece.i1), "", _change_kind(q, src, "insert", done, piece.i1, 0, 0)))
        if prev is not None and (join := _join(q, prev, piece)):
            changes.append(join)
        start_j = piece.j1
        for tag, i1, i2, j1, j2 in piece.ops:
            if tag == "equal":
                matched += i2 - i1
                aligned_source += j2 - j1
                changes.extend(c for k in range(i2 - i1 - 1) if (c := _punctuation(q, src, i1 + k, j1 + k)))
                changes.extend(c for k in range(i2 - i1) if (c := _written(q, src, i1 + k, j1 + k)))
                for j in range(j1, j2 - 1):  # words running on from one turn into another
                    if _other_turn(src, j, j + 1):
                        spans.append(src.span(start_j, j + 1))
                        start_j = j + 1
                        changes.append(Change("delete", "", "", "stitch"))
                continue
            kind = _change_kind(q, src, tag, i1, i2, j1, j2)
            if kind in _SAME_WORDS:
                explained += i2 - i1
            if kind == "hyphenation":
                matched += i2 - i1
                aligned_source += j2 - j1
                continue
            if tag == "delete" and 0 < j1 and j2 < len(src) and _non_adjacent(src, j1 - 1, j2):
                # the quote jumps over whole sentences inside one window: a stitch
                spans.append(src.span(start_j, j1))
                start_j, kind = j2, "stitch"
            elif kind != "ellipsis":
                aligned_source += j2 - j1
            source = "" if kind == "stitch" else _source_cut(src, j1, j2)
            changes.append(Change(tag, q.cut(i1, i2) or q.ellipses.get(i1, ""), source, kind))
        spans.append(src.span(start_j, piece.j2))
        done, prev = piece.i2, piece
    if done < len(q):
        changes.append(Change("insert", q.cut(done, len(q)), "", _change_kind(q, pieces[-1].src, "insert", done, len(q), 0, 0)))
    words = sum(not b for b in q.bracket) or len(q)
    stitched = tuple(spans) if any(c.kind == "stitch" for c in changes) else ()
    main = max(pieces, key=lambda p: p.matched)
    if stitched:
        span = main.src.span(main.j1, main.j2)
    else:
        start, end = min(s.start for s in spans), max(s.end for s in spans)
        span = SourceSpan(main.src.doc, start, end, main.src.text[start:end])
    similarity = min(1.0, 2 * matched / (words + max(aligned_source, 1)))
    fidelity = Fidelity(_status(changes), span.doc, span.start, span.end, span.text, similarity,
                        tuple(changes), stitched)
    in_runs = sum(i2 - i1 for p in pieces for tag, i1, i2, _, _ in p.ops if tag == "equal" and (i2 - i1 >= 2 or len(q) < 2))
    return _Verdict(fidelity, (in_runs + explained) / words)


def _source_cut(src: Source, j1: int, j2: int) -> str:
    return src.text[src.starts[j1]:src.ends[j2 - 1]] if j2 > j1 else ""


def _non_adjacent(src: Source, j: int, k: int) -> bool:
    """Source words j < k lie in non-adjacent sentences or in different turns: joining them stitches."""
    return src.sents[k] - src.sents[j] >= _STITCH_SENTENCES or _other_turn(src, j, k)


def _other_turn(src: Source, j: int, k: int) -> bool:
    """Source words j < k lie in different turns, other than two of the speaker's own parted
    only by an interruption (`_INTERRUPTION_CHARS`): there the speaker spoke on."""
    if src.regions[k] == src.regions[j]:
        return False
    interrupted = src.own and src.regions[k] == src.regions[j] + 1 and src.starts[k] - src.ends[j] <= _INTERRUPTION_CHARS
    return not interrupted


def _join(q: _QuoteWords, prev: _Piece, nxt: _Piece) -> Change | None:
    """What lies between two pieces of a quote: nothing, an omission, or a stitch of distant sentences."""
    marker = q.ellipses.get(nxt.i1, "")
    src = nxt.src
    if prev.src is src and prev.j2 <= nxt.j1 and not _non_adjacent(src, prev.j2 - 1, nxt.j1):
        if prev.j2 == nxt.j1:
            return None
        return Change("delete", marker, _source_cut(src, prev.j2, nxt.j1), "ellipsis" if marker else None)
    return Change("delete", marker, "", "stitch")


def _status(changes: Sequence[Change]) -> str:
    real = [c for c in changes if c.kind is None or (c.kind == "stitch" and not c.quote)]
    function_words = sum(c.kind == "function_word" for c in changes)
    if real or function_words > 1:
        return "altered"
    if any(c.kind in _MINOR_KINDS for c in changes):
        return "minor"
    return "verbatim"


def _check_direct(q: _QuoteWords, sources: Sequence[Source]) -> _Verdict | None:
    """Word-level verdict (verbatim, minor or altered) when the evidence suffices, else None."""
    words = sum(not b for b in q.bracket)
    if words < MIN_EVIDENCE_WORDS:
        said = _said_as_a_sentence(q, sources)
        if said is not None:
            return _judge(q, [said])
    pieces = _locate(q, sources)
    if not pieces:
        return None
    verdict = _judge(q, pieces)
    matched_words = [q.norms[i] for p in pieces for tag, i1, i2, _, _ in p.ops if tag == "equal" for i in range(i1, i2)]
    if words < MIN_EVIDENCE_WORDS:
        exact = verdict.fidelity.status == "verbatim" and len(matched_words) == len(q) and pieces[0].src.own
        return verdict if exact and any(map(_is_content, matched_words)) else None
    if len(matched_words) < MIN_EVIDENCE_WORDS or verdict.coverage < MIN_COVERAGE:
        return None
    if not any(map(_is_content, matched_words)):
        # function words alone ("We're doing everything we can") are evidence only as the
        # speaker's own words, unchanged: anywhere else, or altered, they match by chance
        own = all(p.src.own for p in pieces) and verdict.fidelity.status in ("verbatim", "minor")
        return verdict if own else None
    return verdict


def _said_as_a_sentence(q: _QuoteWords, sources: Sequence[Source]) -> _Piece | None:
    """A quote of a word or two that is a whole sentence of the speaker's own turns, word for word
    ("stated “enough”" against "THE PRESIDENT: Enough. Please."): the only evidence so short a quote
    can have, since its words alone match anywhere."""
    n = len(q)
    for src in sources:
        hits = src.short_sentences.get(tuple(q.norms)) if src.own else None
        if hits:
            return _Piece(src, (("equal", 0, n, hits[0], hits[0] + n),))
    return None


def _check_overlap(q: _QuoteWords, sources: Sequence[Source]) -> Fidelity:
    """Paraphrase or unsupported by rarity-weighted overlap of content words (by lemma, stem and
    value); a quote with fewer than two content words to compare is unsupported against the
    speaker's own turns (their words are not there) and no_source elsewhere. Shared words
    are not enough: a paraphrase keeps the source's numbers, its negation and its hedges
    (`_same_claim`)."""
    norms = [n for n, b in zip(q.norms, q.bracket, strict=True) if not b]
    words = list(dict.fromkeys(_keys(n) for n in norms if _is_content(n)))
    if len(words) < MIN_SHARED_CONTENT:  # nothing to compare: lacking in the speaker's own turns, or too little to tell
        return Fidelity("unsupported" if any(s.own for s in sources) else "no_source")
    numbers = frozenset(i for i, keys in enumerate(words) if _is_number(keys[0]) and keys[0] not in _LOOSE_NUMBERS)
    best: tuple[float, int, Source | None, int, int] = (0.0, 0, None, 0, 0)
    for candidate in sources:
        score, common, j1, j2 = candidate.overlap(words, numbers)
        if score > best[0]:
            best = (score, common, candidate, j1, j2)
    score, common, src, j1, j2 = best
    if src is None:
        return Fidelity("unsupported", similarity=0.0)
    span = src.span(j1, j2)
    paraphrase = score >= MIN_OVERLAP and common >= MIN_SHARED_CONTENT and _same_claim(norms, words, src, j1, j2)
    return Fidelity("paraphrase" if paraphrase else "unsupported", span.doc, span.start, span.end, span.text, score)


def _same_claim(norms: Sequence[str], words: Sequence[tuple[str, ...]], src: Source, j1: int, j2: int) -> bool:
    """Whether the source passage [j1, j2) can make the quote's claim: each number the quote
    gives is in it (a changed value is never a paraphrase), one of the quote's words that can
    be a verb is in it when the quote has any (what was done or said: "the nominee had been
    confirmed by the Senate" is not "we have the Senate … a phenomenal nominee"), and the clause holding most of the
    quote's words agrees with the quote on negation ("not" dropped or added) and on hedging
    ("may" against "will"). A negation is compared where it applies: in the clause holding the
    word the quote denies, when the passage has it ("cannot remember" against "I don't even
    remember", not against "they test me before the debate")."""
    passage = set(src.norms[j1:j2])
    if any(_is_number(n) and n not in _LOOSE_NUMBERS and n not in passage for n in norms):
        return False
    actions = [_keys(n) for n in norms if _is_content(n) and _can_act(n)]
    if actions:
        passage_keys = {k for n in passage if _is_content(n) for k in _keys(n)}
        if not any(passage_keys.intersection(keys) for keys in actions):
            return False  # the same people and things, but nothing the source says they did
    clause = src.core_clause(words, j1, j2)
    denied = _denied(norms)
    negation_clause = src.core_clause(words, j1, j2, about=denied) if denied else clause
    return _negated(negation_clause) == _negated(norms) and _hedged(clause) == _hedged(norms)


def _denied(norms: Sequence[str]) -> tuple[str, ...] | None:
    """The keys of what the quote's first negation denies: the first content word after it ("he
    cannot remember whether he was tested" denies "remember"); None without a negation."""
    for i in range(len(norms)):
        if _negation_at(norms, i):
            return next((_keys(n) for n in norms[i + 1:] if _is_content(n)), None)
    return None


def check(text: str, quote_type: str, sources: Sequence[Source]) -> Fidelity:
    """The fidelity of one quote (or fragment) of `quote_type` to the best of `sources`, already
    chosen by the caller (verify.py: the speaker's turns); no_source when there are none."""
    if not sources:
        return Fidelity("no_source")
    q = _QuoteWords.of(text)
    if not len(q):
        return Fidelity("no_source")
    verdict = _check_direct(q, sources)
    if verdict and (quote_type != "indirect" or verdict.fidelity.status in ("verbatim", "minor")):
        return verdict.fidelity
    if sum(not b for b in q.bracket) < MIN_EVIDENCE_WORDS:  # too short to say anything from overlap
        return Fidelity("unsupported" if any(s.own for s in sources) else "no_source")
    return _check_overlap(q, sources)


def align(quote_text: str, source_text: str, *, source_doc: str | None = None, offset: int = 0,
          quote_type: str = "direct") -> Fidelity:
    """How faithfully `quote_text` reproduces `source_text` (the status rules are in the module
    docstring). Offsets in the result are `offset` plus positions in `source_text`, so a caller
    passing a slice of a larger text gets offsets into that text. The source is not known to be
    the speaker's own words, so a quote of one or two words gets no_source."""
    src = Source(source_text, doc=source_doc)
    fidelity = check(quote_text, quote_type, [src] if src.looks_english() else [])
    return _shift(fidelity, offset)


def word_diff(quote_text: str, source_text: str, *, notes: bool = False) -> list[tuple[str, str, str, str]]:
    """The quote against its aligned source text, word by word, for a person to read: parts of
    (tag, quote words, source words, the quote's text after them), tag "equal", "insert" (the
    quote added), "delete" (the quote dropped) or "replace". Case, quote marks, punctuation and
    hyphenation never make a part unequal; with `notes` (a transcript's words), neither do its
    stage notes."""
    q, src = _QuoteWords.of(quote_text), Source(source_text, notes=notes)
    parts = []
    for tag, i1, i2, j1, j2 in _opcodes(q.norms, src.norms, 0, len(q), 0, len(src)):
        if tag == "replace" and "".join(q.norms[i1:i2]) == "".join(src.norms[j1:j2]):
            tag = "equal"
        after = q.text[q.ends[i2 - 1]:q.starts[i2]] if 0 < i2 < len(q) and i2 > i1 else ""
        parts.append((tag, q.cut(i1, i2), _source_cut(src, j1, j2), after))
    return parts


def _shift(f: Fidelity, offset: int) -> Fidelity:
    if not offset or f.source_start is None or f.source_end is None:
        return f
    return replace(
        f, source_start=f.source_start + offset, source_end=f.source_end + offset,
        stitched=tuple(replace(s, start=s.start + offset, end=s.end + offset) for s in f.stitched),
    )


__all__ = ["FUNCTION_WORDS", "NEGATIONS", "Source", "align", "check", "word_diff"]
