"""Structure: the layout of a news document, before any parse.

Headline, dateline, publication date, paragraphs, and which stretches are article prose and
which an interview transcript. Later stages need the layout first: a headline or a transcript
turn must not run on into the prose around it, and turns are only looked for in transcripts.
Pure text analysis, linear in the text; every offset indexes the text as given.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from .dates import MONTHS
from .labels import CLOSERS, LABEL_SHAPE, Label, find_label, group_keys, is_question, label_role, lines, trim
from .names import title_case
from .record import Section, Span

# -- transcript announcements and closing notes -------------------------------------------------
_TALK = r"(?:transcripts?|interviews?|conversations?|exchanges?|q\s*&\s*a|excerpts?|full\s+text|discussion)"
_ANNOUNCE = re.compile(
    rf"\b(?:what\s+follows|as\s+follows|the\s+following|following\s+is|here\s+is|here\s+are|here[’']s|below\s+is|below\s+are)\b"
    rf"[^\n]{{0,80}}?\b{_TALK}\b"
    rf"|\b{_TALK}\b[^\n]{{0,80}}?\b(?:follows|below)\b"
    rf"|\b{_TALK}\b[^\n]{{0,60}}?\b(?:has|have|was|were)\s+been\s+(?:\w+\s+){{0,2}}"
    r"(?:edited|condensed|abridged|translated|shortened|transcribed|trimmed)\b"
    r"|\bedited\s+(?:for|and)\s+(?:length|clarity|brevity|space|condensed)\b",
    re.I,
)
_ANNOUNCE_HEADING = re.compile(r"\W*(?:\w+\s+){0,3}(?:transcript|interview|q\s*&\s*a)\W*", re.I)  # "Video transcript:"
_MEDIA = re.compile(r"\W*(?:watch|listen|see|view)\b", re.I)  # "Watch the interview below" points to a video
_LINE_END = re.compile(r"[\n\r\u2028\u2029\x85]")  # what ends a line: labels.lines splits at the same
_ANNOUNCE_MAX = 250  # an announcement is a short editor's line, not a paragraph of reporting
_NOTE = re.compile(
    r"[(\[].*[)\]]\W*$"
    r"|(?:editor[’']?s\s+note|note|correction|copyright|©|\(?c\)|(?:additional\s+)?reporting\s+by|writing\s+by|"
    r"editing\s+by|this\s+(?:article|story|interview|conversation|report)\s+(?:was|has|is|first|originally)"
    r"|follow\s+(?:\S+\s+){0,3}on\s+(?:twitter|x|facebook|instagram|threads|bluesky))\b",
    re.I | re.S,
)

# Published transcripts (the White House's) end on "END" and the clock time, and open under short
# header lines: the room, the date, "5:49 P.M. EDT".
_CLOCK = r"\d{1,2}:\d\d[ \t\xa0]*[AaPp]\.?[ \t\xa0]?[Mm]\.?(?:[ \t\xa0]+[A-Z]{2,4})?"
_CLOSING = re.compile(rf"END\b[ \t\xa0]*(?:{_CLOCK})?|{_CLOCK}")
_HEADER_WORDS = 12  # a header line names a place, a date or a time; a sentence of reporting runs longer
_HEADERS = 5  # header lines a published transcript may open with (after its title)

# -- datelines and dates ----------------------------------------------------------------------
_CAPS = r"[A-Z][A-Z'’.\-]*[A-Z.]"
_SEG = r"[A-Z0-9][\w'’.\-]*(?:[ \t]+[A-Z0-9][\w'’.\-]*){0,3}"
_AGENCY = r"\([A-Z][\w&'’.\-]*(?:[ \t]+[A-Z][\w&'’.\-]*){0,3}\)"
_DATELINE = re.compile(
    rf"(?:{_CAPS}(?:[ \t]+{_CAPS})*(?:,[ \t]+{_SEG}){{0,3}}(?:[ \t]*{_AGENCY})?"
    rf"|{_SEG}(?:,[ \t]+{_SEG}){{0,2}}[ \t]*{_AGENCY}"
    rf"|{_AGENCY})"
    r"(?=[ \t\xa0]*(?:-{1,2}|[–—―])[ \t\xa0])"
)
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH}),?\s+(?P<y2>(?:19|20)\d\d)"
    r"|(?P<y3>(?:19|20)\d\d)-(?P<m3>\d\d)-(?P<d3>\d\d))\b",
    re.I,
)
_DATE_LINE_MAX = 80  # a date line stands alone; a date in a sentence dates the event, not the article
_DATE_SEARCH = 6  # paragraphs from the top in which a date line may stand
_DATELINE_SEARCH = 3  # body paragraphs in which a dateline may stand (after a byline, a warning)
_TITLE_MAX_CHARS, _TITLE_MAX_WORDS = 200, 25

# -- transcript runs --------------------------------------------------------------------------
_MAX_GAP = 8  # unlabelled paragraphs (a long answer) that may separate two labels of one transcript
_MIN_TURN_WORDS = 3  # mean words after the labels of a run: talk, not a table of figures


# -- embedded social posts ----------------------------------------------------------------------
# What a page keeps of an embedded post when its script does not run (and what trafilatura and
# copy-paste keep): the post's words, its links, then the author's signature. Twitter/X:
# "… pic.twitter.com/x — BC Hydro (@bchydro) December 22, 2018"; Instagram: "… A post shared by
# Name (@handle) on Dec 22, 2018 at 3:04pm PST".
_POST_NAME = r"(?P<name>[^\s()@/—–\-][^\n()@/—–]{0,60}?)"
_HANDLE = r"\(@\w{1,30}\)"
_POST_SIGNATURE = re.compile(
    rf"[ \t\xa0]*(?:-{{1,2}}|[–—―]|A[ \t]+post[ \t]+shared[ \t]+by)[ \t\xa0]*{_POST_NAME}[ \t\xa0]*{_HANDLE}"
    rf"[ \t\xa0]+(?:on[ \t\xa0]+)?(?P<date>(?i:{_MONTH})[ \t\xa0]+\d{{1,2}},[ \t\xa0]+(?:19|20)\d\d)[^\n]{{0,40}}$",
)
# A post's trailing links and the newsletter box some pages insert before the signature: not its words.
_POST_TAIL = re.compile(r"(?:\s*(?:pic\.twitter\.com/\S+|https?://\S+|SIGN UP FOR OUR NEWSLETTER))+\s*$")
_POST_MARKUP = re.compile(r"\s*<[A-Za-z][^<>\n]{0,300}>\s*")  # a leading "<tweet id=… author=…>" a scraper left
_POST_MAX_CHARS = 600  # a post runs to 280 characters (Twitter) or a caption's few lines: not a paragraph of story
# What is read of a paragraph ending on a signature, links included: bounds the tail search, which
# would otherwise rescan from each link of a paragraph full of them.
_POST_READ_CHARS = 4 * _POST_MAX_CHARS


@dataclass(frozen=True)
class Paragraph:
    """A block of non-blank lines; a single newline inside it does not end it."""

    start: int
    end: int


@dataclass(frozen=True)
class Post:
    """An embedded social post: its words and the author's name as the signature prints it."""

    start: int
    end: int
    name_start: int
    name_end: int


