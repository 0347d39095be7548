"""Speakers: resolve every source mention to one canonical person or organisation per document.

No coreference model installs offline, so this is built on the parse and the entities:
- names: "Kirby" joins the document's fullest name with that surname ("John Kirby");
- titles: the words before a name ("National Security Council spokesperson John Kirby") or in
  apposition become the person's titles; a description ("the NSC spokesperson", "US National
  Security Council (NSC) spokesperson") joins the one person whose title shares its head noun
  and a modifier or an acronym, wherever in the document the name appears;
- pronouns: he/she join the most recent person, they/it the most recent organisation or group;
- "a report by the Wall Street Journal" is the Journal's; unnamed officials and sources are
  `anonymous`, each kept apart, never guessed.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from .cues import Cues
from .identity import one_person, same_name
from .labels import label_key, label_role
from .names import name_words, split_title
from .record import Span, Speaker
from .syntax import CLAUSE_WINDOW, noun_phrase, sentence

if TYPE_CHECKING:
    from .attribute import Attribution
    from .turns import RawTurn

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"they", "them", "it"})
SELF_PRONOUNS = frozenset({"i", "we", "you", "me", "us"})
INDEFINITE_PRONOUNS = frozenset({"someone", "somebody", "anyone", "anybody", "nobody", "everyone", "everybody"})
_ORG_ENTS = frozenset({"ORG", "GPE", "NORP", "FAC"})
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

    def add(self, span: tuple[int, int]) -> None:
        if span not in self._seen:
            self._seen.add(span)
            self.mentions.append(span)

    def __post_init__(self) -> None:
        self._seen = set(self.mentions)


class SpeakerResolver:
    """Collects mentions in document order and resolves each to an entity."""

    def __init__(self, doc: Doc, cues: Cues):
        # doc.text and doc.ents rebuild from every token on each access: read them once.
        self.doc = doc
        self.text = doc.text
        self.ents = tuple(doc.ents)
        self.ent_starts = [e.start for e in self.ents]  # the entity index: bisect instead of Span.ents' scan of all
        self.ent_at = {i: e for e in self.ents for i in range(e.start, e.end)}
        self.by_label = {label: [e for e in self.ents if e.label_ == label] for label in ("PERSON", "ORG")}
        self.ends = {label: [e.end_char for e in ents] for label, ents in self.by_label.items()}
        self.cues = cues
        self.entities: list[Entity] = []
        self.by_key: dict[str, Entity] = {}
        self.full_names = _full_names(doc)  # surname -> fullest names, with titles found beside them
        self.title_heads: dict[str, list[Entity]] = {}  # a title's head noun -> named persons holding such a title
        self.resolved = 0  # how many source phrases have been resolved to a named entity
        self.spoken: dict[str, list[tuple[int, int, Entity]]] = {}  # by kind: (order, position, entity), in order
        # a first name's persons ("person:lloyd austin") by the surname's last word, in the order resolved
        self.first_named: dict[str, list[Entity]] = {}
        self.blank_lines = [m.start() for m in re.finditer(r"(?=\n\n)", self.text)]  # where paragraphs part

    # -- public ------------------------------------------------------------------------------
    def resolve(self, head: Token | None, at: int) -> tuple[Entity | None, tuple[int, int] | None]:
        """The entity a source phrase (given by its head token) refers to, and the phrase's span."""
        if head is None:
            return None, None
        head = _report_source(head, self.cues) or head
        span = noun_phrase(head)
        lower = head.lower_
        if lower in INDEFINITE_PRONOUNS:
            ent = self._apart("anonymous", _clean(self.text[span[0]:span[1]]), span)
            ent.add(span)
            return ent, span
        if lower in PERSON_PRONOUNS | GROUP_PRONOUNS | SELF_PRONOUNS or (head.pos_ == "PRON" and head.is_lower):
            referent = self._antecedent(lower, at)
            if referent is None and lower != "you":  # "you" is the hearer: the transcript's turns say who (pipeline)
                # a pronoun with nothing before it to refer to is a source all the same, of unknown identity
                referent = self._apart("unknown", self.text[span[0]:span[1]], span)
            if referent is not None:
                referent.add(span)
            return referent, span
        ent = self._entity_for_phrase(head, span)
        ent.add(span)
        self.spoken.setdefault(ent.kind, []).append((self.resolved, at, ent))
        self.resolved += 1
        if ent.kind == "person" and ent.surname is not None and " " in ent.surname:
            self.first_named.setdefault(ent.surname.rsplit(" ", 1)[1], []).append(ent)
        return ent, span

    def resolve_label(self, label: str, span: tuple[int, int] | None, role: str | None) -> Entity:
        """A transcript label ("Kirby", "Q", "Rudaw") as an entity of this document."""
        name = _nfc(label.strip().rstrip(":").strip())
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
            named = full and kind == "person" and one_person(n for n, _ in full)  # several first names: the label's own
            ent = self._entity(kind, full[0][0] if named else name, surname=surname)
        if span is not None:
            ent.add(span)
        return ent

    def attach_name_mentions(self) -> None:
        """Every occurrence of a speaker's name in the text is a mention of it: a person's surname,
        an organisation's name (whatever label NER gave it: "told Rudaw")."""
        orgs = {_key(e.name): e for e in self.entities if e.kind == "organization" and e.mentions}
        for e in self.ents:
            if e.label_ == "PERSON":
                surname = _surname(e)
                ent = self._person_by_surname(surname) if surname else None
            else:
                ent = None
            ent = ent or orgs.get(_key(_clean(e.text)))
            if ent is not None:
                ent.add((e.start_char, e.end_char - (2 if e.text.endswith(("'s", "’s")) else 0)))

    def speakers(self, text: str) -> tuple[list[Speaker], dict[int, str]]:
        """Speaker records (ids s1, s2, … in order of first mention) and entity id() -> speaker id."""
        used = [e for e in self.entities if e.mentions]
        used.sort(key=lambda e: min(e.mentions))
        ids = {id(e): f"s{i + 1}" for i, e in enumerate(used)}
        out = [Speaker(id=ids[id(e)], name=e.name, kind=e.kind,
                       mentions=tuple(Span.of(text, s, t) for s, t in sorted(e.mentions)),
                       titles=_distinct(e.titles))
               for e in used]
        return out, ids

    # -- internals ---------------------------------------------------------------------------
    def _entity(self, kind: str, name: str, *, surname: str | None = None, titles=()) -> Entity:
        key = f"{kind}:{surname}" if kind == "person" and surname else _key(name)
        ent = self.by_key.get(key)
        if ent is None:
            ent = Entity(kind, name, list(titles), surname=surname, key=key)
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
        """`titles` given to `ent`, each once, and indexed by their head noun."""
        for t in titles:
            if t not in ent.titles:
                ent.titles.append(t)
                self._index_title(ent, t)

    def _index_title(self, ent: Entity, title: str) -> None:
        if ent.kind != "person" or ent.surname is None:
            return  # only a named person is a description's referent
        words = _content_words(title)
        for head in {words[-1], words[-1].rstrip("s")} if words else ():
            holders = self.title_heads.setdefault(head, [])
            if not any(h is ent for h in holders[-3:]):  # an entity's titles come together: no runs of repeats
                holders.append(ent)

    def _person_by_surname(self, surname: str) -> Entity | None:
        return self.by_key.get(f"person:{surname}")

    def _entity_for_phrase(self, head: Token, span: tuple[int, int]) -> Entity:
        doc = self.doc
        person_head = head.lemma_.lower() in self.cues.person_nouns
        appos = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"
                      and (c.ent_type_ == "PERSON" or person_head)), None)
        if appos is not None:  # "The union's president, Marcus Bell, said": the name is the apposition
            ent = self._person(doc[appos.left_edge.i:appos.i + 1], appos, (appos.left_edge.idx, appos.idx + len(appos)))
            self._add_titles(ent, [_clean(self.text[span[0]:span[1]])])
            ent.add(noun_phrase(appos))
            return ent
        phrase = doc.char_span(*span, alignment_mode="expand")
        name_ent = self.ent_at.get(head.i)
        name_ent = name_ent if name_ent is not None and name_ent.label_ == "PERSON" else None
        if name_ent is None and phrase is not None:
            name_ent = next((e for e in self._ents_within(phrase.start, phrase.end) if e.label_ == "PERSON"), None)
        named = head.pos_ == "PROPN" or (head.pos_ == "NOUN" and head.is_title)  # "Reyes" tagged a noun by mistake
        surnamed = self._person_by_surname(_nfc(head.lower_)) if name_ent is None and named else None
        if surnamed is not None:
            return surnamed  # "Bell" after "Marcus Bell", whatever NER thought
        if name_ent is not None or (head.pos_ == "PROPN" and head.ent_type_ not in _ORG_ENTS and head.ent_type_ != ""):
            return self._person(name_ent, head, span)
        org = self.ent_at.get(head.i)
        org = org if org is not None and org.label_ in _ORG_ENTS else None
        if org is not None and not (head.tag_ == "NNS" and head.pos_ == "NOUN"):
            return self._entity("organization", _clean(org.text))
        description = _clean(self.text[span[0]:span[1]])
        lemma = head.lemma_.lower()
        if lemma in self.cues.organization_nouns and description.lower() == head.lower_:
            last_named = self._last_organization(head.idx)  # "the utility said": the organisation last named
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
            return self._entity("organization" if head.ent_type_ in _ORG_ENTS else "unknown", description)
        if head.tag_ in ("NNS", "NNPS") and lemma not in self.cues.organization_nouns:
            return self._entity("group", description)
        kind = ("person" if lemma in self.cues.person_nouns
                else "organization" if lemma in self.cues.organization_nouns else "unknown")
        ent = self._entity(kind, description, titles=[description] if kind == "person" else ())
        if kind == "person":
            ent.key = "desc:" + lemma  # a later name with this title may absorb it (see absorb_descriptions)
        return ent

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
        prefix = _clean(self.text[span[0]:start])
        for t in (title, prefix):
            if t and len(t.split()) <= _TITLE_MAX_WORDS:
                titles.insert(0, t)
        return self._entity("person", full, surname=key_surname, titles=titles)

    def _person_by_title(self, description: str, head_lemma: str) -> Entity | None:
        """The one person whose title has this head noun and shares a modifier or acronym."""
        words = _content_words(description)
        holders = self.title_heads.get(head_lemma, [])
        if len(holders) > _TITLE_HOLDERS:
            return None
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

    def _antecedent(self, pronoun: str, at: int) -> Entity | None:
        """he/she: the nearer of the last speaker and the last person named as a subject (or in the same
        paragraph); they/it: the last organisation or group that spoke."""
        if pronoun in SELF_PRONOUNS:
            return None
        want = ("person",) if pronoun in PERSON_PRONOUNS else ("organization", "group")
        last = self._last_spoken(want, at)
        if pronoun in PERSON_PRONOUNS:
            named = next((e for e in self._before("PERSON", at) if e.root.dep_ in ("nsubj", "nsubjpass")
                          or not self._parted(e.end_char, at)), None)
            if named is not None and (last is None or named.start_char > last[0]) and _surname(named):
                return self._person(named, named.root, (named.start_char, named.end_char))
        return None if last is None else last[1]

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

    def _apart(self, kind: str, description: str, span: tuple[int, int]) -> Entity:
        """Each anonymous or unknown source stands apart; the same phrase is one source."""
        key = f"{kind}:{span[0]}"
        if key not in self.by_key:
            self.by_key[key] = Entity(kind, description, key=key)
            self.entities.append(self.by_key[key])
        return self.by_key[key]

    def _last_organization(self, at: int) -> Entity | None:
        last = next(self._before("ORG", at), None)
        spoke = self._last_spoken(("organization",), at)
        if last is None:
            return None if spoke is None else spoke[1]
        if spoke is not None and spoke[0] > last.start_char:
            return spoke[1]
        return self._entity("organization", _clean(last.text))

    def absorb_descriptions(self) -> None:
        """Join title-only speakers ("US National Security Council (NSC) spokesperson") to the named person
        who holds that title, when the name came later in the document."""
        for e in list(self.entities):
            if not e.key.startswith("desc:"):
                continue
            match = self._person_by_title(e.name, e.key[5:])
            if match is not None and match is not e:
                for m in e.mentions:
                    match.add(m)
                self._add_titles(match, e.titles)
                e.mentions.clear()
                e._seen.clear()


