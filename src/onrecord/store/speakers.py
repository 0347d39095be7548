"""Corpus speakers: each document's speakers merged into persons and organisations.

Identity is a key computed from the names, never from ingest order, so the same corpus gives
the same speakers whatever order its documents arrive in. The "same person" rule is
`identity`'s; this module applies it to the corpus:

- a person with a first name and a surname is ``person:<first> <surname>`` (titles, honorifics,
  middle initials dropped, a suffix kept: "NSC spokesperson John Kirby" is ``person:john kirby``;
  the dropped words become a title). First names that are nicknames or spellings of one another
  ("Bill"/"William", "Hilary"/"Hillary") are one person, keyed by the full form (`identity.first_rank`);
- a surname alone ("Kirby", "Mr. Kirby") is first the full name its own document gives it (the
  earliest plausible full name among its own mentions, else the one person of that surname
  among the document's speakers; a first name alone, "Bernie", by its own mentions only); else
  it joins the one full-name person with that surname when the corpus has exactly one, or of
  several the one whose first names fit the gender its own text gives it ("Mr. Obama": Barack),
  else it stays ``surname:<surname>``, marked ambiguous;
- organisations and groups are ``<kind>:<name>``, never merged with a person, except a
  one-word name that is a person's surname: its document's person of that surname, or the
  corpus's one person of that surname when the corpus names them as a person at least
  `speaker_groups.MISTYPED_PERSON_RATIO` times as often as it types that word as an organisation ("Trump");
- a person known only by a role ("the NSC spokesperson") is the one named person the title
  timeline shows holding that role within `ROLE_WINDOW_DAYS` of the document's date (of several,
  the one the same document quotes), with the documents that gave the title as evidence; else it
  stays a per-document description;
- anonymous and unknown speakers stay per document (two "senior officials" are not one), and so
  do organisations and groups only described, never named (`identity.described_only`: "critics",
  "the company").

Surnames, full names and one-word organisations are settled by surname group, a pure function
of the group's name counts (`speaker_groups`), so the placement is the same whatever order the
documents came in; the writer settles the groups a document touches (a bulk run, the groups of a
batch). Roles are resolved from that result through an index on the role, each again when the
timeline's people or its own document's speakers move, so merging stays linear in the corpus.
Titles enter the timeline only when they are roles (`timeline_role`).
Names are NFC-normalised before they are parsed or keyed (a decomposed "é" is the same speaker).
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from nameparser.config import CONSTANTS

from ..errors import ConfigError
from ..gender import UNKNOWN
from ..identity import (
    PER_DOCUMENT_KINDS,
    PersonKey,
    described_only,
    key_of,
    name_key,
    plausible_full_name,
    role_key,
    same_first,
    same_person,
)
from ..names import HONORIFICS, TITLE_WORDS, PersonName, fold, parse_person
from ..record import Speaker
from .db import Database
from .speaker_groups import FULL, GENDERS, LONE, RUN, TYPED, NameClass, Placement, settle_all

_THE = re.compile(r"^the\s+", re.IGNORECASE)
# A role's holder on a date: the named people titled with that role in documents published
# within this many days of it. Press secretaries and spokespersons change about yearly; four
# months either side sees the current holder and rarely two.
ROLE_WINDOW_DAYS = 120
# Title words that modify a role but are none ("White House", "Foreign", "Deputy"): a title
# whose head is one of these is no role.
_ROLE_MODIFIERS = frozenset("""
foreign defense defence state national security council press white house homeland interior finance
treasury health economy trade former acting vice deputy his her their its my our your general
""".split())
# Courtesy titles say how to address a person, not what they do ("Mr.", "Dr."): no role.
_COURTESY = frozenset("mr mrs ms miss mx dr sir dame madam".split())
_ROLE_HEADS = (frozenset(CONSTANTS.titles) | TITLE_WORDS | frozenset(
    "aide official adviser advisor strategist candidate lawmaker spokesperson".split())) - _ROLE_MODIFIERS - _COURTESY
_PRONOUNS = frozenset("i me my he him his she her hers it its we us our they them their you your who that".split())


def timeline_role(title: str) -> str | None:
    """The role key (`identity.role_key`) of a title worth keeping in the title timeline, None
    for what is no role: a verb or other word whose head is no role noun ("satisfy", "how"),
    punctuation, a pronoun ("His son"), a place ("North Korea") or another person's name ("Sen.
    John McCain"): its head, the last word before any "of" ("Secretary of State"), must be a role
    noun (nameparser's titles and `names.TITLE_WORDS`, less the words that only modify a role)."""
    words = fold(title).split()
    if not words or any(w in _PRONOUNS for w in words):
        return None
    head_words = words[: words.index("of")] if "of" in words else words
    if not head_words:
        return None
    head = head_words[-1]
    if head not in _ROLE_HEADS and not (head.endswith("s") and head[:-1] in _ROLE_HEADS):
        return None
    return role_key(title)


@dataclass(frozen=True)
class Identity:
    """Where a document's speaker belongs in the corpus, before corpus-wide resolution."""

    key: str
    kind: str
    clean: str
    surname: str | None = None  # full-name persons: the surname that lone mentions join on
    lone_surname: str | None = None  # a surname alone (or a one-word organisation): resolved in the corpus
    title: str | None = None  # title words found in front of the name
    person: PersonKey | None = None  # full-name persons: their key
    role: str | None = None  # persons known only by a role: its key, resolved through the timeline
    resolved: dict = field(default_factory=dict)  # how the document resolved it (evidence)

    def to_dict(self) -> dict:
        """Plain data, marked with the identity rule it was computed under (`IDENTITY_RULES`): what a
        worker hands the writer beside the parse (the Parquet speakers table's `identity`)."""
        return {"rules": IDENTITY_RULES, "key": self.key, "kind": self.kind, "clean": self.clean,
                "surname": self.surname, "lone_surname": self.lone_surname, "title": self.title,
                "person": None if self.person is None else self.person.to_dict(), "role": self.role,
                "resolved": self.resolved}

    @classmethod
    def from_dict(cls, data: dict) -> Identity | None:
        """An identity read back; None when it was computed under another identity rule."""
        if data.get("rules") != IDENTITY_RULES:
            return None
        person = None if data["person"] is None else PersonKey.from_dict(data["person"])
        return cls(data["key"], data["kind"], data["clean"], data["surname"], data["lone_surname"], data["title"],
                   person, data["role"], dict(data["resolved"] or {}))


def identities_of(data: Sequence[dict | None] | None) -> tuple[Identity, ...] | None:
    """A document's identities read back from plain data (`Identity.to_dict`); None when any is
    missing or was computed under another identity rule: the writer then computes them itself."""
    if data is None:
        return None
    found = tuple(Identity.from_dict(d) if d is not None else None for d in data)
    return None if any(i is None for i in found) else found  # type: ignore[return-value]


def identify(speaker: Speaker, doc_hash: str) -> Identity:
    """The corpus identity of one document's speaker on its own (see the module docstring)."""
    speaker = replace(speaker, name=unicodedata.normalize("NFC", speaker.name))
    if speaker.kind in PER_DOCUMENT_KINDS or described_only(speaker.name, speaker.kind):
        return Identity(f"{speaker.kind}:{doc_hash}:{speaker.id}", speaker.kind, speaker.name)
    if speaker.kind != "person":
        name = _THE.sub("", speaker.name.strip())
        lone = _one_word_surname(name)
        return Identity(f"{speaker.kind}:{name_key(name)}", speaker.kind, name, lone_surname=lone)
    person = parse_person(speaker.name)
    if person is None:  # a description ("the spokesperson"): its role may say who it is
        roles = [r for r in (timeline_role(t) for t in (speaker.name, *speaker.titles)) if r]
        return Identity(f"description:{doc_hash}:{speaker.id}", "person", speaker.name,
                        role=roles[0] if roles else None)
    return _person_identity(person)


def _person_identity(person: PersonName, resolved: dict | None = None) -> Identity:
    title = person.prefix if fold(person.prefix) not in HONORIFICS | {""} else None
    key = key_of(person)  # the identity rule's key: a suffix ("Jr.") tells two people apart
    if key.first is None:
        return Identity(f"surname:{key.family}", "person", person.clean, lone_surname=key.family, title=title)
    # A run too long to be a name ("Clinton Cash Debunks Hillary") keeps its key but is no one's
    # full name: surnames alone and name variants never join it.
    surname = key.family if plausible_full_name(person, known_first=False) else None
    return Identity(f"person:{key.text}", "person", person.clean, surname=surname, title=title,
                    person=key if surname else None, resolved=resolved or {})


def _one_word_surname(name: str) -> str | None:
    """An organisation's or group's name that could be a person's surname mistyped ("Trump"):
    one capitalised word, not an acronym ("NATO")."""
    words = name.split()
    if len(words) != 1 or not words[0][:1].isupper() or (len(words[0]) > 1 and words[0].isupper()):
        return None
    person = parse_person(words[0])
    return None if person is None else person.surname


def identify_document(speakers: Sequence[Speaker], doc_hash: str) -> list[Identity]:
    """Every speaker's identity, resolved first within its own document: a surname alone is the
    earliest full name of that surname among its own mentions, else the one person of that
    surname among the document's speakers ("Closs" is "Jayme Closs"; a one-word organisation
    "Rowland" beside a person "David Rowland" is him); a role alone is the one named person the
    document gives that role ("the prime minister" beside "Prime Minister Ana Ruiz")."""
    idents = [identify(s, doc_hash) for s in speakers]
    people: dict[str, list[Identity]] = {}
    holders: dict[str, list[Identity]] = {}  # role -> the document's named persons given it
    for speaker, ident in zip(speakers, idents, strict=True):
        if ident.person is not None:
            people.setdefault(ident.person.family, []).append(ident)
            for role in {r for r in map(timeline_role, (*speaker.titles, ident.title or "")) if r}:
                holders.setdefault(role, []).append(ident)
    out = []
    for speaker, ident in zip(speakers, idents, strict=True):
        if ident.role is not None and len(holders.get(ident.role, ())) == 1:  # "the prime minister" beside
            holder = holders[ident.role][0]                                  # "Prime Minister Ana Ruiz"
            ident = replace(holder, title=None, resolved={"by": "document", "role": ident.role, "name": holder.clean})
        lone = ident.lone_surname
        if lone is not None:
            found = _own_full_name(speaker, lone) if ident.kind == "person" else None
            same = people.get(lone, [])
            if found is None and ident.kind == "person" and not same:
                # a first name alone ("Bernie") only by its own mentions: another speaker of that
                # first name in the document is as often someone else ("Joseph", a witness's father)
                found = _own_full_name(speaker, lone, first=True)
            if found is not None:
                ident = _person_identity(found, {"by": "document", "name": found.clean})
            elif same and _one_person(same):
                ident = replace(same[0], title=ident.title, resolved={"by": "document", "name": same[0].clean})
        out.append(ident)
    return out


def _one_person(idents: list[Identity]) -> bool:
    keys = [i.person for i in idents if i.person is not None]
    return len({k.family for k in keys}) == 1 and all(same_person(a, b) for a in keys for b in keys)


def _own_full_name(speaker: Speaker, word: str, *, first: bool = False) -> PersonName | None:
    """The earliest plausible full name (`identity.plausible_full_name`) among the speaker's own
    mentions whose surname (or with `first`, first name) is `word`: a story gives a person's full
    name when it first names them, and a surname alone after it is that person."""
    for mention in sorted(speaker.mentions, key=lambda m: m.start):
        person = parse_person(unicodedata.normalize("NFC", mention.text))
        if person is None or not plausible_full_name(person):
            continue
        if same_first(person.first or "", word) if first else key_of(person).family == word:
            return person
    return None


def _ensure_entity(db: Database, key: str, kind: str, name: str, surname: str | None) -> tuple[int, bool]:
    """The entity with `key`, created if missing; True when it was created now."""
    row = db.execute("SELECT id FROM entities WHERE key = ?", (key,)).fetchone()
    if row:
        return row[0], False
    return db.insert("INSERT INTO entities (key, kind, name, surname) VALUES (?, ?, ?, ?)",
                     (key, kind, name, surname)), True


def _first_names(db: Database, entity: int) -> set[str]:
    """The first names an entity's full names give (its name variants, as `speaker_groups.settle` joins them)."""
    firsts = (_first_of(clean) for (clean,) in db.execute(
        "SELECT clean FROM entity_names WHERE entity = ? AND lone = 0", (entity,)))
    return {f for f in firsts if f}


@lru_cache(maxsize=1 << 16)
def _first_of(clean: str) -> str | None:
    """A full name's folded first name (cached: a surname's names are read again for each new one)."""
    person = parse_person(clean)
    return None if person is None else person.first


def _group_of(ident: Identity, gender: str) -> tuple[str, NameClass] | None:
    """The surname group an identity lies in and its name class there (`speaker_groups`); None for
    a speaker no surname joins (an organisation of several words, a description, an anonymous source)."""
    if ident.person is not None and ident.surname is not None:
        return ident.surname, NameClass(FULL, ident.key)
    if ident.kind == "person" and ident.key.startswith("person:"):  # a run too long to be a name
        return PersonKey.from_text(ident.key.removeprefix("person:"), lone=False).family, NameClass(RUN, ident.key)
    if ident.lone_surname is not None and ident.kind == "person":
        return ident.lone_surname, NameClass(LONE, ident.key, gender if gender in GENDERS else UNKNOWN)
    if ident.lone_surname is not None:
        return ident.lone_surname, NameClass(TYPED, ident.key)
    return None


SurnameSettler = Callable[[Mapping[str, Sequence[NameClass]]], dict[str, Placement]]
"""How a settling pass places its groups (`speaker_groups.settle_all`, or on Ray: `scale.corpus_steps`)."""

_CLASSES = "SELECT family, form, key, gender, n, placed FROM name_classes WHERE family IN (SELECT value FROM json_each(?))"
_CLASS_ROWS = "family = ? AND form = ? AND ident_key = ? AND (form != 'lone' OR gender = ?)"


def unsettled(db: Database) -> list[str]:
    """The surname groups new documents touched since they were last settled (a bulk run's batch)."""
    return [row[0] for row in db.execute("SELECT family FROM unsettled_families ORDER BY family")]


def settle_families(db: Database, families: Iterable[str] | None = None,
                    settler: SurnameSettler = settle_all) -> tuple[set[int], set[str], set[int]]:
    """Settle these surname groups (default: every unsettled one) from their name classes and move
    each class whose corpus speaker changed (in the caller's transaction); the entities changed, the
    roles of the moved rows' titles and the documents of the moved rows (their role-only speakers
    may now have a holder in their own document)."""
    wanted = sorted(set(unsettled(db) if families is None else families))
    touched: set[int] = set()
    roles: set[str] = set()
    docs: set[int] = set()
    if not wanted:
        return touched, roles, docs
    groups: dict[str, list[NameClass]] = {}
    placed_before: dict[tuple[str, NameClass], str | None] = {}
    for row in db.execute(_CLASSES, (json.dumps(wanted),)):
        c = NameClass(row["form"], row["key"], row["gender"], row["n"])
        groups.setdefault(row["family"], []).append(c)
        placed_before[(row["family"], c)] = row["placed"]
    for family, placement in settler(groups).items():
        persons = {target for c, target in placement.items() if c.form == FULL}
        for c in sorted(placement):
            target = placement[c]
            if placed_before[(family, c)] == target:
                continue
            kind = target.split(":", 1)[0] if c.form == TYPED and target == c.key else "person"
            entity = ensure_entity(db, target, kind, target.split(":", 1)[1])
            if target in persons:
                db.execute("UPDATE entities SET surname = ? WHERE id = ? AND surname IS NOT ?", (family, entity, family))
            params = (family, c.form, c.key, c.gender)
            docs |= {r[0] for r in db.execute(f"SELECT DISTINCT doc FROM doc_speakers WHERE {_CLASS_ROWS} AND entity != ?",
                                              (*params, entity))}
            moved, moved_roles = _move_rows(db, _CLASS_ROWS, params, entity)
            touched, roles = touched | moved, roles | moved_roles
            db.execute("UPDATE name_classes SET placed = ? WHERE family = ? AND form = ? AND key = ? AND gender = ?",
                       (target, *params))
    db.execute("DELETE FROM unsettled_families WHERE family IN (SELECT value FROM json_each(?))", (json.dumps(wanted),))
    return touched, roles, docs


def settle_speakers(db: Database, settler: SurnameSettler = settle_all) -> None:
    """Settle every unsettled surname group, then the roles and role-only speakers its moves touch
    (in the caller's transaction): what a bulk run does after a batch, and a corpus at its next
    writable open when a run stopped before."""
    touched, roles, docs = settle_families(db, None, settler)
    touched |= _resolve_moved(db, roles, docs)
    refresh_entities(db, touched)


def _resolve_moved(db: Database, roles: set[str], docs: set[int]) -> set[int]:
    """Role-only speakers resolved again after rows moved: every one of a role whose holders moved,
    and every one in a document where a speaker moved."""
    touched: set[int] = set()
    for role in sorted(roles):
        touched |= _resolve_roles(db, role)
    if docs:
        touched |= _resolve_role_rows(db, db.execute(
            _ROLE_ROWS + " WHERE s.doc IN (SELECT value FROM json_each(?)) AND s.role IS NOT NULL"
            " AND s.role NOT IN (SELECT value FROM json_each(?)) ORDER BY s.id",
            (json.dumps(sorted(docs)), json.dumps(sorted(roles)))).fetchall())
    return touched


def _move_rows(db: Database, where: str, params: tuple, target: int) -> tuple[set[int], set[str]]:
    """Move the doc_speakers rows matching `where` (a constant condition of this module) to `target`,
    shifting their name counts (the target's other evidence is not read); the entities changed and
    the roles of the moved rows' titles (the timeline changed for them)."""
    groups = db.execute(
        f"SELECT entity, clean, max(lone_surname IS NOT NULL OR role IS NOT NULL) AS lone, count(*) AS n"
        f" FROM doc_speakers WHERE {where} AND entity != ? GROUP BY entity, clean", (*params, target)).fetchall()
    if not groups:
        return set(), set()
    roles = {r[0] for r in db.execute(
        f"SELECT DISTINCT t.role FROM speaker_titles t JOIN doc_speakers s ON s.id = t.speaker WHERE t.role IS NOT NULL"
        f" AND t.speaker IN (SELECT id FROM doc_speakers WHERE {where} AND entity != ?)", (*params, target))}
    db.execute(f"UPDATE doc_speakers SET entity = ? WHERE {where} AND entity != ?", (target, *params, target))
    for g in groups:
        _count_name(db, g["entity"], g["clean"], g["lone"], -g["n"])
        _count_name(db, target, g["clean"], g["lone"], g["n"])
    return {target, *(g["entity"] for g in groups)}, roles


def _count_name(db: Database, entity: int, clean: str, lone: bool, n: int) -> None:
    """Add `n` (negative: remove) to how often `clean` names `entity`."""
    db.execute("INSERT INTO entity_names (entity, clean, lone, n) VALUES (?, ?, ?, ?)"
               " ON CONFLICT (entity, clean) DO UPDATE SET n = n + excluded.n", (entity, clean, lone, n))
    if n < 0:
        db.execute("DELETE FROM entity_names WHERE entity = ? AND clean = ? AND n <= 0", (entity, clean))


def _recount_names(db: Database, entities: set[int]) -> None:
    """Rebuild the name counts of entities whose evidence moved (a new full name met lone surnames, a
    role found its holder). Surnames alone and roles are `lone`: shown only when nothing else names it."""
    ids = json.dumps(sorted(entities))
    db.execute("DELETE FROM entity_names WHERE entity IN (SELECT value FROM json_each(?))", (ids,))
    db.execute(
        "INSERT INTO entity_names (entity, clean, lone, n) SELECT entity, clean,"
        " max(lone_surname IS NOT NULL OR role IS NOT NULL),"
        " count(*) FROM doc_speakers WHERE entity IN (SELECT value FROM json_each(?)) GROUP BY entity, clean",
        (ids,),
    )


_HOLDERS = """
SELECT DISTINCT s.entity FROM speaker_titles t
JOIN doc_speakers s ON s.id = t.speaker JOIN documents d ON d.id = s.doc JOIN entities e ON e.id = s.entity
WHERE t.role = ? AND s.role IS NULL AND e.key LIKE 'person:%' AND d.published BETWEEN ? AND ?
LIMIT 2
"""
# Of those, the ones the role-only speaker's own document also quotes ("The prime minister said" in a
# story that quotes Justin Trudeau, while the timeline also holds Theresa May).
_OWN_HOLDERS = _HOLDERS.replace("LIMIT 2", "AND s.entity IN (SELECT entity FROM doc_speakers WHERE doc = ? AND id != ?) LIMIT 2")
_ROLE_ROWS = ("SELECT s.id, s.doc, s.entity, s.sid, s.clean, s.name, s.role, s.resolved, d.hash, d.published"
              " FROM doc_speakers s JOIN documents d ON d.id = s.doc")


def _resolve_roles(db: Database, role: str) -> set[int]:
    """Resolve every stored role-only speaker with `role` through the title timeline (when the
    timeline's people moved: rare); the entities changed."""
    return _resolve_role_rows(db, db.execute(_ROLE_ROWS + " WHERE s.role = ?", (role,)).fetchall())


def _resolve_role_rows(db: Database, rows: list) -> set[int]:
    """Each role-only speaker is the one named person the timeline shows holding its role within
    `ROLE_WINDOW_DAYS` of its document's date, or of several such the one its own document quotes,
    else its description (the number of holders kept)."""
    touched: set[int] = set()
    for row in rows:
        day = _day(row["published"])
        found = [r[0] for r in db.execute(_HOLDERS, (row["role"], *_window(day)))] if day else []
        if len(found) > 1 and day is not None:
            own = [r[0] for r in db.execute(_OWN_HOLDERS, (row["role"], *_window(day), row["doc"], row["id"]))]
            found = own if len(own) == 1 else found
        touched |= _set_role_holder(db, row, found[0] if len(found) == 1 else None, len(found))
    return touched


def _set_role_holder(db: Database, row, holder: int | None, holders: int) -> set[int]:
    """Put a role-only speaker under `holder` (None: its own description, `holders` people held it)."""
    if holder is None:
        target, _ = _ensure_entity(db, f"description:{row['hash']}:{row['sid']}", "person", row["name"], None)
        resolved = json.dumps({"role": row["role"], "holders": holders}) if holders else None
    else:
        target, resolved = holder, json.dumps({"by": "role", "role": row["role"]}, ensure_ascii=False)
    db.execute("UPDATE doc_speakers SET entity = ?, resolved = ? WHERE id = ?", (target, resolved, row["id"]))
    if target == row["entity"]:
        return set()
    _count_name(db, row["entity"], row["clean"], True, -1)
    _count_name(db, target, row["clean"], True, 1)
    return {target, row["entity"]}


def _add_holder(db: Database, role: str, holder: int, day: date) -> set[int]:
    """A document of `day` titles `holder` with `role`: each role-only speaker whose window holds
    that day (and not yet `holder`'s) is resolved again: held by no one before, it is now `holder`'s;
    held by someone else, it is now held by two (a description) unless its own document quotes just
    one of them. Bounded work per row."""
    rows = db.execute(_ROLE_ROWS + " WHERE s.role = ? AND s.entity != ? AND d.published BETWEEN ? AND ?",
                      (role, holder, *_window(day))).fetchall()
    return _resolve_role_rows(db, rows)  # two bounded look-ups a row (`_HOLDERS`, `_OWN_HOLDERS`)


def role_evidence(db: Database, entity: int, role: str, published: str | None) -> list[str]:
    """The documents that give `entity` the title `role` within `ROLE_WINDOW_DAYS` of `published`."""
    day = _day(published)
    if day is None:
        return []
    return sorted({r[0] for r in db.execute(
        "SELECT d.doc_id FROM speaker_titles t JOIN doc_speakers s ON s.id = t.speaker JOIN documents d ON d.id = s.doc"
        " WHERE s.entity = ? AND t.role = ? AND s.role IS NULL AND d.published BETWEEN ? AND ?",
        (entity, role, *_window(day)))})


def _window(day: date) -> tuple[str, str]:
    return (day - timedelta(days=ROLE_WINDOW_DAYS)).isoformat(), (day + timedelta(days=ROLE_WINDOW_DAYS)).isoformat()


def _day(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published) if published else None
    except ValueError:
        return None


_INSERT_SPEAKER = """
INSERT INTO doc_speakers (doc, sid, name, kind, mentions, clean, lone_surname, entity, gender, role, resolved,
                          family, form, ident_key)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_COUNT_CLASS = """
INSERT INTO name_classes (family, form, key, gender, n) VALUES (?, ?, ?, ?, 1)
ON CONFLICT (family, form, key, gender) DO UPDATE SET n = n + 1
RETURNING placed
"""


def write_speakers(db: Database, doc: int, doc_hash: str, speakers: Iterable[Speaker], *,
                   settle: bool = True, identities: Sequence[Identity] | None = None) -> dict[str | None, int]:
    """Store one document's speakers (inside the caller's transaction); their row ids by speaker id.
    `settle`: the surname groups they join are settled now (the local writer); else they wait for
    `settle_speakers` (a bulk run's batch), each speaker placed meanwhile where its name was last settled.
    `identities`: `identify_document` of these speakers when computed already (in a worker)."""
    return _place_document(db, doc, doc_hash, list(speakers), None, settle=settle, identities=identities)


def _place_document(db: Database, doc: int, doc_hash: str, speakers: list[Speaker],
                    stored: dict[str, int] | None, *, settle: bool,
                    identities: Sequence[Identity] | None = None) -> dict[str | None, int]:
    """Identify a document's speakers and put each in its corpus entity: new rows, or with
    `stored` (row ids by speaker id) the rows already there; then settle the surname groups they
    join (with `settle`) and re-resolve the roles they touch."""
    rows: dict[str | None, int] = {}
    touched: set[int] = set()
    families: set[str] = set()
    day = _day(db.execute("SELECT published FROM documents WHERE id = ?", (doc,)).fetchone()[0])
    if identities is None or len(identities) != len(speakers):
        identities = identify_document(speakers, doc_hash)
    for speaker, ident in zip(speakers, identities, strict=True):
        gender = speaker.gender if speaker.gender in GENDERS else UNKNOWN
        grouped = _group_of(ident, gender)
        family, form = (grouped[0], grouped[1].form) if grouped else (None, None)
        if grouped is None:
            entity, _ = _ensure_entity(db, ident.key, ident.kind, ident.clean, None)
        else:
            c = grouped[1]
            placed = db.execute(_COUNT_CLASS, (family, c.form, c.key, c.gender)).fetchone()[0]
            families.add(grouped[0])
            entity = ensure_entity(db, placed or c.key, ident.kind if (placed or c.key) == c.key else "person",
                                   ident.clean)
        values = (ident.clean, ident.lone_surname, entity, gender, ident.role,
                  json.dumps(ident.resolved, ensure_ascii=False) if ident.resolved else None,
                  family, form, ident.key if grouped else None)
        if stored is None:
            speaker_row = db.insert(_INSERT_SPEAKER, (
                doc, speaker.id, speaker.name, speaker.kind,
                json.dumps(sorted({m.text for m in speaker.mentions}), ensure_ascii=False), *values))
        else:
            speaker_row = stored[speaker.id]
            db.execute("UPDATE doc_speakers SET clean = ?, lone_surname = ?, entity = ?, gender = ?, role = ?,"
                       " resolved = ?, family = ?, form = ?, ident_key = ? WHERE id = ?", (*values, speaker_row))
        rows[speaker.id] = speaker_row
        _count_name(db, entity, ident.clean, ident.lone_surname is not None or ident.role is not None, 1)
        titles = dict.fromkeys(t.strip() for t in (*speaker.titles, ident.title or "") if t.strip())
        titled = [(speaker_row, t, timeline_role(t)) for t in titles]
        db.conn.executemany("INSERT INTO speaker_titles (speaker, title, role) VALUES (?, ?, ?)",
                            [row for row in titled if row[2] is not None])
        touched.add(entity)
    db.conn.executemany("INSERT OR IGNORE INTO unsettled_families (family) VALUES (?)",
                        [(f,) for f in sorted(families)])
    moved_roles: set[str] = set()
    if settle:
        moved, moved_roles, moved_docs = settle_families(db, families)
        touched |= moved | _resolve_moved(db, moved_roles, moved_docs - {doc})
    touched |= _resolve_role_rows(db, db.execute(_ROLE_ROWS + " WHERE s.doc = ? AND s.role IS NOT NULL",
                                                 (doc,)).fetchall())
    if day is not None:  # this document's titles in the timeline: its holders join the roles' windows
        for role, holder in db.execute(
                "SELECT DISTINCT t.role, s.entity FROM speaker_titles t JOIN doc_speakers s ON s.id = t.speaker"
                " JOIN entities e ON e.id = s.entity WHERE s.doc = ? AND t.role IS NOT NULL AND s.role IS NULL"
                " AND e.key LIKE 'person:%' AND t.role NOT IN (SELECT value FROM json_each(?))",
                (doc, json.dumps(sorted(moved_roles)))).fetchall():
            touched |= _add_holder(db, role, holder, day)
    refresh_entities(db, touched)
    return rows


# The version of the identity rule: a corpus whose meta row "identity" differs (written by an
# older onrecord) has its speakers placed again by `reidentify` when opened for writing.
# 3: a generation numeral ("III") is no suffix of identity; a surname alone placed by its text's gender;
# a role held by several people is the one its own document quotes.
# 4: police and military ranks and "Prof." written out in roles ("Sgt." is "sergeant": names.ROLE_WORDS).
# 5: speakers settled by surname group (store/speaker_groups.py): a run too long to be a name that
# shares a full name's key no longer keeps surnames alone from it; first names join either way round.
# 6: organisations and groups only described ("critics", "the company") stay per document.
IDENTITY_RULES = "6"


def reidentify(db: Database) -> None:
    """Place every stored speaker again under the current identity rule, from the stored records
    (in the caller's transaction). Linear in the corpus: each document placed, then every surname
group settled once."""
    db.execute("UPDATE entities SET key = 'old:' || id, surname = NULL")  # out of every lookup
    db.execute("DELETE FROM entity_names")
    db.execute("DELETE FROM speaker_titles")
    db.execute("UPDATE doc_speakers SET lone_surname = NULL, role = NULL, resolved = NULL, family = NULL, form = NULL,"
               " ident_key = NULL")  # none decides yet
    db.execute("DELETE FROM name_classes")
    db.execute("DELETE FROM unsettled_families")
    docs = db.execute("SELECT id, hash, record FROM documents ORDER BY id").fetchall()
    for doc in docs:
        rows = db.execute("SELECT id, sid, name, kind FROM doc_speakers WHERE doc = ?", (doc["id"],)).fetchall()
        stored = {r["sid"]: r["id"] for r in rows}
        speakers = [Speaker.from_dict(s) for s in json.loads(doc["record"]).get("speakers", [])]
        known = {s.id for s in speakers}
        # speakers a reviewer named (store/corrections.py) are in no record: placed by their stored name
        speakers += [Speaker(r["sid"], r["name"], r["kind"]) for r in rows if r["sid"] not in known]
        _place_document(db, doc["id"], doc["hash"], [s for s in speakers if s.id in stored], stored, settle=False)
    settle_speakers(db)
    db.execute("DELETE FROM entities WHERE key LIKE 'old:%' AND id NOT IN (SELECT entity FROM doc_speakers)")


def ensure_entity(db: Database, key: str, kind: str, name: str) -> int:
    """The row id of the corpus speaker with `key`, created (named `name`, joined by no surname) if missing."""
    return _ensure_entity(db, key, kind, name, None)[0]


def reassign(db: Database, rows: Sequence[int], target: int) -> bool:
    """Put document speakers (doc_speakers row ids) under the corpus speaker `target`, as a reviewer
    decided (store/speaker_corrections.py): name counts moved with them, speakers left without any
    evidence dropped, the roles of their titles resolved again. False when every row was there already."""
    ids = json.dumps(sorted(set(rows)))
    old = {r[0] for r in db.execute("SELECT DISTINCT entity FROM doc_speakers WHERE id IN (SELECT value FROM json_each(?))"
                                    " AND entity != ?", (ids, target))}
    if not old:
        return False
    roles = {r[0] for r in db.execute(
        "SELECT DISTINCT role FROM speaker_titles WHERE speaker IN (SELECT value FROM json_each(?)) AND role IS NOT NULL",
        (ids,))}
    db.execute("UPDATE doc_speakers SET entity = ? WHERE id IN (SELECT value FROM json_each(?))", (target, ids))
    _recount_names(db, {target, *old})
    refresh_entities(db, {target, *old})
    for role in sorted(roles):
        _resolve_roles(db, role)
    return True


def refresh_entities(db: Database, entities: Iterable[int]) -> None:
    """Display name: the full name given most often (then the longest); drop entities left without evidence.

    Reads the per-name counts, never all of an entity's mentions, so a much-quoted speaker costs
    each new document the same as a rare one."""
    for entity in entities:
        best = db.execute(
            "SELECT clean FROM entity_names WHERE entity = ? ORDER BY lone, n DESC, length(clean) DESC, clean LIMIT 1",
            (entity,),
        ).fetchone()
        if best is None:
            db.execute("DELETE FROM entities WHERE id = ?", (entity,))
        else:
            db.execute("UPDATE entities SET name = ? WHERE id = ? AND name != ?", (best[0], entity, best[0]))


@dataclass(frozen=True)
class SpeakerMatch:
    """The entities a user means by a name, and words every name of theirs contains (None if unknown)."""

    ids: list[int]
    words: str | None


def find_entities(db: Database, name: str) -> SpeakerMatch:
    """Entities a user means by `name`: a full name, a surname (every person bearing it), or a name's part."""
    if not name.strip():
        raise ConfigError("--speaker: give a name (an empty one would match every speaker)")
    name = unicodedata.normalize("NFC", name)
    person = parse_person(name)
    plain = fold(_THE.sub("", name.strip()))
    keys = [f"organization:{plain}", f"group:{plain}"]
    ids: set[int] = set()
    if person is not None and person.first is not None:
        key = key_of(person)
        keys.append(f"person:{key.text}")
        ids |= {eid for (eid,) in db.execute("SELECT id FROM entities WHERE surname = ?", (key.family,))
                if any(same_first(key.first or "", f) for f in _first_names(db, eid))}
    elif person is not None:
        keys.append(f"surname:{key_of(person).family}")
        ids |= {r[0] for r in db.execute("SELECT id FROM entities WHERE surname = ?", (key_of(person).family,))}
    ids |= {r[0] for r in db.execute("SELECT id FROM entities WHERE key IN (SELECT value FROM json_each(?))",
                                     (json.dumps(keys),))}
    if ids:  # matched on keys: each speaker's name holds the surname (a person) or the whole name
        return SpeakerMatch(sorted(ids), person.surname if person is not None else plain)
    pattern = "%" + name.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    ids = {r[0] for r in db.execute(
        "SELECT id FROM entities WHERE name LIKE ? ESCAPE '\\' AND key NOT LIKE 'anonymous:%'"
        " AND key NOT LIKE 'unknown:%' AND key NOT LIKE 'description:%' LIMIT 100", (pattern,))}
    return SpeakerMatch(sorted(ids), None)


@dataclass(frozen=True)
class SpeakerSummary:
    """A corpus speaker in the `speakers` list."""

    id: int
    name: str
    kind: str
    key: str
    quotes: int
    documents: int
    gender: str = "unknown"  # female/male when its documents' evidence agrees
    namesakes: int = 0  # for a surname alone: the full-name persons of the corpus who carry it

    @property
    def surname_only(self) -> bool:
        """Known by a surname alone: no full name its documents give could be joined to it."""
        return self.key.startswith("surname:")

    @property
    def ambiguous(self) -> bool:
        """A surname alone that several full-name persons of the corpus carry: any of them may be meant."""
        return self.surname_only and self.namesakes > 1

    def to_dict(self) -> dict:
        return {**self.__dict__, "surname_only": self.surname_only, "ambiguous": self.ambiguous}


_SUMMARY = """
SELECT e.id, e.name, e.kind, e.key,
       (SELECT count(*) FROM quotes q JOIN doc_speakers s ON q.speaker = s.id WHERE s.entity = e.id) AS quotes,
       (SELECT count(DISTINCT s.doc) FROM doc_speakers s WHERE s.entity = e.id) AS documents,
       (SELECT CASE WHEN min(g) = max(g) THEN min(g) ELSE 'unknown' END
        FROM (SELECT nullif(s.gender, 'unknown') AS g FROM doc_speakers s WHERE s.entity = e.id)) AS gender,
       (SELECT count(*) FROM entities f WHERE e.key LIKE 'surname:%' AND f.surname = substr(e.key, 9)) AS namesakes
FROM entities e
"""
_NAMED = "e.key NOT LIKE 'anonymous:%' AND e.key NOT LIKE 'unknown:%' AND e.key NOT LIKE 'description:%'"
_TOP = f"SELECT * FROM ({_SUMMARY} WHERE {_NAMED}) WHERE quotes > 0 ORDER BY quotes DESC, documents DESC, name, key LIMIT ?"
_BY_IDS = _SUMMARY + "WHERE e.id IN (SELECT value FROM json_each(?))"


def top_speakers(db: Database, top: int = 20) -> list[SpeakerSummary]:
    """Named corpus speakers with at least one quote, most quoted first (anonymous sources and bare
    descriptions left out)."""
    return [SpeakerSummary(*row) for row in db.execute(_TOP, (max(1, int(top)),))]


def namesakes(db: Database, key: str, limit: int = 20) -> list[SpeakerSummary]:
    """Other corpus speakers the last word of `key`'s name could mean (as `find_entities` reads a
    surname: its people, else names holding it), most quoted first: the speakers a reviewer most
    likely merges it into. Bounded: at most `limit` are counted."""
    row = db.execute("SELECT id, name FROM entities WHERE key = ?", (key,)).fetchone()
    words = row["name"].split() if row is not None else []
    if not words:
        return []
    ids = [i for i in find_entities(db, words[-1]).ids if i != row["id"]][: max(0, int(limit))]
    found = [SpeakerSummary(*r) for r in db.execute(_BY_IDS, (json.dumps(ids),))]
    return sorted(found, key=lambda s: (-s.quotes, -s.documents, s.name, s.key))


BREAKDOWNS = ("gender", "kind", "outlet")


@dataclass(frozen=True)
class Breakdown:
    """One value of a breakdown (a gender, a kind, an outlet): the corpus speakers quoted with it
    and their quotes. Every quoted speaker counts, anonymous sources and descriptions too."""

    value: str
    speakers: int
    quotes: int

    def to_dict(self) -> dict:
        return dict(self.__dict__)


_BY_ENTITY = f"""
SELECT {{column}} AS value, count(*) AS speakers, sum(quotes) AS quotes FROM ({_SUMMARY}) WHERE quotes > 0
GROUP BY value ORDER BY quotes DESC, value
"""
_BY_OUTLET = """
SELECT coalesce(d.outlet, '') AS value, count(DISTINCT s.entity) AS speakers, count(*) AS quotes
FROM quotes q JOIN documents d ON d.id = q.doc JOIN doc_speakers s ON s.id = q.speaker
GROUP BY coalesce(d.outlet, '') ORDER BY quotes DESC, value
"""


def breakdown(db: Database, by: str) -> list[Breakdown]:
    """Quoted corpus speakers and their quotes by gender (female/male when the documents' evidence
    agrees, else unknown), by kind, or by outlet (a speaker counts once in each outlet quoting
    them; "" for documents without one)."""
    if by not in BREAKDOWNS:
        raise ConfigError(f"--by {by!r}: choose one of {', '.join(BREAKDOWNS)}")
    sql = _BY_OUTLET if by == "outlet" else _BY_ENTITY.format(column=by)
    return [Breakdown(*row) for row in db.execute(sql)]


@dataclass(frozen=True)
class TitleSpan:
    """A role a speaker was given, with the dates of the first and last documents that gave it."""

    title: str
    first: str | None
    last: str | None
    doc_ids: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"title": self.title, "first": self.first, "last": self.last, "doc_ids": list(self.doc_ids)}


@dataclass(frozen=True)
class Evidence:
    """One document's speaker that was merged into the corpus speaker: why they are one."""

    doc_id: str
    published: str | None
    name: str
    mentions: tuple[str, ...]
    resolved: dict | None = None  # how a surname alone or a role was resolved, and from which documents
    doc_hash: str | None = None  # with `speaker_id`: what a reviewer's split names
    speaker_id: str | None = None  # the speaker's id in its document's record

    def to_dict(self) -> dict:
        return {"doc_id": self.doc_id, "published": self.published, "name": self.name, "mentions": list(self.mentions),
                "resolved": self.resolved, "doc_hash": self.doc_hash, "speaker_id": self.speaker_id}


def _shown_resolution(db: Database, entity: int, resolved: str | None, published: str | None) -> dict | None:
    """How a document's speaker was found to be this one; a role with the documents that gave it."""
    found = json.loads(resolved) if resolved else None
    if not found or found.get("by") not in ("role", "document"):
        return None
    if found["by"] == "role":
        found["documents"] = role_evidence(db, entity, found["role"], published)
    return found


@dataclass(frozen=True)
class SpeakerProfile:
    summary: SpeakerSummary
    titles: tuple[TitleSpan, ...]
    evidence: tuple[Evidence, ...]
    top_clusters: tuple[int, ...]  # cluster ids of the speaker's most reprinted quotes
    others: tuple[SpeakerSummary, ...]  # other speakers the name could mean


_TITLES = """
SELECT t.title, min(d.published) AS first, max(d.published) AS last, json_group_array(DISTINCT d.doc_id) AS docs
FROM speaker_titles t JOIN doc_speakers s ON s.id = t.speaker JOIN documents d ON d.id = s.doc
WHERE s.entity = ? GROUP BY t.title ORDER BY first IS NULL, first, t.title
"""
_EVIDENCE = """
SELECT d.doc_id, d.published, s.name, s.mentions, s.resolved, d.hash, s.sid FROM doc_speakers s JOIN documents d ON d.id = s.doc
WHERE s.entity = ? ORDER BY d.published IS NULL, d.published, d.id
"""
_TOP_CLUSTERS = """
SELECT q.cluster FROM quotes q JOIN doc_speakers s ON s.id = q.speaker WHERE s.entity = ?
GROUP BY q.cluster ORDER BY (SELECT count(*) FROM quotes c WHERE c.cluster = q.cluster) DESC, q.cluster LIMIT ?
"""


def profile(db: Database, name: str, *, top: int = 5) -> SpeakerProfile | None:
    """The most quoted speaker `name` can mean: titles over time, evidence, most reprinted quotes."""
    ids = find_entities(db, name).ids
    return _profile(db, ids, top) if ids else None


def profile_by_key(db: Database, key: str, *, top: int = 5) -> SpeakerProfile | None:
    """The corpus speaker with this key (`SpeakerSummary.key`, e.g. "person:john kirby"), as `profile`."""
    found = entity_id(db, key)
    return None if found is None else _profile(db, [found], top)


def entity_id(db: Database, key: str) -> int | None:
    """The row id of the corpus speaker with this key; None when there is none."""
    row = db.execute("SELECT id FROM entities WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def _profile(db: Database, ids: list[int], top: int) -> SpeakerProfile:
    found = sorted((SpeakerSummary(*row) for row in db.execute(_BY_IDS, (json.dumps(ids),))),
                   key=lambda s: (-s.quotes, -s.documents, s.name, s.key))
    best = found[0]
    titles = tuple(TitleSpan(r["title"], r["first"], r["last"], tuple(sorted(json.loads(r["docs"]))))
                   for r in db.execute(_TITLES, (best.id,)))
    evidence = tuple(Evidence(r["doc_id"], r["published"], r["name"], tuple(json.loads(r["mentions"])),
                              _shown_resolution(db, best.id, r["resolved"], r["published"]), r["hash"], r["sid"])
                     for r in db.execute(_EVIDENCE, (best.id,)))
    top_clusters = tuple(r[0] for r in db.execute(_TOP_CLUSTERS, (best.id, max(1, int(top)))))
    return SpeakerProfile(best, titles, evidence, top_clusters, tuple(found[1:]))