@dataclass(frozen=True)
class Layout:
    """Where things are in one document; every offset indexes the analysed text."""

    title: Span | None
    dateline: Span | None
    published: str | None
    paragraphs: tuple[Paragraph, ...]
    sections: tuple[Section, ...]  # the body (all but the title) in order, "article" | "transcript"
    posts: tuple[Post, ...]  # embedded social posts, in text order

    def paragraphs_in(self, section: Section) -> tuple[Paragraph, ...]:
        lo = bisect_left(self.paragraphs, section.start, key=lambda p: p.start)
        hi = bisect_right(self.paragraphs, section.end, key=lambda p: p.end)
        return self.paragraphs[lo:hi]

    def in_post(self, start: int, end: int) -> bool:
        """Whether the span [start, end) overlaps an embedded post (posts are in text order, apart)."""
        i = bisect_right(self.posts, start, key=lambda p: p.end)
        return i < len(self.posts) and self.posts[i].start < end

    @property
    def transcripts(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.kind == "transcript")


# -- the layout -------------------------------------------------------------------------------
def analyze(text: str, *, title: str | None = None) -> Layout:
    """The layout of `text`. `title`, when the caller knows it (HTML, JSONL), is looked for at the top."""
    paragraphs = tuple(_paragraphs(text))
    labels = [[lab for s, e in lines(text, p.start, p.end) if (lab := find_label(text, s, e))] for p in paragraphs]
    title_span = _title(text, paragraphs, labels, title)
    body = 1 if title_span is not None and title_span.end == paragraphs[0].end else 0
    return Layout(
        title=title_span,
        dateline=_dateline(text, paragraphs[body:body + _DATELINE_SEARCH]),
        published=_published(text, paragraphs[:_DATE_SEARCH]),
        paragraphs=paragraphs,
        sections=_sections(text, paragraphs, labels, body),
        posts=tuple(_posts(text, paragraphs[body:])),
    )