def _full_names(doc: Doc) -> dict[str, list[tuple[str, list[str]]]]:
    """surname -> [(fullest name, titles found before or beside it, each once)], fullest first."""
    out: dict[str, dict[str, dict[str, None]]] = {}
    for e in doc.ents:
        if e.label_ != "PERSON":
            continue
        title, words = split_title(_nfc(e.text))
        if not words or not words[-1][:1].isupper():
            continue
        name = " ".join(words)
        titles = out.setdefault(words[-1].lower(), {}).setdefault(name, {})
        if title:
            titles[title] = None
        root = e.root
        left = root.left_edge
        # more tokens than a clause's reach cannot make a title of a few words: not read
        if left.i < e.start and e.start - left.i <= CLAUSE_WINDOW:
            title = _clean(doc[left.i:e.start].text)
            if title and len(title.split()) <= _TITLE_MAX_WORDS:
                titles[title] = None
        for c in root.children:
            if c.dep_ == "appos":
                titles[_clean(doc[max(c.left_edge.i, c.i - CLAUSE_WINDOW):c.i + 1].text)] = None
    return {s: sorted(((n, list(t)) for n, t in names.items()), key=lambda nt: -len(nt[0].split()))
            for s, names in out.items()}


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
    if head.dep_ == "dobj":  # "he pushed a tweet that said …", "the ministry issued a statement that …"
        return next((c for c in head.head.children if c.dep_ == "nsubj"), None)
    return None


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


@lru_cache(maxsize=4096)
def _content_words(text: str) -> tuple[str, ...]:
    words = re.findall(r"[A-Za-z][\w-]*", text)
    return tuple(w.lower() if not w.isupper() else w
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


def resolve_second_person(atts: list[Attribution], entities: list[Entity | None], raw_turns: list[RawTurn],
                          turn_ents: list[Entity | None]) -> None:
    """'you said …' in an interviewer's turn reports the interviewee: fills `entities` in place."""
    interviewee = next((e for t, e in zip(raw_turns, turn_ents, strict=True) if t.role == "interviewee" and e is not None), None)
    if interviewee is None:
        return
    for i, att in enumerate(atts):
        if entities[i] is None and att.source is not None and att.source.lower_ == "you":
            st = att.statement.start
            if any(t.start <= st < t.end and t.role == "interviewer" for t in raw_turns):
                entities[i] = interviewee
                interviewee.add((att.source.idx, att.source.idx + len(att.source)))
