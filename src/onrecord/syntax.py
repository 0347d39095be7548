"""Parse helpers shared by the stages: who is the subject of a cue, what phrase a head token names."""
from __future__ import annotations

import bisect
import threading
from collections.abc import Callable

from spacy.tokens import Doc, Span, Token


class SentenceIndex:
    """Which sentence holds a character: bisect over sentence starts, built once per doc.

    spaCy's Token.sent checks the whole doc's annotation on every call; on a long document
    asked once per cue that is quadratic, so every stage asks this index instead."""

    def __init__(self, doc: Doc):
        self.sents: list[Span] = list(doc.sents)
        self.starts = [s.start_char for s in self.sents]

    @classmethod
    def of(cls, doc: Doc) -> SentenceIndex:
        """The doc's index, kept beside the doc (not in its user_data, which must stay serialisable):
        the last doc's per thread, as the stages ask about one doc at a time."""
        last = getattr(_LAST, "entry", None)
        if last is not None and last[0] is doc and (not last[1].sents or last[1].sents[-1].end == len(doc)):
            return last[1]
        index = cls(doc)
        _LAST.entry = (doc, index)
        return index

    def at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.starts, char) - 1)


_LAST = threading.local()  # .entry: (doc, its SentenceIndex)


def sentence(tok: Token) -> Span:
    """The sentence of a token, in O(log n)."""
    index = SentenceIndex.of(tok.doc)
    return index.sents[index.at(tok.idx)]


# Quote marks that stay in a content when its edge punctuation is trimmed.
OPENING_MARKS = "“\"«„'‘`"
CLOSING_MARKS = "”\"»’'"

# How far from its head a clause is read, in tokens either side. A text with no full stop (a
# paragraph of stray quote marks, an unpunctuated transcript) parses as one sentence whose clauses
# nest to its end; reading each whole would make the work per cue grow with the document. Real
# sentences stay far inside this (the eval sets' records are the same with or without it).
CLAUSE_WINDOW = 200


def clause_tokens(head: Token, window: int = CLAUSE_WINDOW) -> list[Token]:
    """The tokens of `head`'s subtree, in order, at most `window` tokens either side of it.

    A subtree that reaches further is taken as the run of tokens between its edges (what it is in
    a projective parse), cut to the window, so the cost is bounded whatever the sentence."""
    lo, hi = head.left_edge.i, head.right_edge.i + 1
    if hi - lo <= 2 * window + 1:
        return list(head.subtree)
    return list(head.doc[max(lo, head.i - window):min(hi, head.i + window + 1)])


def trim_edges(toks: list[Token], *, start_keeps: str | None = OPENING_MARKS, end_keeps: str | None = CLOSING_MARKS,
               lead: Callable[[Token], bool] | None = None, trail: Callable[[Token], bool] | None = None) -> list[Token]:
    """`toks` without the spaces and punctuation at either edge, but for the marks `start_keeps` keeps at
    the start and `end_keeps` at the end (quote marks, by default; None leaves that edge alone), and
    without the leading tokens `lead` and the trailing tokens `trail` accept."""
    start, end = 0, len(toks)
    if start_keeps is not None:
        while start < end and (_loose(toks[start], start_keeps) or (lead is not None and lead(toks[start]))):
            start += 1
    if end_keeps is not None:
        while end > start and (_loose(toks[end - 1], end_keeps) or (trail is not None and trail(toks[end - 1]))):
            end -= 1
    return toks[start:end]


def _loose(tok: Token, kept: str) -> bool:
    return tok.is_space or (tok.is_punct and tok.text not in kept)


def appended_relative(tok: Token) -> bool:
    """", which was the latest in a series" after a clause: the reporter's addition, not the report."""
    return tok.dep_ == "relcl" and tok.left_edge.i > 0 and tok.doc[tok.left_edge.i - 1].text == ","


_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# A cue under one of these shares the subject of the word it hangs from: "said X, adding that",
# "were adamant that", "issued a statement saying".
_INHERIT_DEPS = ("advcl", "conj", "xcomp", "ccomp", "parataxis", "acl", "dep", "acomp", "dobj", "attr", "oprd")
_SUBJECT_CLIMB = 4  # verbs up the parse whose subject a cue may share ("said X, adding that it would, noting …")
_INVERTED_REACH = 6  # tokens after a cue in which an inverted subject may stand ("…,” said on Monday the NSC spokesperson)


