"""Broad attribution, learned: candidate contents from the parse, scored by a trained classifier.

PolNeAR-style attribution (beliefs, stances, topics) has a long tail of cues ("pushing back
against", "were hesitant to commission") that no lexicon lists. Every (cue, content) pair the
parse offers is a candidate: a verb or noun with one of its complements, the clause a cue hangs
inside, and each statement the rules found. A gradient-boosted classifier (data/contents.json.gz,
trained on PolNeAR's train split by training/train_contents.py) scores each from features of the
cue, its subject, the relation and the content; quotes.py keeps the ones it accepts.
"""
from __future__ import annotations

import bisect
import gzip
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from .cues import Cues
from .errors import ConfigError
from .marks import Quoted
from .statements import Statement
from .syntax import CLAUSE_WINDOW, appended_relative, clause_tokens, sentence, subject_of, trim_edges

if TYPE_CHECKING:
    import lightgbm


# A child of the cue under one of these is a candidate content ("said [that …]", "criticized [the deal]").
_CHILD_RELATIONS = frozenset({"ccomp", "xcomp", "parataxis", "dobj", "attr", "acomp", "oprd", "advcl", "acl"})
# A cue under one of these may be reporting the clause it hangs in ("…, he said"; "he said, …").
_HEAD_RELATIONS = frozenset({"ccomp", "parataxis", "advcl", "conj", "relcl"})
_CUE_POS = frozenset({"VERB", "AUX", "NOUN", "ADJ"})
_LEADING = frozenset({"that", "whether", "if", "and", "but", "or"})
_CERTAIN = ("direct", "mixed")  # the rules' statements with quote marks: kept whatever the trees say
_OVERLAP = 0.1  # candidates sharing more than this (Jaccard) compete for one statement


@dataclass(frozen=True)
class Candidate:
    """A possible content: characters [start, end), the cue, and why it is offered. A candidate made
    from a rule's statement carries it, so that the rule's span and cue survive when it is accepted."""

    cue: Token | None
    start: int
    end: int
    relation: str  # the cue's child dependency ("ccomp", "prep:about"), "head-left", "subject:nsubjpass", "rule:direct:cue" …
    features: tuple[str, ...]
    statement: Statement | None = None


def candidates(doc: Doc, cues: Cues, quoted: list[Quoted], found: list[Statement]) -> list[Candidate]:
    """Every (cue, content) pair in the parse and every statement the rules `found`, with features.
    `quoted`: the document's quoted spans (marks.find_quoted)."""
    quoted_chars = {i for q in quoted for i in range(q.open_start, q.close_end)}
    out = [_from_rule(doc, st, cues, quoted_chars) for st in found]
    rules = _RuleSpans(found)
    for tok in doc:
        if tok.pos_ not in _CUE_POS or tok.is_space:
            continue
        cue = None
        for relation, toks in _contents(tok):
            toks = _trimmed(toks)
            if not any(not t.is_punct for t in toks):
                continue
            cue = cue or _cue(tok, cues, quoted_chars)
            start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
            feats = _features(cue, relation, toks, quoted_chars) + rules.features(start, end)
            out.append(Candidate(tok, start, end, relation, feats))
    return out


def _from_rule(doc: Doc, st: Statement, cues: Cues, quoted_chars: set[int]) -> Candidate:
    span = doc.char_span(st.start, st.end, alignment_mode="expand")
    toks = list(span) if span is not None and len(span) else []
    kind = f"rule:{st.type}:{'according' if st.cue_end else 'cue' if st.cue is not None else 'marks'}"
    feats: tuple[str, ...] = (f"rel={kind}",)
    if st.cue is not None and toks:
        feats += _features(_cue(st.cue, cues, quoted_chars), kind, toks, quoted_chars)
    return Candidate(st.cue, st.start, st.end, kind, feats, statement=st)


class _RuleSpans:
    """How a parse candidate relates to the rules' statements: the same span, inside one, or apart."""

    def __init__(self, found: list[Statement]):
        self.spans = sorted((st.start, st.end) for st in found)
        self.starts = [s for s, _ in self.spans]
        self.longest = max((e - s for s, e in self.spans), default=0)

    def features(self, start: int, end: int) -> tuple[str, ...]:
        # only a statement starting less than the longest one's length before can reach `start`
        first, stop = bisect.bisect_left(self.starts, start - self.longest), bisect.bisect_left(self.starts, end)
        best = max((_jaccard(span, (start, end)) for span in self.spans[first:stop]), default=0.0)
        return (f"rule_overlap={'same' if best >= 0.5 else 'some' if best > 0 else 'none'}",)


