"""Extract: find every statement in a parsed document and its type.

Three sources of statements, in one pass over the parse:
- cue clauses: a speech or claim verb ("said", "claimed", "noting") whose complement clause is
  the reported content; with quoted words inside it is *mixed*, wholly quoted it is *direct*,
  without marks *indirect*;
- "according to X" sentences: the rest of the sentence is X's;
- quoted spans (marks.py) that no cue clause explains: *direct* when they stand as a statement
  (start a sentence, follow a colon, or are long enough to be more than a scare quote).
Who said it is attribute.py's job; this module only records the cue it found, if any.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from .contents import ContentModel, candidates
from .cues import Cues
from .marks import Quoted
from .names import fold, title_case
from .statements import Statement
from .syntax import (
    CLAUSE_WINDOW,
    CLOSING_MARKS,
    OPENING_MARKS,
    appended_relative,
    clause_tokens,
    sentence,
    subject_of,
    trim_edges,
)

# Complement dependencies that carry reported content, by preference.
_CONTENT_DEPS = ("ccomp", "parataxis")
# Words in a row a pull quote shares with the statement it repeats, everywhere along it: long enough
# that two quotes share such runs only by being one statement, short enough for a trimmed subhead.
_PULL_QUOTE_RUN = 5
# A signed pull quote ends its paragraph on "Name, title" after a sentence's end: a few words, the
# first capitalised, no full stop. Words and their separators share no character: no backtracking.
_SIGNATURE_WORDS = 8
_SIGNATURE = re.compile(
    rf"[.!?…][ \t\xa0]+(?P<sign>[A-Z][^\s.!?,]*(?:[ \t\xa0,]+[^\s.!?,]+){{0,{_SIGNATURE_WORDS - 1}}})[ \t\xa0]*$")
_RELATIVE_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})  # who, which, whose, where: a real relative clause
_SCARE_QUOTE_WORDS = 5  # a quoted fragment shorter than this, mid-sentence and without a cue, is not a statement
_MIN_CONTENT_TOKENS = 3  # words (punctuation aside) a reported clause needs: "he said no" reports no clause
_THAT_REACH = 12  # tokens after a cue in which a stray "that" may open its clause ("said on Monday in Gaza that …")
_CUE_REACH = 6  # steps up the parse from a quoted fragment to the cue verb that governs it
_PARENTHESIS_REACH = 8  # tokens after a cue in which the comma closing its words may stand (", he said on Monday,")
_MARK_SLACK = 2  # characters a quote may open before its clause (the mark and a space) and still be the clause's
_ATTRIBUTION_SLACK = 1  # words outside a quote and its attribution a clause around it may hold and still be the quote's own
_COMPLEMENTIZERS = ("that", "whether", "if")
_FOCUS_ADVERBS = ("only", "simply", "merely", "just")  # "said only that …": how it was said, not what
_FRAGMENT_GAP = 4  # words between two quoted fragments of one cue that still make them one statement
_MIN_QUOTE_WORDS = 2  # one quoted word is a term or a name ("so-called “reform”"), never a statement by itself
_MIN_SENTENCE_QUOTE_WORDS = 3  # words of a quote opening a sentence mid-paragraph that make it a statement
_BY_AUTHOR = re.compile(r",?[ \t\xa0]+by[ \t\xa0]+[A-Z]")  # after a title: its author ("…,” by Gwenda Blair)
# A link or video line set into a story ("WATCH: Mayor says the bridge will reopen", "READ MORE: …"): a
# capitalised rubric, a colon and another story's headline, with no full stop. Not this story's statements.
_LINK_LINE = re.compile(r"(?m)^[ \t]*[A-Z][A-Z ]{1,20}:[ \t]+[^\n]*[^\s.!?\"”’'][ \t]*$")
# The rubrics that say so whatever the headline ends with ("READ MORE: Trump says students were ‘treated
# unfairly’"), in any case ("Watch: …"); a short line, as a headline is.
_LINKED_STORY = re.compile(
    r"(?im)^[ \t]*(?:read\s+more|related(?:\s+(?:story|stories|video|content|links?))?|also\s+read|see\s+also"
    r"|more|watch|listen|click\s+here|further\s+reading)[ \t]*:[ \t]+[^\n]{1,200}$")


def find_statements(doc: Doc, quoted: list[Quoted], cues: Cues, model: ContentModel | None = None) -> list[Statement]:
    """All statements in document order. `quoted` are the doc's quoted spans (marks.find_quoted).
    With a learned `model` (broad attribution), the rules' statements and every content the parse
    offers are candidates, and the model keeps the likely ones."""
    inside = _QuotedLookup(quoted)
    text = doc.text  # rebuilt from every token on each access: read once
    found = _rule_statements(doc, text, inside, cues)
    found = found if model is None else _learned(doc, text, inside, cues, found, model)
    return _without_pull_quotes(text, found)


def _without_pull_quotes(text: str, found: list[Statement]) -> list[Statement]:
    """A quote that is a line of its own, with no cue, whose words the document prints again inside a
    longer statement is a pull quote (a subhead made of a later quote: "'I was not able to give it my
    vote'" above "…, I was not able to give it my vote,” he wrote"): the longer one is the statement,
    and the words count once. (A paragraph printed twice, as scraped pages often are, keeps both.)
    Longest first, each statement's runs of `_PULL_QUOTE_RUN` words go in one set, and a quote all of
    whose runs are already there is dropped: n log n."""
    candidates = {id(st) for st in found if st.cue is None and st.type == "direct" and _own_line(text, st)}
    if not candidates:
        return found
    runs: set[tuple[str, ...]] = set()
    repeats: set[int] = set()
    ordered = sorted(found, key=lambda st: st.start - st.end)
    own = [_word_runs(text[st.start:st.end]) for st in ordered]
    k = 0
    for i, st in enumerate(ordered):
        while k < len(ordered) and ordered[k].end - ordered[k].start > st.end - st.start:
            runs.update(own[k])  # only the strictly longer ones
            k += 1
        if id(st) in candidates and own[i] and all(r in runs for r in own[i]):
            repeats.add(id(st))
    return [st for st in found if id(st) not in repeats]


@dataclass(frozen=True)
class SignedPullQuote:
    """A pull quote set in a story's column with its speaker's name after it and no quote marks
    ("It's very bad for our seniors. Rod Peters, Lake Cowichan mayor"): the words, the signature,
    and the statement of the story it repeats (an index into the statements)."""

    start: int
    end: int
    sign_start: int
    sign_end: int
    repeats: int


def signed_pull_quotes(text: str, paragraphs: list[tuple[int, int]], found: list[Statement]) -> list[SignedPullQuote]:
    """Paragraphs that are a statement of the story printed again, unquoted, and signed: sentences
    whose runs of `_PULL_QUOTE_RUN` words all lie in one statement, then a short capitalised
    signature without a full stop. Who signs it is checked against that statement's speaker by
    the caller. Each paragraph and statement is read once (runs are looked up in a dict)."""
    owner: dict[tuple[str, ...], set[int]] = {}
    for k, st in enumerate(found):
        for run in _word_runs(text[st.start:st.end]):
            owner.setdefault(run, set()).add(k)
    taken = sorted((st.start, st.end) for st in found)
    out = []
    for start, end in paragraphs:
        m = _SIGNATURE.search(text, start, end)
        i = bisect.bisect_left(taken, (start, -1))
        if m is None or (i < len(taken) and taken[i][0] < end) or (i > 0 and taken[i - 1][1] > start):
            continue  # no signature, or a statement of its own in the paragraph already
        runs = _word_runs(text[start:m.start("sign")])
        if not runs:
            continue
        common = set(owner.get(runs[0], ()))
        for run in runs[1:]:
            common &= owner.get(run, set())
            if not common:
                break
        if common:
            words_end = m.start("sign")
            while words_end > start and text[words_end - 1].isspace():
                words_end -= 1
            out.append(SignedPullQuote(start, words_end, m.start("sign"), m.end("sign"), min(common)))
    return out


def _own_line(text: str, st: Statement) -> bool:
    """Is nothing but the quote (and its marks) on its line?"""
    line_start = text.rfind("\n", 0, st.start) + 1
    line_end = text.find("\n", st.end)
    line_end = len(text) if line_end < 0 else line_end
    outside = text[line_start:st.start] + text[st.end:line_end]
    return not any(c.isalnum() for c in outside)


def _word_runs(words: str) -> list[tuple[str, ...]]:
    folded = fold(words).split()
    return [tuple(folded[k:k + _PULL_QUOTE_RUN]) for k in range(len(folded) - _PULL_QUOTE_RUN + 1)]


def _rule_statements(doc: Doc, text: str, inside: _QuotedLookup, cues: Cues) -> list[Statement]:
    found: list[Statement] = []
    used: set[Quoted] = set()
    for tok in doc:
        if inside.covering(tok.idx) is not None:
            continue  # a cue inside a quote is the speaker quoting someone: the outer quote is the statement
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            st = _according_to(doc, tok, cues)
        elif tok.pos_ in ("VERB", "AUX") and not _is_unasserted(tok) and (
                cues.reports(tok) or (cues.objects_are_content and _that_complement(tok))):
            if cues.objects_are_content and _unattributed_passive(tok):
                found.extend(_expectation(doc, tok))
                continue
            if _parenthetical(tok):
                found.extend(_around(doc, tok))
                continue
            close = _interrupting(tok) if inside.covering(tok.head.idx) is None else None
            if close is not None:
                found.extend(_interrupted(doc, tok, close))
                continue
            st = _cue_clause(doc, tok, cues)
            if st is not None and not cues.is_agent(subject_of(tok), tok) and inside.overlapping(st.start, st.end) == []:
                continue  # "the video showed that …": only someone, or a document, says something
        elif tok.pos_ == "NOUN" and tok.lemma_ in cues.nominal:
            st = _nominal_clause(doc, tok, cues)
        else:
            continue
        if st is None:
            continue
        st = _classify(text=text, st=st, quoted=inside.overlapping(st.start, st.end), used=used)
        if st is not None:
            found.append(st)
    by_cue: dict[int, int] = {}  # cue token -> index in `found` of the last fragment statement it governs
    for q in inside.quoted:
        if q in used:
            continue
        cue = None
        if _stands_alone(text, q):
            # "they could “endanger an otherwise strong economy,”": a sentence running into the marks
            # carries on in them, so the cue whose phrase holds them says whether they are a fragment
            cue = _governing_cue(doc, q, cues) if _runs_into(text, q) else None
            if cue is None:
                found.append(Statement("direct", q.start, q.end, quoted=q, closed=q.closed))
                continue
        if cue is None and title_case(text[q.start:q.end]) and _BY_AUTHOR.match(text, q.close_end):
            continue  # “The Trumps: Three Generations That Built an Empire,” by Gwenda Blair: a book
        if cue is None:
            cue = _governing_cue(doc, q, cues) if q.word_count(text) >= _MIN_QUOTE_WORDS else _said_outright(doc, q, cues)
        if cue is None:
            continue
        st = _fragment(doc, q, cue, cues)  # called the plan “bold”; described it as “basically kidnapping”
        k = by_cue.get(cue.i)
        if k is not None and _close_fragments(doc, found[k], st):
            prev = found[k]  # called it “unfair” for the students “to be dragged through this”: one statement
            found[k] = replace(prev, type="mixed", end=q.close_end, quoted=None, closed=prev.closed and q.closed,
                               fragments=(prev.fragments or [(prev.start, prev.end)]) + [(q.start, q.end)],
                               start=min(st.start, prev.quoted.open_start if prev.quoted is not None else prev.start))
        else:
            by_cue[cue.i] = len(found)
            found.append(st)
    found.sort(key=lambda s: (s.start, -s.end))
    links = sorted({(m.start(), m.end()) for pattern in (_LINK_LINE, _LINKED_STORY) for m in pattern.finditer(text)})
    if links:
        starts = [a for a, _ in links]
        found = [st for st in found if not _in_line(links, starts, st.start)]
    return _one_per_span(doc, found)


def _in_line(lines: list[tuple[int, int]], starts: list[int], char: int) -> bool:
    i = bisect.bisect_right(starts, char) - 1
    return i >= 0 and lines[i][0] <= char < lines[i][1]


def _learned(doc: Doc, text: str, inside: _QuotedLookup, cues: Cues, found: list[Statement],
             model: ContentModel) -> list[Statement]:
    """The candidates the model accepts, as statements: a rule's as the rule found it, a parse
    candidate typed by the quote marks inside it."""
    out: list[Statement] = []
    used: set[Quoted] = set()
    for candidate in model.accepted(candidates(doc, cues, inside.quoted, found)):
        st = candidate.statement
        if st is None:
            st = _classify(text=text, st=Statement("indirect", candidate.start, candidate.end, cue=candidate.cue),
                           quoted=inside.overlapping(candidate.start, candidate.end), used=used)
        if st is not None:
            out.append(st)
    out.sort(key=lambda s: (s.start, -s.end))
    return _one_per_span(doc, out)


def _is_unasserted(tok: Token) -> bool:
    """'Did she say that …?' and '… to tell them not to …' report nothing anyone said; 'Asked whether he
    would extend it, Trump said …' reports what was put to Trump by someone unnamed, not his words."""
    if tok.tag_ in ("VBN", "VBD") and tok.dep_ == "advcl" and tok.head.i > tok.i and not any(
            c.dep_ in ("nsubj", "nsubjpass", "agent", "aux", "auxpass") for c in tok.children):
        return True
    return any(c.dep_ == "aux" and (c.lower_ == "to" or (c.lower_ in ("did", "does", "do") and c.i == sentence(tok).start))
               for c in tok.children)


def _cue_clause(doc: Doc, cue: Token, cues: Cues) -> Statement | None:
    # a report on both sides ("X believe …; they say Y"): the one after the cue is its own, the one
    # before it a report of its own that the parser hung on it
    reports = [c for c in cue.children if c.dep_ in _CONTENT_DEPS]
    content = _told_clause(cue, cues) or next((c for c in reports if c.i > cue.i), reports[0] if reports else None)
    if content is None and cues.objects_are_content:
        return _object_content(doc, cue)
    if content is None and cue.lemma_ in cues.xcomp and cue.dep_ != "relcl":  # not "who asked not to be named"
        content = next((c for c in cue.children if c.dep_ == "xcomp"), None)
    if content is None:
        content = _that_clause(doc, cue, cues)
    if content is None and _free_relative(cue):
        content = cue.head  # "what it says is a deficit": the predicate is the report
    if content is None:
        # "…," Kirby said: the parser often hangs the quote on the cue as its head instead.
        head = cue.head
        if head.i < cue.i and _set_off(cue) and (cue.dep_ in ("parataxis", "ccomp") or _postposed_attribution(cue)):
            content = head
            span = _clause_span(doc, content, exclude=cue)
        else:
            return None
    else:
        # "says X and alleges that Y": the second cue's report is its own statement, not part of X.
        toks = clause_tokens(content)
        if content.i > cue.i:  # "reductions that the panel says are needed": a report right of its cue starts after it
            toks = [t for t in toks if t.i > cue.i]
            when = _when_said(content)
            toks = [t for t in toks if t.i not in when] if when else toks
        more = [c for c in cue.children if c.dep_ == "ccomp" and c.i > content.i]
        if more and content.i > cue.i:  # "said as police entered, one person …, two attached …": clauses of one report
            last = more[-1].right_edge.i
            toks = list(doc[toks[0].i:min(last, toks[0].i + 2 * CLAUSE_WINDOW) + 1])
        second = next((t for t in toks if t.dep_ == "conj" and cues.reports(t) and t.i > cue.i
                       and t.head.i != cue.i and not _has_subject(t)), None)
        toks = _before_narration(toks, cues)
        span = _clause_span(doc, content, exclude=second, toks=toks)
        subject = _misparsed_subject(cue, content, cues)
        if span is not None and subject is not None:
            span = (subject.left_edge.idx, span[1])  # "said smaller brewers … are likely to suffer"
    if span is not None and span[1] <= cue.idx:
        span = _without_trailing_sayer(doc, span, cue)
    if span is None:
        return None
    return Statement("indirect", span[0], span[1], cue=cue, source=_participle_sayer(cue, cues))


def _when_said(content: Token) -> set[int]:
    """The tokens of a date or time the parser hung on a report with no "that", between its cue and its
    subject: "said on Friday it had no plans", "said Tuesday the talks would resume". News style puts
    when it was said right after the cue; it is the cue's, not part of what was said."""
    subject = next((c for c in content.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < content.i), None)
    if subject is None or any(c.lower_ == "that" and c.dep_ == "mark" for c in content.children):
        return set()
    out: set[int] = set()
    for c in content.children:
        if c.i >= subject.left_edge.i:
            break
        said_when = c.dep_ == "npadvmod" or (c.dep_ == "prep" and any(o.dep_ == "pobj" for o in c.children))
        if said_when and any(t.ent_type_ in ("DATE", "TIME") for t in c.subtree):
            out.update(t.i for t in c.subtree)
    return out


def _before_narration(toks: list[Token], cues: Cues) -> list[Token]:
    """"Wang said that “Shifting blame … will not resolve the problems,” alluding to a trade war": a
    participle set off after the quote's closing mark is the writer describing the saying, not what
    was said; the report ends at the mark. So does one naming a thing in the sayer's words ("said
    the budget was balanced, calling the deficit “a fiction”": a second statement, `_participle_sayer`)."""
    for k in range(2, len(toks)):
        t = toks[k]
        if toks[k - 1].text == "," and t.lower_ == "with" and _with_someone_saying(t, cues):
            return toks[:k]  # "…, with a spokesperson describing the scene as “chaos”": another's statement
        if t.tag_ != "VBG" or t.dep_ not in ("advcl", "xcomp") or t.left_edge.i != t.i:
            continue
        if ({toks[k - 1].text, toks[k - 2].text} <= {",", *CLOSING_MARKS} and toks[k - 1].text != toks[k - 2].text) or (
                toks[k - 1].text == "," and (t.lemma_ in cues.naming or cues.reports(t))):
            return toks[:k]
    return toks


def _with_someone_saying(with_: Token, cues: Cues) -> bool:
    """"with one official saying …", "with a spokesperson describing …": a "with" phrase whose noun is
    the subject of a speech participle. ("…, with food leading the rise" is still the report.)"""
    return any(c.dep_ == "pobj" and any(v.tag_ == "VBG" and v.dep_ == "acl" and v.i > c.i
                                        and (cues.reports(v) or v.lemma_ in cues.naming) for v in c.subtree)
               for c in with_.children)


def _told_clause(cue: Token, cues: Cues) -> Token | None:
    """"He told detectives he attached stolen plates so police would not track him": with no "that",
    the parser often reads the report as a relative clause on the hearer. For a cue that names a
    hearer and has no that-clause, a relative clause right after its object, with a subject of its
    own and no relative word, is the report."""
    if cue.lemma_ not in cues.addressee or any(c.dep_ == "ccomp" and _marked_that(c) for c in cue.children):
        return None
    for obj in cue.children:
        if obj.dep_ != "dobj":
            continue
        rel = next((r for r in obj.rights if r.dep_ == "relcl"), None)
        if (rel is not None and rel.left_edge.i == obj.i + 1 and _has_subject(rel)
                and not any(t.tag_ in _RELATIVE_TAGS or t.lower_ == "that" for t in obj.doc[obj.i + 1:rel.i])):
            return rel
    return None


def _marked_that(clause: Token) -> bool:
    return any(m.dep_ == "mark" and m.lower_ == "that" for m in clause.children)


def _free_relative(cue: Token) -> bool:
    """"What it says is a $14.5 billion deficit": a cue whose object is "what", heading the subject of "is"."""
    return (cue.dep_ == "csubj" and cue.head.lemma_ == "be" and cue.head.i > cue.i
            and any(c.dep_ == "dobj" and c.lower_ == "what" for c in cue.children))


def _set_off(cue: Token) -> bool:
    """Is the cue's phrase set off from what comes before it ("…,” Kirby said"; "…, a guard told Reuters")?
    Without a mark between them, a clause and a cue after it are one report ("told reporters Ottawa
    would respond": "respond" reports nothing of "told")."""
    left = cue.left_edge.i
    return left > 0 and (cue.doc[left - 1].is_punct or cue.doc[left].is_punct)


def _without_trailing_sayer(doc: Doc, span: tuple[int, int], cue: Token) -> tuple[int, int] | None:
    """A report before a cue that has no subject of its own, ending in the name that stands just before
    the cue ("“…was a real eye-opener” Farinloye says"): the name is the sayer, not the report's."""
    if _has_subject(cue):
        return span
    name = doc[cue.i - 1] if cue.i > 0 else None
    if name is None or name.pos_ != "PROPN" or name.ent_type_ not in ("PERSON", "ORG"):
        return span
    first = name
    while first.i > 0 and doc[first.i - 1].pos_ == "PROPN" and doc[first.i - 1].ent_type_ == name.ent_type_:
        first = doc[first.i - 1]
    toks = trim_edges([t for t in doc.char_span(span[0], span[1], alignment_mode="expand") or () if t.i < first.i])
    return (toks[0].idx, toks[-1].idx + len(toks[-1])) if toks else None


def _misparsed_subject(cue: Token, content: Token, cues: Cues) -> Token | None:
    """"He said smaller brewers … are likely to suffer": the parser often takes the reported clause's
    subject for the cue's object when words come between them. A cue that names no hearer (not "told")
    with an object before a reported clause that has no subject of its own: the object is that subject."""
    if content.dep_ != "ccomp" or _has_subject(content) or cue.lemma_ in cues.addressee:
        return None
    obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i < content.i and c.pos_ in ("NOUN", "PROPN")), None)
    return obj if obj is not None and obj.right_edge.i < content.left_edge.i else None