def _posts(text: str, paragraphs: tuple[Paragraph, ...]) -> Iterator[Post]:
    """Embedded posts: a paragraph that ends on a post's signature holds the post's words before it;
    a signature alone in its paragraph signs the paragraph before it. Each paragraph is read once."""
    for i, p in enumerate(paragraphs):
        m = _POST_SIGNATURE.search(text, p.start, p.end)
        if m is None or m.end() != p.end:
            continue
        start, end = p.start, m.start()
        if not text[start:end].strip() and i > 0:
            start, end = paragraphs[i - 1].start, paragraphs[i - 1].end
        if end - start > _POST_READ_CHARS:
            continue  # a paragraph of story that ends on a signature line is not a post
        markup = _POST_MARKUP.match(text, start, end)
        start = markup.end() if markup is not None else start
        tail = _POST_TAIL.search(text, start, end)
        end = tail.start() if tail is not None else end
        while end > start and text[end - 1].isspace():
            end -= 1
        if 0 < end - start <= _POST_MAX_CHARS:
            name_start, name_end = m.span("name")
            while name_end > name_start and text[name_end - 1].isspace():
                name_end -= 1
            yield Post(start, end, name_start, name_end)


def _paragraphs(text: str) -> Iterator[Paragraph]:
    """Runs of non-blank lines; a line of only whitespace (NBSP too), a paragraph separator (U+2029)
    or a lone carriage return (the paragraph end of old Mac and word-processor text) separates them."""
    first: int | None = None  # the open paragraph's first line start, None before the first line
    last = 0  # the end of the line before
    for s, e in lines(text):
        if first is not None and ends_paragraph(text[last:s]):  # blanks only: read once in all
            yield Paragraph(first, last)
            first = None
        if first is None:
            first = s
        last = e
    if first is not None:
        yield Paragraph(first, last)


def ends_paragraph(gap: str) -> bool:
    """Whether `gap`, the blanks between two lines, parts paragraphs: a blank line (two line ends),
    a paragraph separator (U+2029) or a lone carriage return (one not before a line feed)."""
    return ("\u2029" in gap or gap.count("\r") > gap.count("\r\n")
            or gap.count("\n") + gap.count("\u2028") + gap.count("\x85") > 1)


def _title(text: str, paragraphs: tuple[Paragraph, ...], labels: list[list[Label]], title: str | None) -> Span | None:
    """The headline the text opens with: the caller's title, else a short first line standing alone."""
    if not paragraphs:
        return None
    first = paragraphs[0]
    if title is not None:
        words = title.split()
        m = re.compile(r"\s+".join(map(re.escape, words))).match(text, first.start) if words else None
        return None if m is None or not _ends_line(text, m.end()) else Span.of(text, first.start, m.end())
    if len(paragraphs) < 2 or _LINE_END.search(text, first.start, first.end):
        return None
    line = text[first.start:first.end]
    if len(line) > _TITLE_MAX_CHARS or len(line.split()) > _TITLE_MAX_WORDS or _announces(text, first):
        return None
    if not _DATELINE.match(text, paragraphs[1].start, paragraphs[1].end):  # a dateline under it settles it
        if labels[0] and (labels[1] or (_recurs(labels[0][0], labels[1:]) and not title_case(line))):
            return None  # the first turn of a transcript
        if line.rstrip(CLOSERS).endswith(".") and not (LABEL_SHAPE.match(line) or title_case(line)):
            return None  # a sentence, unless shaped like a headline: "Name: …" or Title Case
    return Span.of(text, first.start, first.end)


