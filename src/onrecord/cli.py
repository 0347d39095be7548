"""The `onrecord` command: parses arguments, calls the public function, prints.

No logic lives here; every command is a thin layer over the Python API. Data goes to stdout (or
`-o`), messages and progress to stderr.
"""
from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import IO, Any

import click
from tqdm import tqdm

from . import load, pipeline
from .errors import OnrecordError, ProcessingError
from .output import (
    STDOUT,
    atomic_output,
    check_not_database,
    check_not_input,
    json_text,
    jsonl_line,
)
from .record import FIDELITY_STATUSES, QUOTE_TYPES, Record
from .scale import ENGINES, INSTALL_RAY, extract_banded, extract_files
from .settings import options_from_args

FORMATS = click.Choice(["jsonl", "json"])
FORMAT_HELP = "jsonl: one record per line; json: one JSON array of records."
EXTRACT_FORMATS = click.Choice(["jsonl", "json", "parquet"])
EXTRACT_FORMAT_HELP = FORMAT_HELP + " parquet: a directory -o DIR of four tables (documents, quotes, speakers, turns)."
ENGINE_OPTION = click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
                             help=f"local: processes on this machine; ray: a Ray cluster ({INSTALL_RAY}).")
ADDRESS_OPTION = click.option("--address", default=None,
                              help="With --engine ray: the cluster to join (auto, HOST:PORT; run on the cluster, "
                                   "through `ray job submit`); default: a local one for the run.")
JOBS_OPTION = click.option("--jobs", type=click.IntRange(min=1), default=None,
                           help="Worker processes (local default 1; ray default one per cluster CPU, less one).")
OUTPUT_PATH = click.Path(dir_okay=False, allow_dash=True)
_COUNT_CHUNK = 1 << 20  # bytes read at a time when counting the lines of a JSON lines file


class _Group(click.Group):
    """The command group: an exception no command expected (a bug) becomes one line naming it a
    bug, or with `--debug` its traceback; an `OnrecordError` becomes its message."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except OnrecordError as exc:
            raise click.ClickException(str(exc)) from None
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            raise click.ClickException(
                f"unexpected {type(exc).__name__}: {exc} "
                "(a bug in onrecord; run with --debug for the traceback and please report it)") from None


@click.group(cls=_Group)
@click.version_option(package_name="onrecord")
@click.option("--debug", is_flag=True, help="On an unexpected error (a bug), print its traceback.")
def cli(debug: bool) -> None:
    """Who said what, to whom, when, and how faithfully it was quoted."""


def _debug() -> bool:
    return bool(click.get_current_context().find_root().params.get("debug"))


def _report(error: OnrecordError | str) -> None:
    """One error line on stderr (above any progress bar); with --debug, a bug's traceback too."""
    message = f"onrecord: error: {error}"
    if _debug() and isinstance(error, ProcessingError) and error.traceback:
        message += "\n" + error.traceback.rstrip()
    tqdm.write(message, file=sys.stderr)


def _progress(items: Iterable, total: int | None, label: str) -> tqdm:
    """Done/total, rate and ETA on stderr, only when stderr is a terminal (no total: count and rate)."""
    return tqdm(items, total=total, desc=label, unit="doc", file=sys.stderr, disable=not sys.stderr.isatty(),
                dynamic_ncols=True)


def _count_documents(paths: Iterable[str]) -> int | None:
    """How many documents `paths` hold, counted cheaply for the progress total: one per file, one per
    line of a JSON lines file (blank lines included, so it may be a little high). None when stdin
    is read or an object store is listed: its length is unknown, or costs a listing."""
    total = 0
    for path in paths:
        if path == load.STDIN or "://" in path:
            return None
        if not os.path.isdir(path):
            total += _documents_in(Path(path))
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            total += sum(_documents_in(Path(root, name), walked=True) for name in files
                         if not name.startswith(".") and Path(name).suffix.lower() not in load.SKIPPED_SUFFIXES)
    return total


def _documents_in(path: Path, *, walked: bool = False) -> int:
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return 0 if walked else 1  # a directory walk skips FIFOs and devices; a named one is an error
        with path.open("rb") as stream:
            head = stream.read(64).removeprefix(b"\xef\xbb\xbf").lstrip()
            if path.suffix.lower() not in load.JSONL_SUFFIXES and not head.startswith(b"{"):
                return 1
            stream.seek(0)
            lines = last = 0
            while chunk := stream.read(_COUNT_CHUNK):
                lines += chunk.count(b"\n")
                last = chunk[-1]
            return lines + (last not in (0, ord("\n")))
    except OSError:
        return 1  # one error outcome


