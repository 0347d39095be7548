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
