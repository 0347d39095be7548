"""Speakers: resolve every source mention to one canonical person or organisation per document.

No coreference model installs offline, so this is built on the parse and the entities:
- names: "Kirby" joins the document's fullest name with that surname ("John Kirby");
- titles: the words before a name ("National Security Council spokesperson John Kirby") or in
  apposition become the person's titles; a description ("the NSC spokesperson", "US National
  Security Council (NSC) spokesperson") joins the one person whose title shares its head noun
  and a modifier or an acronym, wherever in the document the name appears;
- pronouns: he/she join the most recent person of a gender that fits (the text's evidence: pronouns
  bound before, honorifics; else the first name in gender-guesser's dictionary), never one named
  inside quote marks or only talked about in someone's report past its paragraph; it the most recent
  organisation, they an organisation or group;
- a source must be able to say things: a date, place, product or event, a demonstrative ("That
  said") or a thing ("two belt loops") is no speaker; a document or record with no author named ("the
  complaint said", "early results of exit polls show") is an `unknown` source named as written, never
  a person; a place the grammar makes the sayer ("The Vatican says") is the institution; and one
  person is one kind: a surname NER calls an organisation is the person when any mention is a PERSON
  or honoured, a name after a person's title ("Chief Na'moks") is a person;
- gender: each person's from the text's evidence only (gender.py), never from a name;
- "a report by the Wall Street Journal" is the Journal's; unnamed officials and sources are
  `anonymous`, each kept apart, never guessed.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import islice
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from . import gender as gn
from .cues import Cues
from .identity import one_person, plausible_full_name, same_name
from .labels import label_key, label_role, unnamed_voice
from .marks import Quoted, QuotedSpans
from .names import (
    ARTICLES,
    HONORIFICS,
    ROLE_WORDS,
    TITLE_WORDS,
    fold,
    name_words,
    names_a_place,
    names_an_organization,
    parse_person,
    split_title,
    title_case,
    uncapitalized,
)
from .record import Span, Speaker
from .syntax import CLAUSE_WINDOW, noun_phrase, sentence

if TYPE_CHECKING:
    from .attribute import Attribution
    from .turns import RawTurn

ACCOUNT = "account"  # the role of a name that signs an embedded post (resolve_label)
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
# Words a headline's name may have before the body must confirm it: a first name and a surname
# ("Ray Dalton") are one, more is often the tagger running on over title-case words.
_HEADLINE_NAME_WORDS = 2
_POSSESSIVE_MARKS = frozenset({"’s", "'s"})
GROUP_PRONOUNS = frozenset({"they", "them", "it"})
_POSSESSIVE_PRONOUNS = {"his": "he", "their": "they", "its": "it"}  # a possessor as the source of a noun cue
SELF_PRONOUNS = frozenset({"i", "we", "you", "me", "us"})
# In a transcript turn, its speaker: "I", and "we" of the side they speak for ("We told the governors
# …" in the Vice President's turn is his report of what his side said; no better source is named).
_FIRST_PERSON = frozenset({"i", "me", "we", "us"})
INDEFINITE_PRONOUNS = frozenset({"someone", "somebody", "anyone", "anybody", "nobody", "everyone", "everybody"})
_ORG_ENTS = frozenset({"ORG", "GPE", "NORP"})
# Titles that also open organisations' names as adjectives ("General Motors", "Major League Baseball",
# "Premier League"): before a name NER calls an organisation they are no evidence of a person.
_NAME_OPENING_TITLES = frozenset({"general", "major", "premier", "principal", "royal", "grand", "national"})
# NER labels of things that say nothing: a date, a place or building, a product or platform, a work, an
# event, a law. A head tagged so is no speaker (GPE stays: "China said" is its government's word).
NOT_SPEAKER_ENTS = frozenset({"DATE", "TIME", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"})
# Of those, the places an institution is named by ("the Vatican", "the Kremlin", "the Pentagon"): one when
# the grammar makes it the one who says.
SEAT_ENTS = frozenset({"FAC", "LOC"})
# Pronouns that point at a thing or a clause, never a source ("That said, …", "which says …" unresolved).
THING_PRONOUNS = frozenset({"that", "this", "which", "what", "whatever", "whichever", "something", "anything",
                            "everything", "nothing"})
# Nouns for a stretch of time, never a source, though NER tags them no DATE when a word like "next"
# or "second" stands before them ("The next second time that I went … and said"): the sentence's
# sayer is elsewhere.
TIME_NOUNS = frozenset({"time", "day", "week", "month", "year", "moment", "hour", "minute", "night", "morning",
                        "afternoon", "evening", "weekend", "season", "decade", "century", "era", "period"})
# Heads that count what their "of" phrase names: "a lot of people said" is said by the people counted
# ("a lot of people"), "a majority of voters" by voters, not by a "lot" or a "majority".
QUANTITY_HEADS = frozenset({"lot", "lots", "number", "majority", "minority", "handful", "dozen", "dozens", "couple",
                            "bunch", "host", "plenty", "hundreds", "thousands", "millions", "percent", "half", "most"})
# Endings of nouns for people by what they do: "teacher", "moderator", "economist", "historian",
# "resident", "businessman", "representative", "bureaucrat", "employee", "auctioneer".
_AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "man", "men", "woman", "women", "person", "people",
                   "ive", "crat", "ee", "eer", "ess", "ar")
_TITLE_MAX_WORDS = 8  # words before or beside a name that can be a title ("US National Security Council spokesperson")
_NAMED_LOOKBACK = 30  # entities looked back at for a pronoun's antecedent or a "the utility" organisation
# Named persons looked at for a description ("the foreign minister"): past this many holders of titles
# with its head noun, a description picks out nobody in particular, and each one costs a bounded look.
_TITLE_HOLDERS = 100


@dataclass
class Entity:
    kind: str
    name: str
    titles: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    surname: str | None = None
    key: str = ""
    votes: gn.Votes = field(default_factory=gn.Votes)  # the text's evidence of the person's gender

    def add(self, span: tuple[int, int]) -> None:
        if span not in self._seen:
            self._seen.add(span)
            self.mentions.append(span)

    def __post_init__(self) -> None:
        self._seen = set(self.mentions)


class SpeakerResolver:
    """Collects mentions in document order and resolves each to an entity."""

    def __init__(self, doc: Doc, cues: Cues, quoted: Sequence[Quoted] = (), *, headline_end: int = 0):
        # doc.text and doc.ents rebuild from every token on each access: read them once.
        self.doc = doc
        # where quote marks hold words: a person named in a quote is what was said, not who said it
        self.quoted = QuotedSpans((q.open_start, q.close_end) for q in quoted)
        self.text = doc.text
        # a PERSON the tagger found in a place's name ("Ho Chi Minh City") is no one
        self.ents = tuple(e for e in doc.ents if not (e.label_ == "PERSON" and names_a_place(e.text)))
        self.ent_starts = [e.start for e in self.ents]  # the entity index: bisect instead of Span.ents' scan of all
        self.ent_at = {i: e for e in self.ents for i in range(e.start, e.end)}
        self.by_label = {label: [e for e in self.ents if e.label_ == label] for label in ("PERSON", "ORG")}
        self.ends = {label: [e.end_char for e in ents] for label, ents in self.by_label.items()}
        self.cues = cues
        self.entities: list[Entity] = []
        self.by_key: dict[str, Entity] = {}
        # surname -> fullest names, with titles found beside them (the headline's only as the body confirms)
        self.full_names = _full_names(doc, self.by_label["PERSON"], self.text, headline_end)
        self.title_heads: dict[str, list[Entity]] = {}  # a title's head noun -> named persons holding such a title
        self.resolved = 0  # how many source phrases have been resolved to a named entity
        self.spoken: dict[str, list[tuple[int, int, Entity]]] = {}  # by kind: (order, position, entity), in order
        # a first name's persons ("person:lloyd austin") by the surname's last word, in the order resolved
        self.first_named: dict[str, list[Entity]] = {}
        self.blank_lines = [m.start() for m in re.finditer(r"(?=\n\n)", self.text)]  # where paragraphs part
        self.honorifics = _honorifics(self.text)  # surname -> [(gender, span of "Mr.")]
        self.joined: list[tuple[Entity, Entity]] = []  # (entity, the entity it was joined into), in order
        self.joined_into: dict[int, Entity] = {}
        # id(person) -> genders of "she"/"he" opening what they report of themselves ("Jayme told police she …")
        self.self_reports: dict[int, list[str]] = {}

    # -- public ------------------------------------------------------------------------------
    def resolve(self, head: Token | None, at: int) -> tuple[Entity | None, tuple[int, int] | None]:
        """The entity a source phrase (given by its head token) refers to, and the phrase's span."""
        if head is None:
            return None, None
        head = _report_source(head, self.cues) or head
        span = noun_phrase(head)
        counted = _counted(head)
        if counted is not None:  # "a lot of people": the phrase, of the kind of the ones counted
            span, head = (span[0], noun_phrase(counted)[1]), counted
        lower = _POSSESSIVE_PRONOUNS.get(head.lower_, head.lower_)  # "his support for": his is he
        if lower in INDEFINITE_PRONOUNS:
            ent = self._apart("anonymous", _clean(self.text[span[0]:span[1]]), span)
            ent.add(span)
            return ent, span
        if lower in THING_PRONOUNS:
            return None, None  # "That said, …": a clause or a thing, no source
        if lower in PERSON_PRONOUNS | GROUP_PRONOUNS | SELF_PRONOUNS or (head.pos_ == "PRON" and head.is_lower):
            referent = self._antecedent(lower, at, head)
            if referent is None and lower in PERSON_PRONOUNS:
                described = _described_person_before(head, self.cues)
                if described is not None:  # "I spoke with the President, and he told me": the President
                    referent = self._entity_for_phrase(described, noun_phrase(described))
            if referent is None and lower == "it":
                return None, None  # "it" with no organisation before it is a thing ("it seems", "it says here")
            if referent is None and lower != "you":  # "you" is the hearer: the transcript's turns say who (pipeline)
                # a pronoun with nothing before it to refer to is a source all the same, of unknown identity
                referent = self._apart("unknown", self.text[span[0]:span[1]], span)
            if referent is not None:
                referent.add(span)
                if referent.kind == "person":
                    referent.votes.add(gn.PRONOUN_GENDER.get(lower, gn.UNKNOWN), span)
            return referent, span
        lemma = head.lemma_.lower()
        if head.pos_ == "NOUN" and (lemma in self.cues.nominal or lemma in self.cues.record_nouns
                                    or head.lower_ in self.cues.record_nouns):
            # "the complaint said", "early results of exit polls show": no author in the phrase, a source all the same
            ent = self._document(head, span)
            ent.add(span)
            return ent, span
        if not self._can_speak(head):
            return None, None
        ent = self._entity_for_phrase(head, span)
        ent.add(span)
        self.spoken.setdefault(ent.kind, []).append((self.resolved, at, ent))
        self.resolved += 1
        if ent.kind == "person" and ent.surname is not None and " " in ent.surname:
            self.first_named.setdefault(ent.surname.rsplit(" ", 1)[1], []).append(ent)
        return ent, span

    def resolve_label(self, label: str, span: tuple[int, int] | None, role: str | None) -> Entity:
        # role: a transcript turn's ("interviewer", ...), ACCOUNT for a post's signature, or None
        """A name that labels its words outright (a transcript label "Kirby", "Q", "Rudaw"; an embedded
        post's signature "BC Hydro") as an entity of this document."""
        name = _nfc(label.strip().rstrip(":").strip())
        if unnamed_voice(name):  # Rev's "Speaker 2": one voice of this transcript, nobody named
            voice = self._keyed(f"unknown:label:{_key(name)}", "unknown", name)
            if span is not None:
                voice.add(span)
            return voice
        words = name_words(name)
        surname = words[-1].lower() if words else name.lower()
        ent = self._person_by_surname(surname) if words else None
        if ent is None:
            ent = self.by_key.get(_key(name))
        if ent is None:
            kind = "person"
            full = self.full_names.get(surname, [])
            if role == "interviewer" and len(words) == 1 and all(len(n.split()) == 1 for n, _ in full):
                kind = "organization"  # a one-word interviewer with no full name: the outlet
            elif not full and self._named_organization(name) and (role == ACCOUNT or not self._given_and_surname(name)):
                # "Coastal Ledger:", the outlet the story names ("told the Coastal Ledger"); a given name and
                # a surname ("Nadia Brandt (00:00):") is a person however the tagger typed it, for who
                # speaks in a transcript is someone in the room; a post's account is as often an
                # organisation's ("Marine Atlantic"), so there the tagger's ORG stands
                kind = "organization"
            elif role == ACCOUNT and not full and (name.split()[0].lower() in ARTICLES or names_an_organization(name)):
                kind = "organization"  # a post signed "The Daily Beast (@thedailybeast)", "Twitchy Team": no person
            named = full and kind == "person" and one_person(n for n, _ in full)  # several first names: the label's own
            shown = full[0][0] if named else name
            # a label printed in capitals ("MS. ALVAREZ:") names a person as prose would: Alvarez
            ent = self._entity(kind, uncapitalized(shown) if kind == "person" else shown, surname=surname,
                               titles=full[0][1] if named else ())  # "Mayor Dana Whitfield held …": her title
        if span is not None:
            ent.add(span)
        return ent

    @staticmethod
    def _given_and_surname(name: str) -> bool:
        person = parse_person(name)
        return person is not None and plausible_full_name(person)

    def _named_organization(self, name: str) -> bool:
        """Whether the text names `name` as an organisation (NER's ORG) and never as a person."""
        key = _key(_clean(name))
        return (any(_key(_clean(e.text)) == key for e in self.by_label["ORG"])
                and not any(_key(_clean(e.text)) == key for e in self.by_label["PERSON"]))

    def attach_name_mentions(self) -> None:
        """Every occurrence of a speaker's name in the text is a mention of it: a person's surname,
        an organisation's name (whatever label NER gave it: "told Rudaw")."""
        orgs = {_key(e.name): e for e in self.entities if e.kind == "organization" and e.mentions}
        for e in self.ents:
            if e.label_ == "PERSON":
                surname = _surname(e)
                ent = self._person_by_surname(surname) if surname else None
                if ent is not None and surname and not self._names_entity(ent, _name_part(e).text, surname):
                    ent = None  # "James Closs", her father, is not Jayme Closs: one surname, two people
            else:
                ent = None
            ent = ent or orgs.get(_key(_clean(e.text)))
            if ent is not None:
                ent.add((e.start_char, e.end_char - (2 if e.text.endswith(("'s", "’s")) else 0)))

    def _names_entity(self, ent: Entity, name: str, surname: str) -> bool:
        """Whether a full name written in the text is this person's: the same name, and for a person the
        record knows by surname alone, the one person the document's full names of it may be."""
        return same_name(ent.name, name) and (" " in ent.name.strip() or one_person(
            n for n, _ in self.full_names.get(surname, [])))

    def speakers(self, text: str) -> tuple[list[Speaker], dict[int, str]]:
        """Speaker records (ids s1, s2, … in order of first mention) and entity id() -> speaker id (an
        entity joined into another maps to the other's id)."""
        used = [e for e in self.entities if e.mentions]
        used.sort(key=lambda e: min(e.mentions))
        ids = {id(e): f"s{i + 1}" for i, e in enumerate(used)}
        for gone, into in self.joined:
            while id(into) not in ids and id(into) in self.joined_into:
                into = self.joined_into[id(into)]
            if id(into) in ids:
                ids[id(gone)] = ids[id(into)]
        claimed = {m for e in used for m in e.votes.items}  # pronouns already bound to a speaker
        out = []
        for e in used:
            # an unnamed source is one person too ("a spokeswoman for the Forces, who spoke on condition …")
            votes = self._gender_evidence(e, claimed) if e.kind in ("person", "anonymous") else gn.Votes()
            out.append(Speaker(id=ids[id(e)], name=e.name, kind=e.kind,
                               mentions=tuple(Span.of(text, s, t) for s, t in sorted(e.mentions)),
                               titles=_distinct(e.titles), gender=votes.gender(),
                               gender_evidence=tuple(Span.of(text, s, t) for s, t in votes.spans())))
        return out, ids

    def _gender_evidence(self, ent: Entity, claimed: set[tuple[int, int]]) -> gn.Votes:
        """A person's gender evidence in the text: the pronouns bound to them as a source, an honorific before
        their surname (when no other person of the document has it), a title gendered in its words
        ("spokeswoman") among their mentions, and the possessive or reflexive pronouns of the clauses they are
        the subject of ("Peters spent his Saturday")."""
        votes = gn.Votes(dict(ent.votes.items))
        last = ent.surname.rsplit(" ", 1)[-1] if ent.surname else None
        if last is not None and sum(1 for e in self.entities if e.kind == "person" and e.mentions and e.surname
                                    and e.surname.rsplit(" ", 1)[-1] == last) == 1:
            for g, span in self.honorifics.get(last, ()):
                votes.add(g, span)
        seen: set[int] = set()
        for s, t in sorted(ent.mentions):
            said, where = gn.title_gender(self.text[s:t])
            if where is not None:
                votes.add(said, (s + where[0], s + where[1]))
            for kin in self._kin_nouns(s, t):
                votes.add(gn.KIN_GENDER[kin.lemma_.lower()], (kin.idx, kin.idx + len(kin)))
            if self.text[s:t].lower() in PERSON_PRONOUNS or last is None:
                continue
            for g, span in self._sentence_pronouns(s, t, seen):
                if span not in claimed:
                    votes.add(g, span)
        return votes

    def _kin_nouns(self, start: int, end: int) -> list[Token]:
        """The kinship nouns that name the person mentioned at [start, end): the mention itself ("her
        husband"), the noun it stands in apposition to ("Her husband, Jim"), or its own apposition
        ("Dana Whitfield, the mother of two")."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return []
        root = span.root
        near = [root, *(c for c in root.children if c.dep_ == "appos")]
        if root.dep_ == "appos":
            near.append(root.head)
        return [t for t in near if t.pos_ == "NOUN" and t.lemma_.lower() in gn.KIN_GENDER]

    def _sentence_pronouns(self, start: int, end: int, seen: set[int]):
        """(gender, span) of the pronouns a clause binds to its own subject: a name mention that is a verb's
        subject, and the reflexive or possessive pronoun of that verb's object or complement ("Peters spent
        his Saturday", "Soto, who lost her sister"). A pronoun further off ("Clinton said he …") may be
        anyone's and is not read. Each clause is read once."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span) or not _subject(span.root):
            return
        verb = span.root.head if span.root.dep_ != "conj" else span.root.head.head
        if verb.i in seen:
            return
        seen.add(verb.i)
        for child in verb.children:
            if child.i in range(span.start, span.end):
                continue
            owners = [child] + [g for p in child.children if p.dep_ == "prep" for g in p.children]
            for tok in [child, *(c for o in owners for c in o.children)]:
                g = gn.PRONOUN_GENDER.get(tok.lower_)
                if g is not None and tok.pos_ == "PRON" and (
                        tok.dep_ == "poss" or tok.lower_.endswith("self")) and not self._other_subject(verb, span):
                    yield g, (tok.idx, tok.idx + len(tok))

    def _other_subject(self, verb: Token, span) -> bool:
        """Whether the verb has a subject besides the mention (conjoined names: "Chloe and Kody spent their …")."""
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        return any(c.i not in range(span.start, span.end) for c in subjects) or any(
            c.dep_ == "conj" for s_ in subjects for c in s_.children)

    # -- internals ---------------------------------------------------------------------------
    def _entity(self, kind: str, name: str, *, surname: str | None = None, titles=()) -> Entity:
        key = f"{kind}:{surname}" if kind == "person" and surname else _key(name)
        ent = self.by_key.get(key)
        if ent is None:
            ent = Entity(kind, name, [t for t in titles if t], surname=surname, key=key)
            self.by_key[key] = ent
            self.entities.append(ent)
            for t in ent.titles + self._name_titles(ent):
                self._index_title(ent, t)
        else:
            self._add_titles(ent, titles)
        return ent

    def _name_titles(self, ent: Entity) -> list[str]:
        """The titles found beside a named person's name anywhere in the document."""
        return [t for _, ts in self.full_names.get(ent.surname, []) for t in ts] if ent.surname else []

    def _add_titles(self, ent: Entity, titles) -> None:
        """`titles` given to `ent`, each once, and indexed by their head noun (never an empty one)."""
        for t in titles:
            if t and t not in ent.titles:
                ent.titles.append(t)
                self._index_title(ent, t)

    @cached_property
    def _named_titles(self) -> dict[str, list[tuple[str, str, str]]]:
        """A title's head noun -> (name, surname, title) of each person the document names with it."""
        out: dict[str, list[tuple[str, str, str]]] = {}
        for surname, names in self.full_names.items():
            for name, titles in names:
                for t in titles:
                    for head in _title_heads(t):
                        out.setdefault(head, []).append((name, surname, t))
        return out

    def _index_title(self, ent: Entity, title: str) -> None:
        if ent.kind != "person" or ent.surname is None:
            return  # only a named person is a description's referent
        for head in _title_heads(title):
            holders = self.title_heads.setdefault(head, [])
            if not any(h is ent for h in holders[-3:]):  # an entity's titles come together: no runs of repeats
                holders.append(ent)

    def _person_by_surname(self, surname: str) -> Entity | None:
        return self.by_key.get(f"person:{surname}")

    def _can_speak(self, head: Token) -> bool:
        """Whether the phrase headed by `head` can be a source: a name (of a person, an organisation, a
        people or a state), a pronoun, a number of people, or a noun for people or an organisation (the
        lexicon's, or one made by an agent ending: "teacher", "economist", "resident"). A date, place,
        product or event by NER, a document ("the complaint") or a thing ("two belt loops") cannot."""
        if head.pos_ == "NOUN" and head.lemma_.lower() in TIME_NOUNS:
            return False
        if head.ent_type_ in NOT_SPEAKER_ENTS:
            # NER's label alone is weak evidence ("Twitter's Adam Sharp" as a work of art): a name the
            # document gives a person, or a given name before it, outweighs it; so does a place named as
            # the one who says ("The Vatican says", "according to the Kremlin"): an institution by its seat
            return head.is_title and (self._person_elsewhere(head) or self._person_by_surname(_nfc(head.lower_))
                                      is not None or (head.i > 0 and head.nbor(-1).is_title
                                                      and gn.first_name_gender(head.nbor(-1).text) != gn.UNKNOWN)
                                      or (head.ent_type_ in SEAT_ENTS and self._names_the_sayer(head)))
        if head.is_title and self._person_elsewhere(head):
            return True  # a surname the document gives a person in full, whatever the tagger read ("Swers" as NNS)
        if head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or head.pos_ in ("PROPN", "PRON", "NUM"):
            return True
        if head.is_title and not head.is_sent_start:
            return True  # a name the tagger took for a noun ("Reyes")
        if head.tag_ != "NNS":
            return True  # one described ("the nurse", "the retired neurosurgeon"): documents are set apart before
        # many of something: people ("critics", "residents"), organisations, or a number of people ("a majority
        # of voters"), or whoever the grammar makes the sayer ("Millennials say", "superdelegates told"); not
        # things merely near a quote ("two belt loops", "water bottles")
        return _agentive(head, self.cues) or self._names_the_sayer(head) or any(
            _agentive(o, self.cues) for p in head.children if p.dep_ == "prep" and p.lower_ == "of"
            for o in p.children if o.dep_ == "pobj")

    def _entity_for_phrase(self, head: Token, span: tuple[int, int]) -> Entity:
        doc = self.doc
        person_head = head.lemma_.lower() in self.cues.person_nouns
        if head.lemma_.lower() in self.cues.organization_nouns and not person_head:
            org_name = next((c for c in head.children if c.dep_ in ("appos", "compound") and c.pos_ == "PROPN"
                             and c.i > head.i), None)
            if org_name is not None:  # "the British aid group Gatsby": an organisation by its name, whatever NER said
                ent = self._entity("organization",
                                   _clean(self.text[org_name.left_edge.idx:org_name.idx + len(org_name)]))
                ent.add(noun_phrase(org_name))
                return ent
        appos = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"
                      and (c.ent_type_ == "PERSON" or person_head)), None)
        if appos is not None:  # "The union's president, Marcus Bell, said": the name is the apposition
            ent = self._person(doc[appos.left_edge.i:appos.i + 1], appos, (appos.left_edge.idx, appos.idx + len(appos)))
            self._add_titles(ent, [_role(doc.char_span(*span, alignment_mode="expand"))])
            ent.add(noun_phrase(appos))
            return ent
        phrase = doc.char_span(*span, alignment_mode="expand")
        # "Elizabeth May’s Greens", tagged one PERSON: a name right before the head with "’s" owns it
        possessed = head.i > 0 and doc[head.i - 1].lower_ in _POSSESSIVE_MARKS
        name_ent = self.ent_at.get(head.i)
        name_ent = name_ent if name_ent is not None and name_ent.label_ == "PERSON" and not possessed else None
        if name_ent is None and phrase is not None and not possessed:
            # a person named in the phrase, but not as a possessor: "Elizabeth May's Greens" are the Greens
            name_ent = next((e for e in self._ents_within(phrase.start, phrase.end)
                             if e.label_ == "PERSON" and e.root.dep_ != "poss"), None)
        named = head.pos_ == "PROPN" or (head.pos_ == "NOUN" and head.is_title)  # "Reyes" tagged a noun by mistake
        if named and head.is_title and head.lower_.endswith("s") and any(
                c.dep_ in ("amod", "det") and c.lower_ in _HOW_MANY for c in head.children):
            return self._entity("group", _clean(self.text[span[0]:span[1]]))  # "many Latinos have said"
        if named and head.is_title:
            first = head
            while first.i > 0 and first.i <= doc[first.i - 1].head.i <= head.i and (
                    doc[first.i - 1].pos_ == "PROPN" or (doc[first.i - 1].text == "-" and not doc[first.i - 1].whitespace_)):
                first = doc[first.i - 1]  # the name's words, "I-DEV" included
            while first.text == "-":
                first = doc[first.i + 1]
            name = _clean(self.text[first.idx:head.idx + len(head)])
            if names_an_organization(name):
                return self._entity("organization", name)  # "Adam Smith International", read as a person
        surnamed = self._person_by_surname(_nfc(head.lower_)) if name_ent is None and named else None
        if surnamed is not None:
            return surnamed  # "Bell" after "Marcus Bell", whatever NER thought
        if name_ent is None and named and self._person_elsewhere(head):
            full = None if _nfc(head.lower_) in self.full_names else self._first_named(head)
            if full is not None:  # "Jayme", the first name of the document's "Jayme Closs"
                return self._entity("person", full, surname=full.split()[-1].lower())
            return self._person(None, head, span)  # "Trump" tagged ORG here, a PERSON or "Mr. Trump" elsewhere
        if name_ent is not None or (head.pos_ == "PROPN" and head.ent_type_ not in _ORG_ENTS | SEAT_ENTS
                                    and head.ent_type_ != "" and not possessed):
            return self._person(name_ent, head, span)
        if named and self._titled(head):
            return self._person(None, head, span)  # "Hereditary Chief Na'moks" read as an ORG: a title makes a person
        org = self.ent_at.get(head.i)
        org = org if org is not None and org.label_ in _ORG_ENTS else None
        if org is not None and len(org) == 1 and head.lemma_.lower() in self.cues.person_nouns:
            # "the Spokesperson also addressed …", a title capitalised as house style, NER's ORG: the one
            # person the document gives that title, when there is one
            match = self._person_by_title(_clean(self.text[span[0]:span[1]]), head.lemma_.lower())
            if match is not None:
                return match
        if org is not None and not (head.tag_ == "NNS" and head.pos_ == "NOUN"):
            return self._entity("organization", _clean(org.text))
        description = _clean(self.text[span[0]:span[1]])
        lemma = head.lemma_.lower()
        if description.lower() == head.lower_ and head.tag_ == "NN":
            # "the utility said", "the diocese said": the organisation last named that the text describes so
            last_named = self._described_organization(head)
            if last_named is not None:
                return last_named
        if self.cues.anonymity.search(self.text[span[0]:self._clause_end(head)]) or (
                lemma in self.cues.anonymous_nouns and _indefinite(head)):
            return self._apart("anonymous", description, span)
        match = self._person_by_title(description, lemma)
        if match is not None:
            self._add_titles(match, [description])
            return match
        if head.pos_ == "PROPN":
            return self._entity("organization" if head.ent_type_ in _ORG_ENTS | SEAT_ENTS else "unknown", description)
        if head.tag_ in ("NNS", "NNPS") and lemma not in self.cues.organization_nouns:
            return self._entity("group", description)
        kind = ("person" if lemma in self.cues.person_nouns
                else "organization" if lemma in self.cues.organization_nouns else "unknown")
        ent = self._entity(kind, description, titles=[description] if kind == "person" else ())
        if kind == "person":
            ent.key = "desc:" + lemma  # a later name with this title may absorb it (see absorb_descriptions)
        return ent

    def _names_the_sayer(self, head: Token) -> bool:
        """Whether a phrase is the one who says, by the grammar: the subject of a cue ("The Vatican says"),
        or the object of "according to"."""
        gov = head.head
        if head.dep_ == "nsubj":
            return self.cues.reports(gov)
        return (head.dep_ == "pobj" and gov.lower_ == "to" and gov.i > 0
                and self.doc[gov.i - 1].lower_ == "according")

    def _titled(self, head: Token) -> bool:
        """Whether a name stands right after a person's title in its phrase ("Chief Na'moks", "Sen. Reyes"):
        a capitalised noun for a person or an honorific, part of the name's own phrase, not of another noun."""
        if head.i == 0:
            return False
        before = head.nbor(-1)
        lemma = before.lemma_.lower()
        return (before.head.i == head.i and before.is_title and before.dep_ in ("compound", "nmod", "amod")
                and lemma not in _NAME_OPENING_TITLES
                and (lemma in self.cues.person_nouns or fold(before.text) in HONORIFICS))

    def _person_elsewhere(self, head: Token) -> bool:
        """Whether a name NER did not call a person here is one all the same: the document names a person with
        this surname (a PERSON entity) or honours it ("Mr. Trump")."""
        surname = _nfc(head.lower_)
        return surname in self.full_names or surname in self.honorifics or self._first_named(head) is not None

    def _first_named(self, head: Token) -> str | None:
        """The one full name of the document whose first name this word is ("Jayme" for "Jayme Closs")."""
        word = _nfc(head.text)
        full = {n for names in self.full_names.values() for n, _ in names
                if len(n.split()) > 1 and n.split()[0] == word}
        return full.pop() if len(full) == 1 else None

    def _ents_within(self, start: int, end: int):
        """The entities wholly inside tokens [start, end), as spaCy's Span.ents gives them, found by bisect."""
        for j in range(bisect.bisect_left(self.ent_starts, start), len(self.ents)):
            if self.ents[j].end > end:
                break
            yield self.ents[j]

    def _clause_end(self, head: Token) -> int:
        """The end character of `head`'s sentence, or of a clause's reach past it in a sentence with no end."""
        sent = sentence(head)
        last = self.doc[min(sent.end, head.i + CLAUSE_WINDOW) - 1]
        return last.idx + len(last)

    def _person(self, name_ent, head: Token, span: tuple[int, int]) -> Entity:
        name_ent = _name_part(name_ent) if name_ent is not None else None
        text = _nfc(name_ent.text if name_ent is not None else head.text)
        title, words = split_title(text)
        surname = words[-1].lower() if words else _nfc(head.lower_)
        candidates = self.full_names.get(surname, [])
        first = words[0].lower() if len(words) > 1 else None
        # The identity rule: a surname alone joins the document's fullest name when no other first name
        # carries that surname, else the one of them named last before it (else it stands alone); a
        # conflicting first name ("Sarah" beside "Lloyd Austin") is another person.
        names = [n for n, _ in candidates]
        if first is None and names and not one_person(names):
            recent = next((e for e in reversed(self.first_named.get(surname.rsplit(" ", 1)[-1], ()))
                           if e.surname is not None and e.surname.endswith(" " + surname)), None)
            full, key_surname = (recent.name, recent.surname) if recent else (" ".join(words), surname)
        elif first is None:
            full = names[0] if names else " ".join(words)
            key_surname = surname
        else:
            full = next((n for n in names if same_name(n, " ".join(words))), " ".join(words))
            key_surname = surname if one_person([*names, full]) else f"{full.split()[0].lower()} {surname}"
        titles = [t for n, ts in candidates if n == full for t in ts]
        start = name_ent.start_char if name_ent is not None else head.idx
        prefix = _role(self.doc.char_span(span[0], start, alignment_mode="contract")) if start > span[0] else None
        for t in (title, prefix):
            if t and len(t.split()) <= _TITLE_MAX_WORDS:
                titles.insert(0, t)
        return self._entity("person", full, surname=key_surname, titles=titles)

    def _person_by_title(self, description: str, head_lemma: str) -> Entity | None:
        """The one person whose title has this head noun and shares a modifier or acronym: of the
        speakers so far, else of the persons the document names with a title ("Gov. John Kasich spoke
        …. The governor said")."""
        words = _content_words(description)
        holders = self.title_heads.get(head_lemma, [])
        if len(holders) > _TITLE_HOLDERS:
            return None
        if not holders:
            named = {(name, surname) for name, surname, title in self._named_titles.get(head_lemma, ())
                     if _modifiers_agree(words[:-1], _content_words(title)[:-1])}
            if len({surname for _, surname in named}) != 1:
                return None  # nobody, or two people hold such a title
            name, surname = max(named, key=lambda ns: len(ns[0].split()))
            return self._entity("person", name, surname=surname)
        hit = None
        for e in holders:
            if e is hit:
                continue
            for t in e.titles + self._name_titles(e):
                tw = _content_words(t)
                if not tw or (tw[-1] != head_lemma and tw[-1].rstrip("s") != head_lemma):
                    continue
                if _modifiers_agree(words[:-1], tw[:-1]):
                    if hit is not None:
                        return None  # two people hold such a title: the description picks out neither
                    hit = e
                    break
        return hit

    def _antecedent(self, pronoun: str, at: int, head: Token | None = None) -> Entity | None:
        """he/she: the nearest of the persons who spoke and the persons named as a subject (or in the same
        paragraph) whose gender fits the pronoun's; it: the last organisation that spoke, or one named as a
        subject since in the paragraph when "it" says something plainly ("It said", not "it seems");
        they: the last organisation or group, or a plural subject named since in its sentence."""
        if pronoun in SELF_PRONOUNS:
            return None
        if pronoun in PERSON_PRONOUNS:
            reported = _reported_words(head) if head is not None and self.cues.reports(head.head) else frozenset()
            return self._person_antecedent(gn.PRONOUN_GENDER[pronoun], at, reported)
        last = self._last_spoken(("organization",) if pronoun == "it" else ("organization", "group"), at)
        if pronoun == "it" and head is not None and head.dep_ == "nsubj" and head.head.lemma_ in self.cues.plain:
            named = next((e for e in self._before("ORG", at) if e.root.dep_ in ("nsubj", "nsubjpass")
                          and not self._parted(e.end_char, at)), None)
            if named is not None and (last is None or named.start_char > last[0]):
                return self._entity("organization", _clean(named.text))
        if pronoun == "they" and head is not None and head.dep_ == "nsubj":
            many = self._plural_subject_before(head)
            if many is not None and (last is None or many.idx > last[0]):
                return self._entity_for_phrase(many, noun_phrase(many))
        return None if last is None else last[1]

    def _plural_subject_before(self, pronoun: Token) -> Token | None:
        """"The Conservatives believe they can …; they say …": the nearest plural subject before the
        pronoun in its sentence that names who can speak (a party, a group, people), within a clause's reach."""
        sent = sentence(pronoun)
        for tok in reversed(self.doc[max(sent.start, pronoun.i - CLAUSE_WINDOW):pronoun.i]):
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.tag_ in ("NNS", "NNPS") and (
                    tok.ent_type_ in ("NORP", "ORG") or _agentive(tok, self.cues)):
                return tok
        return None

    def _person_antecedent(self, want: str, at: int, reported: frozenset[int] = frozenset()) -> Entity | None:
        """The nearest person before `at` that a pronoun of gender `want` may refer to: the persons who
        spoke and the persons named (as a subject, or in the pronoun's paragraph), nearest first, each
        skipped when the evidence says the other gender ("he adds" after Chloe and Kody is Kody), or when
        named in the words the pronoun's verb reports (`reported`, token indexes: "Schumer, he said,
        “knows …”" is not Schumer speaking of himself)."""
        spoken_of = {self.doc[i].lower_ for i in reported if self.doc[i].is_title}  # names, however tagged
        spoken: list[tuple[int, Entity]] = []
        for _, pos, ent in reversed(self.spoken.get("person", ())):
            if pos <= at and not any(e is ent for _, e in spoken):
                if ent.surname is not None and ent.surname.rsplit(" ", 1)[-1] in spoken_of:
                    continue
                spoken.append((pos, ent))
                if len(spoken) >= _NAMED_LOOKBACK:
                    break
        quoted_apart = self.quoted.apart_from(at)
        named = [(e.start_char, e) for e in self._before("PERSON", at)
                 if (self._speaking_subject(e.root) or not self._parted(e.end_char, at))
                 and not quoted_apart(e.start_char) and (surname := _surname(e)) and surname not in spoken_of
                 and self._names_a_person(e)]
        candidates: list[tuple[int, int, Entity | SpacySpan]] = [(p, 1, e) for p, e in spoken] + [(p, 0, e) for p, e in named]
        candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)  # nearest first; at a tie the speaker
        for _, _, cand in candidates:
            if isinstance(cand, Entity):
                if gn.compatible(want, self._gender_hint(cand)):
                    return cand
            else:
                surname = _surname(cand)
                known = self._person_by_surname(surname) if surname else None
                hint = self._gender_hint(known) if known is not None else self._name_gender_hint(cand)
                if gn.compatible(want, hint):
                    return self._person(cand, cand.root, (cand.start_char, cand.end_char))
        return None

    def note_self_report(self, ent: Entity | None, source: Token | None) -> None:
        """"Jayme told police she could hear the sirens": a person named as the sayer, whose report opens
        on "she" or "he" in a sentence that names no other person, most likely speaks of themselves. The
        pronoun's gender is a hint for choosing antecedents later (never the record's gender: the
        pronoun is not bound to them)."""
        if ent is None or ent.kind != "person" or source is None or source.pos_ == "PRON" or source.dep_ != "nsubj":
            return
        clause = next((c for c in source.head.children if c.dep_ == "ccomp"), None)
        subject = None if clause is None else next((c for c in clause.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.lower_ not in ("he", "she"):
            return
        sent = sentence(source)
        if sum(1 for e in sent.ents if e.label_ == "PERSON") > 1:
            return
        self.self_reports.setdefault(id(ent), []).append(gn.FEMALE if subject.lower_ == "she" else gn.MALE)

    def _speaking_subject(self, tok: Token) -> bool:
        """Whether a person named before a pronoun's paragraph is salient enough for it: the subject of a
        clause of the text's own, not of a clause someone reports ("Buckley said Covington Catholic has …":
        Buckley spoke; the school is only talked about)."""
        if not _subject(tok):
            return False
        verb = tok.head if tok.dep_ != "conj" else tok.head.head
        return not (verb.dep_ == "ccomp" and self.cues.reports(verb.head))

    def _gender_hint(self, ent: Entity) -> str:
        """A person's gender for choosing antecedents, from the surest evidence: an honorific before their
        surname, a gendered title, the pronoun opening what they report of themselves (`note_self_report`),
        their first name in gender-guesser's dictionary, else the pronouns bound
        to them so far (our own bindings: the last resort, so that one wrong binding does not steer the rest)."""
        if ent.surname is not None:
            said = _agreed(g for g, _ in self.honorifics.get(ent.surname.rsplit(" ", 1)[-1], ()))
            if said != gn.UNKNOWN:
                return said
        for t in ent.titles:
            said = gn.title_gender(t)[0]
            if said != gn.UNKNOWN:
                return said
        said = _agreed(self.self_reports.get(id(ent), ()))
        if said != gn.UNKNOWN:
            return said
        first = self._first_name(ent) if ent.kind == "person" else None
        said = gn.first_name_gender(first, leaning=True) if first else gn.UNKNOWN
        return said if said != gn.UNKNOWN else ent.votes.gender()

    def _first_name(self, ent: Entity) -> str | None:
        """A person's first name: in their own name, else in the one full name the document gives their surname
        ("Lincicome" after "Brittany Lincicome")."""
        words = ent.name.split()
        if len(words) > 1:
            return words[0]
        full = self.full_names.get(ent.surname or "", [])
        return full[0][0].split()[0] if full and one_person(n for n, _ in full) and len(full[0][0].split()) > 1 else None

    def _name_gender_hint(self, e) -> str:
        """The gender hint of a person named in the text but not yet resolved: an honorific with their surname,
        else the first name of their fullest name in the document."""
        surname = _surname(e)
        if surname is None:
            return gn.UNKNOWN
        said = _agreed(g for g, _ in self.honorifics.get(surname, ()))
        if said != gn.UNKNOWN:
            return said
        title, words = split_title(_nfc(e.text))
        if title and gn.honorific_gender(title.split()[0]) != gn.UNKNOWN:
            return gn.honorific_gender(title.split()[0])
        full = self.full_names.get(surname, [])
        first = words[0] if len(words) > 1 else (full[0][0].split()[0] if full and one_person(n for n, _ in full)
                                                 and len(full[0][0].split()) > 1 else None)
        return gn.first_name_gender(first, leaning=True) if first else gn.UNKNOWN

    def _names_a_person(self, e) -> bool:
        """Whether a PERSON entity is a person's name a pronoun may refer to: several name words, or a surname
        the document gives in full, or honours ("Mr. Reyes"); a lone capitalised word NER took for a name
        ("Clarkston became his home") is not enough."""
        words = name_words(_nfc(e.text))
        if len(words) > 1 or (e.start > 0 and self.doc[e.start - 1].pos_ == "PROPN" and self.doc[e.start - 1].is_title):
            return True  # a full name, or one NER cut short ("Mamadou | Dia")
        surname = words[0].lower() if words else ""
        return (any(len(n.split()) > 1 for n, _ in self.full_names.get(surname, ()))
                or surname in self.honorifics or self._person_by_surname(surname) is not None)

    def _last_spoken(self, kinds: tuple[str, ...], at: int) -> tuple[int, Entity] | None:
        """(position, entity) of the last resolved source of one of `kinds` at or before `at`: looked
        up by kind, so that a pronoun with no source of its kind before it does not read them all."""
        best = None
        for kind in kinds:
            for order, pos, ent in reversed(self.spoken.get(kind, ())):
                if pos <= at:
                    if best is None or order > best[0]:
                        best = (order, pos, ent)
                    break
        return None if best is None else (best[1], best[2])

    def _parted(self, start: int, end: int) -> bool:
        """Whether a blank line lies in text[start:end] (by bisect, not by reading the stretch)."""
        i = bisect.bisect_left(self.blank_lines, start)
        return i < len(self.blank_lines) and self.blank_lines[i] + 2 <= end

    def _before(self, label: str, at: int, limit: int = _NAMED_LOOKBACK):
        """The entities of a label that end before `at`, nearest first (a bounded look back)."""
        ents = self.by_label[label]
        i = bisect.bisect_right(self.ends[label], at)
        return (ents[j] for j in range(i - 1, max(-1, i - 1 - limit), -1))

    def _document(self, head: Token, span: tuple[int, int]) -> Entity:
        """A document or record named as a source with no author in its phrase ("the complaint", "a
        statement", "early results of exit polls"): an `unknown` source named as written, never a person or
        a group; the same noun is one source in a document ("the complaint said" … "according to the complaint")."""
        return self._keyed(f"unknown:document:{head.lemma_.lower()}", "unknown",
                           " ".join(_nfc(self.text[span[0]:span[1]]).split()))

    def _apart(self, kind: str, description: str, span: tuple[int, int]) -> Entity:
        """Each anonymous or unknown source stands apart; the same phrase is one source."""
        return self._keyed(f"{kind}:{span[0]}", kind, description)

    def _keyed(self, key: str, kind: str, name: str) -> Entity:
        """The entity under `key`, made (as `kind`, named `name`) the first time it is asked for."""
        if key not in self.by_key:
            self.by_key[key] = Entity(kind, name, key=key)
            self.entities.append(self.by_key[key])
        return self.by_key[key]

    def _described_organization(self, head: Token) -> Entity | None:
        """The organisation a bare noun ("the union", "the diocese") stands for: the nearest organisation named
        before it whose name holds the noun ("Canadian Union of Public Employees"); for an organisation noun
        ("the utility"), else the organisation that spoke last. A noun for a person is no organisation."""
        word = head.lemma_.lower()
        if word in self.cues.person_nouns or word in self.cues.anonymous_nouns:
            return None
        for org in self._before("ORG", head.idx):
            if org.start <= head.i < org.end:
                continue
            if any(t.lemma_.lower() == word for t in org):
                spoke = self._last_spoken(("organization",), head.idx)
                if spoke is not None and spoke[0] > org.start_char and _key(spoke[1].name) in _key(org.text):
                    return spoke[1]
                return self._entity("organization", _clean(org.text))
        if word in self.cues.organization_nouns and word not in _OWN_KIND_NOUNS:
            # "the utility said" after BC Hydro said: the named one that spoke last ("the company said" after
            # GM and then "the union" spoke is GM)
            spoken = (ent for _, pos, ent in reversed(self.spoken.get("organization", ())) if pos <= head.idx)
            return next((ent for ent in islice(spoken, _DESCRIBED_LOOKBACK)
                         if _clean(ent.name).lower() not in self.cues.organization_nouns), None)
        return None

    def absorb_descriptions(self) -> None:
        """Join title-only speakers ("US National Security Council (NSC) spokesperson") to the named person
        who holds that title, when the name came later in the document."""
        for e in list(self.entities):
            if not e.key.startswith("desc:"):
                continue
            match = self._person_by_title(e.name, e.key[5:])
            if match is not None and match is not e:
                self._join(e, match)
            elif e.key[5:] not in TITLE_WORDS:
                e.kind = "anonymous"  # "the man", "a teacher": an unnamed person, no role to resolve later
        self._join_kinds()

    def _join(self, e: Entity, into: Entity) -> None:
        """`e`'s mentions, titles and gender evidence become `into`'s; `e`'s statements are `into`'s."""
        for m in e.mentions:
            into.add(m)
        for span, g in e.votes.items.items():
            into.votes.add(g, span)
        self._add_titles(into, e.titles)
        e.mentions.clear()
        e._seen.clear()
        self.joined.append((e, into))
        self.joined_into[id(e)] = into

    def _join_kinds(self) -> None:
        """One source is one speaker of one kind: an organisation or unknown source named by a surname
        alone ("Trump", "Payne") joins the person of the document with that surname; else, by the last
        word of one organisation's name ("Hydro" where the text split "BC" off "BC Hydro"), that organisation."""
        by_last: dict[str, list[Entity]] = {}  # organisations of several words by their last (none is joined below)
        for o in self.entities:
            if o.kind == "organization" and o.mentions and " " in o.name.strip():
                by_last.setdefault(_key(o.name.split()[-1]), []).append(o)
        for e in list(self.entities):
            if e.kind not in ("organization", "unknown") or not e.mentions or " " in e.name.strip():
                continue
            person = self._person_by_surname(_nfc(e.name.lower()))
            if person is not None and person is not e and person.mentions:
                self._join(e, person)
                continue
            whole = by_last.get(_key(e.name), [])
            if len(whole) == 1 and e.name[:1].isupper():
                self._join(e, whole[0])


def _reported_words(pronoun: Token | None) -> frozenset[int]:
    """Token indexes of what a pronoun's speech verb (its head) reports: the clause it heads, or the one it
    interrupts ("Schumer, he said, “knows …”"), without the verb's own words. A name there is never the
    pronoun's referent: "he said Trump was wrong" is not Trump speaking."""
    if pronoun is None or pronoun.dep_ not in ("nsubj", "nsubjpass"):
        return frozenset()
    cue = pronoun.head
    clauses = [c for c in cue.children if c.dep_ in ("ccomp", "parataxis")]
    if cue.dep_ in ("parataxis", "ccomp") and cue.head.i != cue.i:
        clauses.append(cue.head)
    own = {t.i for t in cue.subtree} if cue.head in clauses else set()
    return frozenset(t.i for c in clauses for t in c.subtree if t.i not in own)


def _full_names(doc: Doc, persons: Sequence[SpacySpan], text: str,
                headline_end: int = 0) -> dict[str, list[tuple[str, list[str]]]]:
    """surname -> [(fullest name, titles found before or beside it, each once)], fullest first, of the
    document's PERSON entities `persons`.

    A headline gives the entity tagger every capitalised word to read as a name ("Will Twitter Ban
    Trump?" is one PERSON): a name there longer than `_HEADLINE_NAME_WORDS` counts only as far as
    the body (`text` after `headline_end`) writes it too. So does a list of other stories' headlines
    ("— Hillary Clinton Says EgyptAir Crash Seems Like An ‘Act Of Terrorism.’"): a name in a Title
    Case line below the headline counts only when a sentence of the text names that person too, in
    full or by the surname ("Bond" for "Founder Beverly Bond"; no "Crash" for "EgyptAir Crash")."""
    out: dict[str, dict[str, dict[str, None]]] = {}
    body = text[headline_end:] if headline_end else ""
    breaks = [m.start() for m in re.finditer("\n", text)]
    line_spans = list(zip([0] + [b + 1 for b in breaks], [*breaks, len(text)], strict=True))
    titled_lines = {line for line, (start, end) in enumerate(line_spans)
                    if start >= headline_end and title_case(text[start:end])}
    prose_words: set[str] | None = None  # the words of the lines below the headline that are prose
    for e in persons:
        if bisect.bisect_left(breaks, e.start_char) in titled_lines:
            if prose_words is None:
                prose_words = _prose_words(text, line_spans, headline_end, titled_lines)
            if e.text.split()[-1] not in prose_words:
                continue
        e = _name_part(e)
        title, words = split_title(_nfc(e.text))
        if not words or not words[-1][:1].isupper() or names_an_organization(" ".join(words)):
            continue
        if e.end_char <= headline_end and len(words) > _HEADLINE_NAME_WORDS and " ".join(words) not in body:
            # the longest opening of it that the body writes ("Glenn Beck" of "Glenn Beck Blasts Drudge")
            words = next((words[:k] for k in range(len(words) - 1, 1, -1) if " ".join(words[:k]) in body), [])
            if not words:
                continue
        name = " ".join(words)
        titles = out.setdefault(words[-1].lower(), {}).setdefault(name, {})
        if title:
            titles[title] = None
        root = e.root
        left = root.left_edge
        # more tokens than a clause's reach cannot make a title of a few words: not read
        if left.i < e.start and e.start - left.i <= CLAUSE_WINDOW:
            role = _role(doc[left.i:e.start])
            if role and len(role.split()) <= _TITLE_MAX_WORDS:
                titles[role] = None
        for c in root.children:
            if c.dep_ == "appos":
                role = _role(doc[max(c.left_edge.i, c.i - CLAUSE_WINDOW):c.i + 1])
                if role:
                    titles[role] = None
    _untagged_given_names(doc, out)
    return {s: sorted(((n, list(t)) for n, t in names.items()), key=lambda nt: -len(nt[0].split()))
            for s, names in out.items()}


def _prose_words(text: str, line_spans: list[tuple[int, int]], headline_end: int, titled_lines: set[int]) -> set[str]:
    """The words, as written, of the lines below the headline that are not in Title Case."""
    words: set[str] = set()
    for line, (start, end) in enumerate(line_spans):
        if end > headline_end and line not in titled_lines:
            words.update(_WORD.findall(text, max(start, headline_end), end))
    return words


_WORD = re.compile(r"\b[^\W\d_][\w'’\-]*")


def _untagged_given_names(doc: Doc, out: dict[str, dict[str, dict[str, None]]]) -> None:
    """A surname the tagger named only alone, written elsewhere after a given name it did not tag
    ("LAKE BUENA VISTA, Fla. – Brittany Lincicome stood …", then "Lincicome said"): that full name,
    when the word before is a capitalised name compounded with the surname and a first name in
    gender-guesser's dictionary. One pass over the tokens."""
    lone = {s for s, names in out.items() if all(" " not in n for n in names)}
    if not lone:
        return
    for tok in doc[1:]:
        given = doc[tok.i - 1]
        if (tok.lower_ in lone and tok.is_title and given.is_title and given.pos_ == "PROPN"
                and given.dep_ == "compound" and given.head.i == tok.i and given.ent_type_ in ("", "PERSON")
                and gn.first_name_gender(given.text, leaning=True) != gn.UNKNOWN):
            out[tok.lower_].setdefault(f"{given.text} {tok.text}", {})


# Tokens a role's words never are: a verb ("lawyers for Major called witness"), a pronoun ("I"), a number or
# date ("21", "July"), another person's name ("Sen. Richard Blumenthal" beside someone else).
_NOT_ROLE_POS = frozenset({"VERB", "AUX", "PRON", "NUM", "SCONJ", "CCONJ", "INTJ", "SYM", "X"})
_NOT_ROLE_ENTS = frozenset({"PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
_RELATION_WORDS = frozenset({"his", "her", "their", "its", "my", "our", "your"})


def _role(toks) -> str | None:
    """The title a stretch of tokens beside a name gives, when it is a role: a noun phrase headed by a
    singular noun or a title word ("Democratic pollster", "Florida Sen.", "harbour commissioner"). Not a
    verb, pronoun, number, date or punctuation, not another person's name, not an outlet or place alone
    ("CNN", "Va."), not a relation to someone else ("His son"), not many people ("experts")."""
    if toks is None:
        return None
    toks = [t for t in toks if not t.is_space]
    while toks and (toks[0].is_punct or toks[0].pos_ == "DET" or toks[0].dep_ == "case"):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "case" or toks[-1].pos_ in ("ADP", "DET", "CCONJ")):
        toks = toks[:-1]
    if not toks or toks[0].lower_ in _RELATION_WORDS:
        return None
    if any((t.pos_ in _NOT_ROLE_POS and t.tag_ != "PRP$") or t.ent_type_ in _NOT_ROLE_ENTS or t.text in ("/", "|", "[", "]")
           for t in toks):
        return None
    head = toks[-1]
    word = head.lower_.rstrip(".")
    if word not in TITLE_WORDS:
        if head.tag_ in ("NNS", "NNPS") or head.pos_ not in ("NOUN", "PROPN"):
            return None
        if head.pos_ == "PROPN" and (head.ent_type_ in ("ORG", "GPE", "NORP", "LOC", "FAC") or "." in head.text):
            return None  # an outlet, a place or a state's abbreviation, no role
    title = _clean(toks[0].doc[toks[0].i:head.i + 1].text)
    return title if len(title) > 1 and any(c.isalpha() for c in title) else None


def _agentive(tok: Token, cues: Cues) -> bool:
    """A common noun that names who can say things: the lexicon's nouns for people, organisations and
    groups, or a noun for people by what they do (an agent ending); never a document (the lexicon's
    nominal nouns: "complaint", "lawsuit")."""
    lemma = tok.lemma_.lower()
    if lemma in cues.nominal:
        return False
    if any(lemma in words for words in (cues.person_nouns, cues.organization_nouns, cues.anonymous_nouns,
                                        cues.group_nouns)):
        return True
    return len(lemma) > 4 and lemma.endswith(_AGENT_SUFFIXES)


def _honorifics(text: str) -> dict[str, list[tuple[str, tuple[int, int]]]]:
    """surname -> the gendered honorifics before it in the text ("Mr. Reyes", "Mrs Dana Whitfield"), with
    the honorific's span."""
    out: dict[str, list[tuple[str, tuple[int, int]]]] = {}
    for m in gn.HONORIFIC.finditer(text):
        words = name_words(_nfc(m.group("name")))
        if words:
            out.setdefault(words[-1].lower(), []).append((gn.honorific_gender(m.group("hon")), m.span("hon")))
    return out


def _agreed(genders) -> str:
    """The one gender all of `genders` give, else unknown."""
    said = set(genders)
    return said.pop() if len(said) == 1 else gn.UNKNOWN


def _subject(tok: Token) -> bool:
    """Whether a token is a subject, or one of conjoined subjects ("Chloe Barrett and Kody Marsh run …")."""
    return tok.dep_ in ("nsubj", "nsubjpass") or (tok.dep_ == "conj" and tok.head.dep_ in ("nsubj", "nsubjpass"))


# Organisation nouns for a kind of body that a company or agency that spoke is not: "the union said"
# after General Motors said is the union, not GM (it stands for a named one only when the name holds
# the noun, "Canadian Union of Public Employees").
_OWN_KIND_NOUNS = frozenset("""
union party court police university hospital government parliament congress senate army military
embassy ministry city county province state club team
""".split())
_DESCRIBED_LOOKBACK = 8  # organisations that spoke last, looked at for "the company": past a few, none is meant
# Words that count a plural of people: a capitalised plural after them is a people, not a name ("many
# Latinos", "some Democrats", "most Canadians").
_HOW_MANY = frozenset("many some most few several other numerous countless".split())
_NOT_NAME_POS = frozenset({"VERB", "AUX", "PRON", "ADV", "PART", "SCONJ", "DET"})


# Words a name never ends with, though the tagger's entity may: 'Juan "Chico" Manriquez of' (Oakland)
_NOT_NAME_END_POS = frozenset({"ADP", "CCONJ", "PUNCT"})


def _name_part(ent):
    """A PERSON entity up to its first word that is no part of a name: a headline in title case gives NER
    "Trump Says He Never" for "Trump"; nor does a name end with a preposition or a conjunction."""
    end = next((tok.i for tok in ent[1:] if tok.pos_ in _NOT_NAME_POS), ent.end)
    while end - 1 > ent.start and ent.doc[end - 1].pos_ in _NOT_NAME_END_POS:
        end -= 1
    return ent if end == ent.end else ent.doc[ent.start:end]


def _distinct(titles: list[str]) -> tuple[str, ...]:
    """Titles once each, whatever their case, in the order first found."""
    first: dict[str, str] = {}
    for t in titles:
        first.setdefault(t.casefold(), t)
    return tuple(first.values())


def _nfc(text: str) -> str:
    """One spelling of a name whatever its Unicode form: "Be\u0301ll" (decomposed) is "Béll"."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _surname(e) -> str | None:
    words = name_words(_nfc(e.text))
    return words[-1].lower() if words else None


def _report_source(head: Token, cues: Cues) -> Token | None:
    """'A report by the Wall Street Journal' speaks for the Journal."""
    if head.lemma_.lower() not in cues.nominal:
        return None
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ in ("by", "from", "of"):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and (pobj.ent_type_ or pobj.pos_ == "PROPN"):
                return pobj
        if c.dep_ == "poss" and (c.ent_type_ or c.pos_ == "PROPN"):
            return c
        if c.dep_ == "compound" and c.ent_type_ in ("ORG", "PERSON", "NORP", "GPE"):
            return c  # "an RCMP statement", "a White House memo"
    if head.dep_ == "dobj":  # "he pushed a tweet that said …", "the ministry issued a statement that …"
        return next((c for c in head.head.children if c.dep_ == "nsubj"), None)
    return None


def _counted(head: Token) -> Token | None:
    """The noun a quantity head counts ("people" of "a lot of people"), or None."""
    if (head.lemma_.lower() not in QUANTITY_HEADS or head.pos_ not in ("NOUN", "NUM", "ADJ")
            or any(c.dep_ == "poss" for c in head.children)):  # "his numbers show": his, not a count
        return None
    of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of" and c.i == head.i + 1), None)
    return None if of is None else next((c for c in of.children if c.dep_ == "pobj"), None)


def _indefinite(head: Token) -> bool:
    det = next((c for c in head.children if c.dep_ == "det"), None)
    return ((det is None and head.tag_ == "NNS")
            or (det is not None and det.lower_ in ("a", "an", "some", "one", "two", "several")))


_DETS = re.compile(r"^(the|a|an|this|that|these|those)\s+", re.I)


def _clean(text: str) -> str:
    """A name or title without leading determiners, possessive endings, edge punctuation or odd spaces."""
    text = " ".join(_nfc(text).replace("\u00a0", " ").split())
    text = _DETS.sub("", text).strip(" ,;:-–—\"“”'’")
    return re.sub(r"[’']s$", "", text)


def _key(name: str) -> str:
    return " ".join(re.findall(r"\w+", name.lower()))


def _title_heads(title: str) -> set[str]:
    """The head noun a title is indexed by, singular and as written ("spokesmen": both)."""
    words = _content_words(title)
    return {words[-1], words[-1].rstrip("s")} if words else set()


@lru_cache(maxsize=4096)
def _content_words(text: str) -> tuple[str, ...]:
    """A title's words for comparing it with a description: short forms written out ("Gov." is
    "governor", names.ROLE_WORDS), acronyms kept in capitals, articles and "of" left out."""
    words = re.findall(r"[A-Za-z][\w-]*", text)
    return tuple(ROLE_WORDS.get(w.lower(), w.lower()) if not w.isupper() else w
                 for w in words if w.lower() not in ("the", "a", "an", "of", "for", "us", "u"))


def _modifiers_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two titles' modifiers agree when either is empty, they share a word, or one is the other's acronym."""
    if not a or not b:
        return True
    la = {w.lower() for w in a}
    lb = {w.lower() for w in b}
    if la & lb:
        return True
    acr_a = {w for w in a if w.isupper() and len(w) > 1}
    acr_b = {w for w in b if w.isupper() and len(w) > 1}
    initials_a = "".join(w[0] for w in a if w[:1].isalpha()).upper()
    initials_b = "".join(w[0] for w in b if w[:1].isalpha()).upper()
    return any(x in initials_b for x in acr_a) or any(x in initials_a for x in acr_b)


# -- whose each statement and turn is (moved here from pipeline.py) ------------------------------
def _described_person_before(pronoun: Token, cues: Cues) -> Token | None:
    """The nearest person described, not named, before a pronoun in its sentence ("the President",
    "the premier"): a definite noun for a person. Asked only when no named person fits the pronoun."""
    sent = sentence(pronoun)
    for tok in reversed(pronoun.doc[max(sent.start, pronoun.i - CLAUSE_WINDOW):pronoun.i]):
        if (tok.pos_ in ("NOUN", "PROPN") and tok.tag_ in ("NN", "NNP") and tok.lemma_.lower() in cues.person_nouns
                and tok.dep_ in ("nsubj", "dobj", "pobj", "dative")
                and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)):
            return tok
    return None


def statement_speakers(resolver: SpeakerResolver,
                       atts: list[Attribution]) -> tuple[list[Entity | None], list[tuple[int, int] | None]]:
    """Each attribution's entity and the characters of the mention that names it (None where none does).

    Own sources are resolved in document order, so that pronouns find what came before; then a
    statement that continues another ("…," she said. "…") takes the entity at the end of its chain."""
    entities: list[Entity | None] = [None] * len(atts)
    mentions: list[tuple[int, int] | None] = [None] * len(atts)
    for i, att in enumerate(atts):
        if att.inherited_from is None:
            at = att.source.idx if att.source is not None else att.statement.start
            entities[i], mentions[i] = resolver.resolve(att.source, at)
            resolver.note_self_report(entities[i], att.source)
    for i, att in enumerate(atts):
        j = att.inherited_from
        while j is not None and atts[j].inherited_from is not None and j != atts[j].inherited_from:
            j = atts[j].inherited_from
        if j is not None:
            entities[i] = entities[j]
    return entities, mentions


def turn_speakers(resolver: SpeakerResolver, raw_turns: list[RawTurn],
                  statement_entities: list[Entity | None]) -> list[Entity | None]:
    """Each turn's entity: its label resolved in the document, or, for Q/A and unlabelled turns, the role's;
    an interviewee nobody names is the person the article quotes most."""
    by_role: dict[str, str] = {}
    for t in raw_turns:
        if t.label_text and not names_role(t.label_text) and t.role:
            by_role.setdefault(t.role, t.label_text)
    quoted = Counter(id(e) for e in statement_entities if e is not None and e.kind == "person")
    top = quoted.most_common(1)[0][0] if quoted else None
    top_person = next((e for e in resolver.entities if id(e) == top), None)
    out: list[Entity | None] = []
    for t in raw_turns:
        name = t.label_text
        if name is None or names_role(name):
            name = by_role.get(t.role) if t.role else None
        if name is not None:
            label = t.label if t.label is not None and t.label.text.strip() == name else None
            span = None if label is None else (label.start, label.end)
            if t.titles and name == t.label_text:  # an office's label ("THE PRESIDENT"): its holder, titled (turns.py)
                described = resolver.by_key.get(_key(t.titles[0]))  # the article's "the president"
                if t.person:
                    ent = resolver.resolve_label(t.person, span, t.role)
                elif described is not None and described.kind == "person":
                    ent = described
                else:
                    ent = resolver._entity("person", t.office or name)
                if span is not None:
                    ent.add(span)
                resolver._add_titles(ent, t.titles)
                out.append(ent)
                continue
            out.append(resolver.resolve_label(name, span, t.role))
        elif t.role == "interviewee" and top_person is not None:
            out.append(top_person)
        else:
            out.append(None)
    return out


def names_role(label: str) -> bool:
    """"Q", "Interviewer", "A": a label that states a role, not who holds it."""
    return label_role(label_key(label)) is not None


def resolve_turn_pronouns(atts: list[Attribution], entities: list[Entity | None], raw_turns: list[RawTurn],
                          turn_ents: list[Entity | None]) -> None:
    """A transcript's pronouns of the one speaking and the one spoken to: "I'd add that …" (or "we
    told them …") in a turn is the turn's speaker; "you said …" in an interviewer's turn is the interviewee. Fills `entities` in
    place (statements continuing them too); the unknown "I" each stood for before is no one's."""
    # "you" in a question is the one who answers it: the next interviewee to speak (a briefing has
    # several), or the first when none speaks after it
    answerer: list[Entity | None] = [None] * len(raw_turns)
    later = next((e for t, e in zip(raw_turns, turn_ents, strict=True) if t.role == "interviewee" and e is not None), None)
    for k in range(len(raw_turns) - 1, -1, -1):
        answerer[k] = later
        if raw_turns[k].role == "interviewee" and turn_ents[k] is not None:
            later = turn_ents[k]
    starts = [t.start for t in raw_turns]
    for i, att in enumerate(atts):
        if att.source is None or att.inherited_from is not None:
            continue
        k = bisect.bisect_right(starts, att.statement.start) - 1
        turn = raw_turns[k] if k >= 0 and att.statement.start < raw_turns[k].end else None
        if turn is None:
            continue
        span = (att.source.idx, att.source.idx + len(att.source))
        pronoun = att.source.lower_
        speaker: Entity | None = None
        if pronoun in _FIRST_PERSON:
            speaker = turn_ents[k]
        elif pronoun == "you" and turn.role == "interviewer" and entities[i] is None:
            speaker = answerer[k]
        if speaker is None:
            continue
        stood_for = entities[i]
        if (stood_for is not None and stood_for.kind == "unknown" and len(stood_for.mentions) == 1
                and stood_for.mentions[0][0] <= span[0] < stood_for.mentions[0][1]):
            stood_for.mentions.clear()  # the "I" (or "maybe I") made for this one mention
        speaker.add(span)
        for n, ent in enumerate(entities):
            if n == i or (ent is not None and ent is stood_for and atts[n].inherited_from is not None):
                entities[n] = speaker
