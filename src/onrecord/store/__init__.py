"""The corpus store: records in one SQLite file, searchable, with speakers and quote variants merged."""
from .corpus import Corpus
from .db import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "Corpus"]