_CONTENT_RIGHT = ("dobj", "xcomp", "oprd", "prep", "dative", "ccomp", "acomp", "attr")


def _that_complement(verb: Token) -> bool:
    """Broad attribution: any verb whose complement is a that-clause states someone's view."""
    return any(c.dep_ == "ccomp" and _marked_that(c) for c in verb.children)


def _parenthetical(cue: Token) -> bool:
    """"Too often, he says, they get it": the cue set off by commas inside the clause it reports."""
    doc, left, right = cue.doc, cue.left_edge.i, cue.right_edge.i
    comma_before = doc[left].text == "," or (left > 0 and doc[left - 1].text == ",")
    comma_after = doc[right].text == "," or (right + 1 < len(doc) and doc[right + 1].text == ",")
    return (cue.dep_ in ("parataxis", "ccomp", "advcl") and cue.head.i > cue.i and comma_before and comma_after
            and any(c.dep_ == "nsubj" for c in cue.children))


def _interrupting(cue: Token) -> int | None:
    """"The drugs have few uses, he says, and are meant for the short term": a cue set off by commas after
    the start of the clause it reports, which goes on past it. The index of the comma that closes the
    cue's words (the report resumes after it), or None. The parser often hangs the rest on the cue
    ("says … and are meant" as the cue's conjunct), so the closing comma is looked for beside the cue."""
    doc, left = cue.doc, cue.left_edge.i
    comma_before = doc[left].text == "," or (left > 0 and doc[left - 1].text == ",")
    if not (cue.dep_ in ("parataxis", "ccomp") and cue.head.i < cue.i and comma_before
            and any(c.dep_ == "nsubj" for c in cue.children)):
        return None
    sent_end = sentence(cue).end
    close = next((t.i for t in doc[cue.i + 1:min(sent_end, cue.i + 1 + _PARENTHESIS_REACH)] if t.text == ","), None)
    if close is None:
        return None
    after = [t for t in doc[close + 1:min(sent_end, close + 1 + CLAUSE_WINDOW)] if not t.is_punct]
    if len(after) < _MIN_CONTENT_TOKENS or not any(t.pos_ in ("VERB", "AUX") for t in after) or after[0].lower_ == "according":
        # "…, he said, according to the complaint": the source of the report, not more of it
        return None
    return close