class RecordWriter:
    """Writes records as JSON lines (one a line) or as one JSON array, streaming either way."""

    def __init__(self, out: IO[str], fmt: str):
        self.out, self.fmt, self.count = out, fmt, 0

    def write(self, record: Record) -> None:
        if self.fmt == "jsonl":
            self.out.write(jsonl_line(record.to_dict()))
        else:
            self.out.write(("[\n" if not self.count else ",\n") + json_text(record.to_dict()))
        self.count += 1

    def close(self) -> None:
        if self.fmt == "json":
            self.out.write("\n]\n" if self.count else "[]\n")


@contextmanager
def _output(path: str, inputs: Iterable[str], database: str | None = None) -> Iterator[IO[str]]:
    """`-o`: refused if it is an input (or inside an input directory) or the database; opened now,
    so a bad path fails before the work; replaced atomically when the command succeeds."""
    check_not_input(path, inputs)
    if database is not None:
        check_not_database(path, database)
    with atomic_output(path) as out:
        yield out


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(allow_dash=True), default=STDOUT,
              help="Write here (default: stdout); a directory with --format parquet.")
@click.option("--format", "fmt", type=EXTRACT_FORMATS, default="jsonl", show_default=True, help=EXTRACT_FORMAT_HELP)
@click.option("--encoding", default=None, help="Decode inputs with this encoding instead of detecting it.")
@click.option("--model", default=None, help="spaCy pipeline to load (package name or path).")
@JOBS_OPTION
@ENGINE_OPTION
@ADDRESS_OPTION
@click.option("--no-verify", is_flag=True, help="Skip checking quotes against the document's own transcript.")
@click.option("--attribution", type=click.Choice(["speech", "broad"]), default=None,
              help="speech: what was said or claimed (default); broad: beliefs and stances too.")
@click.option("--config", default=None, help="Settings file laid over the shipped defaults.")
def extract(files, output, fmt, encoding, model, jobs, engine, address, no_verify, attribution, config) -> None:
    """Extract quotes, speakers and transcript turns from FILES (- for stdin; with --engine ray,
    local paths or object-store URIs such as s3://bucket/articles/)."""
    options = _options(config, encoding=encoding, model=model, attribution=attribution,
                       verify=False if no_verify else None)
    if fmt == "parquet" and output == STDOUT:
        raise click.UsageError("--format parquet writes a directory of tables: give -o DIR")
    failures = 0
    with _record_output(output, fmt, files) as write:
        extractor = extract_banded if fmt == "parquet" else extract_files  # the tables carry the band keys
        results = extractor(files, options=options, jobs=jobs, engine=engine, address=address)
        with _progress(results, _count_documents(files), "extracting") as bar:
            for result in bar:
                if isinstance(result, OnrecordError):
                    failures += 1
                    _report(result)
                else:
                    write(result)
    if failures:
        sys.exit(1)


@contextmanager
def _record_output(output: str, fmt: str, inputs: Iterable[str]) -> Iterator[Any]:
    """A function writing one record to `output` in `fmt` (JSON lines, a JSON array, or the Parquet
    tables of `onrecord.tables`, which take it with its band keys), the output completed when the
    block ends without an error."""
    check_not_input(output, [path for path in inputs if "://" not in path])
    if fmt == "parquet":
        from . import tables  # pyarrow loads only for the tables

        with tables.write_tables(output) as table_writer:
            yield table_writer.write
            table_writer.close()
        return
    with _output(output, inputs) as out:
        writer = RecordWriter(out, fmt)
        yield writer.write
        writer.close()


@cli.command("verify")
@click.argument("files", nargs=-1)
@click.option("-s", "--source", "sources", multiple=True,
              help="A primary source to check quotes against: a transcript, a press release, a speech (repeatable).")
@click.option("-o", "--output", type=OUTPUT_PATH, default=STDOUT, help="Write here (default: stdout).")
@click.option("--format", "fmt", type=FORMATS, default="jsonl", show_default=True, help=FORMAT_HELP)
@click.option("--report", is_flag=True, help="Print verdicts and inline word diffs to read instead of records.")
@click.option("--db", default=None, help="Also check against the corpus: the earliest stored versions of each quote. "
              "Without FILES: check every stored quote against the stored transcripts and keep the verdicts.")