def _contents(cue: Token):
    """(relation, tokens) for each content the parse offers this cue. Each clause is read at most
    CLAUSE_WINDOW tokens from its head (syntax.clause_tokens), so a sentence with no end costs each
    cue a bounded amount of work."""
    for child in cue.children:
        if (child.dep_ in _CHILD_RELATIONS and child.i > cue.i) or child.dep_ in ("ccomp", "parataxis"):
            yield child.dep_, clause_tokens(child)
        elif child.dep_ == "prep" and child.i > cue.i:
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects:
                yield f"prep:{child.lower_}", clause_tokens(objects[0])
    rights = [c for c in cue.rights if c.dep_ in _CHILD_RELATIONS or c.dep_ in ("prep", "dative")]
    if len(rights) > 1:  # "accused the journalist of ignoring …": object and complement together
        yield "rights", [t for c in rights for t in clause_tokens(c)]
    for child in cue.children:
        if child.dep_ in ("nsubjpass", "nsubj") and child.pos_ != "PRON":  # "a deal is expected"
            yield f"subject:{child.dep_}", clause_tokens(child)
    head = cue.head
    if cue.dep_ in _HEAD_RELATIONS and head.i != cue.i:
        yield "head-left", _head_side(head, cue, left=True)
        yield "head-right", _head_side(head, cue, left=False)


def _head_side(head: Token, cue: Token, *, left: bool) -> list[Token]:
    """The tokens of `head`'s clause left (or right) of `cue`'s own subtree, in order: the clause a
    cue hangs in ("…, he said"). A clause reaching further than CLAUSE_WINDOW tokens from its head is
    taken as the run between its edges (as clause_tokens does), at most CLAUSE_WINDOW tokens from the cue's."""
    lo, hi = cue.left_edge.i, cue.right_edge.i  # the cue's subtree lies between its edges
    if head.right_edge.i - head.left_edge.i <= 2 * CLAUSE_WINDOW:
        return [t for t in head.subtree if (t.i < lo if left else t.i > hi)]
    doc = head.doc
    if left:
        return list(doc[max(head.left_edge.i, lo - CLAUSE_WINDOW):lo])
    return list(doc[hi + 1:min(head.right_edge.i + 1, hi + 1 + CLAUSE_WINDOW)])


def _trimmed(toks: list[Token]) -> list[Token]:
    """Content without edge punctuation (quote marks stay), a leading complementizer, or a relative
    clause appended after a comma (", which …" is the reporter's addition)."""
    toks = sorted((t for t in toks if not t.is_space), key=lambda t: t.i)
    appended = next((t for t in toks[1:] if appended_relative(t)), None)
    if appended is not None:
        toks = [t for t in toks if t.i < appended.left_edge.i - 1]
    return trim_edges(toks, lead=lambda t: t.lower_ in _LEADING and t.dep_ in ("mark", "cc"), trail=lambda t: t.dep_ == "cc")


def _size(n: int) -> str:
    return str(min(int(math.log2(n + 1)), 6))


@dataclass(frozen=True)
class _Cue:
    """What the features say of a cue, worked out once for all of its candidates."""

    token: Token
    lemma: str
    subject: str  # "none", "pron:he", or the subject's entity type or part of speech
    agent: bool
    lexicon: str  # "verb", "noun" or "no": is the cue in the shipped lexicon
    sentence_end: int
    features: tuple[str, ...]


def _cue(cue: Token, cues: Cues, quoted_chars: set[int]) -> _Cue:
    lemma = cue.lemma_.lower()
    subject = subject_of(cue) if cue.pos_ in ("VERB", "AUX") else next((c for c in cue.children if c.dep_ == "poss"), None)
    if subject is None:
        subj = "none"
    elif subject.pos_ == "PRON":
        subj = f"pron:{subject.lower_}"
    else:
        subj = subject.ent_type_ or subject.pos_
    agent = cues.is_agent(subject, cue)
    feats = [f"lemma={lemma}", f"pos={cue.pos_}", f"tag={cue.tag_}", f"cue_dep={cue.dep_}", f"subj={subj}",
             f"agent={agent}", f"lemma_subj={lemma}|{subj}", f"cue_quoted={cue.idx in quoted_chars}"]
    feats += [f"aux={a}" for a in sorted(c.lower_ for c in cue.children if c.dep_ in ("aux", "auxpass", "neg"))]
    after = cue.nbor(1) if cue.i + 1 < len(cue.doc) else None
    if after is not None and after.dep_ in ("prt", "prep"):
        feats.append(f"lemma_next={lemma}|{after.lower_}")  # "railed against", "took aim at"
    if cue.dep_ in ("xcomp", "ccomp", "conj", "advcl", "pcomp", "acl", "relcl") and cue.head.i != cue.i:
        feats += [f"governor={cue.head.lemma_.lower()}|{cue.dep_}", f"governor_lemma={cue.head.lemma_.lower()}|{lemma}"]
    if subject is not None and subject.pos_ == "NOUN":
        feats.append(f"subj_lemma={subject.lemma_.lower()}")
    lexicon = "verb" if cues.reports(cue) else "noun" if lemma in cues.nominal else "no"
    return _Cue(cue, lemma, subj, agent, lexicon, sentence(cue).end, tuple(feats))


