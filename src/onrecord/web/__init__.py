"""The web face of the corpus: pages to read, audit and correct the record, and a JSON API
(`onrecord serve`). Imports the store and the pipeline; nothing imports it back."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI

from ..settings import Options, load_options
from .app import MAX_BODY_BYTES, MAX_TEXT_CHARS, create_app
from .auth import new_token

DEFAULT_HOST = "127.0.0.1"
"""Only this machine can connect unless told otherwise: the corpus may hold unpublished work."""
DEFAULT_PORT = 8000


# What `app_from_environment` reads: worker processes are started by uvicorn, which passes them no
# arguments, so the parent hands them the corpus, the token and the settings file this way.
ENV_DB, ENV_TOKEN, ENV_CONFIG = "ONRECORD_SERVE_DB", "ONRECORD_SERVE_TOKEN", "ONRECORD_SERVE_CONFIG"
ENV_HOSTS = "ONRECORD_SERVE_HOSTS"
ANY_ADDRESS = ("0.0.0.0", "::", "")
LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")


def allowed_hosts(host: str) -> list[str] | None:
    """The Host headers a server bound to `host` answers: its own address and this machine's names
    (no other site's name pointed at 127.0.0.1 gets an answer); None, any, when bound to every address."""
    if host in ANY_ADDRESS:
        return None
    return list(dict.fromkeys([f"[{host}]" if ":" in host else host, *LOCAL_NAMES]))


def serve(db: str | Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, review: bool = False,
          workers: int = 1, options: Options | None = None, config: str | None = None,
          echo: Callable[[str], None] = print) -> None:
    """Serve the corpus `db` until interrupted, in `workers` processes (each with its own connection);
    with `review`, make a token, `echo` it, and accept corrections from whoever presents it. With
    several workers the settings come from `config` (the file), not `options`."""
    import uvicorn

    token = new_token() if review else None
    mode = "review: corrections accepted with the token" if review else "read-only"
    hosts = allowed_hosts(host)
    if workers == 1:
        app = create_app(db, token=token, options=options, allowed_hosts=hosts)
    else:
        os.environ.update({ENV_DB: str(db), ENV_TOKEN: token or "", ENV_CONFIG: config or "",
                           ENV_HOSTS: "" if hosts is None else " ".join(hosts)})
        create_app(db, token=token, options=options).state.server.close()  # fail here, once, on a bad corpus
    echo(f"onrecord: serving {db} at http://{host}:{port}/ ({mode}; {workers} worker{'s' if workers > 1 else ''})")
    if token is not None:
        echo(f"onrecord: review token: {token}")
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    else:
        uvicorn.run("onrecord.web:app_from_environment", factory=True, host=host, port=port, workers=workers,
                    log_level="warning")


def app_from_environment() -> FastAPI:
    """The application of one worker process of `serve(workers=N)`, as its parent described it."""
    hosts = os.environ.get(ENV_HOSTS, "").split()
    return create_app(os.environ[ENV_DB], token=os.environ.get(ENV_TOKEN) or None,
                      options=load_options(os.environ.get(ENV_CONFIG) or None), allowed_hosts=hosts or None)


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "MAX_BODY_BYTES", "MAX_TEXT_CHARS", "app_from_environment", "create_app",
           "serve"]