@click.option("--encoding", default=None, help="Decode inputs with this encoding instead of detecting it.")
@click.option("--model", default=None, help="spaCy pipeline to load (package name or path).")
@click.option("--config", default=None, help="Settings file laid over the shipped defaults.")
def verify_command(files, sources, output, fmt, report, db, encoding, model, config) -> None:
    """Check every quote in FILES against its own transcript, each --source document and, with --db,
    the corpus's earliest versions of the same statements; with --db and no FILES, every stored
    quote against the corpus's transcripts and briefings (the verdicts are stored)."""
    from .report import format_report, wants_color
    from .verify import verify

    options = _options(config, encoding=encoding, model=model).with_(verify=False)
    if not files:
        if db is None:
            raise click.UsageError("give FILES to check, or --db to check the stored quotes")
        _verify_corpus(options.with_(db=db), output, fmt, report, sources)
        return
    failures = 0

    def extracted(paths):
        nonlocal failures
        for result in pipeline.extract_files(paths, options=options):
            if isinstance(result, OnrecordError):
                failures += 1
                _report(result)
            else:
                yield result

    with _output(output, [*files, *sources], db) as out:
        source_records = list(extracted(sources))
        with _corpus(options.with_(db=db), create=False) if db is not None else nullcontext() as corpus:
            checked = (verify(record, source_records + (corpus.sources_for(record) if corpus else []))
                       for record in extracted(files))
            if report:
                names = [r.source or r.doc_id for r in source_records]
                out.write("\n".join(format_report(r, color=wants_color(out), sources=names) for r in checked))
            else:
                writer = RecordWriter(out, fmt)
                for record in checked:
                    writer.write(record)
                writer.close()
    if failures:
        sys.exit(1)


def _verify_corpus(options, output, fmt, report, sources) -> None:
    """`verify --db` without FILES: every stored record checked against the stored transcripts
    (and any --source), verdicts written back, a count by verdict on stderr."""
    from collections import Counter

    from .report import format_report, wants_color
    from .verify import verify_corpus

    if not Path(options.db).exists():
        raise click.ClickException(f"{options.db}: no such corpus (create it with `onrecord ingest`)")
    given = [r for r in pipeline.extract_files(sources, options=options) if not isinstance(r, OnrecordError)]
    counts: Counter[str] = Counter()
    with _output(output, list(sources), options.db) as out, _corpus(options, create=True) as corpus:
        stored = [*corpus.records(sources=True), *given]
        writer = None if report else RecordWriter(out, fmt)
        for record in verify_corpus(corpus.records(), stored):
            corpus.add(record)  # a stored document added again keeps the new verdicts
            counts.update(q.fidelity.status for q in record.quotes if q.fidelity)
            if writer is None:
                if record.quotes:
                    out.write(format_report(record, color=wants_color(out)) + "\n")
            else:
                writer.write(record)
        if writer is not None:
            writer.close()
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    click.echo(f"{sum(counts.values())} quotes checked against {len(stored)} sources: {summary or 'none'}", err=True)


# Corpus commands: thin layers over onrecord.store.Corpus.

DB_OPTION = click.option("--db", default=None, help="Corpus database file (default: the db setting, onrecord.db).")
CONFIG_OPTION = click.option("--config", default=None, help="Settings file laid over the shipped defaults.")
OUTPUT_FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
MIN_CONFIDENCE = click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
                              help="Only quotes of at least this confidence (0-1); without it, quotes under "
                                   "the low-confidence mark are kept and marked.")


@contextmanager
def _corpus(options, *, create: bool):
    """Open the corpus (only `ingest` creates one: elsewhere a missing file is an error); any onrecord
    error inside becomes a one-line message and a non-zero exit."""
    from .store import Corpus

    try:
        with Corpus(options.db, options=options, create=create) as corpus:
            yield corpus
    except OnrecordError as exc:
        raise click.ClickException(str(exc)) from None


def _json(payload) -> None:
    click.echo(json_text(payload))


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@DB_OPTION
@JOBS_OPTION
@ENGINE_OPTION
@ADDRESS_OPTION
@click.option("--encoding", default=None, help="Decode inputs with this encoding instead of detecting it.")
@click.option("--model", default=None, help="spaCy pipeline to load (package name or path).")
@click.option("--no-verify", is_flag=True, help="Skip checking quotes against the document's own transcript.")
@click.option("-v", "--verbose", is_flag=True, help="One line per document on stderr: added NAME or present NAME.")
@CONFIG_OPTION
def ingest(paths, db, jobs, engine, address, encoding, model, no_verify, verbose, config) -> None:
    """Extract PATHS (files, directories, JSON lines, HTML) into the corpus database."""
    options = _options(config, db=db, encoding=encoding, model=model, verify=False if no_verify else None)
    with _corpus(options, create=True) as corpus:
        outcomes = corpus.ingest_iter(paths, jobs=jobs, options=options, engine=engine, address=address)
        _store_outcomes(outcomes, _count_documents(paths), "ingesting", verbose)


