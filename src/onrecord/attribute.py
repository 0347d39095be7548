"""Attribute: for each statement, the cue, the phrase that names its source, and the hearer.

Evidence, strongest first: a cue clause's own subject ("Kirby said that …"); a cue beside a
direct quote in the same sentence ("…,” said Kirby); a "Name: “…”" lead-in; a quote that
continues the previous statement of the same or the preceding paragraph. Each level carries a
confidence, so that filtering on it trades recall for precision. Resolving the phrase to a
canonical speaker (pronouns, partial names, titles) is speakers.py's job.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token

from .cues import Cues
from .marks import QuotedSpans
from .names import ARTICLES
from .record import Span
from .statements import Statement
from .syntax import CLAUSE_WINDOW, SentenceIndex, noun_phrase, sentence, subject_of

_OBJECT_DEPS = ("dobj", "dative", "iobj")
# Confidence by evidence, ordered as measured on the dev sets (bench/accuracy.py, by_confidence):
# both the share of real statements and the share of right speakers rise with it.
CONFIDENCE = {"post": 0.9, "signed": 0.8, "clause": 0.85, "report": 0.65, "cue": 0.9, "continued": 0.8, "colon": 0.75,
              "same_paragraph": 0.7, "previous_paragraph": 0.55, "narrated": 0.5,
              "none": 0.2}
_ATTRIBUTION_GAP = 4  # characters between a quote's end and a next sentence that may still be its attribution
_ATTRIBUTION_OPENING = 5  # tokens at the start of that sentence in which its cue may stand ("…?” Lincicome asked.")
_OWN_REPORT_TOKENS = 3  # tokens of a clause a cue reports outside a quote that make it another statement's cue
_COLON_LEAD_CHARS = 60  # characters before a colon in which "Kirby:" or "Kirby said:" names a quote's speaker


@dataclass
class Attribution:
    statement: Statement
    cue: tuple[int, int] | None
    source: Token | None  # head token of the phrase naming the speaker
    addressee: tuple[int, int] | None
    evidence: str
    inherited_from: int | None = None  # index of the statement whose speaker this one continues


def attribute(doc: Doc, statements: list[Statement], cues: Cues, paragraphs: list[tuple[int, int]]) -> list[Attribution]:
    """One Attribution per statement, in order: its cue, the phrase naming its source, its
    addressee and the evidence that licenses them (a cue beside the quote, a colon lead-in, the
    statement before it in the paragraph...), which sets its confidence."""
    sents = SentenceIndex.of(doc)
    text = doc.text  # rebuilt from every token on each access: read once
    para_starts = [p[0] for p in paragraphs]
    # the statements' quoted words (direct quotes with their marks, mixed fragments)
    quoted = QuotedSpans({(st.quoted.open_start, st.quoted.close_end) for st in statements if st.quoted is not None}
                         | {f for st in statements for f in st.fragments})
    out: list[Attribution] = []
    for st in statements:
        cue = st.cue or _cue_beside(doc, st, cues, sents)
        if cue is not None:
            cue = _carrying_verb(cue, cues) or cue
        cue_span = addressee = source = None
        evidence, inherited = "none", None
        if cue is not None:
            particle = (cues.particle(cue) or cues.particle(cue, cues.beside)) if st.cue_end is None else None
            end = particle.idx + len(particle) if particle is not None and particle.i == cue.i + 1 else cue.idx + len(cue)
            cue_span = (cue.idx, st.cue_end or end)  # "shot back": the cue's words, both of them
            addressee = _addressee(doc, cue, cues)
            source = (st.source or _possessor(cue) if _object_noun(cue, cues) else
                      st.source or subject_of(cue, quoted.apart_from(cue.idx)) or _possessor(cue)
                      or _adjacent_name(doc, cue))
            # a cue clause without quote marks is the least certain statement: is it a report at all?
            evidence = "cue" if st.cue is None or st.type == "direct" else "clause" if st.type == "mixed" else "report"
            if source is not None and source.head.i == cue.i and st.start <= source.idx < st.end:
                # "a deal is expected": the cue's subject is the content; the belief is no one's named
                out.append(Attribution(st, cue_span, None, addressee, "none"))
                continue
        if source is None:
            source = _colon_lead(doc, text, st)
            evidence = "colon"
        if source is None:
            prev = _previous_attributed(out, st, paragraphs, para_starts)
            evidence = "none" if prev is None else prev[1]
            inherited = None if prev is None else prev[0]
        if source is None and inherited is None:
            source = _narrated_subject(text, st, sents, para_starts)
            evidence = "none" if source is None else "narrated"
        out.append(Attribution(st, cue_span, source, addressee, evidence, inherited))
    _link_continued(out)
    return out if cues.objects_are_content else _without_authorless_nouns(out)


def _without_authorless_nouns(out: list[Attribution]) -> list[Attribution]:
    """"firing back at accusations that he's spreading misinformation": the clause of a noun for a
    statement that names no author is a claim in the air, no one's speech (broad attribution keeps
    it: its annotation counts attributions without a source). Indexes of continued statements follow."""
    kept = [i for i, att in enumerate(out) if not (
        att.statement.cue is not None and att.statement.cue.pos_ == "NOUN" and att.source is None
        and att.inherited_from is None)]
    if len(kept) == len(out):
        return out
    moved = {old: new for new, old in enumerate(kept)}
    for i in kept:
        j = out[i].inherited_from
        out[i].inherited_from = None if j is None else moved.get(j)
    return [out[i] for i in kept]


def _link_continued(out: list[Attribution]) -> None:
    """The paragraphs of one continued quote share the speaker named at any of them (often the last)."""
    groups: dict[int, list[int]] = {}
    for i, att in enumerate(out):
        q = att.statement.quoted
        if q is not None and q.group >= 0:
            groups.setdefault(q.group, []).append(i)
    for members in groups.values():
        anchor = next((i for i in members if out[i].source is not None), None)
        if anchor is None or len(members) < 2:
            continue
        for i in members:
            if out[i].source is None:
                out[i].inherited_from, out[i].evidence = anchor, "continued"


def _cue_beside(doc: Doc, st: Statement, cues: Cues, sents: SentenceIndex) -> Token | None:
    """The cue verb outside the quote, in the sentences the quote opens and closes in, nearest first."""
    first, last = sents.at(st.start), sents.at(max(st.start, st.end - 1))
    idx = {first, last}
    # "…?” she asked." / "…?” Lincicome asked." is often split after the question mark: take the
    # following sentence too when it opens with the attribution.
    if last + 1 < len(sents.sents):
        nxt = sents.sents[last + 1]
        if nxt.start_char - st.end < _ATTRIBUTION_GAP and (nxt[0].is_lower or any(
                cues.reports_beside(t) for t in nxt[:_ATTRIBUTION_OPENING])):
            idx.add(last + 1)
    qs = st.quoted.open_start if st.quoted else st.start
    qe = st.quoted.close_end if st.quoted else st.end
    best, best_d = None, None
    for k in idx:
        for tok in _beside(doc, sents.sents[k], qs, qe):
            if not cues.reports_beside(tok) or tok.pos_ not in ("VERB", "AUX"):
                continue
            subject = subject_of(tok)
            if subject is not None and qs <= subject.idx < qe:
                continue  # "we said" inside the quote
            if k not in (first, last) and _reports_elsewhere(tok, qs, qe):
                continue  # "“…” While some critics say government should not pay": the next sentence's own report
            d = qs - tok.idx if tok.idx < qs else tok.idx - qe
            if best_d is None or d < best_d:
                best, best_d = tok, d
    return best


def _reports_elsewhere(cue: Token, qs: int, qe: int) -> bool:
    """Whether a cue has a reported clause of its own outside the quote at [qs, qe): then it is not that
    quote's attribution but another statement's."""
    for child in cue.children:
        if child.dep_ == "ccomp" or (child.dep_ == "xcomp" and child.pos_ in ("VERB", "AUX")):
            lo, hi = child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
            if (hi <= qs or lo >= qe) and child.right_edge.i - child.left_edge.i + 1 >= _OWN_REPORT_TOKENS:
                return True
    return False


def _beside(doc: Doc, sent, qs: int, qe: int):
    """The tokens of `sent` outside the quote at characters [qs, qe), up to a clause's reach on either
    side of it: a cue further away is not beside the quote (and a sentence with no end is not read whole)."""
    inner = _token_at(doc, qs, sent.start, sent.end)
    outer = _token_at(doc, qe, inner, sent.end)
    lo = max(sent.start, inner - CLAUSE_WINDOW)
    yield from doc[lo:inner]
    yield from doc[outer:min(sent.end, outer + CLAUSE_WINDOW)]


def _token_at(doc: Doc, char: int, lo: int, hi: int) -> int:
    """The index of the first token in doc[lo:hi] that starts at or after `char` (bisect over offsets)."""
    while lo < hi:
        mid = (lo + hi) // 2
        if doc[mid].idx < char:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _adjacent_name(doc: Doc, cue: Token) -> Token | None:
    """When the parse gives no subject, a name or pronoun right beside the cue ("said Kirby"), or
    the noun phrase that ends right before it ("majorities of voters in all five states say")."""
    for j in (cue.i + 1, cue.i - 1):
        if 0 <= j < len(doc):
            t = doc[j]
            if t.ent_type_ in ("PERSON", "ORG") or (t.pos_ == "PRON" and t.lower_ in ("he", "she", "they")):
                return t.head if t.dep_ == "compound" else t
    before = doc[cue.i - 1] if cue.i > 0 else None
    if (cue.pos_ != "VERB" or before is None or before.pos_ not in ("NOUN", "PROPN")
            or sentence(before).start != sentence(cue).start):
        return None
    tok = before.head if before.dep_ == "compound" else before
    while tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.pos_ in ("NOUN", "PROPN", "PRON"):
        tok = tok.head.head  # up through "of voters in all five states" to the phrase's head
    return tok


def _addressee(doc: Doc, cue: Token, cues: Cues) -> tuple[int, int] | None:
    obj = None
    if cue.lemma_ in cues.addressee:
        obj = next((c for c in cue.children if c.dep_ in _OBJECT_DEPS), None)
    if obj is None:  # "said to reporters"
        to = next((c for c in cue.children if c.dep_ in ("prep", "dative") and c.lower_ == "to"), None)
        obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if obj is None or obj.pos_ not in ("PROPN", "NOUN", "PRON"):
        return None
    return noun_phrase(obj)


# Prepositions by which a speech verb carries the noun of its statement ("says in a statement that")
_CARRYING_PREPS = frozenset({"in", "during"})
# Verbs whose object is a statement their subject makes ("issued a statement that", "made the claim that")
_PRODUCING_VERBS = frozenset({"deliver", "give", "issue", "make", "post", "publish", "release", "send"})


def _carrying_verb(cue: Token, cues: Cues) -> Token | None:
    """"Weaver says in a statement that …", "Awad issued a statement that …": the parser hangs the
    clause on the noun, whose author is the verb's subject, so the verb is the cue. A noun with a
    possessor names its own author ("rejected his claim that")."""
    if cue.pos_ != "NOUN" or any(c.dep_ == "poss" for c in cue.children):
        return None
    head = cue.head
    if cue.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in _CARRYING_PREPS:
        verb = head.head
        return verb if verb.pos_ == "VERB" and cues.reports(verb) else None
    if cue.dep_ == "dobj" and head.pos_ == "VERB" and head.lemma_ in _PRODUCING_VERBS:
        return head
    return None


def _object_noun(cue: Token, cues: Cues) -> bool:
    """"The council rejected the claim that …": in speech attribution a noun for a statement that a verb
    takes as its object is not its subject's speech (they reject, deny, answer it) unless the verb makes
    it (`_carrying_verb`). Broad attribution counts the subject's object as theirs ("filed a complaint")."""
    return cue.pos_ == "NOUN" and cue.dep_ == "dobj" and not cues.objects_are_content