def _interrupted(doc: Doc, cue: Token, close: int) -> list[Statement]:
    """The report on both sides of an interrupting cue (`_interrupting`), as two statements."""
    before = _clause_span(doc, cue.head, exclude=cue)
    sent_end = sentence(cue).end
    rest = trim_edges(list(doc[close + 1:min(sent_end, close + 1 + CLAUSE_WINDOW)]))
    if before is None or not rest:
        return []
    return [Statement("indirect", before[0], before[1], cue=cue),
            Statement("indirect", rest[0].idx, rest[-1].idx + len(rest[-1]), cue=cue)]


def _around(doc: Doc, cue: Token) -> list[Statement]:
    """The reported clause on both sides of a parenthetical cue, as two statements; a bare subject
    before the cue and a quote after it ("Schumer, he said, “knows the minds …”"): the quoted words
    are the statement, the subject the writer's ("Almost all revenues, they promise, will be …" keeps
    both pieces: neither is quoted)."""
    own = {t.i for t in clause_tokens(cue)}
    toks = [t for t in clause_tokens(cue.head) if t.i not in own and not t.is_space]
    out = []
    for piece in ([t for t in toks if t.i < cue.i], [t for t in toks if t.i > cue.i]):
        piece = trim_edges(piece)
        if any(not t.is_punct for t in piece):
            out.append(Statement("indirect", piece[0].idx, piece[-1].idx + len(piece[-1]), cue=cue))
    if len(out) != 2:
        return []
    left = [t for t in toks if t.i < cue.i and not t.is_punct]
    if (all(t.pos_ not in ("VERB", "AUX") for t in left) and any(t.dep_ in ("nsubj", "nsubjpass") for t in left)
            and doc.text[out[1].start] in OPENING_MARKS):
        return out[1:]
    return out


