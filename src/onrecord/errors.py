"""Errors a user can act on. Each message names the file (or document id) and the problem."""


class OnrecordError(Exception):
    """Base of every error onrecord raises on purpose."""


class InputError(OnrecordError):
    """A document cannot be read: empty, binary, undecodable, malformed."""

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class ConfigError(OnrecordError):
    """A setting or model is wrong or missing."""


class StoreError(OnrecordError):
    """The corpus database cannot be opened, migrated or written."""


class ProcessingError(OnrecordError):
    """An unexpected exception (a bug in onrecord, not bad input) met on one document.

    The message names the document and says it is a bug; `traceback` holds the formatted
    traceback of the original exception, which the CLI prints with `--debug`.
    """

    def __init__(self, source: str, error: BaseException, traceback: str = ""):
        self.source = source
        self.error = error
        self.traceback = traceback
        super().__init__(
            f"{source}: unexpected {type(error).__name__}: {error} "
            "(a bug in onrecord; run with --debug for the traceback and please report it)"
        )