def _possessor(cue: Token) -> Token | None:
    """"his support for intensifying interrogations": a noun cue's possessor holds the view it names."""
    if cue.pos_ != "NOUN":
        return None
    return next((c for c in cue.children if c.dep_ == "poss"), None)


def _colon_lead(doc: Doc, text: str, st: Statement) -> Token | None:
    """'Kirby: “…”' or a paragraph-ending 'Kirby said:' before a quote."""
    if st.type != "direct" or st.quoted is None:
        return None
    i = st.quoted.open_start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    if i < 0 or text[i] != ":":
        return None
    span = doc.char_span(max(0, i - _COLON_LEAD_CHARS), i, alignment_mode="contract")
    if span is None or not len(span):
        return None
    for tok in reversed(span):
        if tok.ent_type_ in ("PERSON", "ORG") or tok.pos_ == "PROPN":
            return tok
        if tok.pos_ in ("VERB", "AUX"):
            return subject_of(tok)
    return None


_NARRATED_PRONOUNS = frozenset({"he", "she"})  # one person, whom the quote after the sentence speaks as


def _narrated_subject(text: str, st: Statement, sents: SentenceIndex, para_starts: list[int]) -> Token | None:
    """"But early on, he did have patients die, and became “acutely aware” …. “When somebody dies, you
    tend to remember that.”": a quote with no cue and no statement before it, standing as a sentence
    right after one of its paragraph that narrates a person, is that person's (the feature writer's
    convention). The weakest evidence that names anyone."""
    if st.type != "direct" or st.quoted is None:
        return None
    k = sents.at(st.quoted.open_start)
    if k == 0 or sents.sents[k].start_char < st.quoted.open_start - 1:
        return None  # the quote must open its sentence
    prev = sents.sents[k - 1]
    p = bisect.bisect_right(para_starts, st.start) - 1
    if p < 0 or prev.start_char < para_starts[p] or "\n" in text[prev.end_char:st.quoted.open_start]:
        return None
    subject = next((c for c in prev.root.children if c.dep_ == "nsubj"), None)
    if subject is None or not (subject.lower_ in _NARRATED_PRONOUNS or subject.ent_type_ == "PERSON"):
        return None
    return subject