def _features(cue: _Cue, relation: str, toks: list[Token], quoted_chars: set[int]) -> tuple[str, ...]:
    """The cue's features and those of this content in its relation to the cue."""
    inside_ids = {t.i for t in toks}
    head = next((t for t in toks if t.head.i not in inside_ids or t.head.i == t.i), toks[0])
    words = [t for t in toks if not t.is_punct]
    inside = sum(1 for t in words if t.idx in quoted_chars)
    quoted = "none" if inside == 0 else "all" if inside == len(words) else "part"
    size = _size(len(words))
    first = toks[0].lower_ if toks[0].is_punct or toks[0].pos_ in ("DET", "PRON", "SCONJ") else toks[0].pos_
    mark = next((c.lower_ for c in head.children if c.dep_ == "mark"), None)
    return (
        *cue.features,
        f"lemma_rel={cue.lemma}|{relation}", f"rel={relation}", f"rel_dep={relation}|{cue.token.dep_}",
        f"lex={cue.lexicon}|{relation}", f"head_pos={head.pos_}", f"rel_head={relation}|{head.pos_}",
        f"size={size}", f"rel_size={relation}|{size}", f"quoted={quoted}", f"rel_quoted={relation}|{quoted}",
        f"verb_in={any(t.pos_ in ('VERB', 'AUX') for t in words)}", f"first={first}",
        f"ends_sentence={toks[-1].i + 2 >= cue.sentence_end}|{relation}", f"agent_rel={cue.agent}|{relation}",
        f"content_head={head.lower_ if head.pos_ in ('PRON', 'DET', 'SCONJ', 'ADP') else head.ent_type_ or head.pos_}|{relation}",
        f"content_lemma={head.lemma_.lower()}|{relation}" if head.pos_ in ("VERB", "AUX") else f"content_ent={head.ent_type_}",
        f"mark={mark}|{relation}",
    )


class ContentModel:
    """A gradient-boosted classifier (LightGBM) over candidate features, and the probability above
    which a candidate is accepted. Trees, not one weight a feature: whether "called" reports
    depends on its relation and its subject together."""

    def __init__(self, booster: lightgbm.Booster, features: list[str], threshold: float, about: str = ""):
        self.booster = booster
        self.features = features
        self.columns = {f: j for j, f in enumerate(features)}
        self.threshold = threshold
        self.about = about

    def probabilities(self, found: list[Candidate]) -> list[float]:
        """How likely each candidate is a content; the rules' direct and mixed quotes are certain."""
        if not found:
            return []
        import numpy as np  # imported here: speech attribution never needs the trees
        from scipy.sparse import csr_matrix

        rows, cols = [], []
        for i, c in enumerate(found):
            for f in c.features:
                j = self.columns.get(f)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        x = csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(found), len(self.features)))
        scores = self.booster.predict(x)
        assert isinstance(scores, np.ndarray)  # a plain predict (no contributions, no leaves): one score a row
        return [1.0 if c.statement is not None and c.statement.type in _CERTAIN else float(p)
                for c, p in zip(found, scores, strict=True)]

    def accepted(self, found: list[Candidate]) -> list[Candidate]:
        """Candidates above the threshold, best first, none overlapping one already taken (PolNeAR
        rarely nests contents; where the parse offers two, the likelier wins)."""
        probabilities = self.probabilities(found)
        taken: list[tuple[int, int]] = []
        out = []
        for i in sorted(range(len(found)), key=lambda i: (-probabilities[i], i)):
            c = found[i]
            if probabilities[i] < self.threshold:
                break
            if any(_jaccard((c.start, c.end), t) >= _OVERLAP for t in taken):
                continue
            taken.append((c.start, c.end))
            out.append(c)
        return out

    def with_threshold(self, threshold: float) -> ContentModel:
        return ContentModel(self.booster, self.features, threshold, self.about)

    @classmethod
    def from_disk(cls, path: str | Path) -> ContentModel:
        import lightgbm  # half a second to import: only when broad attribution loads its model

        try:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                data = json.load(f)
            booster = lightgbm.Booster(model_str=data["booster"])
            return cls(booster, data["features"], data["threshold"], data.get("about", ""))
        except (OSError, ValueError, KeyError, EOFError, lightgbm.basic.LightGBMError) as exc:
            raise ConfigError(f"{path}: cannot read content model ({exc})") from None

    def to_disk(self, path: str | Path) -> None:
        data = {"about": self.about, "threshold": self.threshold, "features": self.features,
                "booster": self.booster.model_to_string()}
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:  # same model, same bytes
            f.write(json.dumps(data).encode("utf-8"))


def _jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter / (max(a[1], b[1]) - min(a[0], b[0])) if inter > 0 else 0.0


def model_for(broad: bool, path: str | None = None) -> ContentModel | None:
    """The learned scorer of broad attribution: the shipped one, a user's file, or none (path "none")."""
    if not broad or path == "none":
        return None
    return _model_at(path) if path else _model_at(str(resources.files("onrecord").joinpath("data/contents.json.gz")))


@lru_cache(maxsize=4)
def _model_at(path: str) -> ContentModel:
    return ContentModel.from_disk(path)