def _unattributed_passive(cue: Token) -> bool:
    return (any(c.dep_ == "nsubjpass" for c in cue.children) and not any(c.dep_ == "agent" for c in cue.children)
            and any(c.dep_ in ("xcomp", "oprd") for c in cue.children))


def _expectation(doc: Doc, cue: Token) -> list[Statement]:
    """Broad attribution, "Trump is expected to win": a belief held by no one named, in two pieces
    (who, and what is expected of them), as PolNeAR annotates it."""
    out = []
    for c in cue.children:
        if c.dep_ in ("nsubjpass", "xcomp", "oprd"):
            toks = [t for t in clause_tokens(c) if not t.is_space and not (t.is_punct and t.i == c.right_edge.i)]
            if toks:
                out.append(Statement("indirect", toks[0].idx, toks[-1].idx + len(toks[-1]), cue=cue))
    return out


_WHEN = frozenset({"DATE", "TIME"})  # "spoke on Monday", "for an hour": when they spoke, not what they said


def _object_content(doc: Doc, cue: Token) -> Statement | None:
    """Broad attribution: what follows the cue as its object and complements ("criticized Clinton for
    accepting donations", "talked about jobs"), without time adverbs or further clauses."""
    parts = [c for c in cue.rights if c.dep_ in _CONTENT_RIGHT and not (c.dep_ == "prep" and (
        c.lower_ in ("in", "at", "during") or all(t.ent_type_ in _WHEN for t in c.subtree if t.i != c.i)))]
    if not parts:
        return None
    toks = [t for c in parts for t in clause_tokens(c) if not t.is_space]
    toks.sort(key=lambda t: t.i)
    toks = trim_edges(toks, start_keeps=None, end_keeps="")  # the scorer learnt objects ending before any mark
    if not toks:
        return None
    return Statement("indirect", toks[0].idx, toks[-1].idx + len(toks[-1]), cue=cue)