def _previous_attributed(out: list[Attribution], st: Statement, paragraphs, para_starts) -> tuple[int, str] | None:
    """The statement this one continues: earlier in its paragraph, or ending the paragraph before."""
    if not out:
        return None
    p = bisect.bisect_right(para_starts, st.start) - 1
    prev = out[-1]
    q = bisect.bisect_right(para_starts, prev.statement.start) - 1
    if prev.source is None and prev.inherited_from is None:
        return None
    if p == q:
        return len(out) - 1, "same_paragraph"
    if p == q + 1 and st.type == "direct" and paragraphs[p][0] >= (st.quoted.open_start if st.quoted else st.start) - 1:
        return len(out) - 1, "previous_paragraph"
    return None


@dataclass(frozen=True)
class Headline:
    """A headline that credits its claim: "No attempts to widen conflict: Kirby" or "Kirby: No attempts …"."""

    start: int
    end: int
    name: str
    name_start: int
    name_end: int
    quoted: bool  # the claim stands in quote marks: held to the words, a direct quote


_NAME = r"(?:[A-Z][\w.’'-]*)(?:\s+[A-Z][\w.’'-]*){0,3}"
_MIN_CLAIM_CHARS = 12  # a headline's claim is a clause, not a rubric ("Live:", "Watch: Kirby")
_HEADLINE_SUFFIX = re.compile(rf"^(?P<claim>.{{{_MIN_CLAIM_CHARS},}}?)\s*[:—–-]\s*(?P<name>{_NAME})\s*$")
_HEADLINE_PREFIX = re.compile(rf"^(?P<name>{_NAME})\s*:\s*(?P<claim>.{{{_MIN_CLAIM_CHARS},}})$")