def _ends_line(text: str, pos: int) -> bool:
    """Nothing but blanks from `pos` to the end of its line."""
    nl = _LINE_END.search(text, pos)
    start, end = trim(text, pos, len(text) if nl is None else nl.start())
    return start == end


def _recurs(label: Label, rest: list[list[Label]]) -> bool:
    """Whether the speaker of `label` speaks again under a label in `rest` (Q/A always do)."""
    key = label.key
    if label_role(key) is not None:
        return True
    keys = {lab.key for labs in rest for lab in labs}
    groups = group_keys(keys | {key})
    return any(groups[k] == groups[key] for k in keys)


def _dateline(text: str, candidates: tuple[Paragraph, ...]) -> Span | None:
    """"WASHINGTON (AP) —" opening one of the first body paragraphs: the place and agency, no dash."""
    for p in candidates:
        m = _DATELINE.match(text, p.start, p.end)
        if m is not None:
            return Span.of(text, *trim(text, m.start(), m.end()))
    return None


# A publication date stands on a line of its own, with only what such lines carry around it: a
# label ("Published:", "Updated"), a weekday, a clock time, a byline ("By Ann Lee |"), or a
# dateline's place before it ("WASHINGTON, Jan. 5, 2024 —"). Anything else on the line (a
# caption's "WATCH (Aired", a sentence's "The video was taken on") makes it a date the story
# mentions, not the day it was published.
_TIME = r"(?:at[ \t]+)?\d{1,2}[:.]\d\d(?:[ \t]*[AaPp]\.?[ \t]?[Mm]\.?)?(?:[ \t]+[A-Z]{1,4}T?)?"
_PUB_LABEL = r"(?:(?:first|last|originally)[ \t]+)?(?:published|posted|updated|modified|filed|created|dated?)(?:[ \t]+on)?"
_WEEKDAY = r"(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\.?"
_SEP = r"[^\w(\[]*"  # punctuation and spaces, but no bracket: a date in brackets is a caption's
_DATE_BEFORE = re.compile(
    rf"{_SEP}(?:{_PUB_LABEL}{_SEP})?(?:{_TIME}{_SEP})?(?:{_WEEKDAY}{_SEP})?"
    rf"|{_SEP}by[ \t]+[^|•·\n]{{1,60}}?[ \t]*[|•·,—–-][ \t]*(?:{_PUB_LABEL}{_SEP})?(?:{_WEEKDAY}{_SEP})?"
    rf"|[ \t]*{_CAPS}(?:[ \t]+{_CAPS})*(?:,[ \t]+[A-Z][\w'’.\-]*(?:[ \t]+[A-Z][\w'’.\-]*)*)?,[ \t]*",
    re.I,
)
_DATE_AFTER = re.compile(rf"(?:\W*{_TIME})?[^\w(\[]*(?:[|•·/].*)?", re.S)
_DATELINE_AFTER = re.compile(rf"[ \t]*(?:{_AGENCY})?[ \t\xa0]*(?:-{{1,2}}|[–—―])[ \t\xa0]")


def _published(text: str, candidates: tuple[Paragraph, ...]) -> str | None:
    """ISO date of a short date line near the top ("Published: Oct. 11, 2023 10:45", "By Ann Lee |
    Oct. 11, 2023") or of a dateline opening a paragraph ("WASHINGTON, Oct. 11, 2023 — The …");
    never a date in a caption or a sentence."""
    for p in candidates:
        if p.end - p.start > _DATE_LINE_MAX:
            opening = _DATELINE.match(text, p.start, p.end)  # a long paragraph: only a date in its dateline
            spans = [] if opening is None else [(p.start, opening.end(), p.end)]
        else:
            spans = [(s, e, e) for s, e in lines(text, p.start, p.end)]
        for start, search_end, end in spans:
            m = _DATE.search(text, start, search_end)
            if m is None or not _publication_line(text, start, m.start(), m.end(), end):
                continue
            if m.group("y3"):
                y, mo, d = int(m.group("y3")), int(m.group("m3")), int(m.group("d3"))
            else:
                n = 1 if m.group("y1") else 2
                y, d = int(m.group(f"y{n}")), int(m.group(f"d{n}"))
                mo = MONTHS[m.group(f"m{n}").rstrip(".").casefold()]
            try:
                return date(y, mo, d).isoformat()
            except ValueError:
                continue
    return None