def _nominal_clause(doc: Doc, noun: Token, cues: Cues) -> Statement | None:
    """"Netanyahu's declaration that the country was …": the that-clause is the content, the possessor its source."""
    content = next((c for c in noun.children if c.dep_ in ("acl", "ccomp", "appos") and _marked_that(c)), None)
    content = content or _that_clause(doc, noun, cues)
    if content is None:
        return None
    span = _clause_span(doc, content)
    if span is None:
        return None
    source = next((c for c in noun.children if c.dep_ == "poss"), None)
    if source is None:
        by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("by", "from")), None)
        source = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
    return Statement("indirect", span[0], span[1], cue=noun, source=source)


def _postposed_attribution(cue: Token) -> bool:
    """"A grenade was left in the lobby, a security guard told Reuters": the parser hangs the cue on
    the content as an adverbial clause; one with its own subject and no "after"/"because" mark."""
    return (cue.dep_ == "advcl" and any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children)
            and not any(c.dep_ == "mark" for c in cue.children))


def _that_clause(doc: Doc, cue: Token, cues: Cues) -> Token | None:
    """When the parse misses the complement: "that" a few words after the cue, heading a clause to its right."""
    sent_end = sentence(cue).end
    for j in range(cue.i + 1, min(cue.i + _THAT_REACH, sent_end)):
        t = doc[j]
        if t.lower_ == "that" and t.dep_ in ("mark", "advmod") and t.head.i > j and t.head.pos_ in ("VERB", "AUX"):
            # "firing back at accusations that he …": the clause of a noun for a statement is that noun's
            return None if t.head.dep_ in ("acl", "appos") and t.head.head.lemma_ in cues.nominal else t.head
        if (t.is_punct and t.text in ".;?!") or t.pos_ in ("VERB", "AUX"):
            break  # a "that" past another verb is that verb's
    return None


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _clause_span(doc: Doc, head: Token, exclude: Token | None = None, toks: list[Token] | None = None
                 ) -> tuple[int, int] | None:
    """Characters of the clause under `head` (its tokens `toks` when the caller has them), without its
    complementizer, edge punctuation or an appended relative clause, and only the part before
    `exclude` (a cue hung inside it) when one is given."""
    toks = clause_tokens(head) if toks is None else toks
    if exclude is not None:  # keep only the part before the cue, without the cue's own words: "A, B said" -> A
        own = {x.i for x in clause_tokens(exclude)}
        toks = [t for t in toks if t.i < exclude.i and t.i not in own]
    appended = next((t for t in toks if t.i != head.i and appended_relative(t)), None)
    if appended is not None:  # the content ends where the relative clause is appended
        toks = [t for t in toks if t.i < appended.left_edge.i]
    toks = trim_edges(toks, lead=_complementizer, trail=lambda t: t.lower_ in ("and", "but"))
    if len([t for t in toks if not t.is_punct]) < _MIN_CONTENT_TOKENS or not any(t.pos_ in ("VERB", "AUX") for t in toks):
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1])