@cli.command("load")
@click.argument("dataset")
@DB_OPTION
@ENGINE_OPTION
@ADDRESS_OPTION
@click.option("-v", "--verbose", is_flag=True, help="One line per document on stderr: added NAME or present NAME.")
@CONFIG_OPTION
def load_command(dataset, db, engine, address, verbose, config) -> None:
    """Store the records of a Parquet DATASET (`extract --format parquet -o DIR`, a directory or an
    object-store URI) in the corpus database, as `ingest` would have stored them; with --engine ray,
    the corpus steps of each batch run on the Ray cluster."""
    from . import tables

    options = _options(config, db=db)
    tables.check_dataset(dataset)  # before the database is created for it
    with _corpus(options, create=True) as corpus:
        _store_outcomes(corpus.add_iter(tables.read_banded(dataset), engine=engine, address=address), None, "loading",
                        verbose)


def _store_outcomes(outcomes: Iterable, total: int | None, label: str, verbose: bool) -> None:
    """Report each stored document's outcome (failures always, the rest with `verbose`), then the
    counts; exit 1 when any failed."""
    from .store.ingest import FAILED, IngestSummary

    summary = IngestSummary()
    with _progress(outcomes, total, label) as bar:
        for outcome in bar:
            summary.count(outcome)
            if outcome.status == FAILED:
                _report(outcome.error or outcome.reason)
            elif verbose:
                tqdm.write(f"{outcome.status} {outcome.name}", file=sys.stderr)
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
@MIN_CONFIDENCE
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--raw", is_flag=True, help="TEXT is an FTS5 query (AND, OR, NEAR, \"phrases\", prefix*).")
@OUTPUT_FORMAT
@CONFIG_OPTION
def search(text, db, speaker, outlet, since, until, qtype, fidelity, min_confidence, limit, raw, fmt, config) -> None:
    """Quotes matching TEXT, best first (every word must match)."""
    if speaker is not None and not speaker.strip():
        raise click.UsageError("--speaker is empty: give a name (full name or surname), or leave the option out")
    options = _options(config, db=db)
    with _corpus(options, create=False) as corpus:
        hits = corpus.search(text, speaker=speaker, outlet=outlet, since=since, until=until, type=qtype,
                             fidelity=fidelity, min_confidence=min_confidence, limit=limit, raw=raw)
    if fmt == "json":
        _json([h.to_dict() for h in hits])
        return
    for h in hits:
        notes = [f"{h.variants} variants"] if h.variants > 1 else []
        if h.misattributed:
            notes.append("MISATTRIBUTED: also credited to " + ", ".join(h.also_credited_to))
        if h.low_confidence:
            notes.append(f"low confidence {h.confidence}")
        head = "  ".join(x for x in (h.published or "undated", h.outlet, h.speaker or "(no speaker)", h.type,
                                     h.fidelity) if x)
        click.echo(f"{head}  [{h.doc_id}]" + (f"  ({'; '.join(notes)})" if notes else ""))
        click.echo(f"    {h.text}")
    if not hits:
        click.echo("no quotes found", err=True)


@cli.command()
@DB_OPTION
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--by", type=click.Choice(["gender", "kind", "outlet"]), default=None,
              help="Instead of the list: how many speakers and quotes by gender (from the text's evidence), kind or outlet.")
@OUTPUT_FORMAT
@CONFIG_OPTION
def speakers(db, top, by, fmt, config) -> None:
    """The most quoted speakers of the corpus (speakers with no quote are not listed)."""
    with _corpus(_options(config, db=db), create=False) as corpus:
        if by is not None:
            rows = corpus.breakdown(by)
            if fmt == "json":
                _json([r.to_dict() for r in rows])
            else:
                for r in rows:
                    click.echo(f"{r.speakers:6d} speakers  {r.quotes:6d} quotes  {r.value or '(none)'}")
            return
        found = corpus.speakers(top=top)
    if fmt == "json":
        _json([s.to_dict() for s in found])
        return
    for s in found:
        flag = (f"  (surname only: {s.namesakes} people have it)" if s.ambiguous
                else "  (surname only)" if s.surname_only else "")
        click.echo(f"{s.quotes:6d} quotes  {s.documents:5d} docs  {s.name} [{s.kind}]{flag}")