def _publication_line(text: str, start: int, date_start: int, date_end: int, end: int) -> bool:
    """Whether the line `start:end` holding a date at `date_start:date_end` is a publication date line:
    only a label, weekday, time, byline or dateline around the date (`_DATE_BEFORE`, `_DATE_AFTER`)."""
    before = _DATE_BEFORE.fullmatch(text, start, date_start)
    if before is None:
        return False
    if _DATE_AFTER.fullmatch(text, date_end, end):
        return True
    dateline = before.group(0).rstrip().endswith(",") and text[start:date_start].lstrip()[:1].isupper()
    return dateline and _DATELINE_AFTER.match(text, date_end, end) is not None


# -- sections ---------------------------------------------------------------------------------
def _sections(text: str, paragraphs: tuple[Paragraph, ...], labels: list[list[Label]], body: int) -> tuple[Section, ...]:
    """Article and transcript sections over the body paragraphs, in order."""
    spans = _transcripts(text, paragraphs, labels, body)
    sections: list[Section] = []
    at = body
    for first, last in [*spans, (len(paragraphs), None)]:
        if first > at:
            sections.append(Section("article", paragraphs[at].start, paragraphs[first - 1].end))
        if last is not None:
            sections.append(Section("transcript", paragraphs[first].start, paragraphs[last].end))
            at = last + 1
    return tuple(sections)


def _transcripts(text: str, paragraphs: tuple[Paragraph, ...], labels: list[list[Label]], body: int) -> list[tuple[int, int]]:
    """(first, last) paragraph indexes of each transcript.

    One starts after a line announcing it, or at the first paragraph of a run of speaker labels
    (two speakers at least, or several Q: labels). It runs to the last label and on while the
    paragraphs after keep asking and answering; closing notes are left out.
    """
    n = len(paragraphs)
    announces = [_announces(text, p) for p in paragraphs]
    max_gap = None if _opens_with_turns(text, paragraphs, labels, body) else _MAX_GAP
    runs = {run[0]: run for run in _label_runs(text, paragraphs, labels, body, max_gap)}
    found: list[tuple[int, int]] = []
    i = body
    while i < n:
        run = runs.get(i)
        if announces[i] and not labels[i] and not (found and found[-1][1] == i - 1):
            j = i
            while j + 1 < n and announces[j + 1]:
                j += 1
            if j + 1 < n:
                last = _drop_notes(text, paragraphs, j + 1, n - 1)
                found.append((j + 1, last))
                i = last + 1
                continue
        if run is not None:
            last = _extend(text, paragraphs, labels, announces, run)
            found.append((run[0], last))
            i = last + 1
            continue
        i += 1
    return found


def _announces(text: str, p: Paragraph) -> bool:
    """Whether `p` is an editor's line announcing (or closing) a transcript."""
    if p.end - p.start > _ANNOUNCE_MAX or _MEDIA.match(text, p.start, p.end):
        return False
    return bool(_ANNOUNCE.search(text, p.start, p.end) or _ANNOUNCE_HEADING.fullmatch(text, p.start, p.end))


def _opens_with_turns(text: str, paragraphs: tuple[Paragraph, ...], labels: list[list[Label]], body: int) -> bool:
    """Whether the body is a published transcript: its first labelled paragraph comes after header
    lines only (the room, the date, the time), or first. Its turns may then run on for any number of
    paragraphs (an opening statement): no article prose lies between its labels."""
    for i in range(body, min(len(paragraphs), body + _HEADERS + 1)):
        if labels[i]:
            return True
        p = paragraphs[i]
        if _LINE_END.search(text, p.start, p.end) or len(text[p.start:p.end].split()) > _HEADER_WORDS:
            return False
    return False


def _closes(text: str, p: Paragraph) -> bool:
    """Whether `p` is a published transcript's closing line: "END", "END 2:20 P.M. EDT", "8:12 P.M. EDT"."""
    return _CLOSING.fullmatch(text, p.start, p.end) is not None


