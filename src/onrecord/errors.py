"""Errors a user can act on. Each message names the file (or document id) and the problem."""


class OnrecordError(Exception):
    """Base of every error onrecord raises on purpose."""


class InputError(OnrecordError):
    """A document cannot be read: empty, binary, undecodable, malformed."""

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")

    def __reduce__(self):  # crosses process boundaries (extract --jobs N) with its arguments
        return (type(self), (self.source, self.problem))


class ConfigError(OnrecordError):
    """A setting or model is wrong or missing."""


class StoreError(OnrecordError):
    """The corpus database cannot be opened, migrated or written."""


class NotFoundError(StoreError):
    """What was asked for (a document, a speaker, a cluster) is not in the corpus."""


class OutputError(OnrecordError):
    """An output cannot be written where asked: a bad path, or one that would overwrite an
    input or the corpus database."""


class ProcessingError(OnrecordError):
    """An unexpected exception (a bug in onrecord, not bad input) met on one document.

    The message names the document and says it is a bug; `error` describes the original
    exception ("ZeroDivisionError: division by zero") and `traceback` holds its formatted
    traceback, which the CLI prints with `--debug`. Both are strings, so the error pickles
    (a worker process of `extract --jobs N` returns it) whatever the original exception held.
    """

    def __init__(self, source: str, error: BaseException | str, traceback: str = ""):
        self.source = source
        self.error = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        self.traceback = traceback
        super().__init__(
            f"{source}: unexpected {self.error} "
            "(a bug in onrecord; run with --debug for the traceback and please report it)"
        )

    def __reduce__(self):
        return (type(self), (self.source, self.error, self.traceback))
