"""The `onrecord` command: parses arguments, calls the public function, prints.

No logic lives here; every command is a thin layer over the Python API.
"""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager

import click

from . import pipeline
from .errors import OnrecordError
from .record import FIDELITY_STATUSES, QUOTE_TYPES
from .settings import options_from_args

FORMATS = click.Choice(["json", "jsonl"])


def write_records(records, out, fmt: str) -> None:
    """Print records as one JSON document (a list when there are several) or JSON lines."""
    dicts = [r.to_dict() for r in records]
    if fmt == "jsonl":
        for d in dicts:
            out.write(json.dumps(d, ensure_ascii=False) + "\n")
    else:
        payload = dicts[0] if len(dicts) == 1 else dicts
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


@click.group()
@click.version_option(package_name="onrecord")
def cli() -> None:
    """Who said what, to whom, when, and how faithfully it was quoted."""


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Write here (default: stdout).")
@click.option("--format", "fmt", type=FORMATS, default="json", show_default=True)
@click.option("--encoding", default=None, help="Decode inputs with this encoding instead of detecting it.")
@click.option("--model", default=None, help="spaCy pipeline to load (package name or path).")
@click.option("--jobs", type=int, default=1, show_default=True, help="Worker processes.")
@click.option("--no-verify", is_flag=True, help="Skip checking quotes against the document's own transcript.")
@click.option("--attribution", type=click.Choice(["speech", "broad"]), default=None,
              help="speech: what was said or claimed (default); broad: beliefs and stances too.")
@click.option("--config", default=None, help="Settings file laid over the shipped defaults.")
def extract(files, output, fmt, encoding, model, jobs, no_verify, attribution, config) -> None:
    """Extract quotes, speakers and transcript turns from FILES (- for stdin)."""
    options = _options(config, encoding=encoding, model=model, attribution=attribution,
                       verify=False if no_verify else None)
    failures = 0
    records = []
    try:
        for result in pipeline.extract_files(files, options=options, jobs=jobs):
            if isinstance(result, OnrecordError):
                failures += 1
                click.echo(f"onrecord: error: {result}", err=True)
            elif fmt == "jsonl":  # stream: a long batch shows progress and keeps memory flat
                write_records([result], output, fmt)
            else:
                records.append(result)
    except OnrecordError as exc:
        raise click.ClickException(str(exc)) from None
    if records:
        write_records(records, output, fmt)
    if failures:
        sys.exit(1)


@cli.command("verify")
@click.argument("files", nargs=-1, required=True)
@click.option("-s", "--source", "sources", multiple=True,
              help="A primary source to check quotes against: a transcript, a press release, a speech (repeatable).")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Write here (default: stdout).")
@click.option("--format", "fmt", type=FORMATS, default="json", show_default=True)
@click.option("--report", is_flag=True, help="Print verdicts and inline word diffs to read instead of records.")
@click.option("--db", default=None, help="Also check against the corpus: the earliest stored versions of each quote.")
@click.option("--encoding", default=None, help="Decode inputs with this encoding instead of detecting it.")
@click.option("--model", default=None, help="spaCy pipeline to load (package name or path).")
@click.option("--config", default=None, help="Settings file laid over the shipped defaults.")
def verify_command(files, sources, output, fmt, report, db, encoding, model, config) -> None:
    """Check every quote in FILES against its own transcript, each --source document and, with --db,
    the corpus's earliest versions of the same statements."""
    from .report import format_report
    from .verify import verify

    options = _options(config, encoding=encoding, model=model).with_(verify=False)
    failures = []

    def extracted(paths):
        for result in pipeline.extract_files(paths, options=options):
            if isinstance(result, OnrecordError):
                failures.append(result)
                click.echo(f"onrecord: error: {result}", err=True)
            else:
                yield result

    try:
        source_records = list(extracted(sources))
        if db is None:
            records = [verify(record, source_records) for record in extracted(files)]
        else:
            with _corpus(options.with_(db=db)) as corpus:
                records = [verify(record, source_records + corpus.sources_for(record)) for record in extracted(files)]
    except OnrecordError as exc:
        raise click.ClickException(str(exc)) from None
    if report:
        output.write("\n".join(format_report(r, color=output.isatty()) for r in records))
    elif records:
        write_records(records, output, fmt)
    if failures:
        sys.exit(1)


# Corpus commands: thin layers over onrecord.store.Corpus.

DB_OPTION = click.option("--db", default=None, help="Corpus database file (default: the db setting, onrecord.db).")
CONFIG_OPTION = click.option("--config", default=None, help="Settings file laid over the shipped defaults.")
OUTPUT_FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)


@contextmanager
def _corpus(options):
    """Open the corpus; any onrecord error inside becomes a one-line message and a non-zero exit."""
    from .store import Corpus

    try:
        with Corpus(options.db, options=options) as corpus:
            yield corpus
    except OnrecordError as exc:
        raise click.ClickException(str(exc)) from None


