"""What each page shows, as one dict of plain data: the HTML template renders it, the JSON API
returns it (or the part of it the API promises). Views call only the store's `Corpus` and the
pipeline; no SQL, no HTML here.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..record import FIDELITY_STATUSES, QUOTE_TYPES, Quote, Record
from ..report import format_report, quoted_words
from ..settings import Options
from ..store import Corpus
from ..store.corrections import FIELDS
from ..verify import verify
from .render import bars, diff_parts, every_month, pieces, script_json, speaker_classes

RECENT_DOCUMENTS = 15
DOCUMENTS_PER_PAGE = 50
TOP_SPEAKERS_CHART = 10  # bars on the front page: the most quoted; the speakers page lists more
SPEAKERS_LISTED = 200
SPEAKER_QUOTES = 100  # a speaker page lists this many of their newest quotes
SPEAKER_CLUSTERS = 10
MERGE_CHOICES = 20  # a merge form offers the speaker's namesakes to pick; any other is typed
SEARCH_LIMIT = 50
MAX_SEARCH_LIMIT = 500  # a search answer is bounded: more than this is an export's job
FIDELITY_MARKS = {"verbatim": "✓", "minor": "≈", "altered": "≠", "paraphrase": "~", "unsupported": "✗",
                  "no_source": "?"}
"""A sign beside each checked quote, so its verdict is read without colour."""
CORRECTION_FIELDS = FIELDS
"""What a review form offers to correct (the store's `corrections.FIELDS`)."""


def home(corpus: Corpus) -> dict[str, Any]:
    """The corpus at a glance: counts, recent documents, quotes per speaker, outlet and month, and
    quoted speakers by gender and kind."""
    top = corpus.speakers(top=TOP_SPEAKERS_CHART)
    outlets = [(b.value or "(no outlet)", b.quotes) for b in corpus.breakdown("outlet")]
    return {
        "counts": corpus.counts(),
        "recent": [d.to_dict() for d in corpus.recent_documents(RECENT_DOCUMENTS)],
        "charts": {
            "speakers": [{**bar, "key": s.key} for bar, s in zip(bars([(s.name, s.quotes) for s in top]), top, strict=True)],
            "outlets": bars(outlets, limit=TOP_SPEAKERS_CHART),
            "months": bars(every_month(corpus.quotes_by_month())),
            "gender": bars([(b.value, b.speakers) for b in corpus.breakdown("gender")]),
            "kind": bars([(b.value, b.speakers) for b in corpus.breakdown("kind")]),
        },
    }


def documents(corpus: Corpus, page: int) -> dict[str, Any]:
    """One page of the stored documents, newest first."""
    page = max(1, page)
    found = corpus.recent_documents(DOCUMENTS_PER_PAGE + 1, (page - 1) * DOCUMENTS_PER_PAGE)
    return {"page": page, "documents": [d.to_dict() for d in found[:DOCUMENTS_PER_PAGE]],
            "more": len(found) > DOCUMENTS_PER_PAGE, "total": corpus.counts()["documents"]}


def _quote_view(record: Record, quote: Quote, colours: dict[str | None, int],
                corrections: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One quote as its detail panel shows it: who, cue, addressee, confidence, the verdict and
    the diff against the source turn, read as that turn ("LABEL: words")."""
    speaker = record.speaker(quote.speaker)
    fidelity = quote.fidelity
    view: dict[str, Any] = {
        "id": quote.id, "type": quote.type, "text": quote.text, "headline": quote.headline,
        "speaker": speaker.name if speaker else None, "speaker_kind": speaker.kind if speaker else None,
        "colour": colours.get(quote.speaker), "cue": quote.cue.text if quote.cue else None,
        "addressee": quote.addressee.text if quote.addressee else None,
        "mention": quote.speaker_mention.text if quote.speaker_mention else None,
        "confidence": quote.confidence, "fidelity": fidelity.status if fidelity else None,
        "mark": FIDELITY_MARKS.get(fidelity.status, "") if fidelity else "",
        "similarity": fidelity.similarity if fidelity else None,
        "source_doc": fidelity.source_doc if fidelity else None, "source_label": None, "source_text": None,
        "source_speaker": None, "same_speaker": None, "diff": [],
        "changes": [{"op": c.op, "quote": c.quote, "source": c.source, "kind": c.kind} for c in fidelity.changes]
        if fidelity else [],
        "corrections": [c for c in corrections if c["quote_id"] == quote.id],
    }
    if fidelity is not None and fidelity.source_text:
        match = fidelity.speaker_match
        source = " … ".join(s.text for s in fidelity.stitched) if fidelity.stitched else fidelity.source_text
        view.update(source_text=" ".join(source.split()), source_label=(match.label if match else None) or "source",
                    source_speaker=match.speaker if match else None, same_speaker=match.same if match else None)
        if fidelity.status in ("verbatim", "minor", "altered", "paraphrase"):
            view["diff"] = diff_parts(quoted_words(quote), source)
    return view


def record_view(record: Record, *, doc_hash: str | None = None) -> dict[str, Any]:
    """A record as the document page (and /check) draws it: the text in highlighted pieces, each
    quote's panel, the turns, the speakers with their colours, and the record's JSON."""
    colours = speaker_classes(record)
    corrections = list(record.meta.get("corrections", []))
    quotes = {q.id: _quote_view(record, q, colours, corrections) for q in record.quotes}
    turns = [{"id": t.id, "label": t.label.text if t.label else None, "role": t.role, "text": t.text,
              "speaker": (s.name if (s := record.speaker(t.speaker)) else None), "colour": colours.get(t.speaker)}
             for t in record.turns]
    return {
        "doc_id": record.doc_id, "doc_hash": doc_hash, "title": record.title, "published": record.published,
        "outlet": record.outlet, "url": record.url, "source": record.source,
        "speakers": [{"id": s.id, "name": s.name, "kind": s.kind, "gender": s.gender, "titles": list(s.titles),
                      "colour": colours[s.id], "quotes": sum(q.speaker == s.id for q in record.quotes)}
                     for s in record.speakers],
        "pieces": pieces(record.text, record.quotes), "quotes": quotes, "turns": turns,
        "corrections": corrections, "record": record.to_dict(),
    }


def document(corpus: Corpus, doc_id: str) -> dict[str, Any]:
    """One stored document, corrections applied (NotFoundError when there is none)."""
    digest, record = corpus.document(doc_id)
    return record_view(record, doc_hash=digest)


def embedded(data: dict[str, Any]) -> str:
    """The record of a page's data as JSON to embed in a <script type="application/json">."""
    return script_json(data["record"])


def search(corpus: Corpus, params: dict[str, Any]) -> dict[str, Any]:
    """Quotes matching the page's (or API's) query and filters, as the CLI's `search` takes them
    (every filter key present, None when not given)."""
    data = search_form(params)
    query = data["query"]
    filters = {k: v for k, v in query.items() if k not in ("q", "limit") and v not in (None, "", False)}
    if query["q"] or filters:
        hits = corpus.search(query["q"], limit=query["limit"], **filters)
        data.update(hits=[h.to_dict() for h in hits], searched=True)
    return data


def search_form(params: dict[str, Any]) -> dict[str, Any]:
    """The search page's data before (or instead of) a search: the query as given, no hits."""
    query = {k: (None if v == "" else v) for k, v in params.items()}
    query["q"] = query.get("q") or ""
    query["limit"] = min(int(query.get("limit") or SEARCH_LIMIT), MAX_SEARCH_LIMIT)
    return {"query": query, "hits": [], "types": QUOTE_TYPES, "statuses": FIDELITY_STATUSES, "searched": False}


def speakers(corpus: Corpus) -> dict[str, Any]:
    """The most quoted speakers, and quoted speakers by gender and kind."""
    return {"speakers": [s.to_dict() for s in corpus.speakers(top=SPEAKERS_LISTED)],
            "gender": [b.to_dict() for b in corpus.breakdown("gender")],
            "kind": [b.to_dict() for b in corpus.breakdown("kind")]}


def speaker(corpus: Corpus, key: str, *, choices: bool = False) -> dict[str, Any]:
    """One corpus speaker: titles over time, quotes over time, newest quotes, reprinted quotes with
    their variants across outlets, misattribution flags with both sides, and the reviewers' merges
    and splits that involve it; with `choices`, the speakers a review form offers to merge into (the
    namesakes: the speakers its surname could mean)."""
    found = corpus.speaker_by_key(key, top=SPEAKER_CLUSTERS)
    variants = corpus.clusters(found.top_clusters)
    others = [{"key": s.key, "name": s.name} for s in corpus.namesakes(key, MERGE_CHOICES)] if choices else []
    return {
        "choices": others,
        "corrections": [c.to_dict() for c in corpus.speaker_corrections() if key in (c.old_value, c.new_value)],
        **found.summary.to_dict(),
        "titles": [t.to_dict() for t in found.titles],
        "evidence": [e.to_dict() for e in found.evidence],
        "months": bars(every_month(corpus.quotes_by_month(key))),
        "recent_quotes": [h.to_dict() for h in corpus.search(speaker_key=key, limit=SPEAKER_QUOTES)],
        "clusters": [c.to_dict() for c in variants if len(c.variants) > 1],
        "misattributed": [c.to_dict() for c in variants if c.misattributed],
        "others": [o.to_dict() for o in found.others],
    }


def cluster(corpus: Corpus, cluster_id: int) -> dict[str, Any] | None:
    """One statement as the documents print it, each variant with its diff against the earliest."""
    found = corpus.clusters([cluster_id])
    if not found:
        return None
    data = found[0].to_dict()
    first = data["earliest"]["text"]
    for v in data["variants"][1:]:
        v["diff"] = diff_parts(v["text"], first)
    return data


def check(text: str, title: str | None, sources: Sequence[tuple[str, str | None]], *, options: Options) -> dict[str, Any]:
    """A pasted article (and sources) extracted and verified, nothing stored: the record as the
    document page draws it, and the fidelity report as `onrecord verify --report` prints it."""
    record = extract_checked(text, title, sources, options=options)
    names = [t or f"source {i + 1}" for i, (_, t) in enumerate(sources)]
    return {**record_view(record), "report": format_report(record, color=False, sources=names)}


def extract_checked(text: str, title: str | None, sources: Sequence[tuple[str, str | None]], *,
                    options: Options) -> Record:
    """The record of `text`, verified against its own transcript and each source (text, title)."""
    from .. import pipeline

    plain = options.with_(verify=False)
    records = [pipeline.extract(t, doc_id=f"source-{i + 1}", title=st, options=plain)
               for i, (t, st) in enumerate(sources)]
    record = pipeline.extract(text, doc_id="checked", title=title, options=plain)
    return verify(record, records)