def subject_of(cue: Token, quoted: Callable[[int], bool] | None = None) -> Token | None:
    """The cue's subject, or the subject it shares with the verb it hangs from ("said X, adding that");
    failing both, the noun a participle describes ("a super PAC supporting Rubio"). `quoted(char)`, when
    given, says whether a character lies inside quote marks that do not hold the cue: a subject there is
    the quoted words', not the cue's ("said “nobody knows it,” and added": not nobody), and is passed over."""
    tok = cue
    for _ in range(_SUBJECT_CLIMB):
        if quoted is None or not quoted(tok.idx):  # a verb of the quoted words has their subject, not the cue's
            subj = next((c for c in tok.children if c.dep_ in _SUBJECT_DEPS and not c.is_punct), None)
            if subj is not None and not (quoted is not None and quoted(subj.idx)):
                return _real_subject(tok, subj)
            # a conjoined verb has its first verb's subject ("called for … and expressed “deep
            # concern”": not concern); a subject after the verb is for a cue standing alone
            inverted = None if tok.dep_ == "conj" and tok.head.i != tok.i else _inverted_subject(tok)
            if inverted is not None and not (quoted is not None and quoted(inverted.idx)):
                return inverted
        if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.pos_ in ("VERB", "AUX"):
            # "began by talking about", "has taken to urging": the gerund's sayer is the verb's subject;
            # with an object before the phrase it is no one sure ("praised Kim for saying", "admonished
            # MPs for not doing enough to indicate")
            verb = tok.head.head
            if any(c.dep_ == "dobj" and c.i < tok.head.i for c in verb.children):
                return None
            tok = verb
            continue
        if tok.dep_ not in _INHERIT_DEPS or tok.head.i == tok.i:
            break
        tok = tok.head
    if cue.dep_ == "acl" and cue.head.pos_ in ("NOUN", "PROPN"):
        return cue.head
    return None


def _real_subject(verb: Token, subj: Token) -> Token | None:
    """Past the grammar: a passive's agent ("was told by X"), a relative pronoun's antecedent ("a tweet that said")."""
    if subj.dep_ == "nsubjpass":
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    if subj.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
        return verb.head
    return subj


def _inverted_subject(cue: Token) -> Token | None:
    """'…,” said the NSC spokesperson': the parser often takes the speaker for an object or attribute.
    A participle's noun after it is its object ("noting his opposition"): no subject comes after one."""
    if cue.tag_ == "VBG":
        return None
    for c in cue.rights:
        if c.dep_ in ("dobj", "attr", "npadvmod", "nsubj", "appos", "oprd") and c.pos_ in ("PROPN", "NOUN"):
            if c.dep_ == "dobj" and any(x.dep_ in ("xcomp", "ccomp") and x.i > c.i for x in cue.children):
                return None  # "a letter asking Australia to call for …": the one asked, not the one asking
            return c
        if c.dep_ not in ("punct", "advmod", "prep") or c.i > cue.i + _INVERTED_REACH:
            break
    return None


def noun_phrase(head: Token) -> tuple[int, int]:
    """Characters of the phrase a head token names: its left modifiers, not its relative clauses,
    and not a dateline or list the parser hung on its left ("WASHINGTON DC, United States - US …")."""
    left = head.left_edge if head.i - head.left_edge.i <= CLAUSE_WINDOW else head.doc[head.i - CLAUSE_WINDOW]
    for t in head.doc[left.i:head.i]:
        if t.is_space or t.text in (",", "—", "–", ":", ";") or (t.text == "-" and t.whitespace_):
            left = t.nbor(1)
    while left.i < head.i and ((left.is_punct and left.text not in "(") or left.dep_ == "cc"):
        left = left.nbor(1)
    right = head
    for c in head.rights:  # "John Kirby" when the parser hangs "John" right; "(NSC)" stays left
        if c.dep_ in ("flat", "compound") and c.i == right.i + 1:
            right = c
    return left.idx, right.idx + len(right)
