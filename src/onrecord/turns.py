"""Turns: who has the floor in each stretch of a transcript.

Transcripts label their turns in three ways: a label on every turn ("Q:"/"A:", "KIRBY:", the
White House's "THE PRESIDENT:" and bare "Q", Rev's "Name (00:12):"), labels on the first few
turns only and then bare paragraphs that take turns, or no labels at all under an announcing
line. Labels are used where given, and a labelled turn runs on over the paragraphs after it up
to the next label; elsewhere the floor is passed back and forth and re-synchronised with
evidence: the interviewer asks, the interviewee answers, an answer may run on over several
paragraphs. Stage notes and timestamps ("(Laughter.)", "[crosstalk]", "(00:12)") open no turn.
Turns carry label strings, roles, and for a label naming an office ("THE PRESIDENT:") the title
and the person the document ties it to; resolving a label to the document's speakers is the
pipeline's job.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .labels import (
    Label,
    after_notes,
    find_label,
    group_keys,
    is_note,
    is_question,
    label_key,
    label_role,
    label_title,
    lines,
    role_names,
)
from .names import uncapitalized
from .record import Span
from .structure import Layout, Paragraph

# The interviewer's words that ask nothing: closing thanks, or steering to the next question.
_PROMPT = re.compile(
    r"[\"'“‘]?(?:(?:ok(?:ay)?|well|great|all\s+right|alright|right|and|so|finally)[,.!]?\s+)?"
    r"(?:thank\s+you|thanks(?!\s+to\b)|many\s+thanks|we\s+appreciate|i\s+appreciate|it\s+was\s+a\s+pleasure"
    r"|a\s+pleasure|great\s+to\s+(?:have|talk|speak)|let[’']?s\s+(?:turn|move|talk|go|switch|get|come)"
    r"|let\s+me\s+(?:ask|turn|move)|moving\s+on|turning\s+to"
    r"|(?:my|one|another|a|the)\s+(?:last|final|next|other|follow-up|quick)\s+question)\b",
    re.I,
)
_COUNTERPART = {"q": "A", "question": "A", "a": "Q", "answer": "Q"}  # the unnamed other side of Q/A labels


@dataclass(frozen=True)
class RawTurn:
    """One turn: its words (without the label), the label as written, and who it is credited to."""

    start: int
    end: int
    label: Span | None  # "Kirby" of "Kirby:", without the colon
    label_text: str | None  # the label the turn is credited to; for an unlabelled turn, the one inferred
    role: str | None  # "interviewer" | "interviewee" | "other"
    inferred: bool  # credited by inference rather than by its own label
    # For a label naming an office ("THE PRESIDENT", "SECRETARY POMPEO"): the office as a title
    # ("President") and the person the label stands for: its own name ("Pompeo"), else the one the
    # document ties the office to ("Trump", from "Remarks by President Trump"), else None (`office`).
    titles: tuple[str, ...] = ()
    person: str | None = None

    @property
    def office(self) -> str | None:
        """The label as the name of an office nobody is tied to: "THE PRESIDENT" -> "The President"."""
        if not self.titles or self.label_text is None:
            return None
        return " ".join(uncapitalized(w) for w in self.label_text.split())


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    label: Label | None
    question: bool  # ends by asking
    prompt: bool  # opens with thanks or steering ("Let's turn to…")


def find_turns(text: str, layout: Layout, *, hosts: Iterable[str] = ()) -> list[RawTurn]:
    """The turns of every transcript section of `layout`, in order.

    `hosts`: names known to ask the questions (the outlet, a programme's host), for labels
    whose turns alone do not show who is interviewing.
    """
    host_words = frozenset(w for h in hosts for w in label_key(h).split() if len(w) > 2)
    turns: list[RawTurn] = []
    sections = [(section, _units(text, layout.paragraphs_in(section))) for section in layout.transcripts]
    holders = _holders(text, layout, [u.label for _, units in sections for u in units if u.label is not None])
    for _, units in sections:
        turns.extend(_credit(units, _cast(units, host_words), holders))
    return turns


def _holders(text: str, layout: Layout, labels: list[Label]) -> dict[str, str]:
    """Office key -> the person the document ties it to: the one its title names in that office
    ("Remarks by President Trump, Vice President Pence, …"), else the one the lines outside the
    transcripts name (a briefing's header lines, an article's prose). A person with a label of
    their own is another speaker ("PRESIDENT MOREAU:" beside "THE PRESIDENT:"); two people left
    in one office tie it to nobody. Never the transcripts' words: a reporter's "President Xi" is
    not the President at the podium."""
    labelled = {key.split()[-1] for lab in labels if (key := label_key(lab.name.text))}
    sources = [[(layout.title.start, layout.title.end)] if layout.title is not None else [],
               [(s.start, s.end) for s in layout.sections if s.kind != "transcript"]]
    holders: dict[str, str] = {}
    settled: set[str] = set()
    for spans in sources:
        for office, names in role_names(text, spans).items():
            people: dict[str, str] = {}  # surname -> the fullest name given ("Donald J. Trump" over "Trump")
            for name in names:
                surname = (label_key(name).split() or [name])[-1]
                if surname not in labelled and len(name) > len(people.get(surname, "")):
                    people[surname] = name
            if office in settled or not people:
                continue
            settled.add(office)
            if len(people) == 1:
                holders[office] = next(iter(people.values()))
    return holders


def _units(text: str, paragraphs: Iterable[Paragraph]) -> list[_Unit]:
    """One unit per paragraph, split where a line inside it opens with a label.

    A label alone on its line lends itself to the words that follow it.
    """
    units: list[_Unit] = []
    pending: Label | None = None

    def close(start: int | None, end: int, label: Label | None) -> None:
        if start is not None:
            units.append(_Unit(start, end, label, is_question(text, start, end), bool(_PROMPT.match(text, start, end))))

    for p in paragraphs:
        start, end, label = None, p.start, None
        for s, e in lines(text, p.start, p.end):
            found = find_label(text, s, e)
            if found is not None:
                close(start, end, label)
                start, end, label, pending = None, e, None, None
                if found.body >= e:
                    pending = found
                    continue
                start, label = found.body, found
            elif start is None:
                if is_note(text, s, e):
                    continue  # "(00:12)", "(Laughter.)": nobody's words, no turn of their own
                start, label, pending = after_notes(text, s, e), pending, None
            end = e
        close(start, end, label)
    return units


def _cast(units: list[_Unit], host_words: frozenset[str]) -> dict[str, str]:
    """The role of each label key ("tapper" shares "jake tapper"'s).

    A label may say it ("Q", "Interviewer", "STEVE INSKEEP, HOST") or name a known host; otherwise the interviewer is
    the speaker whose turns ask (when none asks, the first to speak of those but the one who speaks
    most), the interviewee the one
    of the rest who speaks most, and any further speaker is "other". When the press asks as "Q"
    with no "A", every named speaker is answering it: a briefing's interviewees.
    """
    order: list[str] = []
    turns: Counter[str] = Counter()
    asks: Counter[str] = Counter()
    words: Counter[str] = Counter()  # each label's words, its unlabelled paragraphs after it too
    groups = group_keys(u.label.key for u in units if u.label is not None)
    key = None
    for u in units:
        if u.label is not None:
            key = groups[u.label.key]
            if key not in turns:
                order.append(key)
            turns[key] += 1
            asks[key] += u.question
        if key is not None:
            words[key] += u.end - u.start
    stated = {groups[u.label.key]: u.label.role for u in units if u.label is not None and u.label.role}  # ", HOST:"
    roles = {k: r for k in order
             if (r := label_role(k) or stated.get(k) or ("interviewer" if host_words & set(k.split()) else None))}
    free = [k for k in order if k not in roles]
    if free and set(roles.values()) == {"interviewer"} and any(label_role(k) for k in roles):
        roles.update((k, "interviewee") for k in free)
        free = []
    if free and "interviewer" not in roles.values():
        askers = free
        if len(free) > 1 and not any(asks[k] for k in free):
            # nobody asks: the one who speaks most is answering ("Matthew Miller (00:00): … With that,
            # Matt." then "Matt (01:49): Oh, that's it?"), the first of the others is asking
            most = max(free, key=lambda k: words[k])
            askers = [k for k in free if k != most]
        asker = max(askers, key=lambda k: (asks[k] / turns[k], -order.index(k)))
        if asks[asker] or len(free) > 1:
            roles[asker] = "interviewer"
            free.remove(asker)
    if free and "interviewee" not in roles.values():
        answerer = max(free, key=lambda k: (turns[k], -order.index(k)))
        roles[answerer] = "interviewee"
        free.remove(answerer)
    roles.update((k, "other") for k in free)
    return {k: roles[g] for k, g in groups.items()}


def _credit(units: list[_Unit], roles: dict[str, str], holders: dict[str, str]) -> list[RawTurn]:
    """Credit each unit: labelled ones to their label, with the paragraphs continuing them; the
    rest by the flow of the exchange."""
    party: dict[str, str] = {}  # role -> key of the speaker holding it (the first labelled, until then)
    written: dict[str, str] = {}  # key -> the label as last written (first, until then)
    for u in units:
        if u.label is not None:
            party.setdefault(roles[u.label.key], u.label.key)
            written.setdefault(u.label.key, u.label.name.text)
    out: list[RawTurn] = []
    prev_key: str | None = None
    prev_role: str | None = None
    exchange = any(u.question for u in units)  # without a question, one speaker makes a statement
    opener = "interviewer" if exchange else "interviewee"
    continuing = _continuations(units, roles)
    key: str | None
    for i, u in enumerate(units):
        if u.label is not None:
            key, role = u.label.key, roles[u.label.key]
            written[key] = u.label.name.text
            party[role] = key
            out.append(_office(RawTurn(u.start, u.end, u.label.name, u.label.name.text, role, False), holders))
            prev_key, prev_role = key, role
            continue
        if i in continuing:
            out[-1] = replace(out[-1], end=u.end)  # the labelled turn runs on over this paragraph
            continue
        if prev_role is None:
            role = opener
        else:
            role = _expected_role(u, prev_role, units[i + 1].label if i + 1 < len(units) else None, roles, exchange)
        key = prev_key if role == prev_role else party.get(role)
        out.append(_office(RawTurn(u.start, u.end, None, _label_text(key, role, written, party), role, True), holders))
        prev_key, prev_role = key, role
    return out


def _office(turn: RawTurn, holders: dict[str, str]) -> RawTurn:
    """`turn` with the office its label names, and the person holding it (see `RawTurn.person`)."""
    role = label_title(turn.label_text) if turn.label_text else None
    if role is None:
        return turn
    return replace(turn, titles=(role.title,), person=role.name or holders.get(role.key))


def _continuations(units: list[_Unit], roles: dict[str, str]) -> set[int]:
    """Unlabelled units that go on with the labelled turn before them.

    A transcript that labels every turn (the press's questions as "Q" beside named speakers, or
    Rev's timestamped labels) leaves nothing unlabelled but the later paragraphs of a turn: all
    of them continue it, a rhetorical question included. Otherwise, labels still to come show the
    transcript labels its turns, so unlabelled paragraphs between the labels of two speakers are
    more of the same turn, unless a question among them shows the floor changed, or the same
    label on both sides ("Q: … / answer / Q: …") shows the other side spoke unlabelled.
    """
    labelled = [u.label for u in units if u.label is not None]
    every_turn = any(lab.stamped for lab in labelled) or (
        any(label_role(k) == "interviewer" for k in roles) and any(label_role(k) is None for k in roles))
    out: set[int] = set()
    stretch: list[int] = []
    for i, u in enumerate(units):
        if u.label is None:
            stretch.append(i)
            continue
        before = units[stretch[0] - 1].label if stretch and stretch[0] > 0 else None  # labelled: a stretch follows a label
        if before is not None and (every_turn or (before.key != u.label.key and not any(units[j].question for j in stretch))):
            out.update(stretch)
        stretch = []
    if every_turn and stretch and stretch[0] > 0:
        out.update(stretch)  # the last turn runs to the transcript's end
    return out


def _expected_role(u: _Unit, prev_role: str, next_label: Label | None, roles: dict[str, str], exchange: bool) -> str:
    """Whose an unlabelled unit is, from the turn before it, its own words and the label after it.

    A question is the interviewer's; words after the interviewer's are the answer; after an
    answer, words run on unless they thank or steer (the interviewer's). A label right after
    marks where its speaker begins, so the unit before it still belongs to the previous one.
    """
    if u.question:
        role = "interviewer"
    elif prev_role == "interviewer":
        role = "interviewee"
    elif u.prompt and exchange:
        role = "interviewer"
    else:
        role = prev_role
    if next_label is not None and role != prev_role and role == roles[next_label.key]:
        return prev_role
    return role


def _label_text(key: str | None, role: str, written: dict[str, str], party: dict[str, str]) -> str | None:
    if key is not None:
        return written.get(key)
    other = party.get("interviewee" if role == "interviewer" else "interviewer")
    return _COUNTERPART.get(other or "")