def headline(text: str, title: Span | None) -> Headline | None:
    """The claim and the credited name of an attributed headline, as offsets into the text."""
    if title is None:
        return None
    for pattern in (_HEADLINE_SUFFIX, _HEADLINE_PREFIX):
        m = pattern.match(title.text)
        # a rubric opens with an article ("The Latest: …", "The Daily: …"), as no name does
        if not m or m.group("name").split()[0].lower() in ARTICLES:
            continue
        credited = _credited_name(m.group("name"), text[title.end:])
        if credited is None:
            continue
        claim = m.span("claim")
        claim_text = m.group("claim").strip(" “”\"‘’'")
        s = title.start + claim[0] + m.group("claim").index(claim_text)
        quoted = len(claim_text) < len(m.group("claim").strip())
        name_start = title.start + m.start("name") + credited[0]
        name_end = title.start + m.start("name") + credited[1]
        return Headline(s, s + len(claim_text), text[name_start:name_end], name_start, name_end, quoted)
    return None


_ABBREVIATION = re.compile(r"[A-Z]{2,3}\.?")  # "NY Post", "AG Lynch": the story spells it out
_GIVEN_AND_SURNAME = 3  # words of a name whose first ones the story may drop: "Cecile Richards", "Mary J. Blige"
# Prepositions, conjunctions and pronouns: words a name never holds, as a headline's clause does.
_NEVER_IN_A_NAME = frozenset("for in on at to from by with into about and or but he she it they we i you".split())


def _credited_name(name: str, story: str) -> tuple[int, int] | None:
    """Where the name a headline credits lies in its name group, or None when the group is no name.

    A name comes back in the story as written; a title-case clause does not ("Clinton Wades In: Urges
    Britain …": no "Wades" in the story). The story may leave out a first name ("Cecile Richards: …",
    then "Richards said") or a title before the name ("McCain Challenger Kelli Ward: …"): the name is
    then the words the story repeats, two at least, opening with no function word ("Trump Says He
    Never" credits neither "He Never" nor anyone).
    """
    words = list(re.finditer(r"\S+", name))
    if any(w.group().lower() in _NEVER_IN_A_NAME for w in words):
        return None  # a clause in title case ("Big Win For Bernie: …")
    present = [bool(_ABBREVIATION.fullmatch(w.group()) or re.search(rf"\b{re.escape(w.group())}(?!\w)", story))
               for w in words]
    tail = len(words)  # the repeated words that end the group start at words[tail]
    while tail > 0 and present[tail - 1]:
        tail -= 1
    if tail == 0 or (tail == len(words) - 1 and len(words) <= _GIVEN_AND_SURNAME and not any(present[:tail])):
        return 0, len(name)  # all back, or a surname whose first name the story leaves out
    if len(words) - tail >= 2 and words[tail].group().lower() not in STOP_WORDS:
        return words[tail].start(), len(name)  # a title before the name
    return None