@cli.command()
@click.argument("name")
@DB_OPTION
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True, help="Quote variants to show.")
@OUTPUT_FORMAT
@CONFIG_OPTION
def speaker(name, db, top, fmt, config) -> None:
    """One speaker: titles over time, quote count, most reprinted quotes, and the evidence."""
    with _corpus(_options(config, db=db), create=False) as corpus:
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
    for e in found.evidence:
        if e.resolved and e.resolved.get("by") == "role":
            click.echo(f"  \"{e.name}\" in {e.doc_id} is them: the only {e.resolved['role']} then "
                       f"(titled so in {', '.join(e.resolved['documents'])})")
    for c in variants:
        note = "; MISATTRIBUTED" if c.misattributed else ""
        first = ", ".join(x for x in (c.earliest.published or "undated", c.earliest.outlet, c.earliest.doc_id) if x)
        click.echo(f"  printed {len(c.variants)}x, first {first}{note}")
        click.echo(f"    {c.earliest.text}")
    if found.others:
        click.echo("also matching: " + ", ".join(o.name for o in found.others))


@cli.command()
@DB_OPTION
@click.option("--fidelity", "fidelity", is_flag=True, required=True,
              help="Stored quotes by verdict, per outlet and per speaker.")
@OUTPUT_FORMAT
@CONFIG_OPTION
def stats(db, fidelity, fmt, config) -> None:
    """Counts over the corpus: with --fidelity, verdicts per outlet and per speaker (run
    `onrecord verify --db` first to check the stored quotes against the stored transcripts)."""
    with _corpus(_options(config, db=db), create=False) as corpus:
        tables = {by: corpus.fidelity_counts(by) for by in ("outlet", "speaker")}
    if fmt == "json":
        _json({by: [{by: v, "fidelity": f, "quotes": n, "other_speaker": o} for v, f, n, o in rows]
               for by, rows in tables.items()})
        return
    for by, rows in tables.items():
        click.echo(f"by {by}:")
        for value, status, n, other in rows:
            note = f"  ({other} found under another speaker)" if other else ""
            click.echo(f"  {value or '(none)':30.30}  {status or 'unchecked':12}  {n:6d}{note}")


@cli.command()
@click.argument("doc_id")
@DB_OPTION
@CONFIG_OPTION
def show(doc_id, db, config) -> None:
    """The stored record of DOC_ID (its id or content hash) as JSON."""
    with _corpus(_options(config, db=db), create=False) as corpus:
        record = corpus.show(doc_id)
    _json(record.to_dict())


@cli.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True,
              help="CSV starts with a UTF-8 byte order mark, so that Excel reads it as UTF-8.")
@click.option("-o", "--output", type=OUTPUT_PATH, default=STDOUT,
              help="File to write, replaced only when the export is complete (default: stdout).")
@MIN_CONFIDENCE
@click.option("--corrections", is_flag=True,
              help="Export the reviewers' corrections (what, old and new value, when, who, why) instead of the quotes.")
@CONFIG_OPTION
def export(db, fmt, output, min_confidence, corrections, config) -> None:
    """Every stored quote as a row (reviewers' corrections applied), in an order that depends only on
    the corpus; with --corrections, the corrections themselves."""
    with _corpus(_options(config, db=db), create=False) as corpus:
        if output == STDOUT:
            sys.stdout.flush()
            stream = sys.stdout.buffer
            if fmt == "parquet" and stream.isatty():
                raise click.UsageError("parquet is binary: give -o FILE, or redirect stdout")
            n = corpus.export(stream, fmt, min_confidence=min_confidence, corrections=corrections)
            stream.flush()
        else:
            n = corpus.export(output, fmt, min_confidence=min_confidence, corrections=corrections)
    what = "corrections" if corrections else "quotes"
    click.echo(f"{n} {what} written to {'stdout' if output == STDOUT else output}", err=True)


@cli.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default lets only this machine connect.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--review", is_flag=True,
              help="Accept corrections: a token is made and printed; the API takes it as a Bearer token, the pages at /login.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Server processes.")
@CONFIG_OPTION
def serve(db, host, port, review, workers, config) -> None:
    """Web pages to read, audit and (with --review) correct the corpus, and a JSON API (/docs)."""
    from .web import serve as run

    options = _options(config, db=db)
    run(options.db, host=host, port=port, review=review, workers=workers, options=options, config=config,
        echo=lambda line: click.echo(line, err=True))


def _options(config, **args):
    try:
        return options_from_args(config, **args)
    except OnrecordError as exc:
        raise click.ClickException(str(exc)) from None


def main() -> None:
    cli(prog_name="onrecord")
