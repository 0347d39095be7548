"""Writing results without destroying anything: atomic files, safe JSON lines, outputs checked
against inputs. Used by the CLI (`extract`, `verify`) and by the corpus export."""
from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import OutputError

STDOUT = "-"

_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"})
"""Characters valid inside a JSON string that some readers (JavaScript, Python's str.splitlines)
take for line ends, which would cut a JSON line in two: written as escapes instead."""


def jsonl_line(obj: Any) -> str:
    """`obj` as one JSON line (with its newline): UTF-8 kept readable, line-breaking characters escaped."""
    return json.dumps(obj, ensure_ascii=False).translate(_LINE_BREAKS) + "\n"


def json_text(obj: Any) -> str:
    """`obj` as indented JSON to read, with the same characters escaped as in `jsonl_line`."""
    return json.dumps(obj, ensure_ascii=False, indent=2).translate(_LINE_BREAKS)


@contextmanager
def atomic_output(path: str | os.PathLike, *, binary: bool = False, encoding: str = "utf-8",
                  newline: str | None = None) -> Iterator[IO]:
    """A file to write `path` through: a temporary file in the same directory, renamed over `path`
    when the block ends without an error and removed when it does not, so an existing `path` stays
    whole until the new one is complete and a failed run leaves nothing that looks finished.
    The temporary file is created at once, so a bad path fails before any work. "-" is stdout."""
    if str(path) == STDOUT:
        yield sys.stdout.buffer if binary else sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{path}: is a directory; give a file name")
    try:
        tmp = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed, renamed or removed below
            mode="wb" if binary else "w", encoding=None if binary else encoding,
            newline=None if binary else newline, dir=target.parent, prefix=f".{target.name}.", suffix=".tmp",
            delete=False)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here ({exc.strerror})") from None
    try:
        os.chmod(tmp.name, _mode_for(target))
        with tmp:
            yield tmp
        os.replace(tmp.name, target)
    except BaseException as exc:
        tmp.close()
        Path(tmp.name).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename in (tmp.name, str(target)):
            raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
        raise


def _mode_for(target: Path) -> int:
    """The permissions `target` keeps (if it exists) or a new file gets (the umask's), not the
    temporary file's owner-only mode."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def check_not_input(output: str | os.PathLike, inputs: Iterable[str | os.PathLike]) -> None:
    """Raise `OutputError` if `output` is one of `inputs` or lies inside an input directory
    (writing there would replace an input, or feed the output back into the run)."""
    if str(output) == STDOUT:
        return
    out = Path(output).resolve()
    for item in inputs:
        if str(item) == STDOUT:
            continue
        given = Path(item)
        source = given.resolve()
        same = out == source or (out.exists() and given.exists() and os.path.samefile(out, source))
        if same:
            raise OutputError(f"{output}: is an input of this run; write the output elsewhere")
        if source.is_dir() and out.is_relative_to(source):
            raise OutputError(f"{output}: lies inside the input directory {item}; write the output elsewhere")


def check_not_database(output: str | os.PathLike, database: str | os.PathLike) -> None:
    """Raise `OutputError` if `output` is the corpus database or one of its SQLite side files."""
    if str(output) == STDOUT:
        return
    out = Path(output).resolve()
    db = Path(database).resolve()
    for suffix in ("", "-wal", "-shm", "-journal"):
        if out == db.with_name(db.name + suffix):
            raise OutputError(f"{output}: is the corpus database{' ' + suffix[1:] + ' file' if suffix else ''}; "
                              "write the export elsewhere")