def _complementizer(tok: Token) -> bool:
    """"that", "whether", "if" opening a report, and a focusing adverb before one ("saying only that …")."""
    if tok.dep_ == "advmod" and tok.lower_ in _FOCUS_ADVERBS and tok.i + 1 < len(tok.doc):
        tok = tok.nbor(1)
    return tok.dep_ in ("mark", "advmod") and tok.lower_ in _COMPLEMENTIZERS


def _according_to(doc: Doc, according: Token, cues: Cues) -> Statement | None:
    """"According to X, Y": the sentence on the phrase's longer side is X's report, unless a cue of its
    own with its own sayer reports it ("…, he said, according to the complaint": his words, from it)."""
    to = doc[according.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    sent = sentence(according)
    phrase = range(according.i, max(pobj.right_edge.i, to.i) + 1)
    # the sentence on either side of the phrase, up to a clause's reach (a sentence with no end is not read whole)
    before = [t for t in doc[max(sent.start, phrase.start - CLAUSE_WINDOW):phrase.start] if not t.is_space]
    after = [t for t in doc[phrase.stop:min(sent.end, phrase.stop + CLAUSE_WINDOW)] if not t.is_space]
    side = trim_edges(after if len(after) >= len(before) else before)
    if len(side) < _MIN_CONTENT_TOKENS or any(_reports_itself(t, cues) or _reporting_participle(t, cues) for t in side):
        return None
    # "according to a report by the Pew Research Center", "according to “The Trumps …” by Gwenda Blair":
    # the work's author is the source
    author = next((o for p in pobj.children if p.dep_ == "prep" and p.lower_ == "by"
                   for o in p.children if o.dep_ == "pobj" and o.ent_type_ in ("PERSON", "ORG")), None)
    return Statement("indirect", side[0].idx, side[-1].idx + len(side[-1]), cue=according,
                     cue_end=to.idx + len(to), source=author or pobj)


def _reporting_participle(tok: Token, cues: Cues) -> bool:
    """A participle cue hung on a clause ("gave an interview noting …", "gave a speech saying …"): it
    reports its own words, said by the clause's subject; "according to" names where the story had it."""
    return tok.tag_ == "VBG" and tok.dep_ in ("advcl", "xcomp", "acl") and cues.reports(tok)


def _reports_itself(tok: Token, cues: Cues) -> bool:
    """A cue with its own sayer hung on the clause it reports ("…, he said"): that clause is its report.
    (A cue heading the clause, "Major said he saw it", is itself reported by the phrase: `_keeps_first`.)"""
    return cues.reports(tok) and tok.dep_ in ("parataxis", "ccomp") and tok.head.i < tok.i and _has_subject(tok)


def _classify(*, text: str, st: Statement, quoted: list[Quoted], used: set[Quoted]) -> Statement | None:
    """The statement typed direct/mixed/indirect by the quote marks inside its content and widened to
    whole quotes; None when the clause is a piece of a longer direct quote (that quote is the
    statement). The quotes it takes in are added to `used`."""
    if not quoted:
        return st
    if any(q.start < st.start - _MARK_SLACK for q in quoted):
        return None
    # A quote that opens in the clause belongs to it, even where the parser ended the clause early.
    end = max(st.end, max(q.end for q in quoted))
    outside = _words_outside(text, st.start, end, quoted)
    used.update(quoted)
    if outside == 0 and len(quoted) == 1:
        q = quoted[0]
        return replace(st, type="direct", start=q.start, end=q.end, quoted=q, closed=q.closed)
    return replace(st, type="mixed", fragments=[(q.start, q.end) for q in quoted],
                   start=min(st.start, quoted[0].open_start), end=max(end, quoted[-1].close_end))


def _words_outside(text: str, start: int, end: int, inner: list[Quoted]) -> int:
    pos, n = start, 0
    for q in inner:
        n += len([w for w in text[pos:q.open_start].split() if any(ch.isalnum() for ch in w)])
        pos = max(pos, q.close_end)
    n += len([w for w in text[pos:end].split() if any(ch.isalnum() for ch in w)])
    return n


def _governing_cue(doc: Doc, q: Quoted, cues: Cues) -> Token | None:
    """A cue verb with a speaker as subject whose phrase holds this short quoted fragment."""
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    tok = span.root
    for _ in range(_CUE_REACH):
        if tok.head.i == tok.i or (tok.dep_ == "pobj" and cues.reports(tok.head.head)):
            return None  # "said on ABC's “This Week”": a title in a phrase beside the report, not its words
        tok = tok.head
        if (cues.reports(tok) or tok.lemma_ in cues.naming) and tok.pos_ == "VERB":
            return tok if cues.is_agent(subject_of(tok)) or _participle_sayer(tok, cues) is not None else None
    return None


def _participle_sayer(cue: Token, cues: Cues) -> Token | None:
    """"Holt said schools would reopen, calling the plan “safe”": a participle set off after a report
    is said by the one who made the report, not by the subject of the verb the parser hung it on
    (schools call nothing). Its sayer: the speaker-subject of the first speech verb above it; None
    when the cue's own subject can speak (that subject is the sayer)."""
    if cue.tag_ != "VBG" or cue.dep_ not in ("advcl", "xcomp") or cue.i == 0 or cue.nbor(-1).text not in (",", *CLOSING_MARKS):
        return None
    if cues.is_agent(subject_of(cue)):
        return None
    tok = cue
    for _ in range(_CUE_REACH):
        if tok.head.i == tok.i:
            return None
        tok = tok.head
        if cues.reports(tok) and tok.pos_ == "VERB":
            subject = subject_of(tok)
            return subject if cues.is_agent(subject) else None
    return None


def _said_outright(doc: Doc, q: Quoted, cues: Cues) -> Token | None:
    """"The president simply stated “enough,”", "she said “no.”": one quoted word right after a speech
    verb whose subject is a speaker is all that was said, not a term in scare quotes. So is a quoted
    adjective a speaker predicates of something ("called the plan “bold”", "described it as
    “outrageous”"): a judgement in their word, where a quoted noun ("called it “reform”") is a name."""
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    word = span.root
    if word.pos_ == "ADJ" and word.dep_ in ("oprd", "acomp", "amod", "pobj"):
        verb = word.head.head if word.head.dep_ == "prep" and word.head.lower_ == "as" else word.head
        if verb.lemma_ in cues.naming and verb.pos_ == "VERB" and verb.i < word.i and cues.is_agent(subject_of(verb)):
            return verb
    verb = word.head
    between = doc[verb.i + 1:span.start]
    if (verb.i >= span.start or not cues.reports(verb) or verb.pos_ != "VERB"
            or any(not t.is_punct for t in between) or not cues.is_agent(subject_of(verb))):
        return None
    return verb


def _fragment(doc: Doc, q: Quoted, cue: Token, cues: Cues) -> Statement:
    """A quoted fragment a cue governs: direct, or mixed from its clause's subject when the quote
    holds a verb whose subject stands before the marks ("said the students' actions “fall upon
    the school”": the subject is part of what was said)."""
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    root = span.root if span is not None and len(span) else None
    subject = None if root is None or root.pos_ not in ("VERB", "AUX") else next(
        (c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and c.idx < q.open_start
         and c.left_edge.i > cue.i), None)
    sayer = _participle_sayer(cue, cues)
    # "noting his opposition to rate hikes because they could “endanger …”": the noun for a statement
    # the cue takes as its object opens what was said (a naming verb's object is what it names: "called
    # Clinton's assertion of a “claim of right” “disturbing”")
    stated = None if root is None or cue.lemma_ in cues.naming else next(
        (c for c in cue.children if c.dep_ == "dobj" and c.lemma_ in cues.nominal and cue.i < c.i < root.i
         and (subject is not None or c.is_ancestor(root))), None)
    opening = stated or subject
    if opening is None:
        return Statement("direct", q.start, q.end, cue=cue, source=sayer, quoted=q, closed=q.closed)
    start = opening.left_edge.idx
    return Statement("mixed", start, q.close_end, cue=cue, source=sayer, fragments=[(q.start, q.end)], closed=q.closed)


def _close_fragments(doc: Doc, prev: Statement, st: Statement) -> bool:
    """Two quoted fragments of one cue, in one sentence with at most a few words between them, or the
    second's statement holding the first ("noted his “deep” opposition to hikes that could “hurt …”")."""
    if st.start <= prev.end:
        return True
    between = doc.char_span(prev.end, st.start, alignment_mode="expand")
    if between is None:
        return False
    return (sentence(doc[between.start]).start == sentence(doc[max(between.start, between.end - 1)]).start
            and len([t for t in between if t.is_alpha]) <= _FRAGMENT_GAP)


def _stands_alone(text: str, q: Quoted) -> bool:
    """A quoted span is a statement, not a scare quote or a title, when it is placed as one."""
    words = q.word_count(text)
    if title_case(text[q.start:q.end]):
        return False  # “Oil Pays Him a Lot of Money”: a headline, book or programme, not speech
    if words >= _SCARE_QUOTE_WORDS * 2:
        return True
    i = q.open_start - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    before = text[i] if i >= 0 else "\n"
    if before in "\n:" or (before in ".!?" and words >= _MIN_SENTENCE_QUOTE_WORDS):
        return words >= _MIN_QUOTE_WORDS
    return words >= _SCARE_QUOTE_WORDS and text[q.end - 1 : q.end] in ",.?!…"


def _runs_into(text: str, q: Quoted) -> bool:
    """A short quote the sentence runs into: a word, not a mark or a break, right before it, so it
    is no sentence of its own (a long one is a statement whatever comes before it)."""
    if q.word_count(text) >= _SCARE_QUOTE_WORDS * 2:
        return False
    before = text[max(0, q.open_start - 2):q.open_start].rstrip(" \t\u00a0")
    return before[-1:].isalnum()


def _one_per_span(doc: Doc, found: list[Statement]) -> list[Statement]:
    """No two statements share a character: of each overlapping pair keep the real statement
    (`_keeps_first`). Statements come sorted by start and the kept ones are disjoint, so only the last
    kept one can overlap the next: one pass, linear."""
    out: list[Statement] = []
    for st in found:
        if out and st.start < out[-1].end and not _keeps_first(doc, out[-1], st):
            out[-1] = st
        elif not out or st.start >= out[-1].end:
            out.append(st)
    return out


def _keeps_first(doc: Doc, first: Statement, second: Statement) -> bool:
    """Which of two overlapping statements is the statement (`first` starts no later than `second`):
    - a direct quote over a clause around it that adds only the quote's own attribution ("“A,” she
      said" read as a clause) or that the parser cut out of it: the speaker's words are the quote;
    - otherwise the outer: a report of a report ("According to Gibson, Major said he saw the sign"
      is Gibson's) and a clause holding a shorter piece of itself are one statement, the outer one;
    - of two that cross, the direct one, else the longer."""
    if first.end >= second.end or second.start == first.start:
        outer, inner = (first, second) if first.end - first.start >= second.end - second.start else (second, first)
        keep = inner if _quote_in_own_clause(doc, inner, outer) else outer
        return keep is first
    if (first.type == "direct") != (second.type == "direct"):
        return first.type == "direct"
    return first.end - first.start >= second.end - second.start


def _quote_in_own_clause(doc: Doc, inner: Statement, outer: Statement) -> bool:
    """Is `outer` a direct quote's own clause: the quote plus at most its attribution (the cue and the
    words hung on it outside the quote), or a clause with the quote's cue or none?"""
    if inner.type != "direct" or outer.type == "direct":
        return False
    if outer.cue is None or inner.cue is None or outer.cue.i == inner.cue.i:
        return True  # the same report read twice: its quoted words are the statement
    if not outer.start <= inner.cue.idx < outer.end:
        return True  # the outer's cue reports the quote's words, not its attribution
    if not any(c.dep_ == "nsubj" for c in inner.cue.children):
        return False  # "were told that “…”, Okafor said": the quote's own cue names no speaker, the outer's does
    own = {inner.cue.i}
    for child in inner.cue.children:
        if child.idx + len(child) <= inner.start or child.idx >= inner.end:
            own.update(t.i for t in child.subtree)
    span = doc.char_span(outer.start, outer.end, alignment_mode="expand")
    rest = [t for t in span or () if (t.idx + len(t) <= inner.start or t.idx >= inner.end)
            and t.i not in own and t.is_alpha]
    return len(rest) <= _ATTRIBUTION_SLACK


class _QuotedLookup:
    """Quoted spans by position, for 'is this character inside a quote?' in O(log n)."""

    def __init__(self, quoted: list[Quoted]):
        self.quoted = sorted(quoted, key=lambda q: q.open_start)
        self.starts = [q.open_start for q in self.quoted]

    def covering(self, char: int) -> Quoted | None:
        i = bisect.bisect_right(self.starts, char) - 1
        if i >= 0 and self.quoted[i].open_start <= char < self.quoted[i].close_end:
            return self.quoted[i]
        return None

    def overlapping(self, start: int, end: int) -> list[Quoted]:
        i = max(0, bisect.bisect_right(self.starts, start) - 1)
        out = []
        while i < len(self.quoted) and self.quoted[i].open_start < end:
            q = self.quoted[i]
            if q.close_end > start:
                out.append(q)
            i += 1
        return out