def _json(payload) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@DB_OPTION
@click.option("--jobs", type=int, default=1, show_default=True, help="Extraction worker processes.")
@click.option("--encoding", default=None, help="Decode inputs with this encoding instead of detecting it.")
@click.option("--model", default=None, help="spaCy pipeline to load (package name or path).")
@click.option("--no-verify", is_flag=True, help="Skip checking quotes against the document's own transcript.")
@CONFIG_OPTION
def ingest(paths, db, jobs, encoding, model, no_verify, config) -> None:
    """Extract PATHS (files, directories, JSON lines, HTML) into the corpus database."""
    from .store.ingest import FAILED, IngestSummary

    options = _options(config, db=db, encoding=encoding, model=model, verify=False if no_verify else None)
    summary = IngestSummary()
    with _corpus(options) as corpus:
        outcomes = corpus.ingest_iter(paths, jobs=jobs, options=options)
        with click.progressbar(outcomes, label="ingesting", show_pos=True, file=sys.stderr) as bar:
            for outcome in bar:
                summary.count(outcome)
                if outcome.status == FAILED:
                    click.echo(f"\nonrecord: error: {outcome.reason}", err=True)
    click.echo(f"{summary.added} added, {summary.present} already present, {len(summary.failed)} failed")
    if not summary.ok:
        sys.exit(1)


@cli.command()
@click.argument("text", default="")
@DB_OPTION
@click.option("--speaker", default=None, help="Only quotes credited to this speaker (full name or surname).")
@click.option("--outlet", default=None, help="Only quotes from this outlet (any case).")
@click.option("--since", default=None, help="Published on or after this date (YYYY-MM-DD).")
@click.option("--until", default=None, help="Published on or before this date (YYYY-MM-DD).")
@click.option("--type", "qtype", type=click.Choice(QUOTE_TYPES), default=None)
@click.option("--fidelity", type=click.Choice(FIDELITY_STATUSES), default=None, help="Only quotes with this fidelity.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--raw", is_flag=True, help="TEXT is an FTS5 query (AND, OR, NEAR, \"phrases\", prefix*).")
@OUTPUT_FORMAT
@CONFIG_OPTION
def search(text, db, speaker, outlet, since, until, qtype, fidelity, limit, raw, fmt, config) -> None:
    """Quotes matching TEXT, best first (every word must match)."""
    options = _options(config, db=db)
    with _corpus(options) as corpus:
        hits = corpus.search(text, speaker=speaker, outlet=outlet, since=since, until=until, type=qtype,
                             fidelity=fidelity, limit=limit, raw=raw)
    if fmt == "json":
        _json([h.to_dict() for h in hits])
        return
    for h in hits:
        notes = [f"{h.variants} variants"] if h.variants > 1 else []
        if h.misattributed:
            notes.append("MISATTRIBUTED: credited to different speakers")
        head = "  ".join(x for x in (h.published or "undated", h.outlet, h.speaker or "(no speaker)", h.type,
                                     h.fidelity) if x)
        click.echo(f"{head}  [{h.doc_id}]" + (f"  ({'; '.join(notes)})" if notes else ""))
        click.echo(f"    {h.text}")
    if not hits:
        click.echo("no quotes found", err=True)


@cli.command()
@DB_OPTION
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True)
@OUTPUT_FORMAT
@CONFIG_OPTION
def speakers(db, top, fmt, config) -> None:
    """The most quoted speakers of the corpus."""
    with _corpus(_options(config, db=db)) as corpus:
        found = corpus.speakers(top=top)
    if fmt == "json":
        _json([s.to_dict() for s in found])
        return
    for s in found:
        flag = "  (surname only: ambiguous)" if s.ambiguous else ""
        click.echo(f"{s.quotes:6d} quotes  {s.documents:5d} docs  {s.name} [{s.kind}]{flag}")


@cli.command()
@click.argument("name")
@DB_OPTION
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True, help="Quote variants to show.")
@OUTPUT_FORMAT
@CONFIG_OPTION
def speaker(name, db, top, fmt, config) -> None:
    """One speaker: titles over time, quote count, most reprinted quotes, and the evidence."""
    with _corpus(_options(config, db=db)) as corpus:
        found = corpus.speaker(name, top=top)
        variants = corpus.clusters(found.top_clusters)
    s = found.summary
    if fmt == "json":
        _json({**s.to_dict(), "titles": [t.to_dict() for t in found.titles],
               "evidence": [e.to_dict() for e in found.evidence], "top_variants": [c.to_dict() for c in variants],
               "others": [o.to_dict() for o in found.others]})
        return
    click.echo(f"{s.name} [{s.kind}]: {s.quotes} quotes in {s.documents} documents")
    for t in found.titles:
        when = f"{t.first} .. {t.last}" if t.first else "undated"
        click.echo(f"  {t.title}: {when} ({len(t.doc_ids)} docs)")
    for c in variants:
        note = "; MISATTRIBUTED" if c.misattributed else ""
        first = ", ".join(x for x in (c.earliest.published or "undated", c.earliest.outlet, c.earliest.doc_id) if x)
        click.echo(f"  printed {len(c.variants)}x, first {first}{note}")
        click.echo(f"    {c.earliest.text}")
    if found.others:
        click.echo("also matching: " + ", ".join(o.name for o in found.others))


@cli.command()
@click.argument("doc_id")
@DB_OPTION
@CONFIG_OPTION
def show(doc_id, db, config) -> None:
    """The stored record of DOC_ID (its id or content hash) as JSON."""
    with _corpus(_options(config, db=db)) as corpus:
        record = corpus.show(doc_id)
    _json(record.to_dict())


@cli.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write.")
@CONFIG_OPTION
def export(db, fmt, output, config) -> None:
    """Every stored quote as a row, in an order that depends only on the corpus."""
    with _corpus(_options(config, db=db)) as corpus:
        n = corpus.export(output, fmt)
    click.echo(f"{n} quotes written to {output}", err=True)


def _options(config, **args):
    try:
        return options_from_args(config, **args)
    except OnrecordError as exc:
        raise click.ClickException(str(exc)) from None


def main() -> None:
    cli(prog_name="onrecord")
