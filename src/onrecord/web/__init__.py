"""The web face of the corpus: pages to read, audit and correct the record, and a JSON API
(`onrecord serve`). Imports the store and the pipeline; nothing imports it back."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..settings import Options
from .app import MAX_BODY_BYTES, MAX_TEXT_CHARS, create_app
from .auth import new_token

DEFAULT_HOST = "127.0.0.1"
"""Only this machine can connect unless told otherwise: the corpus may hold unpublished work."""
DEFAULT_PORT = 8000


def serve(db: str | Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, review: bool = False,
          options: Options | None = None, echo: Callable[[str], None] = print) -> None:
    """Serve the corpus `db` until interrupted; with `review`, make a token, `echo` it, and accept
    corrections from whoever presents it."""
    import uvicorn

    token = new_token() if review else None
    app = create_app(db, token=token, options=options)
    mode = "review: corrections accepted with the token" if review else "read-only"
    echo(f"onrecord: serving {db} at http://{host}:{port}/ ({mode})")
    if token is not None:
        echo(f"onrecord: review token: {token}")
    uvicorn.run(app, host=host, port=port, log_level="warning")


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "MAX_BODY_BYTES", "MAX_TEXT_CHARS", "create_app", "serve"]