def _label_runs(text: str, paragraphs: tuple[Paragraph, ...], labels: list[list[Label]], body: int,
                max_gap: int | None = _MAX_GAP) -> list[tuple[int, int, int]]:
    """(first, last, widest gap) paragraph indexes of each run of labels that makes a transcript;
    labels more than `max_gap` paragraphs apart (None: any) make two runs.

    An exchange has two speakers (or several "Q:"), adjacent unless there are more labels, and
    a speaker who comes back or a first turn that asks: "Iowa: …", "Ohio: …" headings do neither.
    """
    runs = []
    current: list[tuple[int, Label, int]] = []  # paragraph, label, end of its words
    for i in range(body, len(labels)):
        for k, lab in enumerate(labels[i]):
            if current and max_gap is not None and i - current[-1][0] - 1 > max_gap:
                runs.append(current)
                current = []
            current.append((i, lab, labels[i][k + 1].name.start if k + 1 < len(labels[i]) else paragraphs[i].end))
    if current:
        runs.append(current)
    out = []
    for run in runs:
        keys = [lab.key for _, lab, _ in run]
        speakers = set(group_keys(keys).values())
        if len(speakers) < 2 and sum(label_role(k) == "interviewer" for k in keys) < 2:
            continue  # one speaker labelled once or twice: a quoted line, not an exchange
        if len(run) == 2 and run[1][0] - run[0][0] > 1:
            continue
        if sum(_words_after(text, paragraphs, i, lab, end) for i, lab, end in run) < _MIN_TURN_WORDS * len(run):
            continue  # "Clinton: 1,769." — a table, not talk
        first, lab, end = run[0]
        if len(speakers) == len(keys) and not is_question(text, lab.body, end) and "interviewer" not in map(label_role, keys):
            continue  # nobody comes back, nobody asks, no "Q": headings ("Iowa: …", "Ohio: …")
        gap = max((b[0] - a[0] - 1 for a, b in pairwise(run)), default=0)
        out.append((first, run[-1][0], gap))
    return out


def _words_after(text: str, paragraphs: tuple[Paragraph, ...], i: int, label: Label, end: int) -> int:
    """How many words a label of paragraph `i` heads: up to `end`, or those of the next paragraph
    when it stands alone ("Matthew Miller (00:00):" over its words)."""
    if label.body >= end and i + 1 < len(paragraphs):
        return len(text[paragraphs[i + 1].start:paragraphs[i + 1].end].split())
    return len(text[label.body:end].split())


def _extend(text: str, paragraphs: tuple[Paragraph, ...], labels: list[list[Label]], announces: list[bool],
            run: tuple[int, int, int]) -> int:
    """The last paragraph of a labelled run's transcript: past its last label while the exchange goes on.

    After the last label, a question and the paragraph answering it belong to the transcript,
    and so does what lies between while no more paragraphs in a row go unasked than the run's
    own longest unlabelled stretch (its longest answer). At the document's end, a last short
    stretch (the closing thanks, the end of an answer) belongs to it too.
    """
    first, last, gap = run
    allowed = max(1, gap)
    end = last
    unasked = 0
    answer_due = False
    stopped = False
    j = last
    for j in range(last + 1, len(paragraphs)):
        p = paragraphs[j]
        if _closes(text, p):  # the transcript's own end: all before it was said
            end, stopped = j - 1, True
            break
        if labels[j] or announces[j] or _NOTE.match(text, p.start, p.end):
            stopped = True
            break
        if is_question(text, p.start, p.end):
            end, unasked, answer_due = j, 0, True
        elif answer_due:
            end, answer_due = j, False
        else:
            unasked += 1
            if unasked > allowed:
                stopped = True
                break
    if not stopped and unasked:
        end = j
    return _drop_notes(text, paragraphs, first, end)


def _drop_notes(text: str, paragraphs: tuple[Paragraph, ...], first: int, last: int) -> int:
    """`last` moved back past closing notes ("This interview has been edited…", "(Reporting by …)")."""
    while last > first and (_NOTE.match(text, paragraphs[last].start, paragraphs[last].end)
                            or _announces(text, paragraphs[last]) or _closes(text, paragraphs[last])):
        last -= 1
    return last
